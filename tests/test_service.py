"""The real service on loopback, over HTTP: health, SPARQL, named queries."""

from __future__ import annotations

import csv
import io
import json

import httpx

PYONGYANG = "/queries/visits-to?place=Pyongyang"


def test_health_counts_quads_and_graphs(http: httpx.Client):
    r = http.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["quads"] > 100 and body["graphs"] >= 3


def test_visits_to_pyongyang_as_csv_names_putin_the_date_and_the_source(http: httpx.Client):
    r = http.get(PYONGYANG, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == [
        "leader",
        "leaderLabel",
        "state",
        "stateLabel",
        "place",
        "placeLabel",
        "start",
        "end",
        "source",
    ]
    recent = [x for x in rows if x["start"] == "2024-11-06"]
    assert recent[0]["leaderLabel"] == "Vladimir Putin"
    assert recent[0]["source"].endswith("/id/article/000_fb9de8acf85c790b")


def test_named_query_formats_by_accept_and_by_format_param(http: httpx.Client):
    j = http.get(PYONGYANG, headers={"Accept": "application/sparql-results+json"})
    assert j.json()["head"]["vars"][0] == "leader"
    tsv = http.get(PYONGYANG + "&format=tsv")
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    xml = http.get(PYONGYANG, headers={"Accept": "application/sparql-results+xml"})
    assert b"<sparql" in xml.content
    assert http.get(PYONGYANG, headers={"Accept": "image/png"}).status_code == 406


def test_named_query_errors(http: httpx.Client):
    r = http.get("/queries/visits-to")
    assert r.status_code == 400 and "missing parameter 'place'" in r.text
    r = http.get("/queries/visits-to?place=Atlantis")
    assert r.status_code == 404 and "Atlantis" in r.text
    r = http.get("/queries/no-such-query")
    assert r.status_code == 404 and "visits-to" in r.text


def test_queries_are_listed_with_their_parameters(http: httpx.Client):
    listed = {q["name"]: q for q in http.get("/queries").json()}
    assert listed["visits-to"]["params"][0]["name"] == "place"
    assert listed["visits-between"]["params"][1]["name"] == "to"


def test_sparql_select_by_get_and_post(http: httpx.Client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?v a <https://w3id.org/diplovisit/ontology#Visit> }"
    get = http.get("/sparql", params={"query": q})
    assert get.status_code == 200
    n = int(get.json()["results"]["bindings"][0]["n"]["value"])
    assert n >= 3
    form = http.post("/sparql", data={"query": q})
    direct = http.post("/sparql", content=q, headers={"Content-Type": "application/sparql-query"})
    assert form.json() == direct.json() == get.json()


def test_sparql_ask_and_construct(http: httpx.Client):
    ask = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ask.json()["boolean"] is True
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
    ttl = http.get("/sparql", params={"query": construct}, headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle") and ttl.text.strip()
    nt = http.get(
        "/sparql", params={"query": construct}, headers={"Accept": "application/n-triples"}
    )
    assert len([line for line in nt.text.splitlines() if line.strip()]) == 3
    jsonld = http.get(
        "/sparql", params={"query": construct}, headers={"Accept": "application/ld+json"}
    )
    assert isinstance(json.loads(jsonld.text), list | dict)


def test_sparql_bad_requests_are_400_with_a_message(http: httpx.Client):
    r = http.get("/sparql", params={"query": "SELECT WHERE {"})
    assert r.status_code == 400 and "syntax" in r.text
    r = http.get("/sparql", params={"default-graph-uri": "http://e/g"})
    assert r.status_code == 200 and "sparql-service-description#Service" in r.text
    r = http.post(
        "/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 400 and "UTF-8" in r.text
    r = http.post("/sparql", content="x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = http.get("/sparql?query=ASK{}&query=ASK{}")
    assert r.status_code == 400 and "once" in r.text
    # the service is still up
    assert http.get("/health").status_code == 200
