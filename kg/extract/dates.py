"""Time expressions in a sentence, resolved against the article's dateline.

Weekdays point into the dateline's week: in the past tense the latest such day on or before
the dateline, in the future tense the next one. Explicit dates without a year take the
dateline's year (the previous one if that puts a past event well after the dateline).

>>> [h.value for h in find_dates("He arrived on Tuesday.", "2024-11-07")]
['2024-11-05']
>>> [h.value for h in find_dates("He will arrive on Tuesday.", "2024-11-07")]
['2024-11-12']
>>> h = find_dates("They met from 3 to 6 May.", "2024-05-10")[0]
>>> h.value, h.end_value
('2024-05-03', '2024-05-06')
>>> find_dates("Putin came for the first time in 24 years.", "2024-11-06")[0].value
'2000'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY_NAMES = tuple(d.title() for d in WEEKDAYS)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
}
MONTH = (
    r"(?P<{n}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<{n}>1[89]\d\d|20\d\d)"
WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "range_dm",
        re.compile(
            rf"\b(?:from\s+)?{DAY.format(n='d1')}\s*(?:-|–|to|until|and)\s*{DAY.format(n='d2')}\s+"
            rf"{MONTH.format(n='m')}(?:,?\s+{YEAR.format(n='y')})?\b"
        ),
    ),
    (
        "range_md",
        re.compile(
            rf"\b(?:from\s+)?{MONTH.format(n='m')}\s+{DAY.format(n='d1')}\s*(?:-|–|to|until|and)\s*"
            rf"{DAY.format(n='d2')}(?:,?\s+{YEAR.format(n='y')})?\b"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b{DAY.format(n='d')}\s+(?:of\s+)?{MONTH.format(n='m')}(?:,?\s+{YEAR.format(n='y')})?\b"
        ),
    ),
    (
        "mdy",
        re.compile(
            rf"\b{MONTH.format(n='m')}\s+{DAY.format(n='d')}\b(?!\s*(?:%|per|billion|million))"
            rf"(?:,?\s+{YEAR.format(n='y')}|(?P<ly>\s+last year))?"
        ),
    ),
    (
        "my",
        re.compile(
            rf"\b(?:in\s+|since\s+|last\s+|next\s+|this\s+)?{MONTH.format(n='m')}"
            rf"(?:\s+{YEAR.format(n='y')})?\b"
        ),
    ),
    (
        "weekday",
        re.compile(rf"\b(?:(?P<rel>last|next|this|on|earlier on|later on)\s+)?{WEEKDAY}\b"),
    ),
    (
        "relday",
        re.compile(
            r"\b(?P<rd>yesterday|today|tomorrow|tonight|this (?:morning|afternoon|evening))\b", re.I
        ),
    ),
    ("relperiod", re.compile(r"\b(?P<rel>last|next|this)\s+(?P<unit>week|month|year)\b", re.I)),
    (
        "first_in",
        re.compile(r"\bfor the first time (?:in|since)\s+(?P<n>\d+|[a-z]+)(?:\s+|-)years?\b", re.I),
    ),
    ("year", re.compile(rf"\b(?:in|since|during|of)\s+{YEAR.format(n='y')}\b")),
    # "a 2018 trip to France", "his 1999 state visit"
    (
        "year",
        re.compile(
            rf"\b{YEAR.format(n='y')}\s+(?=(?:state\s+|official\s+)?"
            r"(?:visit|trip|tour|summit|meeting|talks)\b)"
        ),
    ),
    ("recent", re.compile(r"\b(?P<recent>recently|earlier this year|last time)\b", re.I)),
]
FUTURE_RE = re.compile(
    r"\b(?:will|'ll|shall|is to|are to|to be|plans?|planned|planning|scheduled|expected|due to|"
    r"(?:is|are)\s+due\s+in|"
    r"is set to|are set to|intends?|is going to|upcoming|begins|starts|to visit|to travel|"
    # "next week", not a story's "Next, ...".
    r"next\s+(?:week|month|year|day|time|spring|summer|autumn|fall|winter|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"would|expects|later this (?:week|month|year)|likely to|soon|leaves|departs|sets off)\b",
    re.I,
)


@dataclass(frozen=True)
class DateHit:
    """A time expression: offsets in the sentence, its ISO value(s), how it was worked out."""

    start: int
    end: int
    text: str
    value: str | None
    end_value: str | None = None
    inferred: bool = False
    before: str | None = None
    kind: str = ""


def parse_date_line(line: str) -> str | None:
    """The date a line consists of ("Wednesday, 06 November 2024", "Friday, January 4, 2019").

    >>> parse_date_line("Friday, January 4, 2019"), parse_date_line("Not a date")
    ('2019-01-04', None)
    """
    line = line.strip().rstrip(".")
    if len(line) > 40:
        return None
    rest = re.sub(rf"^{WEEKDAY},?\s*", "", line)
    for kind in ("dmy", "mdy"):
        m = dict(PATTERNS)[kind].fullmatch(rest)
        if m and m.group("y"):
            return _ymd(int(m["y"]), m["m"], m["d"])
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", rest)
    return rest if m else None


def _month(name: str) -> int:
    return MONTHS[name.lower()[:3]]


def _ymd(year: int, month: str | int, day: str | int) -> str | None:
    try:
        return date(year, month if isinstance(month, int) else _month(month), int(day)).isoformat()
    except ValueError:
        return None


def is_future(text: str) -> bool:
    """Whether a clause speaks of the future ("will visit", "is to arrive", "next week").

    >>> is_future("He will visit Paris"), is_future("He visited Paris")
    (True, False)
    """
    return bool(FUTURE_RE.search(text))


def find_dates(sentence: str, dateline: str | None, future: bool | None = None) -> list[DateHit]:
    """Every time expression in ``sentence``, resolved against ``dateline`` (ISO) if known."""
    anchor = _anchor(dateline)
    fut = is_future(sentence) if future is None else future
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            hit = _resolve(kind, m, anchor, fut)
            if hit is not None:
                hits.append(hit)
                taken.append((m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def _anchor(dateline: str | None) -> date | None:
    if not dateline or len(dateline) < 10:
        return None
    try:
        return date.fromisoformat(dateline[:10])
    except ValueError:
        return None


def _year_for(anchor: date | None, month: int, day: int, future: bool) -> int | None:
    if anchor is None:
        return None
    year = anchor.year
    try:
        guess = date(year, month, day)
    except ValueError:
        return year
    if not future and guess > anchor + timedelta(days=31):
        return year - 1
    if future and guess < anchor - timedelta(days=31):
        return year + 1
    return year


def _resolve(kind: str, m: re.Match[str], anchor: date | None, future: bool) -> DateHit | None:
    def hit(value: str | None, **kw: object) -> DateHit:
        return DateHit(m.start(), m.end(), m.group(0), value, kind=kind, **kw)  # type: ignore[arg-type]

    g = m.groupdict()
    if kind in ("range_dm", "range_md"):
        month = _month(g["m"])
        d1, d2 = int(g["d1"]), int(g["d2"])
        if not (1 <= d1 <= d2 <= 31):
            return None
        year = int(g["y"]) if g.get("y") else _year_for(anchor, month, d1, future)
        if year is None:
            return None
        return hit(_ymd(year, month, d1), end_value=_ymd(year, month, d2))
    if kind in ("dmy", "mdy"):
        month, day = _month(g["m"]), int(g["d"])
        if not 1 <= day <= 31:
            return None
        year = int(g["y"]) if g.get("y") else _year_for(anchor, month, day, future)
        if year is None:
            return None
        if g.get("ly") and anchor is not None:
            year = anchor.year - 1
        return hit(_ymd(year, month, day))
    if kind == "my":
        if (
            g["m"] == "May"
            and not g.get("y")
            and not m.group(0).lower().startswith(("in", "last", "next", "since", "this"))
        ):
            return None  # "may" as a verb at a sentence start
        month = _month(g["m"])
        if g.get("y"):
            return hit(f"{int(g['y']):04d}-{month:02d}")
        year = _year_for(anchor, month, 1, future)
        return hit(f"{year:04d}-{month:02d}" if year else None)
    if kind == "weekday":
        if anchor is None:
            return hit(None)
        wd = WEEKDAYS.index(g["wd"].lower())
        rel = (g.get("rel") or "").lower()
        back = (anchor.weekday() - wd) % 7
        if rel == "last":  # the named day of the week before the dateline's week
            day = anchor - timedelta(days=anchor.weekday() + 7 - wd)
        elif rel == "next" or (future and rel != "last"):
            day = anchor + timedelta(
                days=(wd - anchor.weekday()) % 7 or (7 if rel == "next" else 0)
            )
        else:
            day = anchor - timedelta(days=back)
        return hit(day.isoformat())
    if kind == "relday":
        if anchor is None:
            return hit(None)
        word = g["rd"].lower()
        shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        return hit((anchor + timedelta(days=shift)).isoformat())
    if kind == "relperiod":
        if anchor is None:
            return hit(None)
        rel, unit = g["rel"].lower(), g["unit"].lower()
        step = {"last": -1, "next": 1, "this": 0}[rel]
        if unit == "week":
            return hit(None)
        if unit == "year":
            return hit(f"{anchor.year + step:04d}")
        month0 = anchor.year * 12 + anchor.month - 1 + step
        return hit(f"{month0 // 12:04d}-{month0 % 12 + 1:02d}")
    if kind == "first_in":
        raw = g["n"].lower()
        years = int(raw) if raw.isdigit() else NUMBERS.get(raw)
        if anchor is None or years is None:
            return None
        return hit(f"{anchor.year - years:04d}", inferred=True)
    if kind == "year":
        return hit(f"{int(g['y']):04d}")
    if kind == "recent":
        return hit(None, before=anchor.isoformat() if anchor else None)
    return None
