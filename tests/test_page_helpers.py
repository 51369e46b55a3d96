"""The pure helpers behind the pages: the layout of the pictures (their doctests run in
tests/test_doctests.py)."""

from __future__ import annotations

from kg.service import pictures
from kg.service.graphread import Link, VisitRow


def visit(n: int, start: str, end: str = "", a: str = "A", b: str = "B") -> VisitRow:
    def link(x: str) -> Link:
        return Link(f"http://e/{x}", x, f"/id/{x}")

    return VisitRow(
        f"http://e/v{n}",
        f"/id/v{n}",
        link(f"p{n}"),
        link("city"),
        [],
        link(b),
        link(a),
        start,
        end,
        "occurred",
    )


def test_timeline_places_visits_in_date_order_and_skips_undated() -> None:
    pic = pictures.timeline_picture(
        "t", [visit(1, "2001"), visit(2, "2010-06-01", "2011-01-01"), visit(3, "")]
    )
    assert [m.href for m in pic.marks] == ["/id/v1", "/id/v2"]
    first, second = pic.marks
    assert first.x < second.x < second.x_end <= pic.width
    assert first.x >= pic.chart_left
    assert [t.label for t in pic.ticks] == sorted(t.label for t in pic.ticks)


def test_timeline_of_one_day_still_has_an_axis() -> None:
    pic = pictures.timeline_picture("t", [visit(1, "2024-11-06")])
    assert len(pic.marks) == 1 and pic.ticks


def test_network_counts_pairs_and_ignores_visits_at_home() -> None:
    a, b = (Link(f"http://e/{x}", x, f"/id/{x}") for x in "AB")
    pic = pictures.network_picture([(a, b, 2), (b, a, 1), (a, a, 4)])
    counts = {(e.source.label, e.target.label): e.count for e in pic.edges}
    assert counts == {("A", "B"): 2, ("B", "A"): 1}
    assert {n.label: n.total for n in pic.nodes} == {"A": 3, "B": 3}
    a_to_b = next(e for e in pic.edges if e.source.label == "A")
    assert a_to_b.width > next(e for e in pic.edges if e.source.label == "B").width
