"""Corroboration and conflicts: offline from the gazetteer alone (Stoltenberg), with the
Wikidata-shaped fixture (the seed article's date and place), between two sources, on the
command line (``kg check``) and as warnings and marks on the resource pages."""

from __future__ import annotations

import gc

import pytest

from kg import cli, enrich
from kg.ingest import load_shipped_data, store_facts
from kg.link.wikidata import WikidataClient
from kg.mapping import Producer
from kg.model import Article, Entity, Facts, Visit
from kg.store import open_store
from tests.conftest import RunningService
from tests.wikidata_fixture import SUMMIT_2023, SUMMIT_2024

SEED = "Putin visits North Korea for first time in 24 years to advance 'multifaceted partnership'"
GAZETTEER = "Project gazetteer: leaders and their offices, states, places, bodies"


def report(key: str, dateline: str, visitor: str, place: str, country: str, start: str) -> Facts:
    """A made-up source reporting one visit."""
    return Facts(
        article=Article(key=key, dateline=dateline, title=f"Test report {key}"),
        entities=[
            Entity(id="v", label=visitor, type="Leader"),
            Entity(id="s", label=country, type="State"),
            Entity(id="c", label=place, type="City", country="s"),
        ],
        visits=[Visit(visitor="v", destination="c", start=start)],
    )


def offline_store(settings):  # type: ignore[no-untyped-def]
    store = open_store(settings.store)
    load_shipped_data(store, settings)
    return store


def test_stoltenberg_is_found_offline_from_the_gazetteer_alone(settings):
    store = offline_store(settings)
    found = enrich.conflicts(store, settings)
    office = [c for c in found if c.kind == "office-not-held"]
    assert len(office) == 1
    c = office[0]
    assert c.claim == "Jens Stoltenberg was Secretary General of NATO on 2024-11-06"
    assert c.source_label == SEED and c.reference_source_label == GAZETTEER
    assert "2014-10-01 – 2024-10-01" in c.reference and "held by Mark Rutte" in c.reference
    assert c.subject.endswith("/id/person/jens-stoltenberg")


def test_two_sources_a_few_days_apart_disagree(settings):
    store = offline_store(settings)
    producer = Producer("test", "1")
    store_facts(
        store,
        report("a", "2019-05-02", "Test Minister", "Seoul", "South Korea", "2019-05-01"),
        settings,
        producer,
    )
    store_facts(
        store,
        report("b", "2019-05-04", "Test Minister", "Seoul", "South Korea", "2019-05-03"),
        settings,
        producer,
    )
    dated = [c for c in enrich.conflicts(store, settings) if c.kind == "visit-date"]
    assert [(c.claim, c.reference) for c in dated] == [
        ("Test Minister visited Seoul on 2019-05-01", "another source dates the visit 2019-05-03")
    ]
    assert {dated[0].source_label, dated[0].reference_source_label} == {
        "Test report a",
        "Test report b",
    }


def test_kg_check_offline_exits_1_and_names_both_sources(settings, monkeypatch, capsys):
    store = offline_store(settings)
    store.close()
    del store
    gc.collect()
    monkeypatch.setenv("KG_STORE", settings.store)
    monkeypatch.setenv("KG_SHARED_DIR", str(settings.shared_dir))
    assert cli.main(["check", "--offline"]) == 1
    out = capsys.readouterr().out
    assert "conflicts: 1" in out
    assert f"Secretary General of NATO on 2024-11-06 ({SEED})" in out and GAZETTEER in out


@pytest.fixture(scope="module")
def checked(tmp_path_factory, wikidata):  # type: ignore[no-untyped-def]
    """A store with the shipped data, two reports of Putin's June 2024 visit, linked to the
    fixture and checked against it."""
    from kg.settings import Settings
    from tests.conftest import SHARED

    tmp = tmp_path_factory.mktemp("checked")
    s = Settings.from_env({}).with_(
        store=str(tmp / "store"),
        shared_dir=SHARED,
        wikidata_endpoint=wikidata.endpoint,
        wikidata_cache=str(tmp / "cache.sqlite"),
        link_review=str(tmp / "review.json"),
    )
    store = offline_store(s)
    producer = Producer("test", "1")
    for key in ("june-a", "june-b"):
        store_facts(
            store,
            report(key, "2024-06-20", "Vladimir Putin", "Pyongyang", "North Korea", "2024-06-19"),
            s,
            producer,
        )
    client = WikidataClient.from_settings(s)
    linked = enrich.link(store, s, client)
    ref = enrich.refresh_reference(store, s, client)
    found = enrich.conflicts(store, s)
    store.close()
    del store
    gc.collect()
    return s, linked, ref, found


def test_the_fixture_finds_the_date_and_the_place(checked):
    _, _linked, ref, found = checked
    assert ref.events == 2 and ref.holdings >= 2
    by_kind = {}
    for c in found:
        by_kind.setdefault(c.kind, []).append(c)
    date = by_kind["visit-date"][0]
    assert date.claim == "Vladimir Putin visited Pyongyang on 2024-11-06"
    assert date.reference == f"the same visit ({SUMMIT_2024}) is recorded on 2024-06-19"
    assert date.source_label == SEED and date.reference_source_label.startswith(
        "Wikidata reference facts"
    )
    place = by_kind["visit-place"][0]
    assert place.claim == "Kim Jong Un visited Moscow before 2024-11-06"
    assert place.reference == f"the same visit ({SUMMIT_2023}) was at Vostochny Cosmodrome"
    # Stoltenberg: the gazetteer and Wikidata both say his term had ended.
    office = {c.reference_source_label for c in by_kind["office-not-held"]}
    assert GAZETTEER in office and any(x.startswith("Wikidata") for x in office)
    # The two June reports agree with Wikidata: no conflict about them.
    assert not [c for c in found if "2024-06-19 (" in c.claim]


@pytest.fixture(scope="module")
def pages(checked):  # type: ignore[no-untyped-def]
    s = checked[0]
    svc = RunningService(
        __import__("pathlib").Path(s.store), {"KG_WIKIDATA_ENDPOINT": s.wikidata_endpoint}
    )
    yield svc
    svc.stop()


def test_the_person_page_warns_with_both_claims_and_sources(pages):
    with pages.client() as http:
        html = http.get("/id/person/jens-stoltenberg").text
    assert "Sources disagree" in html
    assert "Jens Stoltenberg was Secretary General of NATO on 2024-11-06" in html
    assert 'href="/id/article/000_fb9de8acf85c790b"' in html
    assert 'href="/id/dataset/gazetteer"' in html and "held by Mark Rutte" in html
    assert "Linked (reconciled)" in html  # the Wikidata link kg link made, with its reasons
    assert "no position held covers 2024-11-06" in html


def test_the_visit_pages_show_the_conflict_and_the_corroboration(pages):
    with pages.client() as http:
        wrong = http.get("/id/visit/vladimir-putin/pyongyang/2024-11-06").text
        right = http.get("/id/visit/vladimir-putin/pyongyang/2024-06-19").text
        putin = http.get("/id/person/vladimir-putin").text
        calm = http.get("/id/person/mark-rutte").text
    assert "Sources disagree" in wrong and "is recorded on 2024-06-19" in wrong
    assert "Sources disagree" not in right
    assert "Corroborated: stated by 2 sources; confirmed by Wikidata reference facts" in right
    assert "sources disagree</span>" in putin and "corroborated: stated by 2 sources" in putin
    assert "Sources disagree" not in calm


def test_the_article_page_lists_its_conflicts(pages):
    with pages.client() as http:
        html = http.get("/id/article/000_fb9de8acf85c790b").text
    for words in ("office not held", "visit date", "visit place", "Vostochny Cosmodrome"):
        assert words in html


def test_the_named_queries_answer_over_http(pages):
    with pages.client() as http:
        conflicts = http.get("/queries/conflicts", headers={"Accept": "text/csv"}).text
        corroborated = http.get("/queries/corroborated", headers={"Accept": "text/csv"}).text
    assert conflicts.count("office-not-held") == 2 and "visit-place" in conflicts
    assert "/id/visit/vladimir-putin/pyongyang/2024-06-19" in corroborated
