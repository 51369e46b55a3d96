"""The OpenAPI description of every route: parameters, bodies, responses, media types, errors.

The handlers read their parameters from the raw request (the SPARQL protocol repeats
parameters and takes three kinds of body), so FastAPI cannot infer them; this module states
them, in one table keyed by path and method, and :func:`install` puts them into the app's
``/openapi.json``. A route with no entry here makes :func:`install` fail, so no route goes
undocumented. Errors are ``text/plain`` messages (HTML pages on the HTML routes) that say
what is wrong; schemathesis (``tests/test_openapi.py``) checks the service keeps to this.

>>> responses(200, 404)["404"]["description"]
'Not found: nothing by that name or IRI'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from starlette.routing import Route

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS
from kg.queries import LITERAL_KINDS, NamedQuery, load_named_queries

Doc = dict[str, Any]
TEXT = {"text/plain": {"schema": {"type": "string"}}}
HTML = {"text/html": {"schema": {"type": "string"}}}
ANY_TEXT = {"schema": {"type": "string"}}

ERRORS = {
    400: "Bad request: the message names the problem",
    401: "No credentials: send 'Authorization: Bearer <token>'",
    403: "Forbidden: wrong token, a read-only service, or a SERVICE/LOAD off the allow-list",
    404: "Not found: nothing by that name or IRI",
    406: "No acceptable format for the Accept header",
    413: "The request body is over the size limit",
    415: "Unsupported media type for the body",
    422: "Refused: the result is too large, or the article's graph breaks the shapes",
    502: "A SERVICE endpoint (Wikidata) failed or could not be reached",
    503: "The query passed its deadline (its worker was stopped), or the store cannot be written",
    504: "A SERVICE endpoint (Wikidata) did not answer in time",
    507: "The store's disk is full: nothing was written",
}

SPARQL_JSON = {
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {"type": "object"},
        "results": {
            "type": "object",
            "required": ["bindings"],
            "properties": {"bindings": {"type": "array", "items": {"type": "object"}}},
        },
        "boolean": {"type": "boolean"},
    },
}


def _media(media_type: str) -> dict[str, Any]:
    if media_type == "application/sparql-results+json":
        return {"schema": SPARQL_JSON}
    if media_type in ("application/ld+json", "application/json"):
        return {"schema": {}}  # any JSON
    return dict(ANY_TEXT)


RESULT_MEDIA = {f.media_type: _media(f.media_type) for f in RESULT_FORMATS.values()}
GRAPH_MEDIA = {f.media_type: _media(f.media_type) for f in GRAPH_FORMATS.values()}
PAGE_MEDIA = {
    **HTML,
    **{
        GRAPH_FORMATS[n].media_type: _media(GRAPH_FORMATS[n].media_type)
        for n in ("turtle", "jsonld", "ntriples", "rdfxml")
    },
}
SVG = {"image/svg+xml": {"schema": {"type": "string"}}}
TRIPLE_BODY_TYPES = [
    f.media_type for f in GRAPH_FORMATS.values() if f.name not in ("nquads", "trig")
]


def responses(
    *codes: int, ok: dict | None = None, errors: dict | None = None, ok_text: str = "Success"
) -> Doc:
    """An OpenAPI ``responses`` object: success codes get ``ok`` content, errors ``errors``."""
    out: Doc = {}
    for code in codes:
        if code < 400:
            entry: Doc = {"description": ok_text if code != 204 else "Done; no content"}
            if ok and code not in (201, 204):
                entry["content"] = ok
            out[str(code)] = entry
        else:
            out[str(code)] = {"description": ERRORS[code], "content": errors or TEXT}
    return out


def param(
    name: str,
    description: str,
    *,
    where: str = "query",
    required: bool = False,
    schema: dict | None = None,
) -> Doc:
    """One OpenAPI parameter."""
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


AUTH = param("Authorization", "'Bearer <KG_API_TOKEN>': needed for every write", where="header")
ACCEPT = param("Accept", "the response's media type (q-values honoured)", where="header")
# No "format: iri": the generators filter too much with it; the service checks IRIs itself.
IRI = {"type": "string", "example": "http://127.0.0.1:8000/graph/dataset/gazetteer"}
EXAMPLES = {
    "place": "Pyongyang",
    "area": "Pyongyang",
    "state": "Russia",
    "leader": "Vladimir Putin",
    "person": "Jens Stoltenberg",
    "date": "2024-11-06",
    "integer": "10",
}
RESULT_NAMES = {"type": "string", "enum": [*RESULT_FORMATS, *GRAPH_FORMATS]}
SPARQL_PARAMS = [
    param("query", "a SPARQL 1.1 query (GET, or a form POST)"),
    param("default-graph-uri", "the default graph (repeatable; overrides FROM)", schema=IRI),
    param("named-graph-uri", "a named graph of the dataset (repeatable)", schema=IRI),
    param(
        "format", "the result format by name or media type (overrides Accept)", schema=RESULT_NAMES
    ),
    ACCEPT,
]
SPARQL_FORM = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "update": {"type": "string"},
        "default-graph-uri": {"type": "string"},
        "named-graph-uri": {"type": "string"},
        "using-graph-uri": {"type": "string"},
        "using-named-graph-uri": {"type": "string"},
    },
}
GRAPH_PARAMS = [
    param("graph", "the graph's IRI (indirect naming)", schema=IRI),
    param("default", "the default graph (no value)", schema={"type": "string", "maxLength": 0}),
]
PAGE_PARAMS = [
    param(
        "format",
        "an RDF format instead of the page (overrides Accept)",
        schema={"type": "string", "enum": ["html", "turtle", "jsonld", "ntriples", "rdfxml"]},
    ),
    ACCEPT,
    *(
        param(
            name,
            f"the page of the list of {what} to show (KG_PAGE_VISITS rows a page)",
            schema={"type": "integer", "minimum": 1, "default": 1},
        )
        for name, what in [
            ("visits-made", "visits the person made"),
            ("visits-hosted", "visits the person hosted"),
            ("visits-in", "visits to the place or state"),
            ("visits-out", "visits by the state's leaders"),
        ]
    ),
]
TIMELINE_PARAMS = [
    param("leader", "a leader: name, IRI or Wikidata QID"),
    param("state", "a state: visits into and out of it"),
    param("from", "the visiting state (with 'to')"),
    param("to", "the host state (with 'from')"),
]
ARTICLE = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "description": "the article's text (or give 'html')"},
        "html": {"type": "string", "description": "the article as an HTML page"},
        "title": {"type": "string"},
        "dateline": {"type": "string", "description": "publication date, YYYY-MM-DD"},
        "url": {"type": "string", "description": "where the article was published"},
    },
}
STORED = {
    "type": "object",
    "required": ["graph", "source", "triples", "facts"],
    "properties": {
        "graph": {"type": "string"},
        "source": {"type": "string"},
        "triples": {"type": "integer", "minimum": 0},
        "facts": {
            "type": "object",
            "required": ["article", "entities", "visits", "statements"],
            "properties": {
                "article": {"type": "object"},
                "entities": {"type": "array", "items": {"type": "object"}},
                "visits": {"type": "array", "items": {"type": "object"}},
                "statements": {"type": "array", "items": {"type": "object"}},
            },
        },
    },
}
HEALTH = {
    "type": "object",
    "required": ["status", "version", "quads", "graphs"],
    "properties": {
        "status": {"type": "string", "enum": ["ok"]},
        "version": {"type": "string"},
        "quads": {"type": "integer", "minimum": 0},
        "graphs": {"type": "integer", "minimum": 0},
        "named_cache": {
            "type": "object",
            "required": ["entries", "kept", "hits", "misses"],
            "properties": {
                k: {"type": "integer", "minimum": 0} for k in ("entries", "kept", "hits", "misses")
            },
        },
    },
}
QUERY_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name", "title", "description", "params", "url"],
        "properties": {
            "name": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "url": {"type": "string"},
            "params": {"type": "array", "items": {"type": "object"}},
        },
    },
}
SEARCH_JSON = {
    "type": "object",
    "required": ["query", "results"],
    "properties": {
        "query": {"type": "string"},
        "results": {"type": "array", "items": {"type": "object", "required": ["iri", "label"]}},
    },
}
WRITE_ERRORS = (401, 403, 413, 415, 503, 507)
GSP_READ = responses(200, 400, 404, 406, ok=GRAPH_MEDIA)
GSP_WRITE = {
    "parameters": [AUTH],
    "requestBody": {
        "required": True,
        "content": {
            **{m: {"schema": {"type": "string"}} for m in TRIPLE_BODY_TYPES},
            "multipart/form-data": {"schema": {"type": "object"}},
        },
    },
    "responses": responses(201, 204, 400, 404, *WRITE_ERRORS),
}

# (path, method) -> the OpenAPI operation fields this module supplies.
OPERATIONS: dict[tuple[str, str], Doc] = {
    ("/health", "get"): {"responses": responses(200, ok={"application/json": {"schema": HEALTH}})},
    ("/sparql", "get"): {
        "description": "A SPARQL query by GET; without 'query' the service description.",
        "parameters": SPARQL_PARAMS,
        "responses": responses(
            200, 400, 403, 406, 422, 502, 503, 504, ok={**RESULT_MEDIA, **GRAPH_MEDIA}
        ),
    },
    ("/sparql", "post"): {
        "description": "A query or an update (updates need the token), by form or direct body.",
        "parameters": [
            *SPARQL_PARAMS[1:],
            AUTH,
            param("using-graph-uri", "the update's default graph", schema=IRI),
            param("using-named-graph-uri", "a named graph for the update", schema=IRI),
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": SPARQL_FORM},
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/sparql-update": {"schema": {"type": "string"}},
            },
        },
        "responses": responses(
            200,
            204,
            400,
            401,
            403,
            406,
            413,
            415,
            422,
            502,
            503,
            504,
            507,
            ok={**RESULT_MEDIA, **GRAPH_MEDIA},
        ),
    },
    ("/queries", "get"): {
        "responses": responses(200, ok={"application/json": {"schema": QUERY_LIST}}),
    },
    ("/queries/{name}", "get"): {
        "description": "Run a named query; its parameters are listed by GET /queries.",
        "parameters": [param("format", "the result format", schema=RESULT_NAMES), ACCEPT],
        "responses": responses(
            200, 400, 404, 406, 422, 502, 503, 504, ok={**RESULT_MEDIA, **GRAPH_MEDIA}
        ),
    },
    ("/articles", "post"): {
        "description": "Extract, link, validate and store one article; answers its facts.",
        "parameters": [
            AUTH,
            param("dateline", "publication date YYYY-MM-DD (text bodies)"),
            param("title", "the headline (text bodies)"),
            param("url", "where it was published (text bodies)"),
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": ARTICLE},
                "text/plain": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        },
        "responses": {
            "201": {
                "description": "Stored; the graph, its source and the facts",
                "content": {"application/json": {"schema": STORED}},
                "headers": {"Location": {"schema": {"type": "string"}}},
            },
            **responses(400, 422, *WRITE_ERRORS),
        },
    },
    ("/id/{path}", "get"): {
        "parameters": [
            param(
                "path",
                "the IRI's path under <base>id/",
                where="path",
                required=True,
                schema={"type": "string", "example": "person/vladimir-putin"},
            ),
            *PAGE_PARAMS,
        ],
        "responses": responses(200, 400, 404, 406, ok=PAGE_MEDIA, errors={**TEXT, **HTML}),
    },
    ("/describe", "get"): {
        "parameters": [
            param(
                "iri",
                "the IRI to describe",
                required=True,
                schema={"type": "string", "example": "http://127.0.0.1:8000/id/person/kim-jong-un"},
            ),
            *PAGE_PARAMS,
        ],
        "responses": responses(200, 400, 404, 406, ok=PAGE_MEDIA, errors={**TEXT, **HTML}),
    },
    ("/", "get"): {"responses": responses(200, ok=HTML)},
    ("/search", "get"): {
        "parameters": [
            param(
                "q",
                "text to find in labels and aliases, or a QID",
                required=True,
                schema={"type": "string", "minLength": 1, "maxLength": 200},
            ),
            param(
                "format",
                "html or json (overrides Accept)",
                schema={"type": "string", "enum": ["html", "json"]},
            ),
            ACCEPT,
        ],
        "responses": responses(
            200,
            400,
            ok={**HTML, "application/json": {"schema": SEARCH_JSON}},
            errors={**TEXT, **HTML},
        ),
    },
    ("/query", "get"): {
        "parameters": [
            param("query", "a SPARQL query to run and show"),
            param("name", "a named query to run (its parameters follow)"),
        ],
        "responses": responses(200, 400, 403, 404, 422, 502, 503, 504, ok=HTML, errors=HTML),
    },
    ("/timeline", "get"): {
        "parameters": TIMELINE_PARAMS,
        "responses": responses(200, 400, 404, ok=HTML, errors=HTML),
    },
    ("/timeline.svg", "get"): {
        "parameters": TIMELINE_PARAMS,
        "responses": responses(200, 400, 404, ok=SVG),
    },
    ("/network", "get"): {"responses": responses(200, ok=HTML)},
    ("/network.svg", "get"): {"responses": responses(200, ok=SVG)},
}
for _path in ("/store", "/store/{path}"):
    _graph = GRAPH_PARAMS if _path == "/store" else []
    OPERATIONS[(_path, "get")] = {"parameters": [*_graph, ACCEPT], "responses": GSP_READ}
    OPERATIONS[(_path, "head")] = {"parameters": [*_graph, ACCEPT], "responses": GSP_READ}
    OPERATIONS[(_path, "put")] = {**GSP_WRITE, "parameters": [*_graph, AUTH]}
    OPERATIONS[(_path, "post")] = {**GSP_WRITE, "parameters": [*_graph, AUTH]}
    OPERATIONS[(_path, "delete")] = {
        "parameters": [*_graph, AUTH],
        "responses": responses(204, 400, 401, 403, 404, 503, 507),
    }


def named_query_operation(q: NamedQuery) -> Doc:
    """The operation of one named query, ``GET /queries/NAME``, with its own parameters."""
    params = [
        param(
            p.name,
            p.description or p.kind,
            required=p.required,
            schema={
                "type": "string",
                "minLength": 1,
                "maxLength": 2000,
                "example": EXAMPLES.get(p.kind, "Putin"),
            }
            if p.kind not in LITERAL_KINDS
            else {"type": "string"},
        )
        for p in q.params
    ]
    return {
        "get": {
            "summary": q.title,
            "description": q.description,
            "operationId": f"named_query_{q.name.replace('-', '_')}",
            "tags": ["named queries"],
            "parameters": [*params, *OPERATIONS[("/queries/{name}", "get")]["parameters"]],
            "responses": OPERATIONS[("/queries/{name}", "get")]["responses"],
        }
    }


def _methods(route: Route) -> list[str]:
    # Starlette adds HEAD to a plain route's GET by itself; HTTP implies it, not documented.
    plain = not isinstance(route, APIRoute)
    return [m.lower() for m in route.methods or () if not (plain and m == "HEAD")]


def _routes(routes: list[Any]) -> Iterator[Any]:
    """Every route, those of included routers too (FastAPI >= 0.16x keeps an included router
    as one entry of ``app.routes``, its own routes under ``original_router``; the service
    includes them without a prefix)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _routes(inner.routes) if inner is not None else (route,)


def _operations(app: FastAPI) -> list[tuple[str, str]]:
    found = []
    for route in _routes(app.routes):
        if isinstance(route, Route) and route.include_in_schema:
            found += [(route.path.replace(":path}", "}"), m) for m in _methods(route)]
    return found


def _plain_routes(app: FastAPI) -> dict[str, dict[str, Doc]]:
    """The operations of plain Starlette routes (FastAPI's get_openapi lists only its own),
    each with the summary of its handler's docstring, for :func:`install` to complete."""
    paths: dict[str, dict[str, Doc]] = {}
    for route in _routes(app.routes):
        if type(route) is Route and route.include_in_schema:
            summary = (route.endpoint.__doc__ or route.name).strip().splitlines()[0]
            for method in _methods(route):
                paths.setdefault(route.path, {})[method] = {"summary": summary}
    return paths


def install(app: FastAPI, queries_dir: Any) -> None:
    """Make ``app.openapi()`` describe every route from :data:`OPERATIONS`, and each named
    query of ``queries_dir`` as its own path. Raises if a route has no entry."""
    missing = [op for op in _operations(app) if op not in OPERATIONS]
    if missing:
        raise RuntimeError(f"routes without an OpenAPI description in apidoc: {missing}")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        for path, ops in _plain_routes(app).items():
            schema["paths"].setdefault(path, {}).update(ops)
        for path, ops in schema["paths"].items():
            for method, op in ops.items():
                doc = OPERATIONS[(path, method)]
                op.pop("requestBody", None)
                # FastAPI names an api_route's operations alike; schemathesis wants them unique.
                op["operationId"] = method + re.sub(r"[^a-z0-9]+", "_", path.lower()).rstrip("_")
                op["responses"] = doc["responses"]
                for key in ("description", "requestBody"):
                    if key in doc:
                        op[key] = doc[key]
                mine = doc.get("parameters", [])
                names = {p["name"] for p in mine}
                op["parameters"] = [
                    p for p in op.get("parameters", []) if p["name"] not in names
                ] + mine
        for q in load_named_queries(queries_dir).values():
            schema["paths"][f"/queries/{q.name}"] = named_query_operation(q)
        schema.pop("components", None)  # FastAPI's validation models: never answered here
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
