"""The Office of the Historian import, checked against facts computed here from the XML.

One full import (``kg import historyatstate`` as a subprocess) is shared by the module; the
service then answers the named queries over it and the seed article together.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg import shape_check, validate
from kg.importers.historyatstate import import_dir, mentions, split_locale, visit_kind
from kg.link.gazetteer import Gazetteer
from kg.link.names import resolve_state, split_people, split_title, state_of_adjective
from kg.mapping import Minter, Producer, map_facts
from kg.model import EntityType
from kg.settings import Settings
from tests.conftest import SHARED, RunningService

RECORDS = SHARED / "data" / "historyatstate"
SETTINGS = Settings.from_env({}).with_(shared_dir=SHARED)
BASE = "http://127.0.0.1:8000/"
GAZETTEER = Gazetteer.load(SETTINGS.data_dir)


def kg(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_SHARED_DIR": str(SHARED), "KG_BASE_IRI": BASE}
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def xml_records(pattern: str) -> Iterator[ET.Element]:
    for path in sorted(RECORDS.glob(pattern)):
        yield from ET.parse(path).getroot()


def text(el: ET.Element, tag: str) -> str:
    return " ".join("".join(el.find(tag).itertext()).split()) if el.find(tag) is not None else ""


# ---------------------------------------------------------------------------
# Names and records, without a store
# ---------------------------------------------------------------------------


def test_titles_typos_and_spaces_are_handled() -> None:
    assert split_title("Prime Minster Adrian Nastase") == ("Prime Minister", "Adrian Nastase")
    assert split_title("President Gloria Macapagal-Arroyo ") == (
        "President",
        "Gloria Macapagal-Arroyo",
    )
    assert split_title("Prime Minister Giorgia Meloni\u00a0") == (
        "Prime Minister",
        "Giorgia Meloni",
    )
    assert split_title("President- designate Roberto E. Viola")[0] == "President-designate"


def test_a_visit_naming_two_people_is_two_visitors() -> None:
    assert split_people("President Andrzej Duda and Prime Minister Donald Tusk") == (
        ("President", "Andrzej Duda"),
        ("Prime Minister", "Donald Tusk"),
    )
    assert split_people("Premier & Prince Sihanouk") == (("Premier", "Sihanouk"),)


def test_states_resolve_with_historical_names_from_the_gazetteer() -> None:
    ussr = resolve_state("U.S.S.R.", GAZETTEER, "russia")
    assert (ussr.label, ussr.type) == ("Soviet Union", EntityType.HISTORICAL_STATE)
    assert resolve_state("Korea, South", GAZETTEER, "korea-south").label == "South Korea"
    assert resolve_state("Siam (Thailand)", GAZETTEER, "thailand").label == "Thailand"
    # Without the gazetteer, the record's own id still gives a state.
    assert resolve_state("U.S.S.R.", Gazetteer([], []), "russia").label == "Russia"
    assert state_of_adjective("Saudi", GAZETTEER).label == "Saudi Arabia"


def test_locales_kinds_and_hosts_are_read() -> None:
    assert split_locale("Beijing, Shanghai") == ["Beijing", "Shanghai"]
    assert visit_kind("Official Working Visit.") == "working"
    assert visit_kind("State Visit.") == "state"
    found = list(mentions("Met with Chairman Kim Jong-un and other North Korean officials."))
    assert [(m.title, m.name) for m in found] == [("Chairman", "Kim Jong-un")]
    # Only sentences about meetings name hosts.
    assert list(mentions("Accompanied President Nixon.")) == []


def _write(folder: Path, body: str) -> Path:
    data = folder / "visits" / "data"
    data.mkdir(parents=True)
    (data / "1990.xml").write_text(f'<?xml version="1.0"?>\n<visits>{body}</visits>', "utf-8")
    return folder


def _visit(
    id_: str,
    who: str,
    start: str,
    end: str,
    from_: str = "France",
    modified: str = "2012-04-02T10:53:34-04:00",
) -> str:
    return (
        f"<visit><id>{id_}</id><start-date>{start}</start-date><end-date>{end}</end-date>"
        f'<visitor>{who}</visitor><from id="france">{from_}</from>'
        f"<description>State visit.</description>"
        f"<last-modified-datetime>{modified}</last-modified-datetime></visit>"
    )


def test_data_problems_are_counted_and_bad_records_skipped(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        "".join(
            [
                _visit(
                    "1", "Prime Minster Michel Rocard ", "1990-01-02", "1990-01-03", modified=""
                ),
                _visit("2", "President Francois Mitterrand", "", "1990-01-03"),
                _visit("3", "", "1990-02-01", "1990-02-01"),
                _visit("4", "President Francois Mitterrand", "1990-03-05", "1990-03-01", "France "),
            ]
        ),
    )
    read = import_dir(folder, GAZETTEER)
    assert read.records == 4 and read.visits == 2
    assert {(s.record, s.reason) for s in read.skipped} == {
        ("2", "no start date"),
        ("3", "no visitor named"),
    }
    assert read.problems["typo in a title: fixed"] == 1
    assert read.problems["empty last-modified timestamp"] == 1
    assert read.problems["end date before start date: dropped"] == 1
    assert read.problems["stray or no-break space in a name"] == 2
    assert read.problems["country id with several labels"] == 0  # "France " is "France"
    visit = read.files[0].facts.visits[0]
    assert read.files[0].facts.entity(visit.visitor).label == "Michel Rocard"
    assert visit.kind == "state" and visit.record_ids == ["1"]


def test_a_record_no_model_accepts_leaves_nothing_behind(tmp_path: Path) -> None:
    """A visit on a day the calendar lacks is skipped whole: its visitor, office and visit
    are not in the file's facts, and the next record is read as usual."""
    folder = _write(
        tmp_path,
        _visit("9", "President Francois Mitterrand", "1990-02-30", "1990-03-01")
        + _visit("10", "Prime Minister Michel Rocard", "1990-01-02", "1990-01-03"),
    )
    read = import_dir(folder, GAZETTEER)
    [skipped] = read.skipped
    assert skipped.record == "9" and "'1990-02-30' is not a day of the calendar" in skipped.reason
    facts = read.files[0].facts
    people = {e.label for e in facts.entities if e.type == "Leader"}
    assert people == {"Michel Rocard"}
    assert [facts.entity(v.visitor).label for v in facts.visits] == ["Michel Rocard"]
    assert [facts.entity(r.person).label for r in facts.roles] == ["Michel Rocard"]


def test_a_folder_without_records_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="holds no historyatstate records"):
        import_dir(tmp_path, GAZETTEER)
    bad = tmp_path / "visits" / "data"
    bad.mkdir(parents=True)
    (bad / "x.xml").write_text("<visits><visit>", "utf-8")
    with pytest.raises(ValueError, match=r"visits/data/x\.xml: cannot read records"):
        import_dir(tmp_path, GAZETTEER)


def test_record_graphs_pass_the_shapes_with_both_validators(tmp_path: Path) -> None:
    # Two small real files, validated by pySHACL and by the compiled checks.
    for rel in ("visits/data/1870.xml", "travels/secretary-travels/pompeo-michael-r.xml"):
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(RECORDS / rel)
    read = import_dir(tmp_path, GAZETTEER)
    for rf in read.files:
        g = map_facts(rf.facts, Minter(BASE), Producer("test", "0")).graph
        assert validate.violations(g, SETTINGS.ontology_dir) == []
        assert shape_check.violations(g, SETTINGS.ontology_dir) == []


# ---------------------------------------------------------------------------
# The full import, through the command line and the service
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    store = tmp_path_factory.mktemp("records") / "store"
    r = kg(store, "import", "historyatstate", str(RECORDS), "--quiet")
    assert r.returncode == 0, r.stderr
    return store, r.stdout


@pytest.fixture(scope="module")
def svc(imported: tuple[Path, str]) -> Iterator[RunningService]:
    service = RunningService(imported[0])
    yield service
    service.stop()


def sparql(svc: RunningService, query: str) -> list[dict[str, str]]:
    r = httpx.post(
        svc.url + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def named(svc: RunningService, name: str, **params: str) -> list[dict[str, str]]:
    r = httpx.get(
        f"{svc.url}/queries/{name}",
        params=params,
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def test_the_report_counts_what_the_xml_holds(imported: tuple[Path, str]) -> None:
    _, report = imported
    visits = sum(1 for _ in xml_records("visits/data/*.xml"))
    trips = sum(1 for _ in xml_records("travels/*-travels/*.xml"))
    files = len(list(RECORDS.glob("visits/data/*.xml"))) + len(
        list(RECORDS.glob("travels/*-travels/*.xml"))
    )
    assert f"records read:   {visits + trips} in {files} files" in report
    assert f"({files} written" in report
    assert "records skipped: 0" in report
    empty = sum(
        1
        for el in xml_records("*/**/*.xml")
        if el.tag in ("visit", "trip") and not text(el, "last-modified-datetime")
    )
    assert re.search(rf"\b{empty}\s+empty last-modified timestamp", report)


def _quads(store: Path, tmp: Path) -> int:
    rq = tmp / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    r = kg(store, "query", str(rq), "--format", "csv")
    assert r.returncode == 0, r.stderr
    return int(r.stdout.splitlines()[1])


def test_a_second_run_changes_nothing(imported: tuple[Path, str], tmp_path: Path) -> None:
    # Runs before the service opens the store (one writer at a time).
    store, _ = imported
    before = _quads(store, tmp_path)
    r = kg(store, "import", "historyatstate", str(RECORDS), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "(0 written, 0 triples;" in r.stdout
    assert _quads(store, tmp_path) == before


RECORD_COUNT = """PREFIX dv: <https://w3id.org/diplovisit/ontology#>
SELECT (COUNT(DISTINCT ?id) AS ?n) WHERE {
  GRAPH ?g { ?v dv:recordId ?id ; dv:%s <%sid/state/%s> }
  FILTER(STRSTARTS(STR(?g), "%sgraph/records/historyatstate-%s"))
}"""


@pytest.mark.parametrize(
    "country,state",
    [("france", "france"), ("japan", "japan"), ("mexico", "mexico"), ("israel", "israel")],
)
def test_counts_per_country_match_the_xml(svc: RunningService, country: str, state: str) -> None:
    to_us = sum(
        1 for el in xml_records("visits/data/*.xml") if el.find("from").get("id") == country
    )
    abroad = sum(
        1
        for el in xml_records("travels/*-travels/*.xml")
        if el.find("country").get("id") == country
    )
    got_to_us = sparql(svc, RECORD_COUNT % ("visitingState", BASE, state, BASE, "visits"))
    got_abroad = sparql(svc, RECORD_COUNT % ("hostState", BASE, state, BASE, ""))
    assert int(got_to_us[0]["n"]) == to_us
    assert int(got_abroad[0]["n"]) == abroad


def test_visits_to_pyongyang_join_records_and_the_seed_article(svc: RunningService) -> None:
    trips = {
        (text(el, "name"), text(el, "start-date"))
        for el in xml_records("travels/*-travels/*.xml")
        if "Pyongyang" in text(el, "locale")
    }
    assert len(trips) >= 4
    rows = named(svc, "visits-to", place="Pyongyang")
    starts = {(r["leaderLabel"], r.get("start")) for r in rows}
    assert {start for _, start in trips} <= {s for _, s in starts}
    assert ("Vladimir Putin", "2024-11-06") in starts  # from the seed article
    surnames = {name.split()[-1] for name, _ in trips}
    assert surnames <= {r["leaderLabel"].split()[-1] for r in rows}


def test_visits_by_putin_lists_the_us_and_pyongyang(svc: RunningService) -> None:
    to_us = {
        text(el, "start-date")
        for el in xml_records("visits/data/*.xml")
        if "Putin" in text(el, "visitor")
    }
    assert to_us
    rows = named(svc, "visits-by", leader="Putin")
    by_place = {(r["placeLabel"], r.get("start")) for r in rows}
    assert {("United States", s) for s in to_us} <= by_place
    assert ("Pyongyang", "2024-11-06") in by_place
    assert {r["leader"] for r in rows} == {BASE + "id/person/vladimir-putin"}


def test_hosts_from_remarks_are_the_article_entities(svc: RunningService) -> None:
    rows = sparql(
        svc,
        f"""PREFIX dv: <https://w3id.org/diplovisit/ontology#>
        SELECT ?start ?id WHERE {{ GRAPH ?g {{
          ?v dv:destination <{BASE}id/place/pyongyang> ; dv:host <{BASE}id/person/kim-jong-un> ;
             dv:startDate ?start ; dv:recordId ?id }} }}""",
    )
    met = {
        (text(el, "start-date"), text(el, "id"))
        for el in xml_records("travels/*-travels/*.xml")
        if "Pyongyang" in text(el, "locale") and "Kim Jong-un" in text(el, "remarks")
    }
    assert met and {(r["start"], r["id"]) for r in rows} == met
    # Kim is one entity: the seed article's, with its QID.
    same = sparql(
        svc,
        f"SELECT ?qid WHERE {{ <{BASE}id/person/kim-jong-un> "
        "<http://www.w3.org/2002/07/owl#sameAs> ?qid }",
    )
    assert {r["qid"] for r in same} == {"http://www.wikidata.org/entity/Q56226"}


def test_visitors_hold_their_office_at_that_date(svc: RunningService) -> None:
    rows = sparql(
        svc,
        f"""PREFIX dv: <https://w3id.org/diplovisit/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?label ?asOf WHERE {{ GRAPH ?g {{
          ?h dv:holder <{BASE}id/person/vladimir-putin> ; dv:office ?o ; dv:asOf ?asOf .
          ?o rdfs:label ?label }}
          FILTER(STRSTARTS(STR(?g), "{BASE}graph/records/")) }}""",
    )
    assert "President of Russia" in {r["label"] for r in rows}


def test_each_file_is_a_graph_with_provenance(svc: RunningService) -> None:
    rows = sparql(
        svc,
        f"""PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dv: <https://w3id.org/diplovisit/ontology#>
        PREFIX schema: <https://schema.org/>
        SELECT ?file ?dataset WHERE {{
          <{BASE}graph/records/historyatstate-visits-2000> prov:wasDerivedFrom ?src .
          ?src dv:file ?file ; schema:isPartOf ?d . ?d schema:name ?dataset }}""",
    )
    assert rows and rows[0]["file"] == "visits/data/2000.xml"
    assert "Office of the Historian" in rows[0]["dataset"]


def test_a_missing_folder_is_an_error_on_one_line(tmp_path: Path) -> None:
    r = kg(tmp_path / "store", "import", "historyatstate", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and r.stderr.startswith("kg: error:") and "no such folder" in r.stderr
    assert Counter(r.stderr)["\n"] == 1
