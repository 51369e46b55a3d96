"""Linking against the Wikidata-shaped fixture on a real Oxigraph server: type and date
filters, the threshold and the margin, overrides, the cache, batching, dry runs, the links
graph and the review file, and ``kg link`` on the command line."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import cli, enrich
from kg.ingest import load_shipped_data, store_facts
from kg.link import reconcile as rc
from kg.link.wikidata import WikidataClient
from kg.mapping import Producer
from kg.model import Article, Entity, Facts, Role, Visit
from kg.ontology import sparql_prologue
from kg.settings import PROJECT_ROOT
from kg.store import open_store
from tests.wikidata_fixture import STOLTENBERG, SUMMIT_2023, SUMMIT_2024

EXTRA = Facts(
    article=Article(key="test-link", dateline="2003-05-01", title="A made-up article"),
    entities=[
        Entity(id="je", label="John Example", type="Leader"),
        Entity(id="js", label="Jane Sample", type="Leader"),
        Entity(id="tl", label="Testland", type="State"),
        Entity(id="sp", label="Springfield", type="City", country="tl"),
    ],
    visits=[Visit(visitor="je", destination="sp", start="2003-05-01")],
    roles=[Role(id="r", person="je", office="Prime Minister", of="tl", as_of="2003-05-01")],
)


@pytest.fixture
def setup(settings, proxy, tmp_path):  # type: ignore[no-untyped-def]
    s = settings.with_(
        wikidata_endpoint=proxy.endpoint,
        wikidata_cache=str(tmp_path / "cache.sqlite"),
        link_review=str(tmp_path / "review.json"),
    )
    store = open_store(s.store)
    load_shipped_data(store, s)
    store_facts(store, EXTRA, s, Producer("test", "1"))
    yield s, store
    store.close()


def mention(label, etype, dates=(), country=None, aliases=()):  # type: ignore[no-untyped-def]
    return rc.Mention(
        f"http://kg.test/id/x/{label}", label, etype, tuple(aliases), tuple(dates), country
    )


def decide(client, m, threshold=0.75):  # type: ignore[no-untyped-def]
    found = rc.fetch_candidates(client, [m], 50)
    return rc.decide(m.iri, m.label, m.type, found[m.iri], threshold, 0.1)


def test_the_date_picks_the_namesake_who_held_office_then(wikidata):
    client = WikidataClient(wikidata.endpoint)
    early = decide(client, mention("John Example", "Leader", ["2003-05-01"]))
    late = decide(client, mention("John Example", "Leader", ["2015-06-01"]))
    assert (early.status, early.qid) == ("linked", "Q9000011")
    assert (late.status, late.qid) == ("linked", "Q9000012")
    # The actor of the same name holds no position: no leader candidate at all.
    assert "Q9000013" not in {c.qid for c in early.candidates}
    undated = decide(client, mention("John Example", "Leader"))
    assert undated.status == "ambiguous" and "margin" in undated.why


def test_the_type_filter_and_the_country(wikidata):
    client = WikidataClient(wikidata.endpoint)
    city = decide(client, mention("Springfield", "City", country="Q9000040"))
    assert (city.status, city.qid) == ("linked", "Q9000031")
    assert {c.qid for c in city.candidates} == {"Q9000031", "Q9000033"}  # not the human
    elsewhere = decide(client, mention("Springfield", "City", country="Q9000041"))
    assert elsewhere.qid == "Q9000033"
    unknown = decide(client, mention("Springfield", "City"))
    assert unknown.status == "ambiguous"
    state = decide(client, mention("Russia", "State"))
    assert state.qid == "Q159"
    org = decide(client, mention("North Atlantic Treaty Organization", "Organization"))
    assert org.qid == "Q7184"  # by its alias, through P279* to international organization


def test_below_the_threshold_nothing_is_linked_and_the_candidate_is_explained(wikidata):
    client = WikidataClient(wikidata.endpoint)
    d = decide(client, mention("Jane Sample", "Leader"))
    assert d.status == "ambiguous" and d.qid is None
    c = d.candidates[0]
    assert c.qid == "Q9000021" and c.score < 0.75
    assert c.reasons[0].startswith("name 0.85: alias")
    assert "below the threshold" in d.why
    assert decide(client, mention("Jane Sample", "Leader"), threshold=0.6).status == "linked"


def test_names_are_batched_into_few_requests(proxy):
    people = [
        "Vladimir Putin",
        "Kim Jong Un",
        "Jens Stoltenberg",
        "Mark Rutte",
        "John Example",
        "Jane Sample",
    ]
    mentions = [mention(n, "Leader") for n in people]
    rc.fetch_candidates(WikidataClient(proxy.endpoint), mentions, batch=50)
    assert len(proxy.requests) == 1
    rc.fetch_candidates(WikidataClient(proxy.endpoint), mentions, batch=2)
    assert len(proxy.requests) == 1 + 3


def test_kg_link_links_writes_the_graph_and_the_review(setup, proxy):
    s, store = setup
    report = enrich.link(store, s, WikidataClient.from_settings(s))
    linked = {d.label: d for d in report.by_status("linked")}
    assert linked["Jens Stoltenberg"].qid == STOLTENBERG
    assert linked["John Example"].qid == "Q9000011"  # the 2003 dateline decides
    assert {d.qid for d in linked.values() if d.type == "Visit"} >= {SUMMIT_2024, SUMMIT_2023}
    # Entities linked already (gazetteer QIDs) are not asked about again.
    assert "Vladimir Putin" not in linked and report.already_linked > 0
    assert "Vladimir Putin → Pyongyang (2024-11-06)" in linked
    graph = ox.NamedNode(enrich.links_graph_iri(s))
    row = next(
        iter(
            store.query(
                sparql_prologue()
                + f"""SELECT ?score ?ep ?why WHERE {{
        GRAPH {graph} {{ ?e owl:sameAs wd:{STOLTENBERG} . ?l a dv:Link ; dv:linkSubject ?e ;
          dv:linkTarget wd:{STOLTENBERG} ; dv:score ?score ; dv:endpoint ?ep ;
          dv:explanation ?why }} }}"""
            )
        )
    )
    assert float(row["score"].value) == pytest.approx(0.85)
    assert row["ep"].value == s.wikidata_endpoint
    assert "no position held covers" in row["why"].value
    review = json.loads(Path(s.link_review).read_text())
    jane = next(e for e in review["entities"] if e["label"] == "Jane Sample")
    assert jane["candidates"][0]["id"] == "Q9000021" and jane["override"]["wikidata"] == "Q9000021"
    # The second run asks Wikidata nothing new: what is left is answered from the cache.
    before = len(proxy.requests)
    again = enrich.link(store, s, WikidataClient.from_settings(s))
    assert len(proxy.requests) == before and again.requests == 0 and again.cache_hits > 0
    assert not again.by_status("linked")  # everything linkable is linked already
    # Earlier links are kept when the graph is rewritten.
    assert store.query(
        sparql_prologue() + f"ASK {{ GRAPH {graph} {{ ?e owl:sameAs wd:{STOLTENBERG} }} }}"
    )


def test_a_dry_run_writes_nothing(setup):
    s, store = setup
    before = store.count()
    report = enrich.link(store, s, WikidataClient.from_settings(s), dry_run=True)
    assert report.by_status("linked") and not report.written
    assert store.count() == before
    assert not store.query(f"ASK {{ GRAPH <{enrich.links_graph_iri(s)}> {{ ?s ?p ?o }} }}")
    assert not (PROJECT_ROOT / s.link_review).exists()


def test_overrides_win_over_gazetteer_and_reconciliation(setup, tmp_path):
    s, store = setup
    data = tmp_path / "data"
    shutil.copytree(s.data_dir, data)
    (data / "wikidata" / "overrides.json").write_text(
        json.dumps(
            {
                "entities": [
                    {"type": "Leader", "label": "Jens Stoltenberg", "wikidata": "Q9000099"},
                    {"type": "Leader", "label": "John Example", "wikidata": None},
                    {"type": "State", "label": "Testland", "wikidata": "Q9000098"},
                ]
            }
        )
    )
    s2 = s.with_(data_dir=data)
    report = enrich.link(store, s2, WikidataClient.from_settings(s2))
    by_label = {d.label: d for d in report.decisions}
    assert (by_label["Jens Stoltenberg"].qid, by_label["Jens Stoltenberg"].method) == (
        "Q9000099",
        "override",
    )
    assert by_label["John Example"].status == "skipped"
    # At ingest the override replaces a QID a source gives.
    store_facts(
        store,
        Facts(
            article=Article(key="o"),
            entities=[Entity(id="x", label="Jens Stoltenberg", type="Leader", wikidata="Q1")],
        ),
        s2,
        Producer("test", "1"),
    )
    qids = {
        r["q"].value
        for r in store.query(
            "SELECT ?q WHERE { GRAPH <http://127.0.0.1:8000/graph/article/o> { ?e "
            "<http://www.w3.org/2002/07/owl#sameAs> ?q } }"
        )
    }
    assert qids == {"http://www.wikidata.org/entity/Q9000099"}


def test_offline_linking_asks_nobody(setup, proxy):
    s, store = setup
    report = enrich.link(store, s, None)
    assert report.endpoint is None and len(proxy.requests) == 0
    assert all(d.method in (None, "override", "gazetteer") for d in report.decisions)


def test_the_command_reports_and_the_dry_run_writes_nothing(
    settings, proxy, tmp_path, monkeypatch, capsys
):
    s = settings.with_(
        wikidata_endpoint=proxy.endpoint,
        wikidata_cache=str(tmp_path / "cache.sqlite"),
        link_review=str(tmp_path / "review.json"),
    )
    store = open_store(s.store)
    load_shipped_data(store, s)
    store_facts(store, EXTRA, s, Producer("test", "1"))
    store.close()
    del store
    gc.collect()  # the command opens the store itself
    for k, v in {
        "KG_STORE": s.store,
        "KG_WIKIDATA_ENDPOINT": s.wikidata_endpoint,
        "KG_WIKIDATA_CACHE": s.wikidata_cache,
        "KG_LINK_REVIEW": s.link_review,
        "KG_SHARED_DIR": str(s.shared_dir),
    }.items():
        monkeypatch.setenv(k, v)
    assert cli.main(["link", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Jens Stoltenberg (Leader) -> Q9000001  score 0.85" in out
    assert "ambiguous (not linked; candidates kept for review): " in out
    assert "Q9000021 'Janet Q. Sample'" in out and "dry run: nothing written" in out
    assert cli.main(["link", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["written"] and any(d["wikidata"] == STOLTENBERG for d in doc["decisions"])
