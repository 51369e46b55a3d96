"""Linked-data pages: the home page, every minted IRI at ``/id/...``, any IRI at ``/describe``.

A resource answers HTML to browsers and Turtle, JSON-LD, N-Triples or RDF/XML by ``Accept``
on the same URL (``Vary: Accept``), or by ``?format=`` for links.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.formats import GRAPH_FORMATS, Format, serialize_result
from kg.queries import IRI_RE
from kg.service import graphread as gr
from kg.service.articletext import mark_spans, source_text
from kg.service.checks import NAMES, Rows, Snapshot, generation_of
from kg.service.errors import HTTPProblem
from kg.service.negotiation import choose
from kg.service.state import ServiceState, StateDep
from kg.service.templating import html_page, render

router = APIRouter()

# HTML is a page format only: it has no pyoxigraph writer (the field is never used for it).
HTML = Format("html", "text/html", ("application/xhtml+xml",), ox.RdfFormat.TURTLE, "html")
PAGE_FORMATS: dict[str, Format] = {
    "html": HTML,
    **{name: GRAPH_FORMATS[name] for name in ("turtle", "jsonld", "ntriples", "rdfxml")},
}
RECENT_SOURCES = 10


def page_format(accept: str | None, override: str | None) -> Format:
    """HTML or an RDF format, by ``?format=`` or else by ``Accept`` (HTML by default)."""
    if override:
        fmt = PAGE_FORMATS.get(override.lower())
        if fmt is None:
            raise HTTPProblem(
                400, f"unknown format {override!r}; one of: {', '.join(PAGE_FORMATS)}"
            )
        return fmt
    fmt = choose(accept, PAGE_FORMATS, "html")
    if fmt is None:
        offered = ", ".join(f.media_type for f in PAGE_FORMATS.values())
        raise HTTPProblem(406, f"no acceptable format for {accept!r}; offered: {offered}")
    return fmt


def article_view(state: ServiceState, view: gr.ResourceView) -> dict | None:
    """For a source: its facts in text order, and its text with the facts marked if readable."""
    if not view.has_type("Article", "Source", "RecordFile"):
        return None
    id_base = state.settings.id_base
    facts = gr.facts_of_source(state.store, id_base, view.iri)
    files = [
        v.literal
        for row in view.properties
        if row.predicate.iri == gr.DV + "file"
        for v in row.values
    ]
    text = source_text(
        files[0] if files else None, state.settings.shared_dir, state.settings.data_dir
    )
    # The text must still be the one the offsets were taken from.
    if text is not None and any(
        text[f.evidence.begin : f.evidence.end]
        != f.evidence.before + f.evidence.claim + f.evidence.after
        for f in facts
    ):
        text = None
    segments = None
    if text is not None:
        segments = mark_spans(
            text,
            [
                (f.evidence.claim_begin, f.evidence.claim_end, f)
                if f.evidence.claim_begin is not None
                else (f.evidence.begin, f.evidence.end, f)
                for f in facts
            ],
        )
    return {"facts": facts, "segments": segments}


# A resource page's lists of visits: context name -> the query parameter of its page number.
VISIT_LISTS = {
    "visits_made": "visits-made",
    "visits_hosted": "visits-hosted",
    "visits_in": "visits-in",
    "visits_out": "visits-out",
}


def page_number(params: Mapping[str, str], name: str) -> int:
    """The page of a list a request asks for (``?visits-in=2``); 1 when it asks none."""
    value = params.get(name)
    if value is None:
        return 1
    if not (value.isascii() and value.isdigit()) or int(value) < 1 or len(value) > 9:
        raise HTTPProblem(400, f"{name} is a page number (1, 2, ...), not {value!r}")
    return int(value)


def paging(params: Mapping[str, str], name: str, page: gr.VisitPage) -> dict:
    """Where a list's page stands, and the links to its neighbours (the other lists keep
    their pages)."""

    def to(number: int) -> str:
        return "?" + urlencode({**params, name: str(number)})

    return {
        "page": page,
        "previous": to(page.number - 1) if page.number > 1 else None,
        "next": to(page.number + 1) if page.number < page.count else None,
    }


def resource_page(state: ServiceState, iri: str, params: Mapping[str, str] | None = None) -> str:
    """The HTML page of a resource (raises a 404 problem when the store knows nothing of it).

    Its lists of visits come a page at a time (``KG_PAGE_VISITS`` rows; ``params`` such as
    ``{"visits-in": "2"}`` pick other pages)."""
    store, id_base, params = state.store, state.settings.id_base, params or {}
    numbers = {key: page_number(params, name) for key, name in VISIT_LISTS.items()}
    view = gr.describe(store, iri, id_base)
    if view is None:
        raise HTTPProblem(404, f"nothing is known about <{iri}>")
    person = view.has_type("Leader", "Person")
    place = view.has_type("State", "HistoricalState", "City", "Place")
    is_state = view.has_type("State", "HistoricalState")
    roles = {
        "visits_made": "visitor" if person else None,
        "visits_hosted": "host" if person else None,
        "visits_in": "hostState" if is_state else "destination" if place else None,
        "visits_out": "visitingState" if is_state else None,
    }
    context: dict = {"view": view, "visit": None, "paging": {}}
    size = max(1, state.settings.page_visits)
    for key, role in roles.items():
        context[key] = []
        if role is None:
            continue
        name, number = VISIT_LISTS[key], numbers[key]
        page = gr.visit_page(store, id_base, {role: iri}, number, size)
        if number > page.count:
            raise HTTPProblem(
                404, f"there is no page {number} of {name}: {page.total} visits, {page.count} pages"
            )
        context[key] = page.rows
        context["paging"][key] = paging(params, name, page)
    context.update(
        {
            "statements": gr.statements_by(store, id_base, iri) if person else [],
            "is_visit": any(
                t.iri.startswith(gr.DV) and t.iri.endswith("Visit") for t in view.types
            ),
            "article": article_view(state, view),
            "person": person,
            "state": is_state,
            "formats": [f for f in PAGE_FORMATS.values() if f.name != "html"],
        }
    )
    if context["is_visit"]:
        found = gr.visits(store, id_base, only=iri, with_evidence=False)
        context["visit"] = found[0] if found else None
    context.update(checks(state, iri, context))
    return render("resource.html", **context)


def checks_snapshot(state: ServiceState) -> Snapshot:
    """The whole-store checks' latest rows (kept by the service; computed here when there is
    no service, as for a benchmark over a store)."""
    if state.checks is not None:
        return state.checks.current()
    found = {
        name: Rows.of(gr.rows(state.store, state.queries[name].text))
        for name in NAMES
        if name in state.queries
    }
    return Snapshot(found, generation_of(state.store), time.time())


def checks(state: ServiceState, iri: str, context: dict) -> dict:
    """Warnings (conflicts), corroboration marks and Wikidata links for a resource page."""
    store, id_base = state.store, state.settings.id_base
    tables = [context[k] for k in ("visits_made", "visits_hosted", "visits_in", "visits_out")]
    rows = [v for table in tables for v in table]
    snapshot = checks_snapshot(state)
    facts = gr.facts_about(store, iri)
    found = gr.conflicts_about(store, id_base, snapshot.get("conflicts").about(facts), facts)
    in_conflict = {c.fact.iri for c in found if c.fact}
    shown = [iri, *(v.iri for v in rows)]
    verdicts = gr.corroboration(snapshot.get("corroborated").about(shown), shown)
    for v in rows:
        if v.iri in in_conflict:
            v.marks.append("sources disagree")
        if v.iri in verdicts:
            v.marks.append(verdicts[v.iri].mark())
    return {
        "conflicts": found,
        "corroboration": verdicts.get(iri),
        "wikidata_links": gr.wikidata_links(store, iri),
        "checked": checked_note(snapshot, generation_of(store), state.settings.checks_refresh_s),
    }


def checked_note(snapshot: Snapshot, generation: int, refresh_s: float) -> str:
    """What a page says about the age of its conflict and corroboration checks.

    >>> checked_note(Snapshot({}, 3, 0.0), 3, 10)
    'Conflicts and corroboration checked over the whole store at 1970-01-01 00:00:00 UTC.'
    >>> checked_note(Snapshot({}, 3, 0.0), 5, 10).split("; ", 1)[1]
    'the store has changed since (2 writes); the checks are redone every 10 s at most.'
    """
    if snapshot.generation < 0:
        return f"Conflicts and corroboration are not checked yet ({snapshot.error})."
    at = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(snapshot.at))
    note = f"Conflicts and corroboration checked over the whole store at {at}"
    if snapshot.error:
        note += f"; the latest check failed ({snapshot.error})"
    writes = generation - snapshot.generation
    if writes > 0:
        note += (
            f"; the store has changed since ({writes} write{'s' if writes > 1 else ''}); "
            f"the checks are redone every {refresh_s:g} s at most"
        )
    return note + "."


async def dereference(request: Request, state: ServiceState, iri: str) -> Response:
    """Answer for one IRI: its page, or its RDF, by content negotiation."""
    params = request.query_params
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise HTTPProblem(400, f"not a valid IRI: {iri!r} ({exc})") from exc
    # No format to answer in: say so in plain text.
    fmt = page_format(request.headers.get("accept"), params.get("format"))
    vary = {"Vary": "Accept"}
    if fmt is HTML:
        page_params = dict(params)
        response = await html_page(lambda: resource_page(state, iri, page_params), state.page_work)
        response.headers.update(vary)
        return response

    def rdf() -> bytes | None:
        result = gr.describe_graph(state.store, iri)
        triples = list(result)
        return serialize_result(triples, fmt) if triples else None  # type: ignore[arg-type]

    body = await state.page_work(rdf)
    if body is None:
        raise HTTPProblem(404, f"nothing is known about <{iri}>", vary)
    media = fmt.media_type + ("; charset=utf-8" if fmt.name != "ntriples" else "")
    return Response(body, media_type=media, headers=vary)


@router.get("/id/{path:path}", summary="A minted IRI: its page (HTML) or its RDF, by Accept")
async def minted(path: str, request: Request, state: StateDep) -> Response:
    return await dereference(request, state, state.settings.id_base + path)


@router.get("/describe", summary="Any IRI in the store: its page (HTML) or its RDF, by Accept")
async def describe(request: Request, state: StateDep) -> Response:
    iri = request.query_params.get("iri")
    if not iri or not iri.strip():
        raise HTTPProblem(400, "no 'iri' parameter; give the IRI to describe as ?iri=...")
    if not IRI_RE.match(iri.strip()):
        raise HTTPProblem(400, f"not an absolute http(s) IRI: {iri!r}")
    return await dereference(request, state, iri.strip())


def home_page(state: ServiceState) -> str:
    """Counts, a search box, the named queries and the most recent sources."""
    store = state.store
    counts = gr.rows(
        store,
        """SELECT
          (COUNT(DISTINCT ?visit) AS ?visits) (COUNT(DISTINCT ?leader) AS ?leaders)
          (COUNT(DISTINCT ?state) AS ?states) (COUNT(DISTINCT ?statement) AS ?statements)
        WHERE {
          { ?visit dv:visitor ?who } UNION { ?leader a dv:Leader }
          UNION { ?state a ?c VALUES ?c { dv:State dv:HistoricalState } }
          UNION { ?statement a dv:Statement }
        }""",
    )[0]
    sources_query = state.queries.get("sources")
    recent = []
    if sources_query is not None:
        recent = gr.rows(store, sources_query.text)[:RECENT_SOURCES]
    labeller = gr.Labeller(store, state.settings.id_base)
    numbers = {k: int(v.value) for k, v in counts.items()}
    numbers["sources"] = len(store.graphs())
    numbers["quads"] = store.count()
    return render(
        "home.html",
        counts=numbers,
        queries=list(state.queries.values()),
        recent=[
            {
                "source": labeller.link(r["source"].value),
                "kind": gr.text(r.get("kind")),
                "dateline": gr.text(r.get("dateline")),
                "ingested": gr.text(r.get("ingestedAt"))[:19].replace("T", " "),
            }
            for r in recent
        ],
    )


@router.get("/", summary="Home page: counts, search, named queries, recent sources")
async def home(state: StateDep) -> Response:
    return await html_page(lambda: home_page(state), state.page_work)
