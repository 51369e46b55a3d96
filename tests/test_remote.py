"""The remote store on a real Virtuoso: what its dialect handles, and why.

The common behaviour (atomic writes, loading, the union default graph, named queries) is
tested on both backends in test_store.py and test_queries.py; here are the Virtuoso facts
the remote store exists to work around, each checked against the server itself.
"""

from __future__ import annotations

import doctest
import importlib
import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pyoxigraph as ox
import pytest

from kg.ingest import load_shipped_data, store_facts
from kg.mapping import Producer
from kg.model import Article, Entity, Facts, Statement, Visit
from kg.queries import load_named_queries, run
from kg.settings import Settings
from kg.store import (
    BadDataError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    StoreUnavailableError,
    open_store,
)
from kg.store.dialects import STAGED_AT, STAGING_LEDGER, STAGING_PREFIX, VIRTUOSO
from kg.store.remote import RemoteStore
from tests.conftest import SHARED, empty_remote, free_port, remote_settings

XSD = "http://www.w3.org/2001/XMLSchema#"
S, P = ox.NamedNode("http://e.test/s"), ox.NamedNode("http://e.test/p")
TOO_BIG = ox.Literal("9" * 40, datatype=ox.NamedNode(XSD + "integer"))  # Virtuoso refuses it
# 50^5 rows: no server answers this within a test's deadline.
CROSS = " ".join(str(i) for i in range(50))
HEAVY = (
    "SELECT (COUNT(*) AS ?n) { " + " ".join(f"VALUES ?v{k} {{ {CROSS} }}" for k in range(5)) + " }"
)


def lit(value: str, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))
    return ox.Literal(value, language=language)


@pytest.fixture
def remote(virtuoso: object) -> Iterator[RemoteStore]:
    store = empty_remote(remote_settings(virtuoso))
    yield store
    store.close()


def raw_update(store: RemoteStore, text: str) -> httpx.Response:
    return httpx.post(store.update_url, data={"update": text}, timeout=30)


def staging_graphs(store: RemoteStore) -> list[str]:
    test = f'FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}"))'
    rows = store.query(f"SELECT DISTINCT ?g {{ GRAPH ?g {{ ?s ?p ?o }} {test} }}")
    return [r["g"].value for r in rows]  # type: ignore[union-attr]


@pytest.mark.parametrize("module", ["kg.store.dialects", "kg.store.remote", "kg.sparqllex"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_the_server_is_recognised_and_its_endpoints_derived(remote: RemoteStore) -> None:
    assert remote.dialect.name == "virtuoso"
    assert remote.graph_store_url == remote.query_url + "-graph-crud"
    assert remote.update_url == remote.query_url
    # Virtuoso's own graphs (private here, as docs/remote-store.md sets up) are not ours.
    assert remote.graphs() == [] and remote.count() == 0


def test_virtuoso_commits_each_operation_on_its_own(remote: RemoteStore) -> None:
    """Why writes are staged: one request of two operations, the second failing, leaves the
    first one done on Virtuoso (the embedded store would have changed nothing)."""
    remote.replace_graph("http://g/naive", [ox.Triple(S, P, lit("old"))])
    second = f"INSERT {{ GRAPH <http://g/naive> {{ {S} {P} ?x }} }} WHERE {{ BIND(1/0 AS ?x) }}"
    r = raw_update(remote, f"DROP SILENT GRAPH <http://g/naive> ; {second}")
    assert r.status_code >= 400 and "Division by 0" in r.text
    assert not remote.has_graph("http://g/naive")  # the DROP went through alone


def test_a_write_failing_half_way_leaves_the_old_graph(virtuoso: object) -> None:
    """Three requests of staged content, the last refused by the server: the old graph stays
    whole and no staging graph is left behind (SPARQL Update writes, as without GSP)."""
    settings = remote_settings(virtuoso, store_graph_store_url="none")
    store = empty_remote(settings)
    assert store.graph_store_url is None
    old = [ox.Triple(S, P, lit("old"))]
    store.replace_graph("http://g/a", old)
    new = [ox.Triple(ox.NamedNode(f"http://e.test/s{i}"), P, lit(str(i))) for i in range(12_000)]
    with pytest.raises(StoreError, match="Invalid integer"):
        store.replace_graph("http://g/a", [*new, ox.Triple(S, P, TOO_BIG)])
    assert store.graph_triples("http://g/a") == old
    assert staging_graphs(store) == []
    store.close()


def test_refused_data_half_way_through_a_graph_store_write_leaves_the_old_graph(
    remote: RemoteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the Graph Store Protocol the first chunks are on the server when a later one is
    refused (a NUL, which Virtuoso would cut the literal at): the old graph stays."""
    monkeypatch.setattr("kg.store.remote.CHUNK_TRIPLES", 1000)  # several chunks, quickly
    old = [ox.Triple(S, P, lit("old"))]
    remote.replace_graph("http://g/b", old)
    new = [ox.Triple(ox.NamedNode(f"http://e.test/s{i}"), P, lit(str(i))) for i in range(5_000)]
    with pytest.raises(BadDataError, match="U\\+0000"):
        remote.replace_graph("http://g/b", [*new, ox.Triple(S, P, lit("a\x00b"))])
    assert remote.graph_triples("http://g/b") == old
    assert staging_graphs(remote) == []


def test_staging_graphs_of_a_writer_that_died_are_swept(remote: RemoteStore) -> None:
    """A staging graph in the ledger for over an hour (its writer died before the move) is
    dropped when a store opens; a fresh one (another writer at work) is left alone."""
    stale, fresh = f"{STAGING_PREFIX}1:dead", f"{STAGING_PREFIX}{int(time.time())}:alive"
    for g, at in ((stale, 1), (fresh, int(time.time()))):
        remote._update_raw(
            f"INSERT DATA {{ GRAPH <{g}> {{ {S} {P} 'half' }} "
            f"GRAPH <{STAGING_LEDGER}> {{ <{g}> <{STAGED_AT}> {at} }} }}"
        )
    assert remote.count() == 0 and remote.graphs() == []  # neither is the store's
    RemoteStore(remote.query_url, remote.settings).close()
    assert staging_graphs(remote) == [fresh]
    remote._discard([fresh])
    assert staging_graphs(remote) == []


def test_large_graphs_and_blank_nodes_go_in_whole(remote: RemoteStore) -> None:
    """Past Virtuoso's limits (about 5,000 triples per SPARQL data block, 10 MB per request,
    no blank nodes in INSERT DATA), on both write paths; a blank node stays one node."""
    b = ox.BlankNode()
    triples = [
        ox.Triple(ox.NamedNode(f"http://e.test/s{i}"), P, lit(f"{i} " + "x" * 1000))
        for i in range(11_000)
    ]
    triples += [ox.Triple(S, P, b), ox.Triple(b, P, lit("inside"))]
    for gsp in ("", "none"):
        settings = remote.settings.with_(store_graph_store_url=gsp)
        store = RemoteStore(remote.query_url, settings)
        assert store.replace_graph("http://g/big", triples) == len(triples)
        rows = list(
            store.query(f"SELECT ?o WHERE {{ GRAPH <http://g/big> {{ {S} {P} ?x . ?x {P} ?o }} }}")
        )
        assert [r["o"].value for r in rows] == ["inside"]  # type: ignore[index]
        assert store.count() == len(triples)
        store.close()


def test_servers_without_move_and_add_get_the_same_single_operations(remote: RemoteStore) -> None:
    """QLever has no MOVE/ADD/DROP: its dialect writes them as DELETE/INSERT ... WHERE.
    Those operations, run here on Virtuoso, do the same."""
    store = RemoteStore(
        remote.query_url, remote.settings, dialect=replace(VIRTUOSO, graph_operations=False)
    )
    store.replace_graph("http://g/q", [ox.Triple(S, P, lit("old"))])
    store.replace_graph("http://g/q", [ox.Triple(S, P, lit("new")), ox.Triple(P, P, lit("2"))])
    assert sorted(t.object.value for t in store.graph_triples("http://g/q")) == ["2", "new"]
    store.load(
        b'<http://e.test/x> <http://e.test/p> "added" .', ox.RdfFormat.N_TRIPLES, "http://g/q"
    )
    assert len(store.graph_triples("http://g/q")) == 3 and staging_graphs(store) == []
    assert store.drop_graph("http://g/q") and store.graphs() == []
    store.close()


def test_literals_come_back_as_the_embedded_store_holds_them(remote: RemoteStore) -> None:
    values = [
        lit("plain"),
        lit("hi", language="en-GB"),
        lit("2024-11-06", "date"),
        lit("2000", "gYear"),
        lit("2019-05", "gYearMonth"),
        lit("2024-11-06T10:00:00.123456+02:00", "dateTime"),
        lit("0.90", "decimal"),
        lit("true", "boolean"),
        lit("042", "integer"),
        lit("7", "nonNegativeInteger"),
        lit('Kim Jong Un 김정은 “quoted” 😀 tab\there\nnew\rline \\ "q"'),
        lit(""),
        ox.Literal("x", datatype=ox.NamedNode("http://e.test/custom")),
    ]
    triples = [ox.Triple(ox.NamedNode(f"http://e.test/s{i}"), P, v) for i, v in enumerate(values)]
    embedded = open_store(":memory:")
    for store in (embedded, remote):
        store.replace_graph("http://g/lit", triples)
    query = "SELECT ?s ?o WHERE { GRAPH <http://g/lit> { ?s ?p ?o } } ORDER BY ?s"
    assert list(map(str, _cells(remote.query(query)))) == list(
        map(str, _cells(embedded.query(query)))
    )
    ask = "ASK { GRAPH <http://g/lit> { ?s ?p true } }"
    assert bool(remote.query(ask)) is bool(embedded.query(ask)) is True


def _cells(result: object) -> list[object]:
    return [row[v] for row in result for v in result.variables]  # type: ignore[attr-defined]


def test_the_same_named_queries_give_the_same_answers_on_both(remote: RemoteStore) -> None:
    """Identical data (the embedded store's dump loaded into Virtuoso), every named query,
    term for term and in order."""
    settings = Settings.from_env({}).with_(store=":memory:", shared_dir=SHARED)
    embedded = open_store(":memory:")
    load_shipped_data(embedded, settings)
    store_facts(
        embedded,
        Facts(
            article=Article(key="both", dateline="2019-05-02", title="Test source"),
            entities=[
                Entity(id="m", label="Test Minister", type="Leader"),
                Entity(id="fr", label="France", type="State"),
                Entity(id="nk", label="North Korea", type="State"),
                Entity(id="py", label="Pyongyang", type="City", country="nk"),
            ],
            visits=[Visit(visitor="m", destination="py", visiting_state="fr", start="2019-05-03")],
            statements=[Statement(speaker="m", text="a test quote")],
        ),
        settings,
        Producer("test", "1"),
    )
    # A reference dataset recording the same visit, for corroborated to find.
    store_facts(
        embedded,
        Facts(
            article=Article(key="both-ref", title="Test reference", kind="dataset"),
            entities=[
                Entity(id="m", label="Test Minister", type="Leader"),
                Entity(id="py", label="Pyongyang", type="City"),
            ],
            visits=[Visit(visitor="m", destination="py", start="2019-05-03")],
        ),
        settings,
        Producer("test", "1"),
    )
    remote.load(embedded.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
    assert remote.count() == embedded.count()
    queries = load_named_queries(settings.queries_dir)
    cases = [
        ("visits-to", {"place": "Pyongyang"}),
        ("visits-to", {"place": "North Korea"}),
        ("visits-by", {"leader": "Putin"}),
        ("visits-by", {"leader": "minister"}),
        ("visits-between", {"from": "Russia", "to": "North Korea"}),
        ("statements-by", {"speaker": "Vladimir Putin"}),
        ("timeline", {}),
        ("sources", {}),
        ("conflicts", {}),
        ("corroborated", {}),
    ]
    # Federated queries join through the server's own SERVICE: not a store answer to compare.
    local = {name for name, q in queries.items() if not q.service_var}
    assert {name for name, _ in cases} == local
    for name, args in cases:
        here, there = run(embedded, queries[name], args), run(remote, queries[name], args)
        assert [v.value for v in here.variables] == [v.value for v in there.variables]  # type: ignore[union-attr]
        assert list(map(str, _cells(there))) == list(map(str, _cells(here))), name
        assert _cells(run(embedded, queries[name], args)), name  # something to compare


def test_updates_are_rewritten_for_virtuoso(remote: RemoteStore) -> None:
    """The default graph, blank nodes in INSERT DATA, DROP GRAPH of a graph Virtuoso never
    saw created, and DROP ALL, which must leave Virtuoso's own graphs alone."""
    remote.update("INSERT DATA { _:b <http://e.test/p> 'x' . _:b <http://e.test/q> 'y' }")
    rows = list(
        remote.query("SELECT ?s WHERE { ?s <http://e.test/p> 'x' ; <http://e.test/q> 'y' }")
    )
    assert len(rows) == 1 and isinstance(rows[0]["s"], ox.BlankNode)  # type: ignore[index]
    assert len(remote.graph_triples(None)) == 2 and remote.graphs() == []
    remote.update("INSERT DATA { GRAPH <http://g/d> { <http://e.test/s> <http://e.test/p> 1 } }")
    remote.update("DROP GRAPH <http://g/d>")
    assert not remote.has_graph("http://g/d")
    remote.update("INSERT DATA { GRAPH <http://g/e> { <http://e.test/s> <http://e.test/p> 1 } }")
    remote.update("DROP ALL")
    assert remote.count() == 0
    again = RemoteStore(remote.query_url, remote.settings)  # the server still works
    assert again.dialect.name == "virtuoso" and bool(again.query("ASK { }"))
    again.close()


def test_a_query_past_its_deadline_is_stopped_there(remote: RemoteStore) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        remote.query(HEAVY, timeout_s=2)
    assert time.monotonic() - started < 3.5
    started = time.monotonic()
    assert bool(remote.query("ASK { }"))  # the server is free for the next one
    assert time.monotonic() - started < 1


def test_errors_are_typed_and_say_what_is_wrong(remote: RemoteStore, virtuoso: object) -> None:
    with pytest.raises(QuerySyntaxError, match="SP030"):
        remote.query("SELECT WHERE {")
    with pytest.raises(QuerySyntaxError):
        remote.update("INSERT DATA { <http://e/s> }")
    nobody = Settings.from_env({}).with_(store=f"sparql+http://127.0.0.1:{free_port()}/sparql")
    with pytest.raises(StoreUnavailableError, match="cannot reach the SPARQL store"):
        open_store(nobody.store, settings=nobody)


def test_digest_authentication(virtuoso: object) -> None:
    settings = remote_settings(virtuoso, store_user="dba", store_password="dba")
    store = empty_remote(settings)
    assert store.update_url.endswith("/sparql-auth")
    assert store.graph_store_url and store.graph_store_url.endswith("/sparql-graph-crud-auth")
    store.replace_graph("http://g/auth", [ox.Triple(S, P, lit("a"))])
    store.update(
        "INSERT DATA { GRAPH <http://g/auth> { <http://e.test/s> <http://e.test/p> 'b' } }"
    )
    assert len(store.graph_triples("http://g/auth")) == 2
    store.close()
    wrong = RemoteStore(store.query_url, settings.with_(store_password="wrong"))
    with pytest.raises(StoreError, match="KG_STORE_PASSWORD"):
        wrong.update(
            "INSERT DATA { GRAPH <http://g/auth> { <http://e.test/s> <http://e.test/p> 'c' } }"
        )
    wrong.close()
