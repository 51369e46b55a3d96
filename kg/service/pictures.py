"""Pictures of visits, drawn by the service as SVG: a timeline and a network of states.

``/timeline`` (a leader's visits, a state's visits in and out, or visits from one state to
another) and ``/network`` (who travels to whom, how often) are pages with the picture inline
and the same data as a table; ``/timeline.svg`` and ``/network.svg`` are the pictures alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kg.queries import QueryError, resolve_entity
from kg.service import graphread as gr
from kg.service.errors import HTTPProblem
from kg.service.state import ServiceState, StateDep
from kg.service.templating import error_page, render
from kg.store import Store

router = APIRouter()

MAX_TIMELINE = 300
MAX_NODES = 40
WIDTH = 960
LABEL_WIDTH = 330
ROW = 24
AXIS = 44


def year_fraction(value: str) -> float | None:
    """A date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as a year with a fraction.

    >>> year_fraction("2024"), year_fraction("2024-07"), round(year_fraction("2024-12-31"), 3)
    (2024.0, 2024.5, 2024.997)
    >>> year_fraction("soon") is None
    True
    """
    parts = value.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return float(year)
        month = int(parts[1])
        if len(parts) == 2:
            return year + (month - 1) / 12
        day_of_year = date(year, month, int(parts[2][:2])).timetuple().tm_yday
    except (ValueError, IndexError):
        return None
    return year + (day_of_year - 1) / 366


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Mark:
    y: float
    x: float
    x_end: float
    label: str
    href: str
    when: str


@dataclass
class TimelinePicture:
    title: str
    width: int
    height: int
    ticks: list[Tick]
    marks: list[Mark]
    chart_left: int = LABEL_WIDTH
    axis_y: int = AXIS - 14


def ticks_for(low: float, high: float, scale) -> list[Tick]:  # type: ignore[no-untyped-def]
    """Axis ticks: months for a short span, years (thinned to about a dozen) otherwise."""
    if high - low <= 2:
        out, month = [], math.floor(low * 12)
        while month / 12 <= high:
            if month / 12 >= low:
                out.append(Tick(scale(month / 12), f"{month // 12}-{month % 12 + 1:02d}"))
            month += 1 if high - low <= 1 else 3
        return out
    step = max(1, math.ceil((high - low) / 12))
    first = math.ceil(low / step) * step
    return [Tick(scale(y), str(y)) for y in range(first, math.floor(high) + 1, step)]


def timeline_picture(title: str, visits: list[gr.VisitRow]) -> TimelinePicture:
    """Lay out dated visits on a time axis, one row each, oldest first."""
    dated = [(v, year_fraction(v.start)) for v in visits if v.start]
    dated = [(v, x) for v, x in dated if x is not None]
    if not dated:
        return TimelinePicture(title, WIDTH, AXIS + ROW, [], [])
    ends = [year_fraction(v.end) or x for v, x in dated if v.end]
    low = min(x for _, x in dated)
    high = max([x for _, x in dated] + ends)
    if high - low < 1 / 12:
        low, high = low - 1 / 12, high + 1 / 12
    pad = (high - low) * 0.03
    low, high = low - pad, high + pad
    left, right = LABEL_WIDTH + 10, WIDTH - 20

    def scale(year: float) -> float:
        return round(left + (year - low) / (high - low) * (right - left), 1)

    marks = []
    for i, (v, x) in enumerate(dated):
        end = year_fraction(v.end) if v.end else None
        when = v.start + (f" – {v.end}" if v.end and v.end != v.start else "")
        marks.append(
            Mark(
                y=AXIS + i * ROW + ROW / 2,
                x=scale(x),
                x_end=scale(end) if end and end > x else scale(x),
                label=f"{v.start}  {v.visitor.label} → {v.destination.label}",
                href=v.href,
                when=when,
            )
        )
    return TimelinePicture(
        title, WIDTH, AXIS + len(marks) * ROW + 10, ticks_for(low, high, scale), marks
    )


@dataclass
class Node:
    iri: str
    label: str
    href: str
    x: float
    y: float
    anchor: str
    lx: float
    ly: float
    total: int


@dataclass
class Edge:
    source: Node
    target: Node
    count: int
    path: str
    width: float
    href: str
    mx: float
    my: float


@dataclass
class NetworkPicture:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]
    pairs: list[tuple[gr.Link, gr.Link, int, str]] = field(default_factory=list)
    dropped: int = 0


def network_picture(pairs: list[tuple[gr.Link, gr.Link, int]]) -> NetworkPicture:
    """States on a circle, an arrow from the visiting state to the host state per pair
    (``pairs``: visiting state, host state, how many visits; see :func:`gr.state_pairs`).

    The busiest states are kept (at most ``MAX_NODES``); the table lists every pair.
    """
    counts: dict[tuple[str, str], int] = {}
    links: dict[str, gr.Link] = {}
    for a, b, n in pairs:
        if a.iri == b.iri:
            continue  # a visit at home is no arrow
        links[a.iri], links[b.iri] = a, b
        counts[(a.iri, b.iri)] = counts.get((a.iri, b.iri), 0) + n
    totals: dict[str, int] = {}
    for (a, b), n in counts.items():
        totals[a] = totals.get(a, 0) + n
        totals[b] = totals.get(b, 0) + n
    kept = sorted(totals, key=lambda s: (-totals[s], links[s].label))[:MAX_NODES]
    size, radius = 720, 250
    centre = size / 2
    nodes: dict[str, Node] = {}
    for i, s in enumerate(sorted(kept, key=lambda s: links[s].label)):
        angle = 2 * math.pi * i / max(1, len(kept)) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        nodes[s] = Node(
            iri=s,
            label=links[s].label,
            href=links[s].href,
            x=round(centre + radius * cos, 1),
            y=round(centre + radius * sin, 1),
            anchor="start" if cos > 0.2 else "end" if cos < -0.2 else "middle",
            lx=round(centre + (radius + 14) * cos, 1),
            ly=round(centre + (radius + 14) * sin + 4, 1),
            total=totals[s],
        )
    top = max(counts.values(), default=1)
    edges = []
    for (a, b), n in sorted(counts.items(), key=lambda kv: kv[1]):
        if a not in nodes or b not in nodes:
            continue
        s, t = nodes[a], nodes[b]
        # Bend each arrow to its right, so a->b and b->a do not overlap.
        mx, my = (s.x + t.x) / 2, (s.y + t.y) / 2
        dx, dy = t.x - s.x, t.y - s.y
        length = math.hypot(dx, dy) or 1
        cx, cy = mx - dy / length * 30, my + dx / length * 30
        edges.append(
            Edge(
                source=s,
                target=t,
                count=n,
                path=f"M{s.x},{s.y} Q{round(cx, 1)},{round(cy, 1)} {t.x},{t.y}",
                width=round(1.5 + 4 * n / top, 1),
                href="/timeline?" + urlencode({"from": a, "to": b}),
                mx=round((mx + cx) / 2, 1),
                my=round((my + cy) / 2, 1),
            )
        )
    pairs = [
        (links[a], links[b], n, "/timeline?" + urlencode({"from": a, "to": b}))
        for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return NetworkPicture(size, size, list(nodes.values()), edges, pairs, len(totals) - len(kept))


def _one_entity(store: Store, value: str, kind: str, param: str) -> str:
    try:
        found = resolve_entity(store, value, kind)
    except QueryError as exc:
        raise HTTPProblem(400, f"{exc} (parameter {param!r})") from exc
    if not found:
        raise HTTPProblem(404, f"no {kind} matches {value!r} (parameter {param!r})")
    if len(found) > 1:
        names = ", ".join(n.value for n in found[:10])
        raise HTTPProblem(400, f"{value!r} names {len(found)} {kind}s ({names}); give one IRI")
    return found[0].value


def timeline_data(
    state: ServiceState, params: dict[str, str]
) -> tuple[str, list[gr.VisitRow], str]:
    """The title, the visits and the query string of the timeline the parameters ask for."""
    store, id_base = state.store, state.settings.id_base
    known = {"leader", "state", "from", "to"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise HTTPProblem(
            400, f"unknown parameter(s) {', '.join(unknown)}; give leader, state, or from and to"
        )
    given = {k: v.strip() for k, v in params.items() if v.strip()}
    labeller = gr.Labeller(store, id_base)
    if "leader" in given:
        who = _one_entity(store, given["leader"], "leader", "leader")
        rows = gr.visits(store, id_base, {"visitor": who}, with_evidence=False)
        return f"Visits by {labeller.label(who)}", rows, urlencode({"leader": who})
    if "state" in given:
        st = _one_entity(store, given["state"], "state", "state")
        seen: dict[str, gr.VisitRow] = {}
        for role in ("hostState", "visitingState"):
            for v in gr.visits(store, id_base, {role: st}, with_evidence=False):
                seen.setdefault(v.iri, v)
        rows = sorted(seen.values(), key=lambda v: (not v.start, v.start, v.visitor.label))
        return f"Visits to and from {labeller.label(st)}", rows, urlencode({"state": st})
    if "from" in given or "to" in given:
        if not ("from" in given and "to" in given):
            raise HTTPProblem(400, "give both 'from' and 'to' (two states) for their relations")
        a = _one_entity(store, given["from"], "state", "from")
        b = _one_entity(store, given["to"], "state", "to")
        rows = gr.visits(store, id_base, {"visitingState": a, "hostState": b}, with_evidence=False)
        title = f"Visits from {labeller.label(a)} to {labeller.label(b)}"
        return title, rows, urlencode({"from": a, "to": b})
    rows = gr.visits(store, id_base, None, with_evidence=False)
    dated = [v for v in rows if v.start]
    if len(dated) > MAX_TIMELINE:
        rows = dated[-MAX_TIMELINE:]
        return f"The latest {MAX_TIMELINE} dated visits", rows, ""
    return "All visits", rows, ""


def _params(request: Request) -> dict[str, str]:
    return dict(request.query_params)


@router.get("/timeline", summary="Timeline of visits (page): leader=, state=, or from= and to=")
async def timeline_page(request: Request, state: StateDep) -> Response:
    params = _params(request)

    def build() -> str:
        title, rows, query = timeline_data(state, params)
        return render(
            "timeline.html",
            picture=timeline_picture(title, rows),
            rows=rows,
            svg_url="/timeline.svg" + (f"?{query}" if query else ""),
            params=params,
        )

    try:
        return HTMLResponse(await state.page_work(build))
    except HTTPProblem as exc:
        return error_page(exc.status, exc.message)


@router.get("/timeline.svg", summary="Timeline of visits (SVG)")
async def timeline_svg(request: Request, state: StateDep) -> Response:
    params = _params(request)

    def build() -> str:
        title, rows, _ = timeline_data(state, params)
        return render("timeline.svg", picture=timeline_picture(title, rows), standalone=True)

    return Response(await state.page_work(build), media_type="image/svg+xml")


def _network(state: ServiceState) -> NetworkPicture:
    return network_picture(gr.state_pairs(state.store, state.settings.id_base))


@router.get("/network", summary="Network of visits between states (page)")
async def network_page(state: StateDep) -> Response:
    def build() -> str:
        return render("network.html", picture=_network(state))

    return HTMLResponse(await state.page_work(build))


@router.get("/network.svg", summary="Network of visits between states (SVG)")
async def network_svg(state: StateDep) -> Response:
    def build() -> str:
        return render("network.svg", picture=_network(state), standalone=True)

    return Response(await state.page_work(build), media_type="image/svg+xml")
