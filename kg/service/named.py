"""Named queries over HTTP: ``GET /queries`` lists them, ``GET /queries/{name}`` runs one."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kg.link.wikidata import EndpointTimeout, WikidataClient, WikidataError
from kg.queries import NoMatchError, QueryError, bind
from kg.service.errors import HTTPProblem
from kg.service.sparql import answer, check_services, formats_for, respond
from kg.service.state import ServiceState, get_state
from kg.settings import Settings
from kg.store.workers import QueryJob

router = APIRouter()


@router.get("/queries", summary="List the named queries")
async def list_queries(request: Request, state: ServiceState = Depends(get_state)) -> list[dict]:
    base = str(request.base_url).rstrip("/")
    return [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "params": [
                {
                    "name": p.name,
                    "kind": p.kind,
                    "required": p.required,
                    "description": p.description,
                }
                for p in q.params
            ],
            "url": f"{base}/queries/{q.name}",
        }
        for q in state.queries.values()
    ]


@router.get("/queries/{name}", summary="Run a named query")
async def run_query(
    name: str, request: Request, state: ServiceState = Depends(get_state)
) -> Response:
    query = state.queries.get(name)
    if query is None:
        known = ", ".join(state.queries)
        raise HTTPProblem(404, f"no named query {name!r}; known: {known}")
    args = dict(parse_qsl(request.url.query, keep_blank_values=True))
    solutions, graph = formats_for(request.headers.get("accept"), args.get("format"))

    def bind_args() -> str:
        # Resolving names to IRIs is a few selective lookups; the query itself runs in a
        # worker with the service's deadline, like any /sparql query.
        try:
            return bind(state.store, query, args, state.settings.wikidata_endpoint).text
        except NoMatchError as exc:
            raise HTTPProblem(404, str(exc)) from exc
        except QueryError as exc:
            raise HTTPProblem(400, str(exc)) from exc

    endpoint = state.settings.wikidata_endpoint if query.service_var else None

    def prepare() -> QueryJob:
        text = bind_args()
        check_services(state, text)  # a named query's SERVICE obeys the allow-list too
        if endpoint:
            probe_endpoint(state.settings)
        return QueryJob(
            sparql=text,
            solutions_media=solutions.media_type if solutions else None,
            graph_media=graph.media_type if graph else None,
            union_default=True,
            max_bytes=state.settings.max_result_bytes,
            generation=getattr(state.store, "generation", 0),
        )

    cache = None if endpoint else state.named_cache  # a federated answer is Wikidata's too
    if cache is not None:
        key = (name, tuple(sorted(args.items())), solutions, graph)
        generation = getattr(state.store, "generation", 0)
        kept = cache.peek(key, generation)
        if kept is not None:
            return respond(kept)  # no thread for an answer already at hand
        return await answer(
            state,
            request,
            prepare,
            runner=state.named_runner,
            keep=lambda run: cache.get_or_run(key, generation, run),
        )
    return await answer(state, request, prepare, federated=endpoint, runner=state.named_runner)


_REACHED: dict[str, float] = {}  # endpoint -> when a probe last succeeded
PROBE_FRESH_S = 60.0


def probe_endpoint(settings: Settings) -> None:
    """Fail fast (502/504) when the Wikidata endpoint does not answer a trivial query,
    before a federated query would wait for it; a success is trusted for a minute."""
    endpoint = settings.wikidata_endpoint
    if time.monotonic() - _REACHED.get(endpoint, -PROBE_FRESH_S) < PROBE_FRESH_S:
        return
    client = WikidataClient.from_settings(settings, use_cache=False)
    client.retries = 0
    try:
        client.probe()
    except EndpointTimeout as exc:
        raise HTTPProblem(504, f"the Wikidata endpoint did not answer: {exc}") from exc
    except WikidataError as exc:
        raise HTTPProblem(
            502, f"the Wikidata endpoint cannot be used: {exc} (KG_WIKIDATA_ENDPOINT)"
        ) from exc
    _REACHED[endpoint] = time.monotonic()
