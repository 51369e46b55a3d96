"""Reconciliation: candidates from Wikidata for the store's entities and visits, scored.

Entities are matched by English label and alias (``rdfs:label``, ``skos:altLabel``), filtered
by type (a leader is a human, ``wdt:P31 wd:Q5``, holding through ``p:P39`` a position that is,
by ``wdt:P279*``, a head of state Q48352, head of government Q2285706 or minister Q83307; a
state is a sovereign state Q3624078, a historical state a historical country Q3024240; a city
a city Q515; an organization an international organization Q484652) and scored:

    score = 0.55 * name + 0.15 * type + 0.20 * context + 0.10 * prominence

- name: 1.0 for the English label, 0.85 for an alias;
- type: 1.0 when the type filter is met; 0.5 for a human whose positions are none of the
  three classes (a secretary general who was never a minister), when a leader is asked for;
- context: for people, 1.0 if a position held (``pq:P580``..``pq:P582``) covers a date the
  sources speak of them, 0.25 if positions are dated but none covers those dates, 0.5 when
  nothing can be compared; for cities 1.0 if the country (P17) is the state the sources put
  the city in, 0.0 if it is another, 0.5 if unknown; 1.0 for the rest;
- prominence: ``log10(1 + sitelinks) / 2``, at most 1 (100 sitelinks and more count as 1).

A candidate is linked when its score reaches the threshold (``KG_LINK_THRESHOLD``) and leads
the next candidate by the margin (``KG_LINK_MARGIN``); otherwise nothing is linked and the
candidates are kept for review. Every candidate carries the reasons behind its score.

A visit is matched to a Wikidata event with the visitor as participant (``wdt:P710``, or the
person's ``wdt:P1344``) in the host state (the event's or its location's P17):

    score = 0.5 + 0.2 * place + 0.3 * date

place 1 when the event's location (P276) is the destination (or the destination is the host
state itself); date 1 when the visit's date falls in the event's (P585, or P580..P582), 0.6
in the same year, and for an undated visit known only to be before a date 0.6 for the latest
such event and 0.2 for earlier ones. The threshold is ``KG_LINK_VISIT_THRESHOLD``. A matched
event with another date or place is what ``kg check`` reports as a conflict.

>>> c = Candidate("Q1", "Jens Stoltenberg", how="label", qualifying=True, sitelinks=150,
...               positions=(Position("Q2", "Secretary General of NATO", "2014-10-01",
...                                   "2024-10-01"),))
>>> m = Mention("http://kg/id/person/jens-stoltenberg", "Jens Stoltenberg", "Leader",
...             dates=("2024-11-06",))
>>> round(score_entity(m, c), 2)
0.85
>>> c.reasons[2]
'context 0.25: no position held covers 2024-11-06'
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.link.gazetteer import norm
from kg.link.wikidata import Row, WikidataClient, item_values, values

HUMAN = "Q5"
LEADER_CLASSES = ("Q48352", "Q2285706", "Q83307")  # head of state, of government, minister
TYPE_CLASSES = {
    "State": ("Q3624078",),  # sovereign state
    "HistoricalState": ("Q3024240",),  # historical country
    "City": ("Q515",),  # city
    "Organization": ("Q484652",),  # international organization
    "InternationalOrganization": ("Q484652",),
}
PEOPLE = ("Leader", "Person")
ONLINE_TYPES = (*PEOPLE, *TYPE_CLASSES, "Place")
WEIGHTS = {"name": 0.55, "type": 0.15, "context": 0.20, "prominence": 0.10}


@dataclass(frozen=True)
class Mention:
    """An entity of the store to link: its IRI, names, type, and what the sources say of it."""

    iri: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # dates its sources speak of it (datelines, visit dates)
    country_qid: str | None = None  # a place: the QID of the state the sources put it in

    def names(self) -> list[str]:
        """The label and the aliases, each once."""
        return list(dict.fromkeys(n for n in (self.label, *self.aliases) if n.strip()))


@dataclass(frozen=True)
class Position:
    """A position held (P39) with its qualifiers."""

    qid: str
    label: str
    start: str | None = None
    end: str | None = None

    def covers(self, date: str) -> bool:
        """Whether the position was held on ``date`` (ISO; comparison at its precision)."""
        return (self.start is None or self.start[: len(date)] <= date) and (
            self.end is None or date <= self.end[: len(date)]
        )


@dataclass
class Candidate:
    """A Wikidata item that may be the entity, with its score and the reasons for it."""

    qid: str
    label: str
    description: str = ""
    how: str = "label"  # which name matched: label or alias
    matched: str = ""
    qualifying: bool = False  # a leader's position of the three classes
    sitelinks: int = 0
    positions: tuple[Position, ...] = ()
    countries: tuple[str, ...] = ()
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain data for the review file and reports (the Reconciliation API's fields)."""
        return {
            "id": self.qid,
            "name": self.label,
            "description": self.description,
            "score": round(self.score, 3),
            "features": self.reasons,
        }


@dataclass
class Decision:
    """What linking did with one entity (or visit)."""

    iri: str
    label: str
    type: str
    status: str  # linked, ambiguous, not-found, skipped
    qid: str | None = None
    score: float | None = None
    method: str | None = None  # override, gazetteer, reconciled
    why: str = ""
    candidates: list[Candidate] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain data for the review file and ``kg link --format json``."""
        return {
            "iri": self.iri,
            "label": self.label,
            "type": self.type,
            "status": self.status,
            "wikidata": self.qid,
            "score": None if self.score is None else round(self.score, 3),
            "method": self.method,
            "why": self.why,
            "candidates": [c.as_dict() for c in self.candidates],
        }


# ------------------------------------------------------------------------------ scoring


def prominence(sitelinks: int) -> float:
    """How well known an item is, from its number of sitelinks, between 0 and 1.

    >>> prominence(0), prominence(99), prominence(5000)
    (0.0, 1.0, 1.0)
    """
    return min(1.0, math.log10(1 + max(0, sitelinks)) / 2)


def _context(m: Mention, c: Candidate) -> tuple[float, str]:
    if m.type in PEOPLE:
        dated = [p for p in c.positions if p.start or p.end]
        if not m.dates or not dated:
            return 0.5, "context 0.5: no dates to compare"
        for d in m.dates:
            held = [p for p in dated if p.covers(d)]
            if held:
                return 1.0, f"context 1.0: held {held[0].label or held[0].qid} on {d}"
        return 0.25, f"context 0.25: no position held covers {', '.join(m.dates)}"
    if m.type == "City":
        if not m.country_qid or not c.countries:
            return 0.5, "context 0.5: country not known on both sides"
        if m.country_qid in c.countries:
            return 1.0, f"context 1.0: in {m.country_qid}, as the sources say"
        return 0.0, f"context 0.0: in {', '.join(c.countries)}, not {m.country_qid}"
    return 1.0, "context 1.0: type matches"


def score_entity(m: Mention, c: Candidate) -> float:
    """Score candidate ``c`` for mention ``m`` (0..1) and write the reasons into ``c``."""
    name = 1.0 if c.how == "label" else 0.85
    if m.type == "Leader":
        kind = 1.0 if c.qualifying else 0.5
        kind_why = (
            "a head of state or government or a minister"
            if c.qualifying
            else "a human holding other positions"
        )
    else:
        kind, kind_why = 1.0, f"a {m.type.lower()} by its Wikidata class"
    context, context_why = _context(m, c)
    prom = prominence(c.sitelinks)
    parts = {"name": name, "type": kind, "context": context, "prominence": prom}
    c.score = sum(WEIGHTS[k] * v for k, v in parts.items())
    c.reasons = [
        f"name {name:.2f}: {c.how} {c.matched or c.label!r}",
        f"type {kind:.2f}: {kind_why}",
        context_why,
        f"prominence {prom:.2f}: {c.sitelinks} sitelinks",
    ]
    return c.score


def decide(
    iri: str,
    label: str,
    etype: str,
    candidates: list[Candidate],
    threshold: float,
    margin: float,
) -> Decision:
    """Link the best candidate if it reaches ``threshold`` and leads by ``margin``.

    >>> a, b = Candidate("Q1", "A", score=0.9), Candidate("Q2", "B", score=0.85)
    >>> decide("i", "A", "Leader", [a, b], 0.75, 0.1).status
    'ambiguous'
    >>> decide("i", "A", "Leader", [a], 0.75, 0.1).qid
    'Q1'
    """
    ranked = sorted(candidates, key=lambda c: (-c.score, c.qid))
    if not ranked:
        return Decision(iri, label, etype, "not-found", why="no candidate of this type")
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score < threshold:
        why = f"best score {best.score:.2f} is below the threshold {threshold:.2f}"
        return Decision(iri, label, etype, "ambiguous", why=why, candidates=ranked)
    if best.score - runner_up < margin:
        why = (
            f"{best.qid} ({best.score:.2f}) and {ranked[1].qid} ({runner_up:.2f}) are "
            f"within the margin {margin:.2f}"
        )
        return Decision(iri, label, etype, "ambiguous", why=why, candidates=ranked)
    return Decision(
        iri,
        label,
        etype,
        "linked",
        best.qid,
        best.score,
        "reconciled",
        why="; ".join(best.reasons),
        candidates=ranked,
    )


# ------------------------------------------------------------------------- candidate queries


def _names_clause() -> str:
    return (
        '{ ?item rdfs:label ?name BIND("label" AS ?how) } UNION '
        '{ ?item skos:altLabel ?name BIND("alias" AS ?how) }'
    )


def _describe_clause() -> str:
    return (
        'OPTIONAL { ?item rdfs:label ?itemLabel FILTER(LANG(?itemLabel) = "en") }\n'
        'OPTIONAL { ?item schema:description ?desc FILTER(LANG(?desc) = "en") }\n'
        "OPTIONAL { ?item wikibase:sitelinks ?sitelinks }\n"
    )


def people_query(names: Sequence[str]) -> str:
    """Humans known by these names, with their positions held and their qualifiers."""
    classes = " ".join(f"wd:{q}" for q in LEADER_CLASSES)
    return f"""SELECT ?name ?how ?item ?itemLabel ?desc ?sitelinks ?pos ?posLabel ?start ?end
       ?qualifying WHERE {{
  {values("name", names)}
  {_names_clause()}
  ?item wdt:P31 wd:{HUMAN} .
  {_describe_clause()}
  OPTIONAL {{
    ?item p:P39 ?st . ?st ps:P39 ?pos .
    OPTIONAL {{ ?st pq:P580 ?start }}
    OPTIONAL {{ ?st pq:P582 ?end }}
    OPTIONAL {{ ?pos rdfs:label ?posLabel FILTER(LANG(?posLabel) = "en") }}
    BIND(EXISTS {{ VALUES ?cls {{ {classes} }} ?pos wdt:P279* ?cls }} AS ?qualifying)
  }}
}}"""


def typed_query(names: Sequence[str], etype: str) -> str:
    """Items of the Wikidata classes of ``etype`` known by these names, with their country."""
    if etype == "Place":  # no one class: anything with a location on Earth
        type_clause = "?item wdt:P625 ?where ."
    else:
        classes = " ".join(f"wd:{q}" for q in TYPE_CLASSES[etype])
        type_clause = f"VALUES ?cls {{ {classes} }} ?item wdt:P31/wdt:P279* ?cls ."
    return f"""SELECT DISTINCT ?name ?how ?item ?itemLabel ?desc ?sitelinks ?country WHERE {{
  {values("name", names)}
  {_names_clause()}
  {type_clause}
  {_describe_clause()}
  OPTIONAL {{ ?item wdt:P17 ?country }}
}}"""


def _int(term: object) -> int:
    try:
        return int(float(getattr(term, "value", "0")))
    except ValueError:
        return 0


def candidates_from_rows(rows: Iterable[Row]) -> dict[str, dict[str, Candidate]]:
    """Candidates by matched name (normalised) and QID, merged over the rows."""
    found: dict[str, dict[str, Candidate]] = defaultdict(dict)
    for r in rows:
        qid = r["item"].qid if "item" in r else None
        if qid is None:
            continue
        key = norm(r["name"].value)
        c = found[key].get(qid)
        if c is None:
            c = found[key][qid] = Candidate(
                qid,
                r["itemLabel"].value if "itemLabel" in r else r["name"].value,
                r["desc"].value if "desc" in r else "",
                r["how"].value,
                r["name"].value,
                sitelinks=_int(r.get("sitelinks")),
            )
        elif r["how"].value == "label":
            c.how = "label"
        if "pos" in r and r["pos"].qid:
            pos = Position(
                r["pos"].qid,
                r["posLabel"].value if "posLabel" in r else "",
                r["start"].date if "start" in r else None,
                r["end"].date if "end" in r else None,
            )
            if pos not in c.positions:
                c.positions = (*c.positions, pos)
            if r.get("qualifying") is not None and r["qualifying"].value in ("true", "1"):
                c.qualifying = True
        if "country" in r and r["country"].qid and r["country"].qid not in c.countries:
            c.countries = (*c.countries, r["country"].qid)
    return found


def fetch_candidates(
    client: WikidataClient, mentions: Sequence[Mention], batch: int
) -> dict[str, list[Candidate]]:
    """Candidates for every mention, by IRI: one request per batch of names of a type."""
    by_type: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        group = "Person" if m.type in PEOPLE else m.type
        by_type[group].append(m)
    out: dict[str, list[Candidate]] = {}
    for group, ms in by_type.items():
        names = list(dict.fromkeys(n for m in ms for n in m.names()))
        found: dict[str, dict[str, Candidate]] = defaultdict(dict)
        per_name = client.select_each(
            f"candidates/{group}/v1",
            names,
            people_query if group == "Person" else lambda part, g=group: typed_query(part, g),
            lambda row: row["name"].value if "name" in row else None,
            batch,
        )
        for rows in per_name.values():
            for key, cands in candidates_from_rows(rows).items():
                for qid, c in cands.items():
                    old = found[key].get(qid)
                    found[key][qid] = c if old is None or c.how == "label" else old
        for m in ms:
            merged: dict[str, Candidate] = {}
            for n in m.names():
                for qid, c in found.get(norm(n), {}).items():
                    mine = Candidate(**{**c.__dict__, "reasons": []})
                    if n != m.label:
                        mine.how = "alias"  # matched through one of our aliases only
                    old = merged.get(qid)
                    if old is None or (mine.how == "label" and old.how != "label"):
                        merged[qid] = mine
            kept = []
            for c in merged.values():
                if m.type == "Leader" and not c.qualifying and not c.positions:
                    continue  # a human with no position at all is no leader
                score_entity(m, c)
                kept.append(c)
            out[m.iri] = kept
    return out


# ------------------------------------------------------------------------------- visits


@dataclass(frozen=True)
class VisitMention:
    """A visit of the store whose visitor is linked: what can be matched to an event."""

    iri: str
    visitor_qid: str
    host_state_qid: str | None
    destination_qid: str | None
    destination_is_state: bool = False
    start: str | None = None
    end: str | None = None
    before: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Place:
    qid: str
    label: str
    country: str | None = None


@dataclass(frozen=True)
class Event:
    """A Wikidata event with a participant: its dates and places."""

    qid: str
    label: str
    participants: tuple[str, ...]
    start: str | None
    end: str | None
    places: tuple[Place, ...] = ()
    countries: tuple[str, ...] = ()

    def states(self) -> set[str]:
        """The states the event took place in (its own P17 and its locations')."""
        return {*self.countries, *(p.country for p in self.places if p.country)}


def events_query(people: Sequence[str]) -> str:
    """Events with these people as participants (either direction), with dates and places."""
    return f"""SELECT DISTINCT ?person ?event ?eventLabel ?when ?start ?end ?loc ?locLabel
       ?locCountry ?country WHERE {{
  {item_values("person", people)}
  {{ ?event wdt:P710 ?person }} UNION {{ ?person wdt:P1344 ?event }}
  OPTIONAL {{ ?event wdt:P585 ?when }}
  OPTIONAL {{ ?event wdt:P580 ?start }}
  OPTIONAL {{ ?event wdt:P582 ?end }}
  FILTER(BOUND(?when) || BOUND(?start))
  OPTIONAL {{ ?event rdfs:label ?eventLabel FILTER(LANG(?eventLabel) = "en") }}
  OPTIONAL {{
    ?event wdt:P276 ?loc .
    OPTIONAL {{ ?loc rdfs:label ?locLabel FILTER(LANG(?locLabel) = "en") }}
    OPTIONAL {{ ?loc wdt:P17 ?locCountry }}
  }}
  OPTIONAL {{ ?event wdt:P17 ?country }}
}}"""


def fetch_events(client: WikidataClient, people: Iterable[str], batch: int) -> list[Event]:
    """Events of these people (QIDs), one request per batch of people."""
    people = sorted(set(people))
    raw: dict[str, dict] = {}
    per_person = client.select_each(
        "events/v1",
        people,
        events_query,
        lambda row: row["person"].qid if "person" in row else None,
        batch,
    )
    for rows in per_person.values():
        for r in rows:
            qid = r["event"].qid
            if qid is None:
                continue
            e = raw.setdefault(
                qid,
                {
                    "label": "",
                    "people": set(),
                    "start": None,
                    "end": None,
                    "places": {},
                    "countries": set(),
                },
            )
            e["label"] = r["eventLabel"].value if "eventLabel" in r else e["label"] or qid
            e["people"].add(r["person"].qid)
            when = r["when"].date if "when" in r else None
            e["start"] = (r["start"].date if "start" in r else None) or when or e["start"]
            e["end"] = (r["end"].date if "end" in r else None) or when or e["end"]
            if "loc" in r and r["loc"].qid:
                e["places"][r["loc"].qid] = Place(
                    r["loc"].qid,
                    r["locLabel"].value if "locLabel" in r else r["loc"].qid,
                    r["locCountry"].qid if "locCountry" in r else None,
                )
            if "country" in r and r["country"].qid:
                e["countries"].add(r["country"].qid)
    return [
        Event(
            q,
            e["label"],
            tuple(sorted(e["people"])),
            e["start"],
            e["end"],
            tuple(e["places"][k] for k in sorted(e["places"])),
            tuple(sorted(e["countries"])),
        )
        for q, e in sorted(raw.items())
    ]


def score_visit(v: VisitMention, e: Event, latest_before: bool) -> tuple[float, list[str]] | None:
    """Score event ``e`` for visit ``v``; None when it cannot be the same visit.

    >>> v = VisitMention("v", "Q7747", "Q423", "Q18808", start="2024-11-06")
    >>> e = Event("Q9", "visit", ("Q7747",), "2024-06-19", "2024-06-19",
    ...           (Place("Q18808", "Pyongyang", "Q423"),))
    >>> score_visit(v, e, False)[0]
    0.88
    """
    if v.visitor_qid not in e.participants:
        return None
    if not v.host_state_qid or v.host_state_qid not in e.states():
        return None
    reasons = [f"{v.visitor_qid} took part; in {v.host_state_qid}"]
    places = {p.qid for p in e.places}
    if v.destination_is_state or (v.destination_qid and v.destination_qid in places):
        place = 1.0
        reasons.append("place 1.0: the destination is the event's place or its state")
    else:
        place = 0.0
        where = ", ".join(p.label for p in e.places) or "no place given"
        reasons.append(f"place 0.0: the event was at {where}")
    date = 0.0
    if v.start and e.start:
        end = e.end or e.start
        if e.start[: len(v.start)] <= v.start <= end[: len(v.start)]:
            date = 1.0
        elif v.start[:4] in {e.start[:4], end[:4]}:
            date = 0.6
        else:
            return None  # dated years apart: another visit
        reasons.append(
            f"date {date:.1f}: {v.start} against {e.start}"
            + (f"..{e.end}" if e.end and e.end != e.start else "")
        )
    elif v.before and e.start and e.start < v.before:
        date = 0.6 if latest_before else 0.2
        reasons.append(
            f"date {date:.1f}: {e.start} is "
            + ("the latest such event " if latest_before else "")
            + f"before {v.before}"
        )
    else:
        reasons.append("date 0.0: no date to compare")
    return round(0.5 + 0.2 * place + 0.3 * date, 3), reasons


def match_visits(
    visits: Sequence[VisitMention], events: Sequence[Event], threshold: float, margin: float
) -> list[Decision]:
    """The event each visit is (linked), or the candidates when none is clear."""
    out = []
    for v in visits:
        before = sorted(
            (
                e
                for e in events
                if v.before
                and e.start
                and e.start < v.before
                and v.visitor_qid in e.participants
                and v.host_state_qid in e.states()
            ),
            key=lambda e: e.start or "",
        )
        latest = before[-1].qid if before else None
        cands = []
        for e in events:
            scored = score_visit(v, e, e.qid == latest)
            if scored is not None:
                cands.append(
                    Candidate(
                        e.qid,
                        e.label,
                        f"{e.start or ''}..{e.end or ''}",
                        score=scored[0],
                        reasons=scored[1],
                    )
                )
        d = decide(v.iri, v.label, "Visit", cands, threshold, margin)
        if d.status == "not-found":
            d.why = "no Wikidata event with the visitor in the host state"
        out.append(d)
    return out
