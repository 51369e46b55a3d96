"""Plain typed facts passed between the stages: entities, visits, statements, evidence, source.

The same models are the JSON contract of ``kg extract --format json`` and of the structured
fact files in ``data/`` (see README). Entity references inside a document are local ids.

>>> doc = Facts(
...     article=Article(title="T", dateline="2024-11-06", source="file:a.txt"),
...     entities=[Entity(id="e1", label="Vladimir Putin", type="Leader", wikidata="Q7747"),
...               Entity(id="e2", label="Pyongyang", type="City")],
...     visits=[Visit(visitor="e1", destination="e2", start="2024-11-06")])
>>> doc.entity("e1").wikidata
'Q7747'
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
QID_RE = re.compile(r"^Q[1-9]\d*$")


class EntityType(StrEnum):
    LEADER = "Leader"
    PERSON = "Person"
    STATE = "State"
    HISTORICAL_STATE = "HistoricalState"
    CITY = "City"
    PLACE = "Place"
    ORGANIZATION = "Organization"
    PUBLICATION = "Publication"


class Status(StrEnum):
    OCCURRED = "occurred"
    ONGOING = "ongoing"
    PLANNED = "planned"


class VisitKind(StrEnum):
    STATE = "state"
    OFFICIAL = "official"
    WORKING = "working"
    PRIVATE = "private"


class Position(StrEnum):
    SUPPORT = "support"
    OPPOSITION = "opposition"


def _check_date(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not DATE_RE.match(value):
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    try:  # a day or month the calendar has (no 1990-02-30)
        datetime.date.fromisoformat(value if len(value) == 10 else (value + "-01-01")[:10])
    except ValueError:
        raise ValueError(f"date {value!r} is not a day of the calendar") from None
    return value


Date = Annotated[str | None, Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Evidence(_Model):
    """Where a fact was read: the sentence and its character offsets in the source text."""

    sentence: str | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    claim_start: int | None = Field(default=None, ge=0)
    claim_end: int | None = Field(default=None, ge=0)
    rule: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Evidence:
        if self.end < self.start:
            raise ValueError("evidence end is before its start")
        return self


def _qid(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    value = value.rsplit("/", 1)[-1]
    if not QID_RE.match(value):
        raise ValueError(f"{value!r} is not a Wikidata QID")
    return value


class Entity(_Model):
    """A person, state, place, organization or publication named by a source."""

    id: str
    label: str = Field(min_length=1)
    type: EntityType
    wikidata: str | None = None
    aliases: list[str] = Field(default_factory=list)
    country: str | None = Field(default=None, description="entity id of the state a place is in")
    canonical: str | None = Field(
        default=None,
        description="the reference label (gazetteer, country list) when the entity is known; "
        "its IRI is minted from it, so sources that spell a name differently still meet",
    )

    @property
    def reference_label(self) -> str:
        """The label its IRI and preferred label come from: the reference one when known.

        >>> Entity(id="p", label="Putin", type="Leader", canonical="Vladimir Putin").reference_label
        'Vladimir Putin'
        """
        return self.canonical or self.label

    _wikidata = field_validator("wikidata")(_qid)


class Role(_Model):
    """An office the source says a person holds (time-bound: 'NATO Secretary General')."""

    id: str
    person: str
    office: str = Field(min_length=1)
    of: str | None = Field(default=None, description="entity id of the state or organization")
    start: Date = None
    end: Date = None
    as_of: Date = None
    evidence: Evidence | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)

    _dates = field_validator("start", "end", "as_of")(_check_date)


class Visit(_Model):
    """A leader travelling to a place abroad; one visit per destination."""

    visitor: str
    destination: str
    host: list[str] = Field(default_factory=list)
    visiting_state: str | None = None
    host_state: str | None = None
    start: Date = None
    end: Date = None
    status: Status = Status.OCCURRED
    kind: VisitKind | None = None
    purpose: str | None = None
    before: Date = Field(default=None, description="undated, but known to be before this date")
    time_expression: str | None = None
    date_inferred: bool = False
    evidence: Evidence | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)
    record_ids: list[str] = Field(
        default_factory=list, description="ids of the structured records that state this visit"
    )
    wikidata: str | None = Field(default=None, description="QID of the Wikidata event")

    _dates = field_validator("start", "end", "before")(_check_date)
    _wikidata = field_validator("wikidata")(_qid)


class Meeting(_Model):
    """Leaders meeting (held or planned), possibly during a visit."""

    participants: list[str] = Field(min_length=1)
    place: str | None = None
    start: Date = None
    end: Date = None
    status: Status = Status.OCCURRED
    purpose: str | None = None
    time_expression: str | None = None
    evidence: Evidence | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)

    _dates = field_validator("start", "end")(_check_date)


class Statement(_Model):
    """A direct quotation attributed to a speaker."""

    speaker: str
    text: str = Field(min_length=1)
    medium: str | None = None
    reported_by: str | None = None
    date: Date = None
    about: list[str] = Field(default_factory=list)
    speaker_role: str | None = Field(default=None, description="id of a Role in this document")
    evidence: Evidence | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)

    _dates = field_validator("date")(_check_date)


class Stance(_Model):
    """A position a state or person takes: North Korea supports Russia's war in Ukraine."""

    holder: str
    position: Position
    towards: str | None = None
    about: list[str] = Field(default_factory=list)
    description: str | None = None
    evidence: Evidence | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)


class Article(_Model):
    """The source document: title, dateline (publication date), where it came from."""

    title: str | None = None
    dateline: Date = None
    source: str | None = Field(default=None, description="URL or file the text came from")
    key: str | None = Field(default=None, description="stable key naming the source graph")
    publisher: str | None = Field(default=None, description="entity id of the publisher")
    dateline_place: str | None = None
    kind: str = Field(default="article", description="article | records | dataset")
    dataset: str | None = Field(
        default=None, description="name of the dataset a record file is part of"
    )

    _dates = field_validator("dateline")(_check_date)


class Facts(_Model):
    """Everything one source says, ready for mapping to one named graph."""

    article: Article
    entities: list[Entity] = Field(default_factory=list)
    visits: list[Visit] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Facts:
        ids = {e.id for e in self.entities}
        if len(ids) != len(self.entities):
            raise ValueError("entity ids are not unique")
        role_ids = {r.id for r in self.roles}
        missing: list[str] = []

        def need(ref: str | None, where: str) -> None:
            if ref is not None and ref not in ids:
                missing.append(f"{where} -> {ref!r}")

        for e in self.entities:
            need(e.country, f"entity {e.id}.country")
        for i, v in enumerate(self.visits):
            for name in ("visitor", "destination", "visiting_state", "host_state"):
                need(getattr(v, name), f"visits[{i}].{name}")
            for h in v.host:
                need(h, f"visits[{i}].host")
        for i, m in enumerate(self.meetings):
            for p in m.participants:
                need(p, f"meetings[{i}].participants")
            need(m.place, f"meetings[{i}].place")
        for i, s in enumerate(self.statements):
            for name in ("speaker", "medium", "reported_by"):
                need(getattr(s, name), f"statements[{i}].{name}")
            for a in s.about:
                need(a, f"statements[{i}].about")
            if s.speaker_role is not None and s.speaker_role not in role_ids:
                missing.append(f"statements[{i}].speaker_role -> {s.speaker_role!r}")
        for i, st in enumerate(self.stances):
            need(st.holder, f"stances[{i}].holder")
            need(st.towards, f"stances[{i}].towards")
            for a in st.about:
                need(a, f"stances[{i}].about")
        for r in self.roles:
            need(r.person, f"roles {r.id}.person")
            need(r.of, f"roles {r.id}.of")
        need(self.article.publisher, "article.publisher")
        if missing:
            raise ValueError("unknown entity references: " + "; ".join(missing))
        return self

    def entity(self, ref: str) -> Entity:
        """The entity with local id ``ref``."""
        for e in self.entities:
            if e.id == ref:
                return e
        raise KeyError(ref)
