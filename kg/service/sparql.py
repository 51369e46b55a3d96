"""The SPARQL 1.1 Protocol endpoint ``/sparql``: query, update, service description.

Each step is a small function: read the request's operation (:func:`read_operation`), pick
the response formats (:func:`formats_for`), check federation (:func:`check_services`), run the
query in a worker (:func:`run_query`) or the update on the store (:func:`run_update`).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS, Format
from kg.service import sparqltext
from kg.service.auth import require_token
from kg.service.body import decode_utf8, media_type, read_body
from kg.service.description import service_description
from kg.service.errors import HTTPProblem, store_problem
from kg.service.negotiation import choose
from kg.service.state import ServiceState
from kg.store import QuerySyntaxError, StoreError, StoreIOError
from kg.store.workers import Answer, JobError, QueryJob, QueryRunner, Step

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
Params = list[tuple[str, str]]
FETCHABLE = ("http", "https", "file")  # IRI schemes a LOAD could make the engine read

# What a failed job answers: status, and a prefix for its message.
JOB_STATUS = {
    "syntax": (400, "query syntax error"),
    "failed": (400, "query failed"),
    "too-large": (422, "result too large (KG_MAX_RESULT_BYTES); add a LIMIT"),
    "timeout": (503, "query timeout (KG_QUERY_TIMEOUT_S)"),
    "crashed": (503, "query worker failed"),
    "memory": (503, "query needs too much memory (KG_QUERY_MEMORY_MB)"),
    "unavailable": (503, "the SPARQL store is unavailable"),
    "cut": (500, "query failed while writing its results"),
    # A named query's arguments, bound in its worker (kg.queries.bind_for_job): the message
    # says it all.
    "no-match": (404, ""),
    "bad-argument": (400, ""),
}


@dataclass
class Operation:
    """A protocol request reduced to what it asks: one query or one update, and parameters."""

    kind: str  # "query", "update" or "describe" (no operation: the service description)
    text: str = ""
    params: Params = field(default_factory=list)

    def all(self, name: str) -> list[str]:
        """Every value of a parameter."""
        return [v for k, v in self.params if k == name]

    def one(self, name: str) -> str | None:
        """The value of a parameter given at most once."""
        values = self.all(name)
        if len(values) > 1:
            raise HTTPProblem(
                400, f"the parameter {name!r} is given {len(values)} times; give it once"
            )
        return values[0] if values else None


def _single(params: Params, name: str) -> str | None:
    return Operation("describe", params=params).one(name)


def _from_params(params: Params, allow_update: bool) -> Operation:
    query, update = _single(params, "query"), _single(params, "update")
    if query is not None and update is not None:
        raise HTTPProblem(400, "give either 'query' or 'update', not both")
    if update is not None:
        if not allow_update:
            raise HTTPProblem(400, "updates are not accepted by GET; POST them")
        return Operation("update", update, params)
    if query is not None:
        return Operation("query", query, params)
    return Operation("describe", params=params)


async def read_operation(request: Request) -> Operation:
    """The operation a GET or POST asks for, by the protocol's three ways of sending it."""
    url_params = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method in ("GET", "HEAD"):  # HEAD: what GET would answer, without the body
        return _from_params(url_params, allow_update=False)
    body = await read_body(request)
    kind = media_type(request)
    if kind == FORM:
        form = parse_qsl(decode_utf8(body, "form body"), keep_blank_values=True)
        if any(k in ("query", "update") for k, _ in url_params):
            raise HTTPProblem(400, "give 'query' or 'update' in the form body, not in the URL")
        op = _from_params(form + url_params, allow_update=True)
        if op.kind == "describe":
            raise HTTPProblem(400, "the form body has neither a 'query' nor an 'update' parameter")
        return op
    if kind in (QUERY_TYPE, UPDATE_TYPE):
        if any(k in ("query", "update") for k, _ in url_params):
            raise HTTPProblem(
                400, f"a {kind} body carries the operation; no 'query'/'update' in the URL"
            )
        text = decode_utf8(body, f"{kind} body")
        return Operation("query" if kind == QUERY_TYPE else "update", text, url_params)
    raise HTTPProblem(
        415,
        f"unsupported content type {kind or '(none)'!r}; "
        f"send {QUERY_TYPE}, {UPDATE_TYPE} or {FORM}",
    )


def _by_name_or_type(value: str, table: dict[str, Format]) -> Format | None:
    value = value.strip().lower()
    return table.get(value) or next(
        (f for f in table.values() if value == f.media_type or value in f.aliases), None
    )


def formats_for(accept: str | None, override: str | None) -> tuple[Format | None, Format | None]:
    """The response formats for solutions and for graphs (None: nothing acceptable).

    ``format=`` (a short name or a media type) overrides ``Accept`` for the kind it names.

    >>> s, g = formats_for("text/csv", None); s.name, g
    ('csv', None)
    >>> s, g = formats_for("text/csv", "turtle"); s.name, g.name
    ('csv', 'turtle')
    """
    solutions = choose(accept, RESULT_FORMATS, "json")
    graph = choose(accept, GRAPH_FORMATS, "turtle")
    if override:
        by_s = _by_name_or_type(override, RESULT_FORMATS)
        by_g = _by_name_or_type(override, GRAPH_FORMATS)
        if by_s is None and by_g is None:
            known = ", ".join([*RESULT_FORMATS, *GRAPH_FORMATS])
            raise HTTPProblem(400, f"unknown format {override!r}; one of: {known}")
        solutions, graph = by_s or solutions, by_g or graph
    return solutions, graph


def check_services(state: ServiceState, text: str, keyword: str = "SERVICE") -> None:
    """Refuse a query whose SERVICE clauses (or an update whose LOADs) reach beyond
    ``KG_SERVICE_ALLOW``: no requests to other hosts, loopback or private addresses."""
    if keyword.lower() not in text.lower():
        return
    what = "federated query" if keyword == "SERVICE" else "LOAD"
    find = sparqltext.service_endpoints if keyword == "SERVICE" else sparqltext.load_sources
    try:
        endpoints = find(text)
    except sparqltext.UnsafeQueryError as exc:
        raise HTTPProblem(403, f"{what} refused: {exc}") from exc
    allowed = {a.rstrip("/") for a in state.settings.services_allowed}
    for endpoint in endpoints:
        scheme = urlsplit(endpoint).scheme.lower()
        if keyword == "LOAD" and scheme not in FETCHABLE:
            continue  # the engine cannot fetch it: it fails (or, SILENT, does nothing) itself
        if endpoint.rstrip("/") not in allowed or scheme not in ("http", "https"):
            if keyword == "LOAD":
                check_update_syntax(text)  # a broken update is a 400 first
            raise HTTPProblem(
                403,
                f"{what} refused: {keyword} <{endpoint}> is not on the allow-list "
                f"(KG_SERVICE_ALLOW: {', '.join(sorted(allowed)) or 'empty'})",
            )


def check_update_syntax(text: str) -> None:
    """400 if an update does not parse (rdflib's parser: used only before refusing a LOAD,
    since pyoxigraph cannot parse an update without running it)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except ParseException as exc:
        raise HTTPProblem(400, f"update syntax error: {exc}") from exc


def check_iri(name: str, value: str) -> None:
    """400 unless a dataset parameter's value is an absolute IRI."""
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise HTTPProblem(400, f"the {name} {value!r} is not an absolute IRI: {exc}") from exc


def endpoint_iri(request: Request) -> str:
    """This endpoint's own IRI (also the base IRI of queries and updates)."""
    return str(request.url.replace(query=""))


def make_job(state: ServiceState, request: Request, op: Operation) -> QueryJob:
    """The worker job for a query operation."""
    solutions, graph = formats_for(request.headers.get("accept"), op.one("format"))
    default = op.all("default-graph-uri")
    named = op.all("named-graph-uri")
    for name, iri in [
        *(("default-graph-uri", g) for g in default),
        *(("named-graph-uri", g) for g in named),
    ]:
        check_iri(name, iri)
    own_dataset = bool(default or named) or sparqltext.has_from(op.text)
    return QueryJob(
        sparql=op.text,
        solutions_media=solutions.media_type if solutions else None,
        graph_media=graph.media_type if graph else None,
        default_graph=tuple(default) if default else None,
        named_graphs=tuple(named) if named else None,
        union_default=state.settings.union_default_graph and not own_dataset,
        base_iri=endpoint_iri(request),
        max_bytes=state.settings.max_result_bytes,
        generation=getattr(state.store, "generation", 0),
    )


def _problem(exc: JobError, accept: str | None) -> HTTPProblem:
    if exc.kind == "format":
        offered = RESULT_FORMATS if exc.message == "solutions" else GRAPH_FORMATS
        return HTTPProblem(
            406,
            f"no acceptable format for these results (Accept: {accept!r}); offered: "
            + ", ".join(f.media_type for f in offered.values()),
        )
    status, prefix = JOB_STATUS.get(exc.kind, (500, "query failed"))
    return HTTPProblem(status, f"{prefix}: {exc.message}" if prefix else exc.message)


def _charset(media: str) -> str:
    if media.startswith("text/") or media.endswith(("json", "xml")):
        return media + "; charset=utf-8"
    return media


async def _stream(first: bytes, rest: Iterator[bytes]) -> AsyncIterator[bytes]:
    yield first
    done = object()
    try:
        while (chunk := await anyio.to_thread.run_sync(next, rest, done)) is not done:
            yield chunk  # type: ignore[misc]
    except JobError:
        return  # cut short (deadline or size cap) after the status went out: end the body
    finally:
        close = getattr(rest, "close", None)
        if close:
            close()


async def run_query(state: ServiceState, request: Request, op: Operation) -> Response:
    """Run a query in a worker (off the event loop) and answer with its serialization."""
    check_services(state, op.text)
    calls = sparqltext.service_endpoints(op.text) if "service" in op.text.lower() else []
    job = make_job(state, request, op)
    return await answer(state, request, job, federated=", ".join(calls) or None)


def federation_problem(exc: JobError, endpoint: str, timeout_s: float) -> HTTPProblem | None:
    """The answer to a failed federated query: 504 when the endpoint did not answer in time,
    502 when it could not be reached or failed; None for errors that are not the endpoint's."""
    if exc.kind == "timeout":
        return HTTPProblem(
            504,
            f"the SERVICE endpoint {endpoint} did not answer within "
            f"{timeout_s:g} s (KG_WIKIDATA_TIMEOUT_S); the query was stopped",
        )
    if exc.kind == "failed":
        return HTTPProblem(
            502, f"the SERVICE endpoint {endpoint} failed or could not be reached: {exc.message}"
        )
    return None


async def answer(
    state: ServiceState,
    request: Request,
    job: QueryJob | Callable[[], QueryJob],
    *,
    federated: str | None = None,
    runner: QueryRunner | None = None,
    keep: Callable[[Callable[[], Awaitable[Answer]]], Awaitable[Answer]] | None = None,
) -> Response:
    """Run a prepared job with the query deadline; small answers whole, large ones streamed.

    Named queries come here too, so every query the service runs has the same deadline. A
    ``federated`` query (naming the endpoint it calls) has the shorter of the query deadline
    and ``KG_WIKIDATA_TIMEOUT_S``, and its endpoint's failures answer 502/504. ``runner``:
    the workers to run it in (default: the /sparql ones). ``job`` may be a blocking function
    that makes the job (a federated named query's binding, which calls Wikidata first): it
    runs in the same thread as the job's wait, one hop off the event loop instead of two.
    ``keep``: a cache the run goes through (named queries: kg/service/resultcache.py). The
    response's Server-Timing header says where the time went: binding, waiting for a
    worker, the worker, the whole handler.
    """
    started = time.monotonic()
    timeout = state.settings.query_timeout_s
    if federated:
        timeout = min(timeout, state.settings.wikidata_timeout_s)
    chosen = runner or state.runner
    run_async = getattr(chosen, "run_async", None)
    timing: list[Step] = []
    computed = False  # whether this request computed its answer (else another one did)

    def work() -> Answer:
        if not callable(job):
            return chosen.run(job, timeout)  # type: ignore[union-attr]
        bound = time.monotonic()
        made = job()
        timing.append(("bind", (time.monotonic() - bound) * 1000, ""))
        return chosen.run(made, timeout)  # type: ignore[union-attr]

    async def compute() -> Answer:
        nonlocal computed
        if run_async is not None and isinstance(job, QueryJob):
            ran = await run_async(job, timeout)  # no thread while a worker is idle
        else:
            ran = await anyio.to_thread.run_sync(work)
        timing.extend(ran.timing)
        computed = True
        return ran

    try:
        answer = await (keep(compute) if keep else compute())
    except JobError as exc:
        problem = federation_problem(exc, federated, timeout) if federated else None
        raise (problem or _problem(exc, request.headers.get("accept"))) from exc
    if not computed:  # another request computed the answer this one waited for
        timing = [("cache", 0.0, "kept")]
    return respond(answer, [*timing, ("total", (time.monotonic() - started) * 1000, "")])


def respond(answer: Answer, timing: list[Step] | None = None) -> Response:
    """The HTTP response of a query's answer: whole, or streamed when it is large. ``timing``
    goes out as a Server-Timing header (the steps in ms; browsers' developer tools show it)."""
    headers = {"Vary": "Accept"}
    if timing:
        headers["Server-Timing"] = server_timing(timing)
    media = _charset(answer.media_type)
    if answer.complete:
        return Response(answer.first, media_type=media, headers=headers)
    return StreamingResponse(_stream(answer.first, answer.rest), media_type=media, headers=headers)


def server_timing(timing: list[Step]) -> str:
    """A Server-Timing header's value (W3C Server Timing) for ``timing``.

    >>> server_timing([("wait", 0.04, ""), ("worker", 8.25, "reopened the store")])
    'wait;dur=0.0, worker;dur=8.2;desc="reopened the store"'
    """
    return ", ".join(
        f"{name};dur={ms:.1f}" + (f';desc="{note}"' if note else "") for name, ms, note in timing
    )


def run_update_sync(state: ServiceState, text: str, base_iri: str) -> None:
    """Apply one update request in one transaction (blocking)."""
    try:
        state.store.update(text, base_iri=base_iri)  # type: ignore[call-arg]
    except QuerySyntaxError as exc:
        raise HTTPProblem(400, f"update syntax error: {exc}") from exc
    except StoreIOError:
        raise  # the store's own files failed: 503/507 (kg.service.errors)
    except StoreError as exc:
        raise store_problem(exc, "update failed") from exc


async def run_update(state: ServiceState, request: Request, op: Operation) -> Response:
    """Check the token, apply the protocol's dataset, run the update in a thread."""
    require_token(request)
    text = op.text
    check_services(state, text, "LOAD")
    using, using_named = op.all("using-graph-uri"), op.all("using-named-graph-uri")
    for name, iri in [
        *(("using-graph-uri", g) for g in using),
        *(("using-named-graph-uri", g) for g in using_named),
    ]:
        check_iri(name, iri)
    if using or using_named:
        if sparqltext.has_dataset_clause(text):
            raise HTTPProblem(
                400,
                "the update has USING/WITH clauses and the request gives "
                "using-graph-uri/using-named-graph-uri; give the dataset one way only",
            )
        text = sparqltext.add_using(text, using, using_named)
    await anyio.to_thread.run_sync(run_update_sync, state, text, endpoint_iri(request))
    return Response(status_code=204)


async def describe_service(state: ServiceState, request: Request, op: Operation) -> Response:
    """The service description, in the RDF format the client accepts (Turtle by default)."""
    _, fmt = formats_for(request.headers.get("accept"), op.one("format"))
    if fmt is None:
        offered = ", ".join(f.media_type for f in GRAPH_FORMATS.values())
        raise HTTPProblem(
            406, f"no acceptable format for the service description; offered: {offered}"
        )
    graphs = await anyio.to_thread.run_sync(state.store.graphs)
    triples = service_description(endpoint_iri(request), state.settings, graphs)
    body = ox.serialize(triples, format=fmt.ox_format)  # type: ignore[arg-type]
    return Response(body, media_type=_charset(fmt.media_type), headers={"Vary": "Accept"})


async def sparql_endpoint(request: Request) -> Response:
    """SPARQL 1.1 query and update.

    Query by GET or POST, update by POST, and the service description on a bare GET."""
    state: ServiceState = request.app.state.kg
    op = await read_operation(request)
    if op.kind == "query":
        return await run_query(state, request, op)
    if op.kind == "update":
        return await run_update(state, request, op)
    return await describe_service(state, request, op)


# A plain Starlette route, not a FastAPI one: the handler reads the raw request itself (the
# protocol repeats parameters and takes three kinds of body), so FastAPI's parameter and
# dependency machinery would only add its cost (measured: about 0.3 ms of a 2 ms ASK {});
# kg/service/apidoc.py documents it like the others.
router.add_route("/sparql", sparql_endpoint, methods=["GET", "POST"], name="sparql")
