"""The whole product on a real Virtuoso: the service over HTTP (SPARQL, Graph Store, named
queries, pages, health, articles, the deadline) and the command line (import, load, export).
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SEED_ARTICLE, SHARED, RunningService, empty_remote, remote_settings
from tests.test_remote import HEAVY

TOKEN = "remote-token-0123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RECORDS = SHARED / "data" / "historyatstate"
# A few record files: two decades of visits, and two secretaries of state who went to Pyongyang.
SUBSET = [
    "visits/data/1870.xml",
    "visits/data/1880.xml",
    "travels/secretary-travels/albright-madeleine-korbel.xml",
    "travels/secretary-travels/pompeo-michael-r.xml",
]


@pytest.fixture(scope="module")
def svc(virtuoso: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    """``kg serve`` on the session's Virtuoso, emptied first (the service fills it)."""
    settings = remote_settings(virtuoso)
    empty_remote(settings).close()
    env = {"KG_STORE": settings.store, "KG_API_TOKEN": TOKEN, "KG_QUERY_TIMEOUT_S": "3"}
    service = RunningService(tmp_path_factory.mktemp("remote-svc") / "logs", env)
    yield service
    service.stop()


@pytest.fixture
def http(svc: RunningService) -> Iterator[httpx.Client]:
    with svc.client() as client:
        yield client


def kg(location: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE": location, "KG_SHARED_DIR": str(SHARED)}
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def select(http: httpx.Client, query: str) -> list[dict[str, str]]:
    r = http.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def test_health_and_the_shipped_data(http: httpx.Client) -> None:
    body = http.get("/health").json()
    assert body["status"] == "ok" and body["quads"] > 6000 and body["graphs"] == 3


def test_named_query_over_http(http: httpx.Client) -> None:
    r = http.get("/queries/visits-to?place=Pyongyang", headers={"Accept": "text/csv"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {x["start"] for x in rows if x["leaderLabel"] == "Vladimir Putin"} == {
        "2024-11-06",
        "2000",
    }
    assert all(x["placeLabel"] == "Pyongyang" for x in rows)  # not Kim's visit to Moscow
    assert http.get("/queries/visits-to?place=Atlantis").status_code == 404


def test_sparql_query_forms_and_formats(http: httpx.Client) -> None:
    rows = select(http, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(rows[0]["n"]) == http.get("/health").json()["quads"]
    ask = http.get(
        "/sparql",
        params={"query": "ASK { ?s a <https://w3id.org/diplovisit/ontology#Visit> }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json()["boolean"] is True
    no = http.get(
        "/sparql",
        params={"query": "ASK { ?s a <http://nothing/here> }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert no.json()["boolean"] is False
    ttl = http.get(
        "/sparql",
        params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"},
        headers={"Accept": "text/turtle"},
    )
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    csv_ = http.get(
        "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", "format": "csv"}
    )
    assert csv_.text.splitlines()[0] == "s" and len(csv_.text.splitlines()) == 4


def test_sparql_errors_are_400_and_the_deadline_is_503(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": "SELECT WHERE {"})
    assert r.status_code == 400 and r.text.startswith("query syntax error")
    started = time.monotonic()
    r = http.post("/sparql", data={"query": HEAVY})
    took = time.monotonic() - started
    assert r.status_code == 503 and "timeout" in r.text and took < 5
    assert http.get("/health").status_code == 200  # the next request is served at once


def test_updates_need_the_token_and_land(http: httpx.Client) -> None:
    update = "INSERT DATA { GRAPH <http://g/u> { <http://e.test/s> <http://e.test/p> 'u' } }"
    assert http.post("/sparql", data={"update": update}).status_code == 401
    assert http.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    assert select(http, "SELECT ?o WHERE { GRAPH <http://g/u> { ?s ?p ?o } }") == [{"o": "u"}]
    r = http.post("/sparql", data={"update": "INSERT DATA { <http://e/s> }"}, headers=AUTH)
    assert r.status_code == 400


def test_graph_store_round_trip(http: httpx.Client) -> None:
    body = "".join(f'<http://e.test/s{i}> <http://e.test/p> "{i}" .\n' for i in range(7000))
    headers = {**AUTH, "Content-Type": "application/n-triples"}
    assert http.put("/store?graph=http://g/gsp", content=body, headers=headers).status_code == 201
    got = http.get("/store?graph=http://g/gsp", headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and len(got.text.splitlines()) == 7000
    more = '<http://e.test/x> <http://e.test/p> "x" .\n'
    assert http.post("/store?graph=http://g/gsp", content=more, headers=headers).status_code == 204
    assert (
        len(
            http.get(
                "/store?graph=http://g/gsp", headers={"Accept": "application/n-triples"}
            ).text.splitlines()
        )
        == 7001
    )
    assert (
        http.put("/store?graph=http://g/gsp", content="<x> <y> .", headers=headers).status_code
        == 400
    )
    assert http.delete("/store?graph=http://g/gsp", headers=AUTH).status_code == 204
    assert http.get("/store?graph=http://g/gsp").status_code == 404


def test_pages(http: httpx.Client) -> None:
    assert http.get("/").status_code == 200
    putin = http.get("/id/person/vladimir-putin")
    assert putin.status_code == 200 and "Pyongyang" in putin.text, putin.text[:2000]
    page = http.get("/query", params={"name": "visits-to", "place": "Pyongyang"})
    assert page.status_code == 200 and "Vladimir Putin" in page.text
    assert "Kim Jong Un" in http.get("/search", params={"q": "Kim"}).text
    assert http.get("/timeline.svg", params={"leader": "Putin"}).status_code == 200


def test_post_an_article(http: httpx.Client) -> None:
    text = SEED_ARTICLE.read_text("utf-8")
    r = http.post(
        "/articles",
        json={
            "text": text,
            "title": "Seed again",
            "dateline": "2024-11-06",
            "url": "https://news.example/seed",
        },
        headers=AUTH,
    )
    assert r.status_code == 201, r.text
    graph = r.json()["graph"]
    rows = select(http, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]) == r.json()["triples"]
    sources = http.get("/queries/visits-to?place=Pyongyang", headers={"Accept": "text/csv"}).text
    assert "news.example" in sources or graph.rsplit("/", 1)[-1] in sources


def test_command_line_import_load_export(virtuoso: object, tmp_path: Path) -> None:
    settings = remote_settings(virtuoso)
    empty_remote(settings).close()
    records = tmp_path / "records"
    for rel in SUBSET:  # links, not copies: the records stay in ../shared
        (records / rel).parent.mkdir(parents=True, exist_ok=True)
        (records / rel).symlink_to(RECORDS / rel)
    first = kg(settings.store, "import", "historyatstate", str(records), "--quiet")
    assert first.returncode == 0, first.stderr
    assert "4 written" in first.stdout
    again = kg(settings.store, "import", "historyatstate", str(records), "--quiet")
    assert again.returncode == 0 and "0 written" in again.stdout and "4 unchanged" in again.stdout
    query = kg(
        settings.store, "query", "visits-to", "--param", "place=Pyongyang", "--format", "csv"
    )
    assert query.returncode == 0 and "Albright" in query.stdout and "Pompeo" in query.stdout
    ttl = tmp_path / "extra.ttl"
    ttl.write_text("<http://e.test/s> <http://e.test/p> 'loaded' .\n")
    load = kg(settings.store, "load", str(ttl), "--graph", "http://g/loaded")
    assert load.returncode == 0 and "loaded 1 quads" in load.stdout
    out = tmp_path / "all.nq"
    export = kg(settings.store, "export", "--format", "nquads", "-o", str(out))
    assert export.returncode == 0, export.stderr[:3000]
    lines = out.read_text().splitlines()
    assert '<http://e.test/s> <http://e.test/p> "loaded" <http://g/loaded> .' in lines
    assert not any("openlinksw" in line or "urn:x-kg:staging" in line for line in lines)
    down = kg("sparql+http://127.0.0.1:9/sparql", "query", "timeline")
    assert down.returncode == 2 and "cannot reach the SPARQL store" in down.stderr
