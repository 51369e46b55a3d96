"""Every named query, run on a store holding the shipped data plus facts the tests write, on
both backends (the embedded store and a real Virtuoso)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.ingest import load_shipped_data, store_facts
from kg.mapping import Producer
from kg.model import Article, Entity, Facts, Statement, Visit
from kg.queries import NoMatchError, QueryError, bind, load_named_queries, parse_named_query, run
from kg.settings import Settings
from kg.store import open_store
from tests.conftest import BACKENDS, SHARED, empty_remote, remote_settings

EXPECTED = {"visits-to", "visits-by", "visits-between", "statements-by", "timeline", "sources"}


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(request, tmp_path_factory):
    """The same data on each backend in turn: the embedded store, then a real Virtuoso."""
    if request.param == "embedded":
        settings = Settings.from_env({}).with_(
            store=str(tmp_path_factory.mktemp("q") / "store"), shared_dir=SHARED
        )
    else:
        settings = remote_settings(request.getfixturevalue("virtuoso"))
        empty_remote(settings).close()
    store = open_store(settings.store, settings=settings)
    load_shipped_data(store, settings)
    # A second, made-up source: a French visit to Seoul and to Pyongyang, to test the joins.
    store_facts(
        store,
        Facts(
            article=Article(key="test-extra", dateline="2019-05-02", title="Test source"),
            entities=[
                Entity(id="m", label="Test Minister", type="Leader", aliases=["T. Minister"]),
                Entity(id="m2", label="Other Minister", type="Leader"),
                Entity(id="fr", label="France", type="State"),
                Entity(id="kr", label="South Korea", type="State"),
                Entity(id="nk", label="North Korea", type="State"),
                Entity(id="seoul", label="Seoul", type="City", country="kr"),
                Entity(id="py", label="Pyongyang", type="City", country="nk"),
            ],
            visits=[
                Visit(visitor="m", destination="seoul", visiting_state="fr", start="2019-05-01"),
                Visit(visitor="m2", destination="seoul", start="2019-05-01"),
                Visit(
                    visitor="m",
                    destination="py",
                    visiting_state="fr",
                    start="2019-05-03",
                    end="2019-05-04",
                ),
            ],
            statements=[Statement(speaker="m", text="a test quote")],
        ),
        settings,
        Producer("test", "1"),
    )
    return store, load_named_queries(settings.queries_dir)


def rows(loaded, name, **args):
    store, queries = loaded
    result = run(store, queries[name], args)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in result]


def test_every_query_file_is_listed_with_a_title_and_description(loaded):
    _, queries = loaded
    assert set(queries) >= EXPECTED
    for q in queries.values():
        assert q.title and q.title != q.name and q.description


def test_visits_to_pyongyang_lists_putin_with_the_article_date_and_source(loaded):
    found = rows(loaded, "visits-to", place="Pyongyang")
    putin = [r for r in found if r["leaderLabel"] == "Vladimir Putin"]
    assert {r["start"] for r in putin} == {"2024-11-06", "2000"}
    assert all(r["source"].endswith("/id/article/000_fb9de8acf85c790b") for r in putin)
    assert all(r["stateLabel"] == "Russia" for r in putin)
    # ordered by date: 2000, 2019 (test source), 2024
    assert [r["start"] for r in found] == sorted(r["start"] for r in found)


def test_visits_to_accepts_qid_iri_partial_and_any_case(loaded):
    by_name = rows(loaded, "visits-to", place="Pyongyang")
    assert rows(loaded, "visits-to", place="Q18808") == by_name
    assert rows(loaded, "visits-to", place="pyongYANG") == by_name
    assert rows(loaded, "visits-to", place="yongyan") == by_name
    assert rows(loaded, "visits-to", place="http://127.0.0.1:8000/id/place/pyongyang") == by_name


def test_a_state_covers_its_cities(loaded):
    by_state = rows(loaded, "visits-to", place="North Korea")
    assert {r["placeLabel"] for r in by_state} == {"Pyongyang"}
    assert len(by_state) == len(rows(loaded, "visits-to", place="Pyongyang"))
    assert {r["placeLabel"] for r in rows(loaded, "visits-to", place="South Korea")} == {"Seoul"}


def test_visits_by_putin(loaded):
    found = rows(loaded, "visits-by", leader="Putin")
    assert {(r["placeLabel"], r["start"]) for r in found} == {
        ("Pyongyang", "2024-11-06"),
        ("Pyongyang", "2000"),
    }
    assert {r["hostStateLabel"] for r in found} == {"North Korea"}
    kim = rows(loaded, "visits-by", leader="Kim Jong Un")
    assert [(r["placeLabel"], r["start"], r["status"]) for r in kim] == [
        ("Moscow", None, "occurred")
    ]


def test_visits_between_states(loaded):
    found = rows(loaded, "visits-between", **{"from": "Russia", "to": "North Korea"})
    assert {r["leaderLabel"] for r in found} == {"Vladimir Putin"}
    assert (
        rows(loaded, "visits-between", **{"from": "North Korea", "to": "Russia"})[0]["placeLabel"]
        == "Moscow"
    )
    assert {
        r["placeLabel"]
        for r in rows(loaded, "visits-between", **{"from": "France", "to": "South Korea"})
    } == {"Seoul"}


def test_statements_by_stoltenberg_carry_medium_reporter_and_sentence(loaded):
    found = rows(loaded, "statements-by", speaker="Stoltenberg")
    assert {r["text"] for r in found} >= {"dependent", "North Korea, Iran, and China."}
    assert {r["reportedByLabel"] for r in found} == {"The Guardian"}
    assert all("Stoltenberg" in r["sentence"] or "he noted" in r["sentence"] for r in found)
    putin = rows(loaded, "statements-by", speaker="Vladimir Putin")
    rodong = [r for r in putin if r["text"].startswith("Today, as before")]
    assert rodong and rodong[0]["mediumLabel"] == "Rodong Sinmun"
    assert rodong[0]["text"].endswith("interests.")


def test_timeline_is_ordered_and_complete(loaded):
    found = rows(loaded, "timeline")
    dated = [r["start"] for r in found if r["start"]]
    assert dated == sorted(dated)
    assert len(found) == 6  # three seed visits, three test visits
    assert found[-1]["start"] is None  # undated (Kim to Moscow) last


def test_sources_lists_every_graph_with_provenance(loaded):
    found = rows(loaded, "sources")
    kinds = {r["kind"] for r in found}
    assert {"Article", "Dataset"} <= kinds
    seed = [r for r in found if r["graph"].endswith("000_fb9de8acf85c790b")]
    assert seed[0]["dateline"] == "2024-11-06" and seed[0]["title"].startswith("Putin visits")
    assert all(r["ingestedAt"] and r["version"] for r in found)


def test_parameters_are_bound_not_pasted(loaded):
    store, queries = loaded
    evil = 'x" } } ; DROP ALL ; SELECT * { ?s ?p "'
    with pytest.raises(NoMatchError):
        run(store, queries["visits-to"], {"place": evil})
    assert store.count() > 0


def test_missing_unknown_and_bad_parameters_are_clear(loaded):
    store, queries = loaded
    with pytest.raises(QueryError, match="missing parameter 'place'"):
        bind(store, queries["visits-to"], {})
    with pytest.raises(QueryError, match="unknown parameter"):
        bind(store, queries["visits-to"], {"place": "Pyongyang", "colour": "red"})
    with pytest.raises(NoMatchError, match="no place matches 'Atlantis'"):
        bind(store, queries["visits-to"], {"place": "Atlantis"})


def test_a_name_matching_several_entities_binds_them_all(loaded):
    store, queries = loaded
    bound = bind(store, queries["visits-by"], {"leader": "minister"})
    assert len(bound.bindings["leader"]) == 2
    assert "VALUES (?leader)" in bound.text
    found = rows(loaded, "visits-by", leader="minister")
    assert {r["leaderLabel"] for r in found} == {"Test Minister", "Other Minister"}


def test_header_parsing_rejects_unknown_kinds():
    with pytest.raises(QueryError, match="unknown parameter kind"):
        parse_named_query("x", "# param: a colour ?a -- no\nSELECT * {}")


def test_missing_optional_values_stay_empty_not_joined_with_everything(loaded):
    # An unbound reporter/state must not be matched against every labelled thing.
    putin = rows(loaded, "statements-by", speaker="Vladimir Putin")
    assert len(putin) == 5
    assert {r["reportedBy"] for r in putin} == {None}
    seoul = rows(loaded, "visits-to", place="Seoul")
    other = [r for r in seoul if r["leaderLabel"] == "Other Minister"]
    assert len(other) == 1 and other[0]["state"] is None and other[0]["stateLabel"] is None
