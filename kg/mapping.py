"""Facts -> RDF: one named graph per source, with provenance and deterministic IRIs.

The same visit (visitor, destination, start date) gets the same IRI from every source, so
corroboration and disagreement are plain queries over the union of graphs.

>>> from kg.model import Article, Entity, Facts, Visit
>>> facts = Facts(article=Article(key="a1", dateline="2024-11-06"),
...     entities=[Entity(id="p", label="Vladimir Putin", type="Leader", wikidata="Q7747"),
...               Entity(id="c", label="Pyongyang", type="City")],
...     visits=[Visit(visitor="p", destination="c", start="2024-11-06")])
>>> sg = map_facts(facts, Minter("http://kg.test/"), Producer("test", "1"), now=EPOCH)
>>> sg.iri
'http://kg.test/graph/article/a1'
>>> visit_iri = URIRef("http://kg.test/id/visit/vladimir-putin/pyongyang/2024-11-06")
>>> (visit_iri, RDF.type, DV.Visit) in sg.graph
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.model import (
    Article,
    Entity,
    EntityType,
    Evidence,
    Facts,
    Meeting,
    Role,
    Stance,
    Statement,
    Visit,
)
from kg.ontology import CAMEO, DV, NIF, SCHEMA, WD

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

ENTITY_CLASSES = {
    EntityType.LEADER: DV.Leader,
    EntityType.PERSON: DV.Person,
    EntityType.STATE: DV.State,
    EntityType.HISTORICAL_STATE: DV.HistoricalState,
    EntityType.CITY: DV.City,
    EntityType.PLACE: DV.Place,
    EntityType.ORGANIZATION: DV.Organization,
    EntityType.PUBLICATION: DV.Publication,
}
# People share one IRI space whatever their role in a source, and so do places and bodies:
# a leader in one article and a plain person in another is still one entity.
ENTITY_PATHS = {
    EntityType.LEADER: "person",
    EntityType.PERSON: "person",
    EntityType.STATE: "state",
    EntityType.HISTORICAL_STATE: "state",
    EntityType.CITY: "place",
    EntityType.PLACE: "place",
    EntityType.ORGANIZATION: "org",
    EntityType.PUBLICATION: "org",
}
VISIT_CLASSES = {
    None: DV.Visit,
    "state": DV.StateVisit,
    "official": DV.OfficialVisit,
    "working": DV.WorkingVisit,
    "private": DV.PrivateVisit,
}
SOURCE_CLASSES = {"article": DV.Article, "records": DV.RecordFile, "dataset": DV.Dataset}


def slug(text: str) -> str:
    """A readable, stable IRI segment.

    >>> slug("Kim Jong-un"), slug("Kim Jong Un"), slug("Zürich  (city)")
    ('kim-jong-un', 'kim-jong-un', 'zurich-city')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def digest(*parts: str, size: int = 16) -> str:
    """A short hex digest of the parts (for IRIs of things without a natural key)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:size]


def date_literal(value: str) -> Literal:
    """An ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` literal from an ISO string.

    >>> date_literal("2000").datatype == XSD.gYear
    True
    """
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=datatype)


@dataclass(frozen=True)
class Producer:
    """The software that produced a source graph (extractor, importer, data loader)."""

    name: str
    version: str


@dataclass(frozen=True)
class Minter:
    """Mints the project's IRIs under one base (``KG_BASE_IRI``)."""

    base: str

    @property
    def ids(self) -> str:
        return self.base.rstrip("/") + "/id/"

    def entity(self, e: Entity) -> URIRef:
        # The reference label names the IRI: "Peking" in a 1987 article is still Beijing.
        name = e.reference_label
        return URIRef(f"{self.ids}{ENTITY_PATHS[EntityType(e.type)]}/{slug(name)}")

    def source_key(self, article: Article) -> str:
        if article.key:
            return re.sub(r"[^A-Za-z0-9_.-]+", "-", article.key).strip("-") or "x"
        if article.source:
            return digest(article.source)
        return digest(article.title or "", article.dateline or "")

    def source(self, article: Article) -> URIRef:
        return URIRef(f"{self.ids}{article.kind}/{self.source_key(article)}")

    def graph(self, article: Article) -> URIRef:
        return URIRef(f"{self.base.rstrip('/')}/graph/{article.kind}/{self.source_key(article)}")

    def software(self, producer: Producer) -> URIRef:
        return URIRef(f"{self.ids}software/{slug(producer.name)}/{slug(producer.version)}")

    def visit(
        self,
        visitor: str,
        destination: str,
        start: str | None,
        source_key: str,
        status: str = "occurred",
    ) -> URIRef:
        # Undated visits cannot be matched across sources safely: keep them per source, and
        # a planned one apart from one made ("will visit Britain", "returned from Britain").
        when = start or f"undated-{source_key}" + ("" if status == "occurred" else f"-{status}")
        return URIRef(f"{self.ids}visit/{visitor}/{destination}/{when}")

    def meeting(self, participants: list[str], start: str | None, source_key: str) -> URIRef:
        when = start or f"undated-{source_key}"
        return URIRef(f"{self.ids}meeting/{digest(*sorted(participants))}/{when}")

    def statement(self, speaker: str, text: str) -> URIRef:
        normalized = " ".join(text.lower().split())
        return URIRef(f"{self.ids}statement/{digest(speaker, normalized)}")

    def stance(self, holder: str, position: str, towards: str | None, about: list[str]) -> URIRef:
        return URIRef(f"{self.ids}stance/{digest(holder, position, towards or '', *sorted(about))}")

    def office(self, office: str, of: str | None) -> URIRef:
        return URIRef(f"{self.ids}office/{slug(of or 'none')}/{slug(office)}")

    def holding(self, person: str, office: str, of: str | None, start: str | None) -> URIRef:
        tail = f"/{start}" if start else ""
        return URIRef(f"{self.ids}holding/{person}/{slug(of or 'none')}/{slug(office)}{tail}")

    def dataset(self, name: str) -> URIRef:
        return URIRef(f"{self.ids}dataset/{slug(name)}")

    def evidence(self, source_key: str, n: int) -> URIRef:
        return URIRef(f"{self.ids}evidence/{source_key}/{n}")


@dataclass(frozen=True)
class SourceGraph:
    """One source's claims as RDF: the named graph IRI, the source IRI and the triples."""

    iri: str
    source_iri: str
    graph: Graph


class _Builder:
    def __init__(self, facts: Facts, mint: Minter) -> None:
        self.facts = facts
        self.mint = mint
        self.g = Graph()
        self.key = mint.source_key(facts.article)
        self.source = mint.source(facts.article)
        self._iris = {e.id: mint.entity(e) for e in facts.entities}
        self._evidence_count = 0
        self._visits: set[URIRef] = set()

    def ref(self, local_id: str) -> URIRef:
        return self._iris[local_id]

    def add(self, s: URIRef, p: URIRef, o: object | None) -> None:
        if o is None:
            return
        self.g.add((s, p, o if isinstance(o, URIRef | Literal) else Literal(o)))

    def date(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value:
            self.add(s, p, date_literal(value))

    def evidence(self, fact: URIRef, ev: Evidence | None, confidence: float) -> None:
        if ev is None:
            return
        self._evidence_count += 1
        node = self.mint.evidence(self.key, self._evidence_count)
        self.add(node, RDF.type, DV.Evidence)
        self.add(fact, DV.evidence, node)
        self.add(node, NIF.referenceContext, self.source)
        self.add(node, NIF.anchorOf, ev.sentence)
        self.add(node, NIF.beginIndex, Literal(ev.start, datatype=XSD.nonNegativeInteger))
        self.add(node, NIF.endIndex, Literal(ev.end, datatype=XSD.nonNegativeInteger))
        if ev.claim_start is not None and ev.claim_end is not None:
            self.add(node, DV.claimBegin, Literal(ev.claim_start, datatype=XSD.nonNegativeInteger))
            self.add(node, DV.claimEnd, Literal(ev.claim_end, datatype=XSD.nonNegativeInteger))
        self.add(node, DV.rule, ev.rule)
        self.add(node, DV.confidence, Literal(Decimal(str(round(confidence, 3)))))

    def entity(self, e: Entity) -> None:
        iri = self.ref(e.id)
        self.add(iri, RDF.type, ENTITY_CLASSES[EntityType(e.type)])
        self.add(iri, RDFS.label, Literal(e.label))
        if self.facts.article.kind == "dataset":
            # A reference dataset's label is the preferred one (pages show it first).
            self.add(iri, SKOS.prefLabel, Literal(e.reference_label))
        for alias in sorted({*e.aliases, e.reference_label} - {e.label}):
            self.add(iri, SKOS.altLabel, Literal(alias))
        if e.wikidata:
            self.add(iri, OWL.sameAs, WD[e.wikidata])
        if e.country:
            self.add(iri, DV.locatedIn, self.ref(e.country))

    def host_state(self, v: Visit) -> URIRef | None:
        if v.host_state:
            return self.ref(v.host_state)
        dest = self.facts.entity(v.destination)
        if dest.type == EntityType.STATE:
            return self.ref(dest.id)
        return self.ref(dest.country) if dest.country else None

    def visit(self, v: Visit) -> None:
        visitor, dest = self.ref(v.visitor), self.ref(v.destination)
        who, where = visitor.rsplit("/", 1)[-1], dest.rsplit("/", 1)[-1]
        iri = self.mint.visit(who, where, v.start, self.key, v.status)
        first = iri not in self._visits
        self._visits.add(iri)
        for h in v.host:
            self.add(iri, DV.host, self.ref(h))
        for record_id in v.record_ids:
            self.add(iri, DV.recordId, Literal(record_id))
        self.evidence(iri, v.evidence, v.confidence)
        if not first:
            # The same visit stated twice in one source: its hosts and evidence add up, the
            # first statement's dates, status and kind stand (each visit has one of those).
            return
        self.add(iri, RDF.type, VISIT_CLASSES[v.kind])
        self.add(iri, DV.visitor, visitor)
        self.add(iri, DV.destination, dest)
        if v.visiting_state:
            self.add(iri, DV.visitingState, self.ref(v.visiting_state))
        self.add(iri, DV.hostState, self.host_state(v))
        self.date(iri, DV.startDate, v.start)
        self.date(iri, DV.endDate, v.end)
        self.date(iri, DV.before, v.before)
        self.add(iri, DV.status, DV[v.status])
        self.add(iri, DV.purpose, v.purpose)
        self.add(iri, DV.timeExpression, v.time_expression)
        if v.date_inferred:
            self.add(iri, DV.dateInferred, Literal(True))
        self.add(iri, DV.cameoCode, CAMEO["042"])
        if v.wikidata:
            self.add(iri, OWL.sameAs, WD[v.wikidata])

    def meeting(self, m: Meeting) -> None:
        people = [self.ref(p) for p in m.participants]
        iri = self.mint.meeting([p.rsplit("/", 1)[-1] for p in people], m.start, self.key)
        self.add(iri, RDF.type, DV.Meeting)
        for p in people:
            self.add(iri, DV.participant, p)
        if m.place:
            self.add(iri, DV.place, self.ref(m.place))
        self.date(iri, DV.startDate, m.start)
        self.date(iri, DV.endDate, m.end)
        self.add(iri, DV.status, DV[m.status])
        self.add(iri, DV.purpose, m.purpose)
        self.add(iri, DV.timeExpression, m.time_expression)
        self.add(iri, DV.cameoCode, CAMEO["040"])
        self.evidence(iri, m.evidence, m.confidence)

    def role(self, r: Role) -> URIRef:
        person = self.ref(r.person)
        of = self.facts.entity(r.of) if r.of else None
        of_label = of.reference_label if of else None
        office = self.mint.office(r.office, of_label)
        self.add(office, RDF.type, DV.Office)
        self.add(office, RDFS.label, Literal(f"{r.office} of {of_label}" if of_label else r.office))
        if r.of:
            self.add(office, DV.officeOf, self.ref(r.of))
        iri = self.mint.holding(person.rsplit("/", 1)[-1], r.office, of_label, r.start)
        self.add(iri, RDF.type, DV.OfficeHolding)
        self.add(iri, DV.holder, person)
        self.add(iri, DV.office, office)
        self.date(iri, DV.startDate, r.start)
        self.date(iri, DV.endDate, r.end)
        self.date(iri, DV.asOf, r.as_of)
        self.evidence(iri, r.evidence, r.confidence)
        return iri

    def statement(self, s: Statement, roles: dict[str, URIRef]) -> None:
        speaker = self.ref(s.speaker)
        iri = self.mint.statement(speaker.rsplit("/", 1)[-1], s.text)
        self.add(iri, RDF.type, DV.Statement)
        self.add(iri, DV.speaker, speaker)
        self.add(iri, DV.text, Literal(s.text))
        if s.medium:
            self.add(iri, DV.medium, self.ref(s.medium))
        if s.reported_by:
            self.add(iri, DV.reportedBy, self.ref(s.reported_by))
        for a in s.about:
            self.add(iri, DV.about, self.ref(a))
        self.date(iri, DV.date, s.date)
        if s.speaker_role:
            self.add(iri, DV.speakerRole, roles[s.speaker_role])
        self.add(iri, DV.cameoCode, CAMEO["010"])
        self.evidence(iri, s.evidence, s.confidence)

    def stance(self, st: Stance) -> None:
        holder = self.ref(st.holder)
        towards = self.ref(st.towards) if st.towards else None
        about = [self.ref(a) for a in st.about]
        iri = self.mint.stance(str(holder), st.position, towards, [str(a) for a in about])
        self.add(iri, RDF.type, DV.Stance)
        self.add(iri, DV.holder, holder)
        self.add(iri, DV.position, DV[st.position])
        self.add(iri, DV.towards, towards)
        for a in about:
            self.add(iri, DV.about, a)
        self.add(iri, RDFS.comment, st.description)
        self.evidence(iri, st.evidence, st.confidence)

    def provenance(self, graph: URIRef, producer: Producer, now: datetime) -> None:
        a = self.facts.article
        software = self.mint.software(producer)
        self.add(graph, RDF.type, DV.SourceGraph)
        self.add(graph, PROV.wasDerivedFrom, self.source)
        self.add(graph, PROV.generatedAtTime, Literal(now.isoformat(), datatype=XSD.dateTime))
        self.add(graph, PROV.wasAttributedTo, software)
        self.add(software, RDF.type, DV.Software)
        self.add(software, SCHEMA.name, producer.name)
        self.add(software, SCHEMA.softwareVersion, producer.version)
        self.add(self.source, RDF.type, SOURCE_CLASSES.get(a.kind, DV.Source))
        self.add(self.source, SCHEMA.headline, a.title)
        self.date(self.source, SCHEMA.datePublished, a.dateline)
        self.add(self.source, DV.datelinePlace, a.dateline_place)
        if a.source and re.match(r"^https?://", a.source):
            self.add(self.source, SCHEMA.url, Literal(a.source, datatype=XSD.anyURI))
        elif a.source:
            self.add(self.source, DV.file, a.source)
        if a.publisher:
            self.add(self.source, SCHEMA.publisher, self.ref(a.publisher))
        if a.dataset:
            dataset = self.mint.dataset(a.dataset)
            self.add(self.source, SCHEMA.isPartOf, dataset)
            self.add(dataset, RDF.type, DV.Dataset)
            self.add(dataset, SCHEMA.name, a.dataset)


def map_facts(
    facts: Facts, mint: Minter, producer: Producer, *, now: datetime | None = None
) -> SourceGraph:
    """Map one source's facts to its named graph (pure: the same input gives the same triples)."""
    b = _Builder(facts, mint)
    graph_iri = mint.graph(facts.article)
    for e in facts.entities:
        b.entity(e)
    roles = {r.id: b.role(r) for r in facts.roles}
    for v in facts.visits:
        b.visit(v)
    for m in facts.meetings:
        b.meeting(m)
    for s in facts.statements:
        b.statement(s, roles)
    for st in facts.stances:
        b.stance(st)
    b.provenance(graph_iri, producer, now or datetime.now(UTC))
    return SourceGraph(iri=str(graph_iri), source_iri=str(b.source), graph=b.g)
