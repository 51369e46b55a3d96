"""The SPARQL endpoint's protocol, safety and graph store, against real services on loopback.

One service with a bearer token and a short query timeout (on-disk store, worker processes),
one with no token (read-only).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.adversarial import MEMORY_HUNGRY_QUERY
from tests.conftest import RunningService

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {"Content-Type": "application/sparql-update", **AUTH}
NUMS = " ".join(str(i) for i in range(60))
# A 60^5 cross product: minutes of work that yield nothing until they are done.
CROSS = "SELECT (COUNT(*) AS ?n) { " + " ".join(f"VALUES ?{v} {{ {NUMS} }}" for v in "abcde") + " }"


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    svc = RunningService(
        tmp_path_factory.mktemp("writable") / "store",
        env={
            "KG_API_TOKEN": TOKEN,
            "KG_QUERY_TIMEOUT_S": "2",
            "KG_MAX_BODY_BYTES": "200000",
            "KG_MAX_RESULT_BYTES": "5000000",
            "KG_QUERY_WORKERS": "2",
            "KG_QUERY_MEMORY_MB": "300",
        },
    )
    yield svc
    svc.stop()


@pytest.fixture
def w(writable: RunningService) -> Iterator[httpx.Client]:
    with writable.client() as client:
        yield client


def ask(client: httpx.Client, query: str) -> bool:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def test_a_query_after_an_update_sees_it(w: httpx.Client):
    probe = "ASK { GRAPH <http://t/g1> { <http://t/s> <http://t/p> 42 } }"
    assert ask(w, probe) is False  # also warms the workers on the current store
    r = w.post(
        "/sparql",
        content="INSERT DATA { GRAPH <http://t/g1> { <http://t/s> <http://t/p> 42 } }",
        headers=UPDATE,
    )
    assert r.status_code == 204
    # Both workers must see it (each reopens its read-only store once).
    assert all(ask(w, probe) for _ in range(4))
    r = w.post("/sparql", data={"update": "DROP GRAPH <http://t/g1>"}, headers=AUTH)
    assert r.status_code == 204
    assert ask(w, probe) is False


def test_the_timeout_stops_the_query_and_the_next_one_works(w: httpx.Client):
    started = time.monotonic()
    r = w.post("/sparql", data={"query": CROSS})
    took = time.monotonic() - started
    assert r.status_code == 503 and "timeout" in r.text
    assert took < 10  # stopped near the 2 s deadline, not after minutes
    assert ask(w, "ASK {}") is True
    assert ask(w, "ASK {}") is True  # the replaced worker answers too


def test_a_query_past_the_memory_bound_is_refused_and_the_next_one_works(w: httpx.Client):
    r = w.post("/sparql", data={"query": MEMORY_HUNGRY_QUERY})  # a sort of 60^4 rows: gigabytes
    assert r.status_code == 503 and "memory" in r.text and "300 MB" in r.text, r.text
    assert ask(w, "ASK {}") is True


def test_the_query_page_has_the_same_deadline(w: httpx.Client):
    started = time.monotonic()
    r = w.get("/query", params={"query": CROSS})
    assert r.status_code == 503 and "timeout" in r.text
    assert time.monotonic() - started < 10
    assert w.get("/queries/timeline", params={"format": "csv"}).status_code == 200


def test_a_slow_query_does_not_hold_up_others(writable: RunningService, w: httpx.Client):
    slow: dict[str, int] = {}

    def run_slow() -> None:
        with writable.client() as c:
            slow["status"] = c.post("/sparql", data={"query": CROSS}).status_code

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)  # the cross product is running in a worker now
    assert ask(w, "ASK {}") is True
    # Answered while the slow query still runs (it holds its worker until the 2 s deadline):
    # a relative check, so a loaded machine cannot make it flaky. Latency is for bench/.
    still_running = thread.is_alive()
    thread.join()
    assert still_running and slow["status"] == 503


def test_updates_need_the_token(w: httpx.Client):
    text = "INSERT DATA { <http://t/a> <http://t/b> 1 }"
    r = w.post("/sparql", content=text, headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = w.post(
        "/sparql",
        content=text,
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer wrong"},
    )
    assert r.status_code == 403 and TOKEN not in r.text
    assert ask(w, "ASK { <http://t/a> <http://t/b> 1 }") is False


def test_a_service_without_a_token_is_read_only(http: httpx.Client):
    r = http.post("/sparql", data={"update": "CLEAR ALL"}, headers=AUTH)
    assert r.status_code == 403 and "read-only" in r.text
    r = http.put(
        "/store",
        params={"default": ""},
        content="<http://a> <http://b> <http://c> .",
        headers={"Content-Type": "text/turtle", **AUTH},
    )
    assert r.status_code == 403
    assert http.get("/health").json()["quads"] > 100  # nothing was cleared


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:8000/sparql",
        "http://localhost/sparql",
        "http://10.0.0.1/sparql",
        "http://169.254.169.254/latest/meta-data",
        "https://query.wikidata.org.evil.example/sparql",
    ],
)
def test_service_reaches_only_the_allow_list(w: httpx.Client, endpoint: str):
    r = w.post(
        "/sparql", data={"query": f"SELECT * {{ SERVICE SILENT <{endpoint}> {{ ?s ?p ?o }} }}"}
    )
    assert r.status_code == 403 and "allow-list" in r.text


def test_service_with_a_variable_or_prefixed_endpoint_is_checked(w: httpx.Client):
    r = w.post("/sparql", data={"query": "SELECT * { ?e a ?t SERVICE ?e { ?s ?p ?o } }"})
    assert r.status_code == 403 and "variable" in r.text
    q = "PREFIX l: <http://127.0.0.1/> SELECT * { service l:sparql { ?s ?p ?o } }"
    r = w.post("/sparql", data={"query": q})
    assert r.status_code == 403 and "http://127.0.0.1/sparql" in r.text


def test_protocol_errors_name_the_problem(w: httpx.Client):
    r = w.get("/sparql", params={"update": "CLEAR ALL"})
    assert r.status_code == 400 and "GET" in r.text
    r = w.post(
        "/sparql",
        content="update=CLEAR+ALL&update=CLEAR+ALL",
        headers={"Content-Type": "application/x-www-form-urlencoded", **AUTH},
    )
    assert r.status_code == 400 and "once" in r.text
    r = w.post(
        "/sparql",
        content="CLEAR ALL".encode("utf-16"),
        headers={"Content-Type": "application/sparql-update", **AUTH},
    )
    assert r.status_code == 400 and "UTF-8" in r.text
    r = w.post("/sparql", content="INSERT DATA {", headers=UPDATE)
    assert r.status_code == 400 and "syntax" in r.text
    r = w.put("/sparql", content="ASK {}")
    assert r.status_code == 405
    r = w.get("/sparql", params={"query": "SELECT * {}"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text


def test_results_by_accept_with_quality_and_by_format(w: httpx.Client):
    q = {"query": "SELECT ?x { VALUES ?x { 1 2 } }"}
    r = w.get("/sparql", params=q, headers={"Accept": "text/csv;q=0.4, text/tab-separated-values"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    assert r.text.splitlines()[0] == "?x"
    r = w.get("/sparql", params={**q, "format": "xml"}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    c = {"query": "CONSTRUCT { <http://a> <http://b> ?x } { VALUES ?x { 1 } }"}
    r = w.get("/sparql", params=c, headers={"Accept": "application/n-quads"})
    assert (
        r.text.strip() == '<http://a> <http://b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )
    r = w.get("/sparql", params=c, headers={"Accept": "application/rdf+xml"})
    assert r.headers["content-type"].startswith("application/rdf+xml") and "rdf:RDF" in r.text


def test_a_large_result_streams_and_the_size_cap_holds(w: httpx.Client):
    nums = " ".join(str(i) for i in range(300))
    q = f"SELECT ?a ?b {{ VALUES ?a {{ {nums} }} VALUES ?b {{ {nums} }} }}"  # 90,000 rows
    r = w.post("/sparql", data={"query": q}, headers={"Accept": "text/tab-separated-values"})
    assert r.status_code == 200 and len(r.text.splitlines()) == 90_001
    big = (
        f"SELECT ?a ?b ?c {{ VALUES ?a {{ {nums} }} VALUES ?b {{ {nums} }} VALUES ?c {{ 1 2 3 }} }}"
    )
    r = w.post("/sparql", data={"query": big})  # ~30 MB of JSON, over the 5 MB cap
    assert r.status_code == 422 or (r.status_code == 200 and len(r.content) <= 5_000_000)


def test_the_body_size_limit(w: httpx.Client):
    r = w.post("/sparql", content="#" * 300_000, headers=UPDATE)
    assert r.status_code == 413


def test_dataset_parameters(w: httpx.Client):
    data = (
        "INSERT DATA { GRAPH <http://t/d1> { <http://t/x> <http://t/p> 1 } "
        "GRAPH <http://t/d2> { <http://t/x> <http://t/p> 2 } }"
    )
    assert w.post("/sparql", content=data, headers=UPDATE).status_code == 204
    q = "SELECT ?o { <http://t/x> <http://t/p> ?o }"
    one = w.get("/sparql", params={"query": q, "default-graph-uri": "http://t/d1"}).json()
    assert [b["o"]["value"] for b in one["results"]["bindings"]] == ["1"]
    union = w.get("/sparql", params={"query": q}).json()  # product default: all graphs
    assert sorted(b["o"]["value"] for b in union["results"]["bindings"]) == ["1", "2"]
    # using-graph-uri applies to an update's WHERE
    upd = "INSERT { GRAPH <http://t/d3> { ?s <http://t/copied> ?o } } WHERE { ?s <http://t/p> ?o }"
    r = w.post("/sparql", params={"using-graph-uri": "http://t/d2"}, content=upd, headers=UPDATE)
    assert r.status_code == 204
    copied = w.get("/sparql", params={"query": "SELECT ?o { GRAPH <http://t/d3> { ?s ?p ?o } }"})
    assert [b["o"]["value"] for b in copied.json()["results"]["bindings"]] == ["2"]
    r = w.post(
        "/sparql",
        params={"using-graph-uri": "http://t/d2"},
        content="WITH <http://t/d1> " + upd.replace("GRAPH <http://t/d3>", ""),
        headers=UPDATE,
    )
    assert r.status_code == 400 and "one way" in r.text


def test_graph_store_protocol(w: httpx.Client):
    g = {"graph": "http://t/gsp"}
    ttl = {"Content-Type": "text/turtle", **AUTH}
    r = w.put("/store", params=g, content='<http://t/a> <http://t/b> "one" .', headers=ttl)
    assert r.status_code == 201
    r = w.post("/store", params=g, content='<http://t/a> <http://t/b> "two" .', headers=ttl)
    assert r.status_code == 204
    r = w.get("/store", params=g, headers={"Accept": "application/n-triples"})
    assert sorted(r.text.strip().splitlines()) == [
        '<http://t/a> <http://t/b> "one" .',
        '<http://t/a> <http://t/b> "two" .',
    ]
    r = w.put("/store", params=g, content="<http://t/a> <http://t/b> .", headers=ttl)
    assert r.status_code == 400  # bad Turtle: the graph is untouched
    assert (
        len(
            w.get("/store", params=g, headers={"Accept": "application/n-triples"})
            .text.strip()
            .splitlines()
        )
        == 2
    )
    assert w.head("/store", params=g).status_code == 200
    r = w.put("/store", params=g, content="x", headers={"Content-Type": "image/png", **AUTH})
    assert r.status_code == 415
    r = w.post("/store", content='<http://t/n> <http://t/b> "new" .', headers=ttl)
    assert r.status_code == 201
    made = r.headers["location"]
    assert '"new"' in w.get("/store", params={"graph": made}).text
    assert w.delete("/store", params=g).status_code == 401
    assert w.delete("/store", params=g, headers=AUTH).status_code == 204
    assert w.get("/store", params=g).status_code == 404
    assert w.delete("/store", params=g, headers=AUTH).status_code == 404


def test_graph_store_put_into_an_empty_graph_is_a_load(w: httpx.Client):
    g = {"graph": "http://t/empty"}
    nt = {"Content-Type": "application/n-triples", **AUTH}
    r = w.put("/store", params=g, content=b"<http://t/a> <http://t/b> .\n", headers=nt)
    assert r.status_code == 400 and "N-Triples" in r.text
    assert w.get("/store", params=g).status_code == 404  # a syntax error created nothing
    body = b'_:x <http://t/b> "1" .\n_:x <http://t/b> "2" .\n'
    assert w.put("/store", params=g, content=body, headers=nt).status_code == 201
    rows = w.get(
        "/sparql", params={"query": "SELECT DISTINCT ?s { GRAPH <http://t/empty> { ?s ?p ?o } }"}
    ).json()["results"]["bindings"]
    assert len(rows) == 1 and rows[0]["s"]["type"] == "bnode"  # one blank node, as written
    r = w.put("/store", params=g, content=b'<http://t/a> <http://t/b> "3" .\n', headers=nt)
    assert r.status_code == 204  # over content: replaced whole
    got = w.get("/store", params=g, headers={"Accept": "application/n-triples"}).text
    assert got.strip() == '<http://t/a> <http://t/b> "3" .'
    assert w.delete("/store", params=g, headers=AUTH).status_code == 204


def test_service_description(w: httpx.Client, writable: RunningService):
    r = w.get("/sparql", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert f"<{sd}endpoint> <{writable.url}/sparql>" in r.text
    assert f"<{sd}supportedLanguage> <{sd}SPARQL11Update>" in r.text
    assert "<http://www.w3.org/ns/formats/SPARQL_Results_CSV>" in r.text


def test_in_memory_store_runs_queries_in_threads(tmp_path: Path):
    svc = RunningService(tmp_path / "unused", env={"KG_STORE": ":memory:", "KG_API_TOKEN": TOKEN})
    try:
        with svc.client() as c:
            r = c.post(
                "/sparql", content="INSERT DATA { <http://m/s> <http://m/p> 1 }", headers=UPDATE
            )
            assert r.status_code == 204
            assert ask(c, "ASK { <http://m/s> <http://m/p> 1 }") is True
    finally:
        svc.stop()


def test_update_load_reaches_only_the_allow_list(w: httpx.Client):
    r = w.post("/sparql", content="LOAD <http://127.0.0.1:9/x.ttl>", headers=UPDATE)
    assert r.status_code == 403 and "allow-list" in r.text
    r = w.post(
        "/sparql",
        content="PREFIX m: <http://169.254.169.254/> LOAD SILENT m:latest",
        headers=UPDATE,
    )
    assert r.status_code == 403 and "http://169.254.169.254/latest" in r.text


def test_head_answers_what_get_would_without_a_body(w: httpx.Client):
    q = {"query": "SELECT ?x { VALUES ?x { 1 } }"}
    got = w.get("/sparql", params=q, headers={"Accept": "text/csv"})
    head = w.head("/sparql", params=q, headers={"Accept": "text/csv"})
    assert head.status_code == got.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert w.head("/sparql", params={"query": "SELECT"}).status_code == 400  # as GET would
