"""Protocol, Graph Store Protocol and Service Description tests, over HTTP.

The protocol and graph store manifests describe each test as a sequence of HTTP requests
(``ht:Request``) with the expected status, boolean, format, body or ``Location``; this runs
them as written, with ``/sparql/`` and ``/gsp`` mapped to this service's ``/sparql`` and
``/store``. The three service-description tests are prose; their checks are coded here.
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import rdflib
from rdflib import RDF, Namespace
from rdflib.collection import Collection

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS
from tests.conformance.evaluate import canonical
from tests.conformance.manifests import CNT, HT, MF, UT, Case, path_of

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
NAMED_STATUS = {
    "OK": 200,
    "Created": 201,
    "NoContent": 204,
    "NotFound": 404,
    "BadRequest": 400,
    "UnsupportedMediaType": 415,
}


def _status_ok(status: int, expected: list[rdflib.term.Node]) -> bool:
    for e in expected:
        local = str(e).rsplit("#", 1)[-1]
        if local.startswith("StatusCode") and status // 100 == int(local[10]):
            return True
        if NAMED_STATUS.get(local) == status:
            return True
    return not expected


def _map_path(path: str) -> str:
    if path.startswith("/sparql/"):
        return "/sparql" + path[len("/sparql/") :]
    if path.startswith("/gsp"):
        return "/store" + path[len("/gsp") :]
    return path


def _parse_rdf(data: bytes, media: str) -> list[ox.Triple]:
    fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
    return [q.triple for q in ox.parse(data, format=fmt)]


def run_http_case(http: httpx.Client, case: Case, load: object) -> tuple[bool, str]:
    """Run one protocol or graph store test: its requests in order, each checked."""
    g, node = case.graph, case.node
    assert g is not None and node is not None
    load(None, None)  # type: ignore[operator]  # reset
    for item in g.objects(node, UT.graphData):
        load(path_of(g.value(item, UT.graph)), str(g.value(item, rdflib.RDFS.label)))  # type: ignore[operator]
    action = g.value(node, MF.action)
    variables: dict[str, str] = {}
    for request in Collection(g, g.value(action, HT.requests)):
        method = str(g.value(request, HT.methodName))
        path = str(g.value(request, HT.absolutePath))
        headers = {
            str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
            for h in Collection(g, g.value(request, HT.headers) or rdflib.RDF.nil)
        }
        body = g.value(request, HT.body)
        content = None
        if body is not None:
            chars = str(g.value(body, CNT.chars))
            encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
            for k, v in variables.items():
                chars = chars.replace(k, v)
            content = chars.encode(encoding.lower())
        for k, v in variables.items():
            path = path.replace(k, v)
        r = http.request(method, _map_path(path), content=content, headers=headers)
        resp = g.value(request, HT.resp)
        expected = list(g.objects(resp, MF.expectedStatus))
        where = f"{method} {path[:60]}"
        if not _status_ok(r.status_code, expected):
            return False, f"{where}: status {r.status_code} ({r.text.strip()[:120]})"
        media = r.headers.get("content-type", "").split(";")[0].strip()
        fmt = g.value(resp, MF.expectedFormat)
        if fmt is not None:
            table = GRAPH_FORMATS if str(fmt) == "RDF" else RESULT_FORMATS
            if media not in {f.media_type for f in table.values()}:
                return False, f"{where}: {media!r} is not a {fmt} format"
        boolean = g.value(resp, MF.expectedBoolean)
        if boolean is not None:
            got = ox.parse_query_results(
                r.content, format=ox.QueryResultsFormat.from_media_type(media)
            )
            if bool(got) != boolean.toPython():
                return False, f"{where}: boolean {bool(got)}"
        location = g.value(resp, MF.expectedLocation)
        if location is not None:
            if "location" not in r.headers:
                return False, f"{where}: no Location header"
            variables[str(location)] = r.headers["location"]
        expected_body = g.value(resp, HT.body)
        if expected_body is not None:
            want = _parse_rdf(str(g.value(expected_body, CNT.chars)).encode(), "text/turtle")
            if canonical(_parse_rdf(r.content, media)) != canonical(want):
                return False, f"{where}: the graph differs"
    return True, ""


def service_description_checks(http: httpx.Client, endpoint: str) -> dict[str, tuple[bool, str]]:
    """The three service-description tests, keyed by test name."""
    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    media = r.headers.get("content-type", "").split(";")[0]
    results: dict[str, tuple[bool, str]] = {}
    try:
        triples = _parse_rdf(r.content, media) if r.status_code == 200 else []
        rdf_ok = r.status_code == 200 and bool(triples)
    except SyntaxError as exc:
        triples, rdf_ok = [], False
        results["returns-rdf"] = (False, str(exc))
    results.setdefault("returns-rdf", (rdf_ok, "" if rdf_ok else f"status {r.status_code} {media}"))
    sg = rdflib.Graph()
    sg.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    endpoints = {str(o) for o in sg.objects(None, SD.endpoint)}
    results["has-endpoint-triple"] = (endpoint in endpoints, f"sd:endpoint {sorted(endpoints)}")
    services = list(sg.subjects(RDF.type, SD.Service))
    problems = []
    if len(services) != 1:
        problems.append(f"{len(services)} sd:Service nodes")
    for s in services:
        if not set(sg.objects(s, SD.supportedLanguage)) <= {
            SD.SPARQL10Query,
            SD.SPARQL11Query,
            SD.SPARQL11Update,
        }:
            problems.append("unknown sd:supportedLanguage")
        if not list(sg.objects(s, SD.supportedLanguage)):
            problems.append("no sd:supportedLanguage")
        for ds in sg.objects(s, SD.defaultDataset):
            if (ds, RDF.type, SD.Dataset) not in sg:
                problems.append("sd:defaultDataset is not an sd:Dataset")
            for ng in sg.objects(ds, SD.namedGraph):
                if sg.value(ng, SD.name) is None:
                    problems.append("sd:namedGraph without sd:name")
    results["conforms-to-schema"] = (not problems, "; ".join(problems))
    return results


SD_NAMES = {
    "returns-rdf": "GET on endpoint returns RDF",
    "has-endpoint-triple": "Service description contains a matching sd:endpoint triple",
    "conforms-to-schema": "Service description conforms to schema",
}
