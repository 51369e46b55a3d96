"""The project's own reference data: leaders with offices and tenures, places, bodies.

Read from ``data/gazetteer/leaders.json`` and ``data/gazetteer/places.json``. A QID is
there only where it was verified; the rest stays empty for the online linker to find.

>>> g = Gazetteer.from_records(
...     [{"label": "Jens Stoltenberg", "aliases": [], "wikidata": None,
...       "offices": [{"office": "Secretary General", "of": "NATO",
...                    "start": "2014-10-01", "end": "2024-10-01"}]}],
...     {"organizations": [{"label": "NATO", "aliases": [], "wikidata": None}]})
>>> g.person("jens stoltenberg").offices[0].of
'NATO'
>>> [h.person.label for h in g.holders("Secretary General", "NATO", "2024-11-06")]
[]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.model import Article, Entity, EntityType, Facts, Role

LEADERS_FILE = "gazetteer/leaders.json"
PLACES_FILE = "gazetteer/places.json"
TYPE_OVERRIDES = {"Place", "HistoricalState"}


def norm(name: str) -> str:
    """A lookup key for a name: case, hyphens and extra spaces do not matter.

    >>> norm("Kim Jong-un") == norm("KIM  JONG UN")
    True
    """
    return " ".join(name.replace("-", " ").replace(".", "").lower().split())


@dataclass(frozen=True)
class Tenure:
    """One span of one office: ``office`` of ``of`` from ``start`` to ``end`` (open if None)."""

    office: str
    of: str | None
    start: str | None
    end: str | None

    def covers(self, date: str) -> bool:
        """Whether the office was held on ``date`` (ISO, any precision)."""
        return (self.start is None or self.start[: len(date)] <= date) and (
            self.end is None or date <= self.end[: len(date)]
        )


@dataclass(frozen=True)
class Person:
    label: str
    aliases: tuple[str, ...]
    wikidata: str | None
    offices: tuple[Tenure, ...]


@dataclass(frozen=True)
class Body:
    """A state, city, place, organization or publication of the gazetteer."""

    label: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    country: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Holding:
    person: Person
    tenure: Tenure


class Gazetteer:
    """Name lookups over the reference data; built once and shared (read-only)."""

    def __init__(self, people: list[Person], bodies: list[Body]) -> None:
        self.people = people
        self.bodies = bodies
        # One name may be two people ("George Bush"): the dateline tells them apart.
        self._people: dict[str, list[Person]] = {}
        for p in people:
            for n in dict.fromkeys(norm(n) for n in (p.label, *p.aliases)):
                self._people.setdefault(n, []).append(p)
        self._surnames: dict[str, list[Person]] = {}
        for p in people:
            words = norm(p.label).split()
            # The last word, or a short first one: family names come first in "Hu Jintao".
            parts = {words[-1], *([words[0]] if len(words[0]) <= 3 else [])}
            for n in p.aliases:
                parts.add(norm(n).split()[-1])
            for w in parts if len(words) >= 2 else ():
                self._surnames.setdefault(w, []).append(p)
        self._bodies: dict[str, Body] = {}
        for b in bodies:
            for n in (b.label, *b.aliases):
                self._bodies.setdefault(norm(n), b)

    @classmethod
    def from_records(cls, leaders: list[dict[str, Any]], places: dict[str, Any]) -> Gazetteer:
        people = [
            Person(
                label=r["label"],
                aliases=tuple(r.get("aliases") or ()),
                wikidata=r.get("wikidata") or None,
                offices=tuple(
                    Tenure(o["office"], o.get("of"), o.get("start"), o.get("end"))
                    for o in r.get("offices") or ()
                ),
            )
            for r in leaders
        ]
        kinds = {
            "states": EntityType.STATE,
            "cities": EntityType.CITY,
            "organizations": EntityType.ORGANIZATION,
            "publications": EntityType.PUBLICATION,
        }
        bodies = []
        for key, etype in kinds.items():
            for r in places.get(key) or ():
                # A record may name a narrower type: "Place" for a city list entry that is
                # no city, "HistoricalState" for a state that no longer exists.
                kind = EntityType(r["type"]) if r.get("type") in TYPE_OVERRIDES else etype
                if kind == EntityType.STATE and r.get("end"):
                    kind = EntityType.HISTORICAL_STATE  # a state with an end date is no more
                bodies.append(
                    Body(
                        label=r["label"],
                        type=kind,
                        aliases=tuple(r.get("aliases") or ()),
                        wikidata=r.get("wikidata") or None,
                        country=r.get("country"),
                        extra={k: v for k, v in r.items() if k not in {"label", "aliases"}},
                    )
                )
        return cls(people, bodies)

    @classmethod
    def load(cls, data_dir: Path) -> Gazetteer:
        """Read the gazetteer files under ``data_dir`` (missing files mean empty lists)."""
        return _load(data_dir.resolve())

    def person(self, name: str, date: str | None = None) -> Person | None:
        """The person known by this full name or alias. A name two people share goes to the
        one in office on ``date``, else to the one whose last office began before it (with no
        date, to the one listed last).

        >>> g = Gazetteer.from_records([
        ...     {"label": "Ann Roe", "aliases": ["A. Roe"],
        ...      "offices": [{"office": "president", "start": "1989", "end": "1993"}]},
        ...     {"label": "Al Roe", "aliases": ["A. Roe"],
        ...      "offices": [{"office": "president", "start": "2001", "end": "2009"}]}], {})
        >>> g.person("A. Roe", "2008-01-09").label, g.person("A. Roe", "1995").label
        ('Al Roe', 'Ann Roe')
        >>> g.person("a. roe").label
        'Al Roe'
        """
        found = self._people.get(norm(name))
        if not found:
            return None
        if len(found) == 1 or not date:
            return found[-1]
        day = date[:10]
        serving = [p for p in found if any(t.covers(day) for t in p.offices)]
        if serving:
            return serving[0]
        began = [
            (max(t.start for t in p.offices if t.start and t.start[: len(day)] <= day), p)
            for p in found
            if any(t.start and t.start[: len(day)] <= day for t in p.offices)
        ]
        return max(began, key=lambda b: b[0])[1] if began else found[-1]

    def by_surname(self, word: str) -> list[Person]:
        """The people whose label or an alias ends with this one word ("Mulroney" for Brian
        Mulroney), or whose label opens with it when short: "Hu" for Hu Jintao.

        >>> g = Gazetteer.from_records([{"label": "Hu Jintao"}, {"label": "Jin Hu"},
        ...                             {"label": "Charles Clark"}], {})
        >>> sorted(p.label for p in g.by_surname("Hu")), g.by_surname("Charles")
        (['Hu Jintao', 'Jin Hu'], [])
        """
        return list(self._surnames.get(norm(word), ()))

    def body(self, name: str) -> Body | None:
        """The state, place, organization or publication known by this name."""
        return self._bodies.get(norm(name))

    def holders(self, office: str, of: str | None, date: str) -> list[Holding]:
        """Who held ``office`` of ``of`` on ``date``, by the gazetteer's tenures."""
        found = []
        for p in self.people:
            for t in p.offices:
                same_body = of is None or (t.of is not None and norm(t.of) == norm(of))
                if norm(t.office) == norm(office) and same_body and t.covers(date):
                    found.append(Holding(p, t))
        return found

    def as_facts(self) -> Facts:
        """The gazetteer as a dataset source: people, their tenures, places and bodies."""
        entities: dict[str, Entity] = {}

        def body_id(name: str, default: EntityType) -> str:
            b = self.body(name)
            key = f"b:{norm(b.label if b else name)}"
            if key not in entities:
                entities[key] = Entity(
                    id=key,
                    label=b.label if b else name,
                    type=b.type if b else default,
                    wikidata=b.wikidata if b else None,
                    aliases=list(b.aliases) if b else [],
                )
            return key

        for b in self.bodies:
            body_id(b.label, b.type)
        for b in self.bodies:
            if b.country:
                key = f"b:{norm(b.label)}"
                entities[key] = entities[key].model_copy(
                    update={"country": body_id(b.country, EntityType.STATE)}
                )
        roles = []
        for p in self.people:
            pid = f"p:{norm(p.label)}"
            entities[pid] = Entity(
                id=pid,
                label=p.label,
                type=EntityType.LEADER,
                wikidata=p.wikidata,
                aliases=list(p.aliases),
            )
            for i, t in enumerate(p.offices):
                of = body_id(t.of, EntityType.STATE) if t.of else None
                roles.append(
                    Role(
                        id=f"{pid}#{i}",
                        person=pid,
                        office=t.office,
                        of=of,
                        start=t.start,
                        end=t.end,
                    )
                )
        return Facts(
            article=Article(
                title="Project gazetteer: leaders and their offices, states, places, bodies",
                key="gazetteer",
                kind="dataset",
                source="data/gazetteer",
            ),
            entities=list(entities.values()),
            roles=roles,
        )


@cache
def _load(data_dir: Path) -> Gazetteer:
    def read(name: str, empty: Any) -> Any:
        path = data_dir / name
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else empty

    return Gazetteer.from_records(read(LEADERS_FILE, []), read(PLACES_FILE, {}))
