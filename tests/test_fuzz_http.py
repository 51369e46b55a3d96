"""Property tests over HTTP against the real service: random and adversarial articles
(`POST /articles`), RDF bodies (`/store` PUT and POST), named-query parameters and SPARQL
text. Every answer is a success or a 4xx with a message, never a 5xx; every refused write
leaves the store exactly as it was; every accepted one stores a whole graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.adversarial import NASTY_BYTES, NASTY_TEXT, RDF_TYPES, article_records
from tests.conftest import RunningService, snapshot

TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SOME = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    svc = RunningService(
        tmp_path_factory.mktemp("fuzz") / "store",
        {"KG_API_TOKEN": TOKEN, "KG_QUERY_TIMEOUT_S": "5", "KG_ARTICLE_MAX_BYTES": "200000"},
    )
    with svc.client() as c:
        yield c
    svc.stop()


def refused_cleanly(r: httpx.Response) -> bool:
    """A 4xx that says what is wrong."""
    return 400 <= r.status_code < 500 and bool(r.text.strip())


def check_write(client: httpx.Client, before: dict[str, int], r: httpx.Response) -> None:
    assert r.status_code < 500, (r.status_code, r.text[:500])
    if r.status_code >= 400:
        assert refused_cleanly(r), r.text
        assert snapshot(client) == before, "a refused write changed the store"


@SOME
@given(
    st.one_of(
        article_records().map(lambda rec: ("application/json", json.dumps(rec).encode())),
        st.tuples(st.sampled_from(["text/plain", "text/html", "application/json"]), NASTY_BYTES),
        st.tuples(
            st.sampled_from(["application/xml", "", "text/csv", "multipart/form-data"]), NASTY_BYTES
        ),
    ),
    st.dictionaries(st.sampled_from(["dateline", "title", "url"]), NASTY_TEXT, max_size=2),
)
@example(("application/json", b"[" * 100_000), {})  # found by make fuzz: a RecursionError
def test_articles_are_stored_whole_or_refused_cleanly(
    client: httpx.Client, body: tuple[str, bytes], params: dict[str, str]
) -> None:
    ctype, content = body
    before = snapshot(client)
    headers = {**AUTH, "Content-Type": ctype} if ctype else AUTH
    r = client.post("/articles", content=content, headers=headers, params=params)
    check_write(client, before, r)
    if r.status_code == 201:
        stored = r.json()
        after = snapshot(client)
        assert after[stored["graph"]] == stored["triples"]  # the whole graph is there
        changed = {g for g in after if after[g] != before.get(g)} - {"(quads)"}
        assert changed <= {stored["graph"]}, "an article write touched other graphs"


RDF_BODIES = (
    st.sampled_from(
        [
            b'<http://t/a> <http://t/b> "ok" .\n<http://t/a> <http://t/b> .',
            b'<http://t/a> <http://t/b> "\xff\xfe" .',
            b'<http://t/a> <http://t/b> "ok" .',
            b"@prefix : <http://t/> . :a :b :c . :a :b",
            b'{"@id": "http://t/a", "http://t/b": {"@value": "x", "@type": "http://t/dt"}}',
            b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://t/a"}',
        ]
    )
    | NASTY_BYTES
)


@SOME
@given(
    st.sampled_from(["PUT", "POST"]),
    st.sampled_from(RDF_TYPES),
    RDF_BODIES,
    st.sampled_from(["http://t/fuzz", "not an iri", "http://t/a b", ""]),
)
def test_graph_store_writes_are_whole_or_refused_cleanly(
    client: httpx.Client, method: str, ctype: str, body: bytes, graph: str
) -> None:
    before = snapshot(client)
    headers = {**AUTH, "Content-Type": ctype} if ctype else AUTH
    r = client.request(method, "/store", params={"graph": graph}, content=body, headers=headers)
    check_write(client, before, r)
    if r.status_code in (201, 204):
        got = client.get(
            "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"}
        )
        assert got.status_code == 200


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(["visits-to", "visits-by", "visits-between", "statements-by", "timeline"]),
    st.dictionaries(
        st.sampled_from(["place", "leader", "from", "to", "speaker", "format", "x"]),
        NASTY_TEXT,
        max_size=3,
    ),
    st.sampled_from(["text/csv", "application/json", "*/*", "image/png", "", "text/turtle"]),
)
def test_named_query_parameters_get_answers_or_clear_errors(
    client: httpx.Client, name: str, params: dict[str, str], accept: str
) -> None:
    before = client.get("/health").json()["quads"]
    r = client.get(f"/queries/{name}", params=params, headers={"Accept": accept} if accept else {})
    assert r.status_code in (200, 400, 404, 406), (r.status_code, r.text[:300])
    if r.status_code != 200:
        assert r.text.strip()
    assert client.get("/health").json()["quads"] == before


@SOME
@given(
    NASTY_TEXT
    | st.sampled_from(
        [
            "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
            "ASK { FILTER(1/0) }",
            "SELECT (STRDT('x', <http://www.w3.org/2001/XMLSchema#date>) AS ?d) {}",
            "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3",
            "DESCRIBE <http://a>",
            "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
            "SELECT ?x { BIND(REPLACE('a', '(', 'b') AS ?x) }",
        ]
    ),
    st.sampled_from(["GET", "POST"]),
    st.sampled_from(["", "json", "xml", "csv", "tsv", "turtle", "bogus"]),
)
def test_any_query_text_gets_an_answer_or_a_clear_error(
    client: httpx.Client, text: str, method: str, fmt: str
) -> None:
    params = {"query": text, **({"format": fmt} if fmt else {})}
    if method == "GET":
        r = client.get("/sparql", params=params)
    else:
        r = client.post("/sparql", data=params)
    assert r.status_code in (200, 400, 403, 406, 422), (r.status_code, r.text[:300])
