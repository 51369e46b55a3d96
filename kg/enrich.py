"""Linking the store to Wikidata, and checking it against reference facts.

``kg link`` and ``kg check`` call these functions.

Composes the link stage (overrides, gazetteer, online reconciliation) with mapping, validation
and the store, like :mod:`kg.ingest` does for sources. Two graphs come out of it, each a source
of its own with PROV provenance, so the one-graph-per-source design holds:

- ``<base>graph/links/wikidata``: the links ``kg link`` made. Each is an ``owl:sameAs`` triple
  plus a ``dv:Link`` node (method, score, explanation, endpoint, time); entities left for
  review carry ``dv:LinkCandidate`` nodes. The graph is rewritten whole on each run, keeping
  earlier links.
- ``<base>graph/dataset/wikidata``: reference facts fetched for the linked entities (positions
  held with their dates, the events linked visits are), mapped like any source of kind
  ``dataset``, so the named query ``conflicts`` compares it with the articles in plain SPARQL,
  as it does the gazetteer's graph.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg import __version__
from kg.ingest import store_facts
from kg.link import reconcile as rc
from kg.link.gazetteer import Gazetteer, norm
from kg.link.overrides import Overrides
from kg.link.wikidata import WD, WikidataClient, WikidataError, chunks, item_values, qid_of
from kg.mapping import Producer, digest
from kg.model import Article, Entity, EntityType, Facts, Role, Visit
from kg.ontology import DV, SCHEMA, sparql_prologue
from kg.queries import load_named_queries
from kg.settings import Settings
from kg.store import Store
from kg.store.base import bound_rows
from kg.terms import graph_to_triples
from kg.validate import check as shape_check

log = logging.getLogger(__name__)

LINKER = Producer("kg linker", __version__)
REFERENCE_PRODUCER = Producer("kg wikidata reference", __version__)
# When an entity has several types (a leader here, a person there), the narrowest one counts.
TYPE_ORDER = (
    "Leader",
    "Person",
    "HistoricalState",
    "State",
    "City",
    "Place",
    "InternationalOrganization",
    "Organization",
    "Publication",
)
MAX_DATES = 12


def links_graph_iri(settings: Settings) -> str:
    """The named graph of the links ``kg link`` makes."""
    return settings.graph_base + "links/wikidata"


def linkset_iri(settings: Settings) -> str:
    """The source the links graph is derived from (a ``dv:LinkSet``)."""
    return settings.id_base + "linkset/wikidata"


def _rows(store: Store, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
    result = store.query(sparql_prologue() + sparql)
    assert isinstance(result, ox.QuerySolutions)
    return bound_rows(result)


def _text(row: dict, name: str, default: str) -> str:
    return row[name].value if name in row else default


def _qid(term: object) -> str | None:
    return qid_of(getattr(term, "value", ""))


# ------------------------------------------------------------------------- reading the store


@dataclass
class StoredEntity:
    iri: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    qids: set[str] = field(default_factory=set)


def stored_entities(store: Store) -> dict[str, StoredEntity]:
    """Every entity of the store with its narrowest type, names and Wikidata links.

    Types, labels, aliases and links are read by separate queries: over the union of graphs
    each triple comes once per graph that holds it (a state named by thousands of record
    files), so joining them in one query would multiply those copies.
    """
    classes = " ".join(f"dv:{t}" for t in TYPE_ORDER)
    found: dict[str, StoredEntity] = {}
    for r in _rows(
        store, f"SELECT DISTINCT ?e ?type WHERE {{ VALUES ?type {{ {classes} }} ?e a ?type }}"
    ):
        iri, etype = r["e"].value, r["type"].value.rsplit("#", 1)[-1]
        e = found.get(iri)
        if e is None:
            found[iri] = StoredEntity(iri, etype, "")
        elif TYPE_ORDER.index(etype) < TYPE_ORDER.index(e.type):
            e.type = etype
    for r in _rows(store, "SELECT DISTINCT ?e ?label WHERE { ?e rdfs:label ?label }"):
        e = found.get(r["e"].value)
        if e is not None and (not e.label or r["label"].value < e.label):
            e.label = r["label"].value  # one label, the same whichever graph comes first
    for r in _rows(store, "SELECT DISTINCT ?e ?alias WHERE { ?e skos:altLabel ?alias }"):
        e = found.get(r["e"].value)
        if e is not None and r["alias"].value not in e.aliases:
            e.aliases.append(r["alias"].value)
    for r in _rows(store, "SELECT DISTINCT ?e ?same WHERE { ?e owl:sameAs ?same }"):
        e = found.get(r["e"].value)
        if e is not None and (q := _qid(r["same"])) is not None:
            e.qids.add(q)
    for e in found.values():
        e.aliases = sorted(a for a in e.aliases if a != e.label)
    return {i: e for i, e in found.items() if e.label}


def _entity_dates(store: Store, iris: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Dates the sources speak of each entity: their datelines, visit dates, as-of dates."""
    iris = sorted(set(iris))
    out: dict[str, set[str]] = defaultdict(set)
    datelines = {
        r["g"].value: r["d"].value
        for r in _rows(
            store,
            "SELECT ?g ?d WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?src . "
            "?src schema:datePublished ?d } }",
        )
    }
    for part in chunks(iris, 500):
        vals = " ".join(str(ox.NamedNode(i)) for i in part)
        for r in _rows(
            store,
            f"SELECT DISTINCT ?e ?g WHERE {{ VALUES ?e {{ {vals} }} GRAPH ?g {{ ?e a ?t }} }}",
        ):
            if r["g"].value in datelines:
                out[r["e"].value].add(datelines[r["g"].value])
        # One query per pattern: a VALUES block outside a UNION is not pushed into it.
        for pattern in (
            "?x dv:visitor|dv:host ?e ; dv:startDate ?d",
            "?x dv:holder ?e ; dv:asOf ?d",
        ):
            for r in _rows(
                store, f"SELECT DISTINCT ?e ?d WHERE {{ VALUES ?e {{ {vals} }} {pattern} }}"
            ):
                out[r["e"].value].add(r["d"].value)
    return {k: tuple(sorted(d for d in v if len(d) == 10)[-MAX_DATES:]) for k, v in out.items()}


def _located_in(store: Store) -> dict[str, str]:
    """For each place, the state the sources put it in."""
    return {
        r["p"].value: r["s"].value
        for r in _rows(store, "SELECT DISTINCT ?p ?s WHERE { ?p dv:locatedIn ?s }")
    }


def _countries_linked(store: Store) -> dict[str, str]:
    """The QIDs of the states the store links already."""
    return {
        r["s"].value: q
        for r in _rows(
            store,
            "SELECT DISTINCT ?s ?same WHERE { ?s a ?t ; owl:sameAs ?same "
            "VALUES ?t { dv:State dv:HistoricalState } }",
        )
        if (q := _qid(r["same"])) is not None
    }


# ---------------------------------------------------------------------------- kg link


@dataclass
class LinkReport:
    """What ``kg link`` did: one decision per entity or visit considered."""

    decisions: list[rc.Decision]
    already_linked: int
    endpoint: str | None
    requests: int = 0
    cache_hits: int = 0
    online_error: str | None = None
    override_conflicts: list[str] = field(default_factory=list)
    written: bool = False

    def by_status(self, status: str) -> list[rc.Decision]:
        """The decisions with this status."""
        return [d for d in self.decisions if d.status == status]


def link(
    store: Store,
    settings: Settings,
    client: WikidataClient | None,
    *,
    dry_run: bool = False,
) -> LinkReport:
    """Link every entity (and visit) that has no ``owl:sameAs`` to Wikidata yet.

    Order: the overrides file, then the gazetteer, then (with a client) the online
    reconciliation. Unless ``dry_run``, the links graph is rewritten (earlier links kept) and
    the review file lists what was left ambiguous or not found.
    """
    overrides = Overrides.load(settings.data_dir)
    gazetteer = Gazetteer.load(settings.data_dir)
    entities = stored_entities(store)
    previous = _previous_links(store, settings)
    decisions: list[rc.Decision] = []
    report = LinkReport(decisions, 0, client.endpoint if client else None)
    todo: list[StoredEntity] = []
    for e in entities.values():
        names = [e.label, *e.aliases]
        found = overrides.for_entity(e.type, names)
        if found is not None:
            qid = found[0]
            if e.qids - set(previous.get(e.iri, {}).values()) - {qid}:
                report.override_conflicts.append(
                    f"{e.label} ({e.type}): a source links it to {', '.join(sorted(e.qids))}, "
                    f"the override says {qid or 'never link'}; load that source again"
                )
            if qid is None:
                decisions.append(
                    rc.Decision(
                        e.iri,
                        e.label,
                        e.type,
                        "skipped",
                        method="override",
                        why="override: never link",
                    )
                )
            elif qid not in e.qids or e.iri in previous:
                decisions.append(
                    rc.Decision(
                        e.iri,
                        e.label,
                        e.type,
                        "linked",
                        qid,
                        1.0,
                        "override",
                        why="the overrides file names it",
                    )
                )
            else:
                report.already_linked += 1
            continue
        if e.qids:
            report.already_linked += 1
            continue
        known = gazetteer.person(e.label) if e.type in rc.PEOPLE else gazetteer.body(e.label)
        if known is not None and known.wikidata:
            decisions.append(
                rc.Decision(
                    e.iri,
                    e.label,
                    e.type,
                    "linked",
                    known.wikidata,
                    1.0,
                    "gazetteer",
                    why=f"the gazetteer knows {known.label}",
                )
            )
            continue
        todo.append(e)
    online = [e for e in todo if e.type in rc.ONLINE_TYPES]
    for e in todo:
        if e.type not in rc.ONLINE_TYPES:
            decisions.append(
                rc.Decision(
                    e.iri, e.label, e.type, "skipped", why=f"no Wikidata type filter for {e.type}"
                )
            )
    if online and client is None:
        for e in online:
            decisions.append(
                rc.Decision(
                    e.iri,
                    e.label,
                    e.type,
                    "not-found",
                    why="not in the gazetteer (offline: not looked up)",
                )
            )
    elif online and client is not None:
        try:
            decisions += _reconcile_online(store, settings, client, online)
        except WikidataError as exc:
            report.online_error = str(exc)
            decisions += [
                rc.Decision(
                    e.iri, e.label, e.type, "not-found", why=f"online look-up failed: {exc}"
                )
                for e in online
            ]
    if client is not None and report.online_error is None:
        linked = {d.iri: d.qid for d in decisions if d.status == "linked" and d.qid}
        try:
            decisions += _link_visits(store, settings, client, entities, linked)
        except WikidataError as exc:
            report.online_error = str(exc)
    if client is not None:
        report.requests, report.cache_hits = client.requests, client.cache_hits
    if not dry_run:
        write_links(store, settings, decisions, previous, report.endpoint)
        write_review(settings, decisions)
        report.written = True
    return report


def _reconcile_online(
    store: Store, settings: Settings, client: WikidataClient, todo: list[StoredEntity]
) -> list[rc.Decision]:
    dates = _entity_dates(store, [e.iri for e in todo if e.type in rc.PEOPLE])
    located = _located_in(store)
    qids = {i: q for i, q in _countries_linked(store).items()}
    decisions: list[rc.Decision] = []
    # States first: a city's country, linked in this run, then helps to tell cities apart.
    for wave in (("State", "HistoricalState"), None):
        batch = [
            e
            for e in todo
            if (e.type in wave if wave else e.type not in ("State", "HistoricalState"))
        ]
        mentions = [
            rc.Mention(
                e.iri,
                e.label,
                e.type,
                tuple(e.aliases),
                dates.get(e.iri, ()),
                qids.get(located.get(e.iri, "")),
            )
            for e in batch
        ]
        found = rc.fetch_candidates(client, mentions, settings.wikidata_batch)
        for m in mentions:
            d = rc.decide(
                m.iri,
                m.label,
                m.type,
                found.get(m.iri, []),
                settings.link_threshold,
                settings.link_margin,
            )
            decisions.append(d)
            if d.status == "linked" and d.qid:
                qids[m.iri] = d.qid
    return decisions


def _visit_mentions(
    store: Store, qids: dict[str, str], linked_visits: set[str], entities: dict[str, StoredEntity]
) -> list[rc.VisitMention]:
    """Visits whose visitor has a QID, not yet linked to an event."""
    people = sorted(i for i in qids if i in entities and entities[i].type in rc.PEOPLE)
    out: dict[str, rc.VisitMention] = {}
    for part in chunks(people, 500):
        vals = " ".join(str(ox.NamedNode(i)) for i in part)
        for r in _rows(
            store,
            f"""SELECT DISTINCT ?v ?who ?dest ?state ?start ?end ?before
              WHERE {{ VALUES ?who {{ {vals} }}
              ?v dv:visitor ?who ; dv:destination ?dest .
              OPTIONAL {{ ?v dv:hostState ?state }}
              OPTIONAL {{ ?v dv:startDate ?start }} OPTIONAL {{ ?v dv:endDate ?end }}
              OPTIONAL {{ ?v dv:before ?before }} }}""",
        ):
            v, dest = r["v"].value, r["dest"].value
            if v in linked_visits or v in out:
                continue
            place = entities.get(dest)
            is_state = place is not None and place.type in ("State", "HistoricalState")
            state = qids.get(r["state"].value) if "state" in r else None
            if state is None and is_state:
                state = qids.get(dest)
            who = entities[r["who"].value].label
            when = _text(r, "start", "") or "before " + _text(r, "before", "?")
            out[v] = rc.VisitMention(
                v,
                qids[r["who"].value],
                state,
                qids.get(dest),
                is_state,
                r["start"].value if "start" in r else None,
                r["end"].value if "end" in r else None,
                r["before"].value if "before" in r else None,
                f"{who} → {place.label if place else '?'} ({when})",
            )
    return list(out.values())


def _link_visits(
    store: Store,
    settings: Settings,
    client: WikidataClient,
    entities: dict[str, StoredEntity],
    new_links: dict[str, str | None],
) -> list[rc.Decision]:
    qids = {i: sorted(e.qids)[0] for i, e in entities.items() if e.qids}
    qids.update({i: q for i, q in new_links.items() if q})
    linked_visits = {
        r["v"].value
        for r in _rows(
            store,
            f"SELECT DISTINCT ?v WHERE {{ ?v a ?t ; owl:sameAs ?e "
            f"FILTER(STRSTARTS(STR(?e), {ox.Literal(WD)!s})) ?v dv:visitor ?who }}",
        )
    }
    visits = _visit_mentions(store, qids, linked_visits, entities)
    if not visits:
        return []
    events = rc.fetch_events(client, {v.visitor_qid for v in visits}, settings.wikidata_batch)
    return rc.match_visits(visits, events, settings.link_visit_threshold, settings.link_margin)


# ---------------------------------------------------------------------- the links graph


@dataclass(frozen=True)
class StoredLink:
    subject: str
    qid: str
    method: str
    score: str
    explanation: str
    at: str
    endpoint: str | None


def _previous_links(store: Store, settings: Settings) -> dict[str, dict[str, str]]:
    """The links graph's links, by subject: {subject: {link node: qid}}."""
    graph = ox.NamedNode(links_graph_iri(settings))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in _rows(
        store,
        f"SELECT ?l ?s ?t WHERE {{ GRAPH {graph} {{ ?l a dv:Link ; "
        "dv:linkSubject ?s ; dv:linkTarget ?t } }",
    ):
        if (q := _qid(r["t"])) is not None:
            out[r["s"].value][r["l"].value] = q
    return dict(out)


def _stored_links(store: Store, settings: Settings) -> list[StoredLink]:
    graph = ox.NamedNode(links_graph_iri(settings))
    found = []
    for r in _rows(
        store,
        f"""SELECT ?s ?t ?m ?score ?x ?at ?ep WHERE {{ GRAPH {graph} {{
          ?l a dv:Link ; dv:linkSubject ?s ; dv:linkTarget ?t ; dv:method ?m ; dv:score ?score ;
             prov:generatedAtTime ?at .
          OPTIONAL {{ ?l dv:explanation ?x }} OPTIONAL {{ ?l dv:endpoint ?ep }} }} }}""",
    ):
        if (q := _qid(r["t"])) is not None:
            found.append(
                StoredLink(
                    r["s"].value,
                    q,
                    r["m"].value,
                    r["score"].value,
                    r["x"].value if "x" in r else "",
                    r["at"].value,
                    r["ep"].value if "ep" in r else None,
                )
            )
    return found


def links_graph(
    settings: Settings,
    decisions: list[rc.Decision],
    kept: list[StoredLink],
    endpoint: str | None,
    now: datetime,
) -> Graph:
    """The links graph: provenance, earlier links kept, new links, candidates for review."""
    g = Graph()
    graph, source = URIRef(links_graph_iri(settings)), URIRef(linkset_iri(settings))
    software = URIRef(f"{settings.id_base}software/kg-linker/{__version__.replace('.', '-')}")
    stamp = Literal(now.isoformat(), datatype=XSD.dateTime)
    g.add((graph, RDF.type, DV.SourceGraph))
    g.add((graph, PROV.wasDerivedFrom, source))
    g.add((graph, PROV.generatedAtTime, stamp))
    g.add((graph, PROV.wasAttributedTo, software))
    g.add((software, RDF.type, DV.Software))
    g.add((software, SCHEMA.name, Literal(LINKER.name)))
    g.add((software, SCHEMA.softwareVersion, Literal(LINKER.version)))
    g.add((source, RDF.type, DV.LinkSet))
    g.add((source, SCHEMA.headline, Literal("Links to Wikidata made by kg link")))
    if endpoint:
        g.add((source, SCHEMA.url, Literal(endpoint, datatype=XSD.anyURI)))

    def add_link(
        subject: str,
        qid: str,
        method: str,
        score: Decimal | str,
        why: str,
        at: Literal,
        ep: str | None,
    ) -> None:
        node = URIRef(f"{settings.id_base}link/{digest(subject)}")
        g.add((URIRef(subject), OWL.sameAs, URIRef(WD + qid)))
        g.add((node, RDF.type, DV.Link))
        g.add((node, DV.linkSubject, URIRef(subject)))
        g.add((node, DV.linkTarget, URIRef(WD + qid)))
        g.add((node, DV.method, Literal(method)))
        g.add((node, DV.score, Literal(Decimal(str(score)))))
        g.add((node, PROV.generatedAtTime, at))
        if why:
            g.add((node, DV.explanation, Literal(why)))
        if ep:
            g.add((node, DV.endpoint, Literal(ep, datatype=XSD.anyURI)))

    for k in kept:
        add_link(
            k.subject,
            k.qid,
            k.method,
            k.score,
            k.explanation,
            Literal(k.at, datatype=XSD.dateTime),
            k.endpoint,
        )
    for d in decisions:
        if d.status == "linked" and d.qid:
            ep = endpoint if d.method == "reconciled" else None
            add_link(
                d.iri,
                d.qid,
                d.method or "reconciled",
                round(Decimal(d.score or 0), 3),
                d.why,
                stamp,
                ep,
            )
        elif d.status == "ambiguous":
            for c in d.candidates[:5]:
                node = URIRef(f"{settings.id_base}link-candidate/{digest(d.iri, c.qid)}")
                g.add((node, RDF.type, DV.LinkCandidate))
                g.add((node, DV.linkSubject, URIRef(d.iri)))
                g.add((node, DV.linkTarget, URIRef(WD + c.qid)))
                g.add((node, DV.score, Literal(round(Decimal(c.score), 3))))
                g.add((node, RDFS.label, Literal(f"{c.label} ({c.qid})")))
                g.add((node, DV.explanation, Literal("; ".join(c.reasons))))
                if c.description:
                    g.add((node, RDFS.comment, Literal(c.description)))
                if endpoint:
                    g.add((node, DV.endpoint, Literal(endpoint, datatype=XSD.anyURI)))
    return g


def write_links(
    store: Store,
    settings: Settings,
    decisions: list[rc.Decision],
    previous: dict[str, dict[str, str]],
    endpoint: str | None,
) -> int:
    """Rewrite the links graph (one transaction): earlier links of subjects not decided again
    now, and this run's links and candidates. Returns the triple count."""
    decided = {d.iri for d in decisions if d.status in ("linked", "skipped")}
    kept = [k for k in _stored_links(store, settings) if k.subject not in decided]
    g = links_graph(settings, decisions, kept, endpoint, datetime.now(UTC))
    shape_check(g, settings.ontology_dir)
    return store.replace_graph(links_graph_iri(settings), graph_to_triples(g))


def write_review(settings: Settings, decisions: list[rc.Decision]) -> Path | None:
    """The review file: what was left ambiguous or not found, with candidates and reasons,
    and a ready ``override`` entry to copy into the overrides file."""
    path = Path(settings.link_review) if settings.link_review else None
    if path is None:
        return None
    items = []
    for d in decisions:
        if d.status not in ("ambiguous", "not-found") or d.type == "Visit":
            continue
        item = d.as_dict()
        best = d.candidates[0].qid if d.candidates else None
        item["override"] = {
            "type": d.type,
            "label": d.label,
            "wikidata": best,
            "note": "checked by hand: ...",
        }
        items.append(item)
    visits = [d.as_dict() for d in decisions if d.type == "Visit" and d.status == "ambiguous"]
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "threshold": settings.link_threshold,
        "entities": items,
        "visits": visits,
    }
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ reference facts


@dataclass
class ReferenceReport:
    """What ``kg check`` fetched from Wikidata into the reference graph."""

    people: int = 0
    holdings: int = 0
    events: int = 0
    triples: int = 0
    error: str | None = None


def _office_names(
    store: Store, people: Iterable[str], entities: dict[str, StoredEntity]
) -> dict[str, list[tuple[str, str | None, str | None]]]:
    """Per person, the offices the sources name: (office label, body IRI, body label)."""
    offices: dict[str, tuple[str, str | None]] = {}
    for r in _rows(
        store,
        "SELECT DISTINCT ?o ?label ?body WHERE { ?o a dv:Office ; "
        "rdfs:label ?label OPTIONAL { ?o dv:officeOf ?body } }",
    ):
        offices[r["o"].value] = (r["label"].value, r["body"].value if "body" in r else None)
    out: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    for part in chunks(sorted(set(people)), 500):
        vals = " ".join(str(ox.NamedNode(i)) for i in part)
        for r in _rows(
            store,
            f"SELECT DISTINCT ?p ?o WHERE {{ VALUES ?p {{ {vals} }} "
            "?h dv:holder ?p ; dv:office ?o }",
        ):
            if r["o"].value not in offices:
                continue
            label, body = offices[r["o"].value]
            body_label = entities[body].label if body in entities else None
            item = (label, body, body_label)
            if item not in out[r["p"].value]:
                out[r["p"].value].append(item)
    return out


def positions_query(people: list[str]) -> str:
    """Positions held (P39) by these people, with start and end qualifiers."""
    return f"""SELECT DISTINCT ?item ?pos ?posLabel ?start ?end WHERE {{
  {item_values("item", people)}
  ?item p:P39 ?st . ?st ps:P39 ?pos .
  OPTIONAL {{ ?st pq:P580 ?start }}
  OPTIONAL {{ ?st pq:P582 ?end }}
  OPTIONAL {{ ?pos rdfs:label ?posLabel FILTER(LANG(?posLabel) = "en") }}
}}"""


class _FactsBuilder:
    """Collects reference facts about local entities, with local ids and labels."""

    def __init__(self, entities: dict[str, StoredEntity]) -> None:
        self.entities = entities
        self.by_qid: dict[str, StoredEntity] = {}
        for e in entities.values():
            for q in e.qids:
                self.by_qid.setdefault(q, e)
        self.out: dict[str, Entity] = {}

    def local(self, iri: str) -> str:
        e = self.entities[iri]
        key = f"e{len(self.out)}" if iri not in self.out else self.out[iri].id
        if iri not in self.out:
            etype = "Leader" if e.type == "Person" else e.type
            if etype == "InternationalOrganization":
                etype = "Organization"
            self.out[iri] = Entity(
                id=key,
                label=e.label,
                type=EntityType(etype),
                wikidata=sorted(e.qids)[0] if e.qids else None,
            )
        return self.out[iri].id

    def place(self, p: rc.Place, state: str | None) -> str:
        known = self.by_qid.get(p.qid)
        if known is not None and known.type in ("City", "Place", "State", "HistoricalState"):
            return self.local(known.iri)
        iri = f"wd:{p.qid}"
        if iri not in self.out:
            self.out[iri] = Entity(
                id=f"e{len(self.out)}",
                label=p.label,
                type=EntityType.PLACE,
                wikidata=p.qid,
                country=state,
            )
        return self.out[iri].id


def reference_facts(
    store: Store, settings: Settings, client: WikidataClient
) -> tuple[Facts, ReferenceReport]:
    """Positions of the linked people and the events of linked visits, as a dataset source."""
    entities = stored_entities(store)
    people = {e.iri: sorted(e.qids)[0] for e in entities.values() if e.qids and e.type in rc.PEOPLE}
    by_qid = defaultdict(list)
    for iri, q in people.items():
        by_qid[q].append(iri)
    b = _FactsBuilder(entities)
    report = ReferenceReport(people=len(people))
    offices = _office_names(store, people, entities)
    roles: list[Role] = []
    per_person = client.select_each(
        "positions/v1",
        sorted(by_qid),
        lambda part: positions_query(list(part)),
        lambda row: row["item"].qid if "item" in row else None,
        settings.wikidata_batch,
    )
    for rows in per_person.values():
        for r in rows:
            label = r["posLabel"].value if "posLabel" in r else ""
            for iri in by_qid.get(r["item"].qid or "", []):
                for office_label, body, body_label in offices.get(iri, []):
                    if norm(office_label) != norm(label):
                        continue  # only positions that are an office the sources name
                    name = office_label
                    if body_label and norm(name).endswith(" of " + norm(body_label)):
                        name = name[: len(name) - len(body_label) - 4]
                    of = b.local(body) if body and body in entities else None
                    start = r["start"].date if "start" in r else None
                    roles.append(
                        Role(
                            id=f"r{len(roles)}",
                            person=b.local(iri),
                            office=name,
                            of=of,
                            start=start,
                            end=r["end"].date if "end" in r else None,
                        )
                    )
    report.holdings = len(roles)
    visits = _reference_visits(store, settings, client, entities, people, b)
    report.events = len({v.wikidata for v in visits})
    facts = Facts(
        article=Article(
            title=f"Wikidata reference facts ({client.endpoint})",
            key="wikidata",
            kind="dataset",
            source=client.endpoint,
        ),
        entities=list(b.out.values()),
        roles=roles,
        visits=visits,
    )
    return facts, report


def _reference_visits(
    store: Store,
    settings: Settings,
    client: WikidataClient,
    entities: dict[str, StoredEntity],
    people: dict[str, str],
    b: _FactsBuilder,
) -> list[Visit]:
    graph = ox.NamedNode(links_graph_iri(settings))
    linked = {}
    for r in _rows(
        store,
        f"""SELECT ?v ?t ?who WHERE {{ GRAPH {graph} {{ ?l a dv:Link ;
          dv:linkSubject ?v ; dv:linkTarget ?t }} ?v dv:visitor ?who }}""",
    ):
        if (q := _qid(r["t"])) is not None and r["who"].value in people:
            linked[q] = people[r["who"].value]
    if not linked:
        return []
    wanted = set(linked)
    events = [
        e
        for e in rc.fetch_events(client, set(linked.values()), settings.wikidata_batch)
        if e.qid in wanted
    ]
    visits = []
    for e in events:
        visitor_iri = next(i for i, q in people.items() if q == linked[e.qid])
        states = sorted(e.states())
        state = b.by_qid.get(states[0]) if states else None
        state_id = b.local(state.iri) if state else None
        places = list(e.places) or ([rc.Place(states[0], states[0])] if state else [])
        for p in places:
            visits.append(
                Visit(
                    visitor=b.local(visitor_iri),
                    destination=b.place(p, state_id),
                    host_state=state_id,
                    start=e.start,
                    end=e.end,
                    wikidata=e.qid,
                    status="occurred",
                )
            )
    return visits


def refresh_reference(store: Store, settings: Settings, client: WikidataClient) -> ReferenceReport:
    """Fetch the reference facts and replace the reference graph with them."""
    facts, report = reference_facts(store, settings, client)
    report.triples = store_facts(store, facts, settings, REFERENCE_PRODUCER).triples
    return report


# ---------------------------------------------------------------------------- kg check


@dataclass
class Conflict:
    """Two claims that disagree, each with its source."""

    kind: str
    subject: str
    subject_label: str
    claim: str
    source: str
    source_label: str
    reference: str
    reference_source: str
    reference_source_label: str

    def line(self) -> str:
        """One line of the ``kg check`` report."""
        return (
            f"[{self.kind}] {self.claim} ({self.source_label}) -- but {self.reference} "
            f"({self.reference_source_label})"
        )


def conflicts(store: Store, settings: Settings) -> list[Conflict]:
    """The rows of the named query ``conflicts`` over the whole store."""
    query = load_named_queries(settings.queries_dir)["conflicts"]
    result = store.query(query.text)
    assert isinstance(result, ox.QuerySolutions)
    out = []
    names = (
        "kind",
        "subject",
        "subjectLabel",
        "claim",
        "source",
        "sourceLabel",
        "reference",
        "referenceSource",
        "referenceSourceLabel",
    )
    for r in result:
        out.append(Conflict(*(r[n].value if r[n] is not None else "" for n in names)))
    return out
