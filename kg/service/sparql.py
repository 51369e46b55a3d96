"""The SPARQL 1.1 Protocol endpoint: query by GET, URL-encoded POST and direct POST."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kg.service.errors import HTTPProblem
from kg.service.results import respond
from kg.service.state import ServiceState, get_state
from kg.store import QuerySyntaxError, StoreError

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"


def _one(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise HTTPProblem(400, f"the parameter {name!r} is given {len(values)} times; give it once")
    return values[0] if values else None


def _many(params: list[tuple[str, str]], name: str) -> list[str] | None:
    values = [v for k, v in params if k == name]
    return values or None


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPProblem(400, f"the request body is not UTF-8: {exc}") from exc


async def _run_query(
    state: ServiceState,
    request: Request,
    query: str,
    params: list[tuple[str, str]],
) -> Response:
    default_graphs = _many(params, "default-graph-uri")
    named_graphs = _many(params, "named-graph-uri")

    def run():  # type: ignore[no-untyped-def]
        try:
            return state.store.query(
                query,
                default_graph=default_graphs,
                named_graphs=named_graphs,
                union_default=default_graphs is None,
            )
        except QuerySyntaxError as exc:
            raise HTTPProblem(400, f"query syntax error: {exc}") from exc
        except StoreError as exc:
            raise HTTPProblem(400, f"query failed: {exc}") from exc

    return await respond(run, request.headers.get("accept"), _one(params, "format"))


@router.get("/sparql", summary="SPARQL query (GET)")
async def sparql_get(request: Request, state: ServiceState = Depends(get_state)) -> Response:
    params = parse_qsl(request.url.query, keep_blank_values=True)
    query = _one(params, "query")
    if query is None:
        if _one(params, "update") is not None:
            raise HTTPProblem(400, "updates are not accepted by GET; POST them")
        raise HTTPProblem(400, "no 'query' parameter; send a SPARQL query as ?query=...")
    return await _run_query(state, request, query, params)


@router.post("/sparql", summary="SPARQL query (POST)")
async def sparql_post(request: Request, state: ServiceState = Depends(get_state)) -> Response:
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    url_params = parse_qsl(request.url.query, keep_blank_values=True)
    body = await request.body()
    if content_type == FORM:
        params = parse_qsl(_decode(body), keep_blank_values=True)
        if _one(url_params, "query") is not None:
            raise HTTPProblem(400, "give 'query' in the body or in the URL, not both")
        query = _one(params, "query")
        if query is None:
            raise HTTPProblem(400, "no 'query' parameter in the form body")
        return await _run_query(state, request, query, params + url_params)
    if content_type == QUERY_TYPE:
        return await _run_query(state, request, _decode(body), url_params)
    raise HTTPProblem(
        415,
        f"unsupported content type {content_type or '(none)'!r}; "
        f"send {QUERY_TYPE} or {FORM}",
    )
