"""The named-query cache keeps answers across writes that cannot change them, and never
serves one that a write changed: after every write of a mixed sequence (new articles,
re-ingests that replace a graph, bare labels, types, aliases, places located in others,
Wikidata links, updates), each cached answer is compared with one computed afresh."""

from __future__ import annotations

import asyncio
import functools
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.extract.reader import read_text
from kg.ingest import load_shipped_data, prepare_document, store_prepared
from kg.queries import bind_for_job, load_named_queries
from kg.service.named import depends_on
from kg.service.resultcache import ResultCache
from kg.settings import Settings
from kg.store import open_store
from kg.store.base import touched_by
from kg.store.oxigraph import OxigraphStore
from kg.store.workers import Answer, JobError, QueryJob, ThreadRunner
from tests.conftest import SHARED

DV = "https://w3id.org/diplovisit/ontology#"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SAME = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
KEYS = [
    ("visits-to", {"place": "Pyongyang"}),
    ("visits-to", {"place": "Ottawa"}),
    ("visits-to", {"place": "Canada"}),
    ("visits-to", {"place": "Springfield"}),
    ("visits-by", {"leader": "Vladimir Putin"}),
    ("visits-by", {"leader": "Keir Starmer"}),
    ("visits-by", {"leader": "Q7747"}),
    ("statements-by", {"speaker": "Kim Jong Un"}),
    ("visits-between", {"from": "Russia", "to": "North Korea"}),
    ("timeline", {}),
]
LEADERS = ["Keir Starmer", "Vladimir Putin", "Emmanuel Macron", "Narendra Modi"]
CITIES = ["Ottawa", "Pyongyang", "Berlin", "Toronto", "Delhi"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphStore, Settings]:
    path = tmp_path_factory.mktemp("cache-writes") / "store"
    settings = Settings.from_env({}).with_(store=str(path), shared_dir=SHARED)
    store = open_store(settings.store, settings=settings)
    load_shipped_data(store, settings)
    return store, settings  # type: ignore[return-value]


def run_named(store: OxigraphStore, name: str, args: dict) -> Answer:
    """The named query computed now, the way the service's workers do it."""
    query = load_named_queries(Settings.from_env({}).queries_dir)[name]
    prepare = functools.partial(bind_for_job, query, args)
    job = QueryJob(sparql="", solutions_media="text/csv", graph_media=None, prepare=prepare)
    try:
        return ThreadRunner(store.raw).run(job, 60)
    except JobError as exc:  # a name that matches nothing yet: that is the answer too
        return Answer("text/plain", f"error: {exc}".encode(), iter(()))


def cached(cache: ResultCache, store: OxigraphStore, name: str, args: dict) -> bytes:
    async def run() -> Answer:
        return run_named(store, name, args)

    key = (name, tuple(sorted(args.items())))
    return asyncio.run(cache.get_or_run(key, store.generation, run, depends_on)).first


def article(rng: random.Random, n: int) -> tuple[str, str]:
    """(url, text) of a made-up report: one leader's arrival in one city, now and then a
    quote; ``n`` picks the url, so that a url seen before re-ingests (replaces) its graph."""
    who, where = rng.choice(LEADERS), rng.choice(CITIES)
    text = f"{who} arrived in {where} on Monday for talks with the prime minister."
    if rng.random() < 0.3:
        text += f' "We came to listen," {who} told reporters.'
    return f"https://news.example/{n % 7}", text


def bare_write(rng: random.Random, i: int, graph: str) -> list[ox.Triple]:
    """A hand-made graph of the kinds an article never writes alone (on three places, so
    that one graph names a place that another one types)."""
    x = ox.NamedNode(f"http://127.0.0.1:8000/id/place/test-{i % 3}")
    ottawa = ox.NamedNode("http://127.0.0.1:8000/id/place/ottawa")
    canada = ox.NamedNode("http://127.0.0.1:8000/id/state/canada")
    visit = ox.NamedNode(f"http://127.0.0.1:8000/id/visit/test/{i}")
    putin = ox.NamedNode("http://127.0.0.1:8000/id/person/vladimir-putin")
    choices = [
        [ox.Triple(x, LABEL, ox.Literal(f"Springfield {i % 3}"))],  # a name, no type
        [ox.Triple(x, TYPE, ox.NamedNode(DV + "City"))],  # a type, its name elsewhere
        [ox.Triple(x, TYPE, ox.NamedNode(DV + "City")), ox.Triple(x, ALT, ox.Literal("Ottawa"))],
        [ox.Triple(x, ox.NamedNode(DV + "locatedIn"), canada)],
        [ox.Triple(ottawa, ALT, ox.Literal("Bytown"))],
        [ox.Triple(x, SAME, ox.NamedNode("http://www.wikidata.org/entity/Q7747"))],
        [  # a visit to the place, so that answers about it differ once it is matched
            ox.Triple(visit, ox.NamedNode(DV + "destination"), x),
            ox.Triple(visit, ox.NamedNode(DV + "visitor"), putin),
            ox.Triple(ox.NamedNode(graph), DERIVED, ox.NamedNode(f"https://src.example/{i}")),
        ],
    ]
    return rng.choice(choices)


def test_cached_answers_always_equal_fresh_ones(setup: tuple[OxigraphStore, Settings]) -> None:
    store, settings = setup
    cache = ResultCache(64)
    store.write_listeners.append(cache.written)
    rng = random.Random(20261201)
    named_one = ox.NamedNode("http://127.0.0.1:8000/id/place/test-name")
    try:
        for step in range(60):
            for name, args in KEYS:  # ask, so that the cache holds answers before the write
                cached(cache, store, name, args)
            kind = rng.random()
            if kind < 0.6:
                url, text = article(rng, step)
                doc = read_text(text, dateline="2025-06-10", source=url)
                store_prepared(store, prepare_document(doc, settings))
            elif kind < 0.9:
                graph = f"http://127.0.0.1:8000/graph/test/{rng.randrange(6)}"
                store.replace_graph(graph, bare_write(rng, step, graph))
            else:  # an update: the store cannot say what it changed
                store.update(f'INSERT DATA {{ {named_one} {LABEL} "Springfield" }}')
            for name, args in KEYS:
                fresh = run_named(store, name, args).first
                assert cached(cache, store, name, args) == fresh, (step, name, args)
    finally:
        store.write_listeners.remove(cache.written)
    status = cache.status()
    # The cache did keep answers across writes, and answered from them.
    assert status["kept_across_writes"] > 50 and status["hits"] > 200, status


def test_a_write_reports_what_it_touched(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    heard: list[tuple[int, object]] = []
    store.write_listeners.append(lambda g, t: heard.append((g, t)))
    a, b = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b")
    store.replace_graph("http://e/g", [ox.Triple(a, LABEL, ox.Literal("Alpha"))])
    store.replace_graph("http://e/h", [ox.Triple(a, TYPE, ox.NamedNode(DV + "City"))])
    store.replace_graph("http://e/g", [ox.Triple(b, LABEL, ox.Literal("Beta"))])  # replaces
    store.update(f"INSERT DATA {{ {a} {LABEL} 'A' }}")
    assert [g for g, _ in heard] == [1, 2, 3, 4]
    first, typed, replaced, update = (t for _, t in heard)
    assert first == touched_by([ox.Quad(a, LABEL, ox.Literal("Alpha"))])
    assert typed.iris >= {"http://e/a"} and "alpha" in typed.names  # its name from graph g
    # The graph's old quads count as touched as well as the new ones.
    assert replaced.iris >= {"http://e/a", "http://e/b"} and "alpha" in replaced.names
    assert update is None


def test_a_new_match_for_a_name_drops_the_answer(setup: tuple[OxigraphStore, Settings]) -> None:
    """The writes that change what a name resolves to without naming the entities it
    resolved to before: a second place given the name, and a named place given its type."""
    store, _ = setup
    cache = ResultCache(8)
    store.write_listeners.append(cache.written)
    base, city = "http://127.0.0.1:8000/", ox.NamedNode(DV + "City")
    places = [ox.NamedNode(f"{base}id/place/lakeview-{n}") for n in range(3)]
    putin = ox.NamedNode(f"{base}id/person/vladimir-putin")

    def graph(name: str, *triples: ox.Triple) -> None:
        store.replace_graph(f"{base}graph/test/{name}", list(triples))

    def visit_to(n: int) -> None:
        g, v = ox.NamedNode(f"{base}graph/test/visit-{n}"), ox.NamedNode(f"{base}id/visit/lv{n}")
        store.replace_graph(
            g.value,
            [
                ox.Triple(v, ox.NamedNode(DV + "destination"), places[n]),
                ox.Triple(v, ox.NamedNode(DV + "visitor"), putin),
                ox.Triple(g, DERIVED, ox.NamedNode(f"https://src.example/lakeview-{n}")),
            ],
        )

    def ask() -> bytes:
        answer = cached(cache, store, "visits-to", {"place": "Lakeview"})
        assert answer == run_named(store, "visits-to", {"place": "Lakeview"}).first
        return answer

    try:
        graph("type-0", ox.Triple(places[0], TYPE, city))
        graph("name-0", ox.Triple(places[0], LABEL, ox.Literal("Lakeview One")))
        visit_to(0)
        first = ask()
        assert first.count(b"lakeview-") == 2  # one row: the place and its source
        visit_to(1)  # a place with no name yet: the answer stands
        assert ask() == first and cache.status()["kept_across_writes"] >= 1
        graph("type-1", ox.Triple(places[1], TYPE, city))
        graph("name-1", ox.Triple(places[1], ALT, ox.Literal("lakeview two")))  # a new match
        assert ask().count(b"lakeview-") == 4
        graph("name-2", ox.Triple(places[2], LABEL, ox.Literal("Lakeview Three")))
        visit_to(2)
        graph("type-2", ox.Triple(places[2], TYPE, city))  # typed here, named elsewhere
        assert ask().count(b"lakeview-") == 6
    finally:
        store.write_listeners.remove(cache.written)


def test_a_new_match_for_a_qid_drops_the_answer(setup: tuple[OxigraphStore, Settings]) -> None:
    """A person linked to a Wikidata item in one graph, and typed as a leader in another:
    from then on a QID parameter matches them too."""
    store, _ = setup
    cache = ResultCache(8)
    store.write_listeners.append(cache.written)
    base, leader = "http://127.0.0.1:8000/", ox.NamedNode(DV + "Leader")
    item = ox.NamedNode("http://www.wikidata.org/entity/Q99999901")
    people = [ox.NamedNode(f"{base}id/person/test-qid-{n}") for n in range(2)]
    berlin = ox.NamedNode(f"{base}id/place/berlin")

    def graph(name: str, *triples: ox.Triple) -> None:
        store.replace_graph(f"{base}graph/test/{name}", list(triples))

    def visit_by(n: int) -> None:
        g, v = f"{base}graph/test/qid-visit-{n}", ox.NamedNode(f"{base}id/visit/qid{n}")
        graph(
            f"qid-visit-{n}",
            ox.Triple(v, ox.NamedNode(DV + "visitor"), people[n]),
            ox.Triple(v, ox.NamedNode(DV + "destination"), berlin),
            ox.Triple(ox.NamedNode(g), DERIVED, ox.NamedNode(f"https://src.example/qid-{n}")),
        )

    def ask() -> bytes:
        answer = cached(cache, store, "visits-by", {"leader": "Q99999901"})
        assert answer == run_named(store, "visits-by", {"leader": "Q99999901"}).first
        return answer

    try:
        graph("qid-0", ox.Triple(people[0], TYPE, leader), ox.Triple(people[0], SAME, item))
        visit_by(0)
        assert ask().count(b"test-qid-") == 1
        graph("qid-link-1", ox.Triple(people[1], SAME, item))  # linked, not a leader yet
        visit_by(1)
        assert ask().count(b"test-qid-") == 1
        graph("qid-type-1", ox.Triple(people[1], TYPE, leader))  # its link is elsewhere
        assert ask().count(b"test-qid-") == 2
    finally:
        store.write_listeners.remove(cache.written)
