"""Named queries over HTTP: ``GET /queries`` lists them, ``GET /queries/{name}`` runs one."""

from __future__ import annotations

import functools
import time
from dataclasses import replace
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kg.link.wikidata import EndpointTimeout, WikidataClient, WikidataError
from kg.queries import NamedQuery, NoMatchError, QueryError, bind, bind_for_job
from kg.service.errors import HTTPProblem
from kg.service.resultcache import DependsOn
from kg.service.sparql import answer, check_services, formats_for, respond
from kg.service.state import ServiceState, get_state
from kg.settings import Settings
from kg.store.workers import Answer, QueryJob

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
    unbound = QueryJob(
        sparql="",  # made by the binding
        solutions_media=solutions.media_type if solutions else None,
        graph_media=graph.media_type if graph else None,
        union_default=True,
        max_bytes=state.settings.max_result_bytes,
        generation=getattr(state.store, "generation", 0),
    )
    if query.service_var:
        return await federated(state, request, query, args, unbound)
    check_services(state, query.text)  # binding adds a VALUES block, never a SERVICE
    # Bound in the worker that runs it: no thread here, and no lookups on the event loop.
    job = replace(unbound, prepare=functools.partial(bind_for_job, query, args))
    cache = state.named_cache
    if cache is None:
        return await answer(state, request, job, runner=state.named_runner)
    key = (name, tuple(sorted(args.items())), solutions, graph)
    generation = job.generation
    kept = cache.peek(key, generation)
    if kept is not None:
        return respond(kept, [("cache", 0.0, "hit")])  # no thread: the answer is at hand
    return await answer(
        state,
        request,
        job,
        runner=state.named_runner,
        keep=lambda run: cache.get_or_run(key, generation, run, depends_on),  # type: ignore[arg-type]
    )


def depends_on(answer: Answer) -> DependsOn | None:
    """What a named query's answer depends on, as its worker's binding said (see
    kg.queries.bind_for_job); None: anything."""
    return DependsOn(*answer.meta) if answer.meta else None


async def federated(
    state: ServiceState, request: Request, query: NamedQuery, args: dict, unbound: QueryJob
) -> Response:
    """A named query that calls Wikidata: bound here (its SERVICE blocks get the local
    bindings), after the endpoint answered a probe; never kept (the answer is Wikidata's too)."""
    endpoint = state.settings.wikidata_endpoint

    def prepare() -> QueryJob:
        try:
            text = bind(state.store, query, args, endpoint).text
        except NoMatchError as exc:
            raise HTTPProblem(404, str(exc)) from exc
        except QueryError as exc:
            raise HTTPProblem(400, str(exc)) from exc
        check_services(state, text)  # a named query's SERVICE obeys the allow-list too
        probe_endpoint(state.settings)
        return replace(unbound, sparql=text)

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
