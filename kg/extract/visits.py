"""Visits: a leader travelling to a place abroad, one visit per destination.

Patterns: visit, arrive, land, touch down, fly/travel/go to, trip/tour/stopover, hold talks
in, and host/receive/welcome (the guest is the visitor). The visitor is the subject (or the
owner of "his visit"), the destinations are the places listed after the verb; a destination
in the visitor's own state is travel at home, not a visit. Dates come from the sentence,
resolved against the dateline; "for the first time in 24 years" adds the earlier visit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.dates import DateHit, find_dates, is_future
from kg.extract.entities import EntityTable, Mention
from kg.extract.reader import WIRE_RE
from kg.extract.segment import Sentence
from kg.link.places import Places
from kg.model import EntityType, Status

TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    ("host", re.compile(r"\b(?:host(?:s|ed|ing)?|receiv(?:e|es|ed|ing)|welcom(?:e|es|ed|ing))\b")),
    ("visit", re.compile(r"\bvisit(?:s|ed|ing)?\b(?:\s+(?:to|of)\b)?", re.I)),
    ("attend", re.compile(r"\b(?:was|were|is|are|been)\s+attended\s+by\b|\battend(?:s|ed|ing)?\b")),
    (
        "arrive",
        re.compile(
            r"\b(?:arriv(?:e|es|ed|ing)|land(?:s|ed|ing)?|touch(?:es|ed|ing)?\s+down)"
            r"\s+(?:in|at|on)\b"
        ),
    ),
    (
        "travel",
        re.compile(
            r"\b(?:fl(?:ew|ies|y|ying|own)|travel(?:l?ed|s|l?ing)?|went|goes|go|going|gone|head(?:s|ed)?"
            r"|came|comes|jet(?:s|ted)?)\s+(?:on\s+)?to\b"
            # "arrived after flying from the United States, where he met ...": a stop before.
            r"|\bafter\s+(?:flying|travell?ing|coming|arriving)\s+from\b"
        ),
    ),
    (
        "trip",
        re.compile(
            r"\b(?:trip|journey|tour|stopover|mission|talks|summit)s?\s+(?:to|of|in|at)\b"
            r"|\btour\s+(?:which|that)\s+include[sd]?\b"
        ),
    ),
]
NEGATION = re.compile(
    r"\b(?:not|never|no|cancel+(?:ed|s)?|postpone[ds]?|call(?:ed)? off|refused)\b"
    r"[^.]{0,25}$"
)
DOUBT = re.compile(r"\b(?:may|might|could|possible|possibly|considering|invited)\b")
PRESENT = re.compile(
    r"\b(?:arrives|is visiting|are visiting|is in|lands|touches down|begins|"
    r"on a visit|currently|today)\b"
)
LIST_GAP = re.compile(
    r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+then\s+|\s+and\s+then\s+|"
    r"\s*,\s*then\s+|\s+before\s+|\s+via\s+)(?:the\s+)?(?:(?:capital|city)\s+)?$"
)
ENDING = re.compile(
    r"\b(?:end of|winding up|wrapping up|concluding|concluded|ended|ending)\s+"
    r"(?:an?|his|her|the|their)\s+(?:\w+\s+)?(?P<n>[\w-]+)-day\s+visit"
)
CANCELLED = re.compile(
    r"[^.;]{0,60}\b(?:was|were|has been|had been|is|are)\s+"
    r"(?:cancel+ed|postponed|called off|scrapped)\b"
)
GUEST_GAP = re.compile(
    r"\s*(?:(?:the|his|her|a)\s+)?(?:[A-Z][\w.-]*\s+|[a-z]+\s+(?:minister|president)\s+)*"
)
FUTURE_AFTER = re.compile(r"\b(?:next|later this|soon|upcoming|tomorrow)\b")
CLAUSE_END = re.compile(r"[;:]|\s(?:where|while|but|which|who|after|because|as)\s|\.\s")


@dataclass
class FoundVisit:
    """A visit read from one sentence (entity keys, not yet ids)."""

    visitor: str
    destination: str
    hosts: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    before: str | None = None
    status: Status = Status.OCCURRED
    time_expression: str | None = None
    inferred: bool = False
    sentence: int = 0
    claim: tuple[int, int] = (0, 0)
    rule: str = ""
    confidence: float = 0.9


def find_visits(
    sents: list[Sentence],
    table: EntityTable,
    dateline: str | None,
    dateline_place: str | None = None,
    quoted: list[tuple[int, int]] | None = None,
) -> list[FoundVisit]:
    """Every visit the sentences state, merged per (visitor, destination).

    ``quoted`` are the spans inside quotation marks: triggers there are skipped.
    """
    quoted = quoted or []
    found: list[FoundVisit] = []
    places = [m for m in table.mentions if m.kind == "place"]
    last_destinations: list[str] = []
    fallback = _dateline_state(table, dateline_place)
    for i, s in enumerate(sents):
        people = table.in_sentence(i)
        here = [m for m in places if m.sentence == i]
        taken_spans: list[tuple[int, int]] = []
        now: list[str] = []
        for rule, pattern in TRIGGERS:
            for m in pattern.finditer(s.text):
                t_start, t_end = s.start + m.start(), s.start + m.end()
                if any(a <= t_start < b for a, b in taken_spans):
                    continue
                if NEGATION.search(s.text[: m.start()]) or CANCELLED.match(s.text, m.end()):
                    continue
                if any(a <= t_start < b for a, b in quoted):
                    continue  # a speaker's own words: "we will visit" names no visitor
                visits = _read(
                    rule,
                    s,
                    i,
                    t_start,
                    t_end,
                    people,
                    here,
                    table,
                    dateline,
                    last_destinations,
                    fallback if i < 3 else None,
                    _unquoted(s, quoted),
                    _scene(sents[i - 1], places, dateline) if i > 0 else ([], None),
                )
                if visits:
                    taken_spans.append((t_start, t_end))
                    found.extend(visits)
                    now.extend(v.destination for v in visits)
                elif rule in ("trip", "visit"):
                    now.extend(
                        _places_after(s, here, t_end, s.start + _clause_end(s.text, m.end()))
                    )
        last_destinations = now
    return _merge(_at_dateline_place(found, table, dateline, dateline_place), table)


def _read(
    rule: str,
    s: Sentence,
    i: int,
    t_start: int,
    t_end: int,
    people: list[Mention],
    here: list[Mention],
    table: EntityTable,
    dateline: str | None,
    last_destinations: list[str],
    fallback: str | None,
    unquoted: str,
    scene: tuple[list[str], str | None] = ([], None),
) -> list[FoundVisit]:
    rel_end = t_end - s.start
    window_end = _clause_end(s.text, rel_end)
    hosts: list[str] = []
    if rule == "attend":
        # "The meeting was attended by A and B" / "A attended the summit in Athens": the
        # place is named here or where the previous sentence set the meeting.
        passive = "attended by" in s.text[t_start - s.start : t_end - s.start]
        if passive:
            visitors = [p.ref for p in people if p.start >= t_end]  # type: ignore[misc]
        else:
            visitors = _visitors(s, t_start, t_end, people)
        dests = [
            d
            for d in _places_after(s, here, t_end, s.start + window_end)
            if any(
                p.ref == d
                and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", s.text[: p.start - s.start][-16:])
                for p in here
            )
        ] or list(scene[0])
        dests = [d for d in dests if table.get(d).type != EntityType.STATE][:1] or dests[:1]
        hosts = []
    elif rule == "host":
        guests = [
            p
            for p in people
            if t_end <= p.start <= t_end + 40
            and p.text.lower() not in ("his", "her")
            and GUEST_GAP.fullmatch(s.text[t_end - s.start : p.start - s.start])
        ]
        if not guests:
            return []
        visitors = [guests[0].ref]
        hosts = [p.ref for p in people if p.start < t_start][-1:]  # type: ignore[misc]
        dests = _places_after(s, here, t_end, s.start + window_end)
        if not dests and hosts:
            host_country = table.get(hosts[0]).country
            if host_country:
                dests = [table.place(host_country, EntityType.STATE)]
    else:
        visitors = _visitors(s, t_start, t_end, people)
        dests = _places_after(s, here, t_end, s.start + window_end)
        if (
            not dests
            and rule == "visit"
            and last_destinations
            and re.match(r"\s*(?:in|on|during|last|this|\d)", s.text[rel_end:])
        ):
            dests = list(last_destinations)  # "King Faisal visited in 1967": the same place
        home = {table.get(v).country for v in visitors if v}
        abroad = bool(fallback and home) and not any(
            h is None or Places.default().same_state(h, table.get(fallback).label) for h in home
        )
        if not dests and fallback and rule in ("visit", "arrive") and abroad:
            dests = [fallback]  # "LONDON - King Fahd begins a state visit on Tuesday"
        hosts = [
            p.ref
            for p in people
            if p.start > t_end
            and p.ref not in visitors  # type: ignore[misc]
            and re.search(r"\b(?:with|by|meet|met)\s+$", s.text[: p.start - s.start][-30:])
        ]
    # "a visit to Iraq, where he met leaders in Baghdad": the cities of a visited state.
    for m in here:
        info = table.get(m.ref)
        if (
            m.start >= s.start + window_end
            and info.type == EntityType.CITY
            and m.ref not in dests
            and any(
                table.get(d).type == EntityType.STATE and table.get(d).label == info.country
                for d in dests
            )
        ):
            dests.append(m.ref)  # type: ignore[arg-type]
    visitors = [v for v in visitors if v and table.get(v).type == EntityType.LEADER]
    if not visitors or not dests:
        return []
    clause = unquoted[:window_end]
    # Future markers come before the verb ("will visit", "is to arrive") or name a time after
    # it ("next week", "soon"); what follows a past verb ("arrived for talks likely to ...")
    # is another clause's tense.
    future = is_future(unquoted[: t_start - s.start]) or bool(
        FUTURE_AFTER.search(unquoted, t_end - s.start, window_end)
    )
    hits = find_dates(unquoted, dateline, future)
    date = _nearest(hits, t_start - s.start, window_end)
    start_from_scene = scene[1] if date is None and rule == "attend" else None
    status = Status.PLANNED if future else Status.OCCURRED
    start = end = before = None
    if date is not None:
        start, end, before = date.value, date.end_value, date.before
        start = _first_day(s.text, start)
        if not date.inferred and start and dateline and len(start) == 10:
            if start > dateline[:10]:
                status = Status.PLANNED
            elif start == dateline[:10] and not future:
                status = Status.ONGOING
    elif start_from_scene:
        start = start_from_scene
    elif PRESENT.search(clause) and dateline and rule in ("arrive", "visit"):
        start, status = dateline[:10], Status.ONGOING
    elif ENDING.search(s.text) and dateline:
        start, status = _first_day(s.text, dateline[:10]), Status.ONGOING
    confidence = 0.5 if DOUBT.search(clause) else 0.9
    out = []
    for visitor in visitors:
        home = table.get(visitor).country
        for dest in dests:
            info = table.get(dest)
            dest_state = info.country if info.type != EntityType.STATE else info.label
            if home and Places.default().same_state(dest_state, home):
                continue  # travel inside one's own country
            if dest in visitors:
                continue
            common = dict(
                visitor=visitor,
                destination=dest,
                hosts=[h for h in hosts if h != visitor],
                sentence=i,
                claim=(t_start, t_end),
                rule=f"visit:{rule}",
            )
            if date is not None and date.inferred:
                # "for the first time in 24 years": this visit now, and the one back then.
                out.append(
                    FoundVisit(
                        **common, status=status, start=_today(hits, dateline), confidence=confidence
                    )
                )
                out.append(
                    FoundVisit(
                        **common,
                        status=Status.OCCURRED,
                        start=start,
                        inferred=True,
                        time_expression=date.text,
                        confidence=0.7,
                    )
                )
                continue
            out.append(
                FoundVisit(
                    **common,
                    start=start,
                    end=end,
                    before=before,
                    status=status,
                    time_expression=date.text if date else None,
                    confidence=confidence,
                )
            )
    return out


MEETING_RE = re.compile(r"\b(?:summit|meeting|conference|talks|session|forum)\b", re.I)


def _scene(
    prev: Sentence, places: list[Mention], dateline: str | None
) -> tuple[list[str], str | None]:
    """Where and when the previous sentence set a meeting: "a summit, that time in Athens"."""
    m = MEETING_RE.search(prev.text)
    if not m:
        return [], None
    keys = [
        p.ref
        for p in places
        if p.sentence >= 0
        and prev.start + m.end() <= p.start < prev.end
        and re.search(r"\b(?:in|at)\s+$", prev.text[: p.start - prev.start][-12:])
    ]
    days = [h.value for h in find_dates(prev.text, dateline) if h.value and not h.inferred]
    return [k for k in keys if k], (days[0] if days else None)


def _unquoted(s: Sentence, quoted: list[tuple[int, int]]) -> str:
    """The sentence with quoted words blanked (same length): their dates are the speaker's."""
    chars = list(s.text)
    wire = WIRE_RE.match(s.text)
    if wire:  # "TOKYO, April 27 -" dates the story, not the visit
        chars[: wire.end()] = " " * wire.end()
    for a, b in quoted:
        for k in range(max(a, s.start), min(b, s.end)):
            chars[k - s.start] = " "
    return "".join(chars)


def _first_day(text: str, last: str | None) -> str | None:
    """The first day of an N-day visit whose end is dated ("end of a two-day visit yesterday")."""
    m = ENDING.search(text)
    if not m or not last or len(last) != 10:
        return last
    from datetime import date, timedelta

    from kg.extract.dates import NUMBERS

    raw = m["n"].lower()
    days = int(raw) if raw.isdigit() else NUMBERS.get(raw)
    if not days:
        return last
    return (date.fromisoformat(last) - timedelta(days=days - 1)).isoformat()


def _dateline_state(table: EntityTable, place: str | None) -> str | None:
    """The state a wire story was filed from: the destination a lead sentence leaves implicit."""
    if not place:
        return None
    from kg.link.places import Places

    city = Places.default().city(place)
    return table.place(city.country, EntityType.STATE) if city and city.country else None


def _today(hits: list[DateHit], dateline: str | None) -> str | None:
    exact = [h for h in hits if not h.inferred and h.value and len(h.value) == 10]
    return exact[0].value if exact else None


def _clause_end(text: str, pos: int) -> int:
    m = CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


def _places_after(s: Sentence, here: list[Mention], start: int, end: int) -> list[str]:
    """The place named after a trigger, and the places listed with it ("A, B and C")."""
    cands = [m for m in here if start <= m.start < end]
    if not cands or cands[0].start - start > 60:
        return []
    out = [cands[0]]
    for m in cands[1:]:
        if not LIST_GAP.match(s.text[out[-1].end - s.start : m.start - s.start]):
            break
        out.append(m)
    keys: list[str] = []
    for m in out:
        if m.ref and m.ref not in keys:
            keys.append(m.ref)
    return keys


def _visitors(s: Sentence, t_start: int, t_end: int, people: list[Mention]) -> list[str]:
    before = [p for p in people if p.end <= t_start]
    after = [p for p in people if p.start >= t_end]
    text = s.text
    # "a visit by X"
    if after and re.match(r"\s+by\s+$", text[t_end - s.start : after[0].start - s.start] + " "):
        return [after[0].ref]  # type: ignore[list-item]
    if before:
        from kg.extract.entities import is_subject

        owner = before[-1]
        # "President Trump's planned trip to Warsaw": the owner of the trip travels.
        if re.match(r"['’]s\s+(?:[\w-]+\s+){0,3}$", text[owner.end - s.start : t_start - s.start]):
            return [owner.ref]  # type: ignore[list-item]
        subjects = [p for p in before if is_subject(text, p, s.start)]
        last = subjects[0] if subjects else before[-1]
        group = [last]
        for p in reversed(before[: before.index(last)]):
            gap = text[p.end - s.start : group[0].start - s.start]
            if re.fullmatch(
                r"\s*(?:,|and|,\s*and)\s*(?:(?:Princess|Prince|Queen|King|President|"
                r"Prime Minister|Mrs?|Ms)\s+)?",
                gap,
            ):
                group.insert(0, p)
            else:
                break
        for p in before[before.index(last) + 1 :]:
            gap = text[group[-1].end - s.start : p.start - s.start]
            if re.fullmatch(
                r"\s*(?:,\s*)?and\s+(?:(?:Princess|Prince|Queen|King|President|Mrs?|Ms)\s+)?", gap
            ):
                group.append(p)
            else:
                break
        return [p.ref for p in group]  # type: ignore[misc]
    # "Before visiting Israel, Mr Blair ...": the subject follows the opening clause.
    if after and "," in text[t_end - s.start : after[0].start - s.start]:
        return [after[0].ref]  # type: ignore[list-item]
    return []


def _nearest(hits: list[DateHit], trigger: int, window_end: int) -> DateHit | None:
    useful = [h for h in hits if h.value or h.before]
    if not useful:
        return None
    inferred = [h for h in useful if h.inferred]
    if inferred:
        return inferred[0]
    after = [h for h in useful if trigger <= h.start < window_end]
    if after:
        return after[0]
    before = [h for h in useful if h.end <= trigger]
    return before[-1] if before else None


def _at_dateline_place(
    found: list[FoundVisit], table: EntityTable, dateline: str | None, place: str | None
) -> list[FoundVisit]:
    """A visit "to Argentina" in a story filed from BUENOS AIRES that day is to Buenos Aires."""
    if not place:
        return found
    from kg.link.places import Places

    city = Places.default().city(place)
    if city is None or not city.country:
        return found
    out = []
    for v in found:
        info = table.get(v.destination)
        today = v.start is None or _days_before(v.start, dateline) in range(0, 8)
        here = info.label == city.label or (
            info.type == EntityType.STATE and info.label == city.country
        )
        if here and today and v.status != Status.PLANNED and not v.inferred:
            key = table.place(city.label, EntityType.CITY, city.country, city.wikidata)
            v.destination = key
            v.start = v.start or (dateline[:10] if dateline and len(dateline) >= 10 else None)
            if v.start == (dateline or "")[:10]:
                v.status = Status.ONGOING
        out.append(v)
    return out


def _days_before(day: str, dateline: str | None) -> int:
    """How many days ``day`` lies before the dateline (-1 if unknown or after it)."""
    from datetime import date

    if not dateline or len(dateline) < 10 or len(day) != 10:
        return -1
    return (date.fromisoformat(dateline[:10]) - date.fromisoformat(day)).days


def _merge(found: list[FoundVisit], table: EntityTable) -> list[FoundVisit]:
    """One visit per (visitor, destination, inferred); a state folds into a city in it."""
    cities = {
        (v.visitor, table.get(v.destination).country)
        for v in found
        if table.get(v.destination).type != EntityType.STATE
    }
    merged: dict[tuple[str, str, bool], FoundVisit] = {}
    for v in found:
        info = table.get(v.destination)
        if info.type == EntityType.STATE and (v.visitor, info.label) in cities:
            city = next(
                w
                for w in found
                if w.visitor == v.visitor
                and table.get(w.destination).type != EntityType.STATE
                and table.get(w.destination).country == info.label
            )
            city.start = city.start or v.start
            continue
        key = (v.visitor, v.destination, v.inferred)
        if key not in merged:
            merged[key] = v
            continue
        have = merged[key]
        if have.start is None and v.start is not None:
            have.start, have.end, have.time_expression = v.start, v.end, v.time_expression
        if have.before is None:
            have.before = v.before
        for h in v.hosts:
            if h not in have.hosts:
                have.hosts.append(h)
    return list(merged.values())
