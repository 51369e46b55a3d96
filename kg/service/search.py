"""Search over labels and aliases: ``GET /search?q=`` as a page, or as JSON.

Ranking: an exact name first, then names that start with the words, then names containing them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kg.formats import Format
from kg.queries import QID_RE
from kg.service import graphread as gr
from kg.service.errors import HTTPProblem
from kg.service.negotiation import choose
from kg.service.pages import HTML
from kg.service.state import StateDep
from kg.service.templating import error_page, render
from kg.store import Store

router = APIRouter()

MAX_QUERY = 200
MAX_RESULTS = 100
# Choices for negotiation only (never serialized by pyoxigraph).
JSON = Format("json", "application/json", (), ox.RdfFormat.JSON_LD, "json")


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    matched: str
    types: list[str]
    href: str


def rank(name: str, needle: str) -> int:
    """How well a name matches the search (lower is better).

    >>> [rank(n, "putin") for n in ("Putin", "Putin's aide", "Vladimir Putin", "Rasputina")]
    [0, 1, 2, 3]
    """
    name = name.lower()
    if name == needle:
        return 0
    if name.startswith(needle):
        return 1
    if any(word.startswith(needle) for word in name.split()):
        return 2
    return 3


def search(store: Store, id_base: str, q: str) -> list[Hit]:
    """Resources whose label or alias contains ``q`` (any case), or that a QID names."""
    needle = " ".join(q.lower().split())
    qid = QID_RE.match(needle)
    if qid:
        wd = ox.NamedNode(f"http://www.wikidata.org/entity/{qid[1].upper()}")
        found = gr.rows(
            store, f"SELECT DISTINCT ?e ?name WHERE {{ ?e owl:sameAs {wd} . ?e rdfs:label ?name }}"
        )
    else:
        found = gr.rows(
            store,
            f"""SELECT DISTINCT ?e ?name WHERE {{
              VALUES ?q {{ {ox.Literal(needle)} }}
              ?e rdfs:label|skos:altLabel ?name .
              FILTER(isIRI(?e) && CONTAINS(LCASE(STR(?name)), ?q))
            }} LIMIT 2000""",
        )
    best: dict[str, tuple[int, str]] = {}
    for r in found:
        e, name = r["e"].value, r["name"].value
        score = 0 if qid else rank(name, needle)
        if e not in best or score < best[e][0]:
            best[e] = (score, name)
    labeller = gr.Labeller(store, id_base)
    labeller.fetch(best)
    ordered = sorted(best, key=lambda e: (best[e][0], labeller.label(e).lower(), e))[:MAX_RESULTS]
    types: dict[str, list[str]] = {e: [] for e in ordered}
    if ordered:
        for r in gr.rows(
            store, f"SELECT DISTINCT ?e ?t WHERE {{ VALUES ?e {{ {gr.values(ordered)} }} ?e a ?t }}"
        ):
            types[r["e"].value].append(labeller.label(r["t"].value))
    return [
        Hit(e, labeller.label(e), best[e][1], sorted(set(types[e])), gr.href(e, id_base))
        for e in ordered
    ]


@router.get("/search", summary="Search labels and aliases (HTML, or JSON by Accept or format=json)")
async def search_route(request: Request, state: StateDep) -> Response:
    params = request.query_params
    fmt = (params.get("format") or "").lower()
    if fmt and fmt not in {"json", "html"}:
        raise HTTPProblem(400, f"unknown format {fmt!r}; one of: html, json")
    if not fmt:
        chosen = choose(request.headers.get("accept"), {"html": HTML, "json": JSON}, "html")
        fmt = chosen.name if chosen else "html"
    q = (params.get("q") or "").strip()
    problem = None
    if not q:
        problem = "no search text; give it as ?q=..."
    elif len(q) > MAX_QUERY:
        problem = f"the search text is too long ({len(q)} characters; at most {MAX_QUERY})"
    if problem:
        if fmt == "json":
            raise HTTPProblem(400, problem)
        return error_page(400, problem)
    hits = await state.page_work(search, state.store, state.settings.id_base, q)
    if fmt == "json":
        return JSONResponse(
            {"query": q, "results": [asdict(h) for h in hits]}, headers={"Vary": "Accept"}
        )
    body = await state.page_work(lambda: render("search.html", q=q, hits=hits))
    return Response(body, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
