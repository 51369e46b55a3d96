"""HTTP content negotiation over the format tables of :mod:`kg.formats`.

>>> from kg.formats import RESULT_FORMATS
>>> choose("text/csv;q=0.5, application/sparql-results+json", RESULT_FORMATS, "json").name
'json'
>>> choose("image/png", RESULT_FORMATS, "json") is None
True
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.formats import Format


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an ``Accept`` header with their quality, best first."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for position, part in enumerate(header.split(",")):
        items = [p.strip() for p in part.split(";")]
        media = items[0].lower()
        if not media:
            continue
        q = 1.0
        for param in items[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


def _matches(media_range: str, f: Format) -> bool:
    if media_range == "*/*":
        return True
    types = (f.media_type, *f.aliases)
    if media_range.endswith("/*"):
        return any(t.startswith(media_range[:-1]) for t in types)
    return media_range in types


def _specificity(media_range: str) -> int:
    if media_range == "*/*":
        return 0
    return 1 if media_range.endswith("/*") else 2


def choose(accept: str | None, table: Mapping[str, Format], default: str) -> Format | None:
    """The best format of ``table`` for an ``Accept`` header; None when nothing is acceptable.

    Among equally good matches the table's default wins, then the table's order.
    """
    ranked = parse_accept(accept)
    order = [table[default], *(f for n, f in table.items() if n != default)]
    best: tuple[float, int] | None = None
    chosen = None
    for index, f in enumerate(order):
        # The most specific matching range decides this format's quality.
        matching = [(m, q) for m, q in ranked if _matches(m, f)]
        if not matching:
            continue
        q = max(matching, key=lambda mq: _specificity(mq[0]))[1]
        if q <= 0:
            continue
        key = (q, -index)
        if best is None or key > best:
            best, chosen = key, f
    return chosen
