"""The query page (``/query``): a SPARQL editor that works offline and without JavaScript.

The form submits by GET, so every query has a permalink; the named queries are the examples.
Results show as a table whose IRIs link to their pages, with CSV and JSON downloads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kg.queries import NoMatchError, QueryError, bind
from kg.service import graphread as gr
from kg.service.errors import HTTPProblem
from kg.service.named import probe_endpoint
from kg.service.sparql import JOB_STATUS, check_services, federation_problem
from kg.service.state import ServiceState, StateDep
from kg.service.templating import render
from kg.store.workers import JobError, QueryJob

router = APIRouter()

MAX_ROWS = 1000
MAX_QUERY_CHARS = 100_000


@dataclass
class Cell:
    text: str
    href: str | None = None
    label: str | None = None


@dataclass
class Results:
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    graph: bool = False


def tabulate(store, id_base: str, result) -> Results:  # type: ignore[no-untyped-def]
    """A query result as a table of cells; IRIs carry a link and a label (first rows only)."""
    if isinstance(result, ox.QueryBoolean):
        return Results(boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        raw = [
            [row[c] for c in columns] for _, row in zip(range(MAX_ROWS + 1), result, strict=False)
        ]
        graph = False
    else:
        columns = ["subject", "predicate", "object"]
        raw = [
            [t.subject, t.predicate, t.object]
            for _, t in zip(range(MAX_ROWS + 1), result, strict=False)
        ]
        graph = True
    truncated = len(raw) > MAX_ROWS
    raw = raw[:MAX_ROWS]
    labeller = gr.Labeller(store, id_base)
    labeller.fetch(t.value for r in raw for t in r if isinstance(t, ox.NamedNode))

    def cell(term) -> Cell:  # type: ignore[no-untyped-def]
        if term is None:
            return Cell("")
        if isinstance(term, ox.NamedNode):
            label = labeller.label(term.value)
            return Cell(term.value, gr.href(term.value, id_base), label)
        if isinstance(term, ox.BlankNode):
            return Cell(f"_:{term.value}")
        return Cell(term.value)

    return Results(columns, [[cell(t) for t in r] for r in raw], None, truncated, graph)


def query_page(state: ServiceState, params: dict[str, str]) -> tuple[str, int]:
    """The editor, with the results (or the error) of the query the parameters give."""
    store, id_base = state.store, state.settings.id_base
    name = params.get("name") or None
    named = state.queries.get(name) if name else None
    text = params.get("query", "")
    args = {k: v for k, v in params.items() if k not in {"name", "query"}}
    error, status, results, downloads, permalink = None, 200, None, [], None
    missing: list[str] = []
    run_text: str | None = None
    if name and named is None:
        error, status = f"no named query {name!r}; known: {', '.join(state.queries)}", 404
    elif named is not None:
        missing = [p.name for p in named.params if p.required and not args.get(p.name)]
        text = named.text
        if not missing:
            try:
                bound = bind(
                    store,
                    named,
                    {k: v for k, v in args.items() if v},
                    state.settings.wikidata_endpoint,
                )
                run_text = text = bound.text
                q = urlencode({k: v for k, v in args.items() if v})
                downloads = [
                    (f, f"/queries/{name}?{q}{'&' if q else ''}format={f}") for f in ("csv", "json")
                ]
                permalink = f"/query?{urlencode({'name': name, **args})}"
            except NoMatchError as exc:
                error, status = str(exc), 404
            except QueryError as exc:
                error, status = str(exc), 400
    elif text.strip():
        if len(text) > MAX_QUERY_CHARS:
            error, status = f"the query is too long ({len(text)} characters)", 400
        else:
            run_text = text
            permalink = f"/query?{urlencode({'query': text})}"
    federated = state.settings.wikidata_endpoint if named and named.service_var else None
    if run_text is not None and error is None:
        try:
            if federated:
                probe_endpoint(state.settings)
            results = tabulate(store, id_base, run_with_deadline(state, run_text, federated))
        except HTTPProblem as exc:
            error, status = exc.message, exc.status
        if results is not None and not downloads:
            kinds = ("turtle", "jsonld") if results.graph else ("csv", "json")
            downloads = [
                (f, f"/sparql?{urlencode({'query': run_text, 'format': f})}") for f in kinds
            ]
    body = render(
        "query.html",
        queries=list(state.queries.values()),
        named=named,
        args=args,
        missing=missing,
        text=text,
        error=error,
        results=results,
        downloads=downloads if error is None else [],
        permalink=permalink,
        max_rows=MAX_ROWS,
    )
    return body, status


def run_with_deadline(state: ServiceState, text: str, federated: str | None = None):  # type: ignore[no-untyped-def]
    """Run a query typed into the page like a /sparql query: in a worker, with the deadline
    and the SERVICE allow-list; the answer comes back serialized and is read in again.
    A ``federated`` named query has the federated deadline and 502/504 errors."""
    check_services(state, text)
    job = QueryJob(
        sparql=text,
        solutions_media=ox.QueryResultsFormat.JSON.media_type,
        graph_media=ox.RdfFormat.N_TRIPLES.media_type,
        max_bytes=state.settings.max_result_bytes,
        generation=getattr(state.store, "generation", 0),
    )
    timeout = state.settings.query_timeout_s
    if federated:
        timeout = min(timeout, state.settings.wikidata_timeout_s)
    try:
        answer = state.runner.run(job, timeout)
        body = answer.first + b"".join(answer.rest)
    except JobError as exc:
        problem = federation_problem(exc, federated, timeout) if federated else None
        if problem is not None:
            raise problem from exc
        code, prefix = JOB_STATUS.get(exc.kind, (500, "query failed"))
        raise HTTPProblem(code, f"{prefix}: {exc.message}") from exc
    if answer.media_type.startswith(ox.RdfFormat.N_TRIPLES.media_type):
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)


@router.get("/query", summary="The query editor page (runs the query it is given)")
async def editor(request: Request, state: StateDep) -> HTMLResponse:
    params = dict(request.query_params)
    body, status = await state.page_work(query_page, state, params)
    return HTMLResponse(body, status_code=status)
