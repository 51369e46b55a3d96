"""What the browsing pages show, read from the store as plain data.

Every function here blocks (it queries the store): call them from a worker thread. IRIs go
into queries only as pyoxigraph terms (``str()`` of a term is escaped N-Triples), never pasted.

>>> href("http://kg.test/id/person/x", "http://kg.test/id/")
'/id/person/x'
>>> href("http://www.wikidata.org/entity/Q7747", "http://kg.test/id/")
'/describe?iri=http%3A%2F%2Fwww.wikidata.org%2Fentity%2FQ7747'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox

from kg.ontology import PREFIXES, sparql_prologue
from kg.store import Store
from kg.store.base import bound_rows

DV = PREFIXES["dv"]
WD_ENTITY = PREFIXES["wd"]
RDF_TYPE = PREFIXES["rdf"] + "type"
# Labels for the borrowed terms the ontology declares without one.
BUILTIN_LABELS = {
    PREFIXES["rdf"] + "type": "type",
    PREFIXES["rdfs"] + "label": "label",
    PREFIXES["rdfs"] + "comment": "comment",
    PREFIXES["rdfs"] + "subClassOf": "subclass of",
    PREFIXES["rdfs"] + "subPropertyOf": "subproperty of",
    PREFIXES["skos"] + "altLabel": "also known as",
    PREFIXES["skos"] + "prefLabel": "preferred label",
    PREFIXES["owl"] + "sameAs": "same as",
    PREFIXES["prov"] + "wasDerivedFrom": "derived from",
    PREFIXES["prov"] + "wasAttributedTo": "produced by",
    PREFIXES["prov"] + "generatedAtTime": "ingested at",
    PREFIXES["schema"] + "headline": "headline",
    PREFIXES["schema"] + "datePublished": "dateline",
    PREFIXES["schema"] + "publisher": "publisher",
    PREFIXES["schema"] + "name": "name",
    PREFIXES["schema"] + "softwareVersion": "version",
    PREFIXES["schema"] + "url": "URL",
    PREFIXES["nif"] + "anchorOf": "sentence",
    PREFIXES["nif"] + "beginIndex": "begins at character",
    PREFIXES["nif"] + "endIndex": "ends at character",
    PREFIXES["nif"] + "referenceContext": "source",
}
BUILTIN_INVERSE = {
    PREFIXES["rdf"] + "type": "is the type of",
    PREFIXES["owl"] + "sameAs": "is the same as",
    PREFIXES["prov"] + "wasDerivedFrom": "is the source of",
    PREFIXES["prov"] + "wasAttributedTo": "produced",
    PREFIXES["nif"] + "referenceContext": "is the source of evidence",
}
# A reference dataset's skos:prefLabel first: each article labels an entity as it spells it
# ("Peking"), the gazetteer graph says what to call it ("Beijing"). rdfs:comment last: a
# stance has no label, only its description.
LABEL_PROPERTIES = (
    "skos:prefLabel",
    "rdfs:label",
    "schema:headline",
    "schema:name",
    "rdfs:comment",
)
INCOMING_LIMIT = 500
# What a fact's composed label is made of (Labeller._composed).
COMPOSED_PARTS = (
    "dv:visitor",
    "dv:destination",
    "dv:speaker",
    "dv:text",
    "dv:holder",
    "dv:office",
    "dv:participant",
    "dv:place",
    "dv:startDate",
)
Term = ox.NamedNode | ox.BlankNode | ox.Literal


def href(iri: str, id_base: str) -> str:
    """The service path that shows ``iri``: its own path if minted here, else ``/describe``."""
    if iri.startswith(id_base):
        return "/id/" + iri[len(id_base) :]
    return "/describe?iri=" + quote(iri, safe="")


def qid(iri: str) -> str | None:
    """The Wikidata QID an entity IRI names, if it is one.

    >>> qid("http://www.wikidata.org/entity/Q7747"), qid("http://example.org/Q1")
    ('Q7747', None)
    """
    if iri.startswith(WD_ENTITY) and iri[len(WD_ENTITY) :].startswith("Q"):
        return iri[len(WD_ENTITY) :]
    return None


def local_name(iri: str) -> str:
    """A last-resort label: the IRI's compact name (a prefixed name, or the path after /id/).

    >>> local_name("https://w3id.org/diplovisit/ontology#Visit")
    'dv:Visit'
    >>> local_name("http://kg.test/id/evidence/a1/3")
    'evidence/a1/3'
    """
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    if "/id/" in iri:
        return iri.split("/id/", 1)[1]
    return iri.rstrip("/").rsplit("/", 1)[-1] or iri


def rows(store: Store, sparql: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
    """Solutions of a SELECT query (with the project's prefixes) as dicts of bound terms."""
    result = store.query(sparql_prologue() + sparql)
    assert isinstance(result, ox.QuerySolutions)
    return bound_rows(result)


def values(iris: Iterable[str]) -> str:
    """The body of a ``VALUES`` block for IRIs (escaped by pyoxigraph)."""
    return " ".join(str(ox.NamedNode(i)) for i in sorted(set(iris)))


EVIDENCE_PARTS = {
    "sentence": "nif:anchorOf",
    "begin": "nif:beginIndex",
    "end": "nif:endIndex",
    "cb": "dv:claimBegin",
    "ce": "dv:claimEnd",
    "rule": "dv:rule",
    "conf": "dv:confidence",
    "source": "nif:referenceContext",
}


def properties(store: Store, subjects: Iterable[str], parts: dict[str, str]) -> dict[str, dict]:
    """Some properties of many subjects in one query: ``{subject: {name: [values]}}`` for
    ``parts`` mapping names to prefixed property names (values sorted, each once)."""
    subjects = set(subjects)
    if not subjects:
        return {}
    name_of = {expand(p): name for name, p in parts.items()}
    out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in rows(
        store,
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {values(subjects)} }} ?s ?p ?o "
        f"FILTER(?p IN ({', '.join(parts.values())})) }}",
    ):
        out[r["s"].value][name_of[r["p"].value]].append(r["o"])
    for got in out.values():
        for values_ in got.values():
            values_.sort(key=str)
    return out


def expand(name: str) -> str:
    """The IRI of a prefixed name of the project's prefixes.

    >>> expand("nif:anchorOf")
    'http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf'
    """
    prefix, local = name.split(":", 1)
    return PREFIXES[prefix] + local


def text(term: object) -> str:
    """The plain text of a term (IRI or lexical form)."""
    return getattr(term, "value", "") if term is not None else ""


@dataclass(frozen=True)
class Link:
    iri: str
    label: str
    href: str


class Labeller:
    """Finds readable labels for IRIs (label, headline, name; visits and statements by parts)."""

    def __init__(self, store: Store, id_base: str) -> None:
        self.store = store
        self.id_base = id_base
        self.cache: dict[str, str] = {}

    def fetch(self, iris: Iterable[str]) -> None:
        """Look up the labels of IRIs not seen yet (one query for all)."""
        todo = {i for i in iris if i not in self.cache}
        if not todo:
            return
        found: dict[str, tuple[int, str]] = {}
        props = ", ".join(LABEL_PROPERTIES)
        # The properties as a FILTER, not a second VALUES block: the two blocks' cross product
        # was joined with a scan of the store (30-60 ms a page on the imported records).
        for r in rows(
            self.store,
            f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values(todo)} }} ?s ?p ?l "
            f"FILTER(?p IN ({props})) }}",
        ):
            lit = r["l"]
            lang = getattr(lit, "language", None)
            rank = LABEL_PROPERTIES.index(local_name(r["p"].value)) * 2 + (
                0 if lang in (None, "en") else 1
            )
            s = r["s"].value
            if s not in found or rank < found[s][0]:
                found[s] = (rank, lit.value)
        missing = todo - set(found)
        if missing:
            found.update({k: (0, v) for k, v in self._composed(missing).items()})
        for i in todo:
            self.cache[i] = found[i][1] if i in found else BUILTIN_LABELS.get(i, local_name(i))

    def _composed(self, iris: set[str]) -> dict[str, str]:
        """Labels for unlabelled facts: 'visitor → destination (date)', 'speaker: “text”'."""
        # One query for the parts and their labels, the IRIs first: a UNION of one pattern per
        # kind of fact was evaluated branch by branch over the whole store (20 s for a leader's
        # page on the imported records), and property paths to the labels joined every label
        # in the store (30 ms); this takes a few milliseconds.
        parts: dict[str, dict[str, set[Term]]] = defaultdict(lambda: defaultdict(set))
        labels: dict[Term, set[str]] = defaultdict(set)
        for r in rows(
            self.store,
            f"""SELECT DISTINCT ?s ?p ?o ?l WHERE {{ VALUES ?s {{ {values(iris)} }} ?s ?p ?o
              FILTER(?p IN ({", ".join(COMPOSED_PARTS)}))
              OPTIONAL {{ ?o rdfs:label ?l }} }}""",
        ):
            parts[r["s"].value][local_name(r["p"].value)].add(r["o"])
            if "l" in r:
                labels[r["o"]].add(r["l"].value)

        def named(s: str, part: str) -> list[str]:  # the labels of the part's values
            return sorted({label for o in parts[s][part] for label in labels[o]})

        def literal(s: str, part: str) -> list[str]:  # the part's values as text
            return sorted(o.value for o in parts[s][part])

        out: dict[str, str] = {}
        for s in sorted(parts):
            what_of = {
                "dv:visitor": named(s, "dv:destination"),
                "dv:speaker": literal(s, "dv:text"),
                "dv:holder": named(s, "dv:office"),
                "dv:participant": [""],
            }
            combos = sorted(
                {(who, what) for part, whats in what_of.items()
                 for who in named(s, part) for what in whats}
            )  # fmt: skip
            if not combos:
                continue
            places, dates = named(s, "dv:place"), literal(s, "dv:startDate")
            for who, what in combos:
                what = what or (places[0] if places else "")
                if "/meeting/" in s:
                    people = out.get(s, "meeting of ").split(" in ")[0]
                    sep = "" if people.endswith("of ") else " and "
                    out[s] = f"{people}{sep}{who}" + (f" in {what}" if what else "")
                elif "/statement/" in s:
                    short = what if len(what) <= 70 else what[:69] + "…"
                    out[s] = f"{who}: “{short}”"
                elif "/holding/" in s:
                    out[s] = f"{who}, {what}"
                else:
                    when = dates[0] if dates else ""
                    out[s] = f"{who} → {what}" + (f" ({when})" if when else "")
        return out

    def label(self, iri: str) -> str:
        """The label of one IRI (fetched on demand)."""
        self.fetch([iri])
        return self.cache[iri]

    def link(self, iri: str) -> Link:
        """A link to the page of ``iri``, with its label."""
        return Link(iri, self.label(iri), href(iri, self.id_base))


# --- evidence -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceView:
    """One source's evidence for a fact: the sentence split around the claimed span."""

    fact: str
    node: str
    source: Link | None
    begin: int
    end: int
    before: str
    claim: str
    after: str
    claim_begin: int | None
    claim_end: int | None
    rule: str
    confidence: str


def split_claim(sentence: str, begin: int, claim_begin: int | None, claim_end: int | None):
    """The sentence as (before, claim, after) around an absolute claimed span.

    >>> split_claim("Putin arrived in Pyongyang.", 100, 106, 113)
    ('Putin ', 'arrived', ' in Pyongyang.')
    >>> split_claim("No span here.", 0, None, None)
    ('No span here.', '', '')
    """
    if claim_begin is None or claim_end is None:
        return sentence, "", ""
    a = max(0, min(len(sentence), claim_begin - begin))
    b = max(a, min(len(sentence), claim_end - begin))
    return sentence[:a], sentence[a:b], sentence[b:]


def _int(term: object) -> int | None:
    try:
        return int(text(term))
    except ValueError:
        return None


def evidence_for(
    store: Store, labeller: Labeller, facts: Iterable[str]
) -> dict[str, list[EvidenceView]]:
    """The evidence of each fact, from every source that claims it, in source order."""
    facts = set(facts)
    if not facts:
        return {}
    # Two selective queries, the IRIs first. One query with an OPTIONAL per optional part was
    # joined with every evidence node of the store (15-20 ms a page on the imported records).
    links = rows(
        store, f"SELECT DISTINCT ?fact ?ev WHERE {{ VALUES ?fact {{ {values(facts)} }} "
        "?fact dv:evidence ?ev }",
    )  # fmt: skip
    props = properties(store, {r["ev"].value for r in links}, EVIDENCE_PARTS)
    found = []
    for r in links:
        got = props.get(r["ev"].value, {})
        if not all(got.get(k) for k in ("sentence", "begin", "end")):
            continue  # no sentence or offsets: not evidence the pages can show
        row = {"fact": r["fact"], "ev": r["ev"]}
        row.update({k: v[0] for k, v in got.items() if v})
        if not (got.get("cb") and got.get("ce")):  # the claimed span comes whole or not at all
            row = {k: v for k, v in row.items() if k not in ("cb", "ce")}
        found.append(row)
    labeller.fetch(text(r.get("source")) for r in found if "source" in r)
    out: dict[str, list[EvidenceView]] = defaultdict(list)
    seen: set[str] = set()
    for r in sorted(found, key=lambda r: (text(r.get("source")), _int(r["begin"]) or 0)):
        if r["ev"].value in seen:
            continue
        seen.add(r["ev"].value)
        begin, cb, ce = _int(r["begin"]) or 0, _int(r.get("cb")), _int(r.get("ce"))
        before, claim, after = split_claim(r["sentence"].value, begin, cb, ce)
        out[r["fact"].value].append(
            EvidenceView(
                fact=r["fact"].value,
                node=r["ev"].value,
                source=labeller.link(r["source"].value) if "source" in r else None,
                begin=begin,
                end=_int(r["end"]) or 0,
                before=before,
                claim=claim,
                after=after,
                claim_begin=cb,
                claim_end=ce,
                rule=text(r.get("rule")),
                confidence=text(r.get("conf")),
            )
        )
    return dict(out)


# --- a resource -----------------------------------------------------------------------------


@dataclass
class Value:
    """One value of a property: a link or a literal, and the sources that claim it."""

    link: Link | None
    literal: str
    datatype: str
    sources: list[Link] = field(default_factory=list)


@dataclass
class PropertyRow:
    predicate: Link
    values: list[Value]


@dataclass
class ResourceView:
    iri: str
    label: str
    types: list[Link]
    qids: list[str]
    properties: list[PropertyRow]
    incoming: list[PropertyRow]
    incoming_truncated: bool
    evidence: list[EvidenceView]

    def has_type(self, *local: str) -> bool:
        """Whether the resource has one of these dv: classes."""
        return any(t.iri in {DV + name for name in local} for t in self.types)


def graph_sources(store: Store, labeller: Labeller, graphs: Iterable[str]) -> dict[str, Link]:
    """For each named graph, a link to the source it was derived from (else to the graph)."""
    graphs = set(graphs)
    if not graphs:
        return {}
    found = {
        r["g"].value: r["source"].value
        for r in rows(
            store,
            f"SELECT ?g ?source WHERE {{ VALUES ?g {{ {values(graphs)} }} "
            "GRAPH ?g { ?g prov:wasDerivedFrom ?source } }",
        )
    }
    labeller.fetch([*found.values(), *graphs])
    return {g: labeller.link(found.get(g, g)) for g in graphs}


def _grouped(
    triples: list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal, str | None]],
    labeller: Labeller,
    sources: dict[str, Link],
    predicate_label,  # type: ignore[no-untyped-def]
) -> list[PropertyRow]:
    by_pred: dict[str, dict[str, Value]] = defaultdict(dict)
    for pred, term, graph in triples:
        key = str(term)
        value = by_pred[pred].get(key)
        if value is None:
            if isinstance(term, ox.Literal):
                dt = term.datatype.value if not term.language else ""
                dt_label = "" if dt.endswith("#string") else local_name(dt) if dt else term.language
                value = Value(None, term.value, dt_label or "")
            elif isinstance(term, ox.NamedNode):
                value = Value(labeller.link(term.value), "", "")
            else:
                value = Value(None, f"_:{term.value}", "blank node")
            by_pred[pred][key] = value
        if graph and sources.get(graph) and sources[graph] not in value.sources:
            value.sources.append(sources[graph])
    out = [
        PropertyRow(
            Link(p, predicate_label(p), href(p, labeller.id_base)),
            sorted(vals.values(), key=lambda v: (v.link.label if v.link else v.literal).lower()),
        )
        for p, vals in by_pred.items()
    ]
    # The type first, then the rest by label.
    return sorted(out, key=lambda r: (r.predicate.iri != RDF_TYPE, r.predicate.label.lower()))


def describe(store: Store, iri: str, id_base: str) -> ResourceView | None:
    """Everything a page shows about ``iri``; None when the store has nothing about it."""
    node = ox.NamedNode(iri)
    labeller = Labeller(store, id_base)
    out_rows = rows(
        store,
        f"SELECT DISTINCT ?p ?o ?g WHERE {{ {node} ?p ?o "
        f"OPTIONAL {{ GRAPH ?g {{ {node} ?p ?o }} }} }}",
    )
    in_rows = rows(
        store,
        f"SELECT DISTINCT ?s ?p ?g WHERE {{ ?s ?p {node} FILTER(?p != nif:referenceContext) "
        f"OPTIONAL {{ GRAPH ?g {{ ?s ?p {node} }} }} }} LIMIT {INCOMING_LIMIT + 1}",
    )
    if not out_rows and not in_rows:
        referenced = rows(store, f"SELECT ?s WHERE {{ ?s ?p {node} }} LIMIT 1")
        if not referenced:
            return None
    truncated = len(in_rows) > INCOMING_LIMIT
    in_rows = in_rows[:INCOMING_LIMIT]
    graphs = {text(r.get("g")) for r in out_rows + in_rows if "g" in r}
    sources = graph_sources(store, labeller, graphs)
    preds = {r["p"].value for r in out_rows + in_rows}
    labeller.fetch(
        [iri, *preds]
        + [r["o"].value for r in out_rows if isinstance(r["o"], ox.NamedNode)]
        + [r["s"].value for r in in_rows if isinstance(r["s"], ox.NamedNode)]
    )
    inverse = (
        {
            r["p"].value: r["l"].value
            for r in rows(
                store,
                f"SELECT ?p ?l WHERE {{ VALUES ?p {{ {values(preds)} }} ?p dv:inverseLabel ?l }}",
            )
        }
        if preds
        else {}
    )

    def inverse_label(p: str) -> str:
        return inverse.get(p) or BUILTIN_INVERSE.get(p) or f"is {labeller.label(p)} of"

    properties = _grouped(
        [(r["p"].value, r["o"], text(r.get("g")) or None) for r in out_rows],
        labeller,
        sources,
        labeller.label,
    )
    incoming = _grouped(
        [(r["p"].value, r["s"], text(r.get("g")) or None) for r in in_rows],
        labeller,
        sources,
        inverse_label,
    )
    types = [
        labeller.link(r["o"].value)
        for r in out_rows
        if r["p"].value == RDF_TYPE and isinstance(r["o"], ox.NamedNode)
    ]
    qids = sorted({q for r in out_rows if (q := qid(text(r["o"])))})
    evidence = evidence_for(store, labeller, [iri]).get(iri, [])
    return ResourceView(
        iri=iri,
        label=labeller.label(iri),
        types=list({t.iri: t for t in types}.values()),
        qids=qids,
        properties=properties,
        incoming=incoming,
        incoming_truncated=truncated,
        evidence=evidence,
    )


def describe_graph(store: Store, iri: str) -> ox.QueryTriples:
    """The RDF of a resource: its own triples, the links to it, and its evidence nodes."""
    node = ox.NamedNode(iri)
    result = store.query(
        sparql_prologue()
        + f"""CONSTRUCT {{ {node} ?p ?o . ?s ?q {node} . ?ev ?ep ?eo . }} WHERE {{
          {{ {node} ?p ?o }} UNION {{ ?s ?q {node} }}
          UNION {{ {node} dv:evidence ?ev . ?ev ?ep ?eo }}
        }}"""
    )
    assert isinstance(result, ox.QueryTriples)
    return result


# --- visits and statements ------------------------------------------------------------------

VISIT_ROLES = {
    "visitor": "dv:visitor",
    "host": "dv:host",
    "hostState": "dv:hostState",
    "visitingState": "dv:visitingState",
    "destination": "dv:destination",
}


@dataclass
class VisitRow:
    iri: str
    href: str
    visitor: Link
    destination: Link
    hosts: list[Link]
    host_state: Link | None
    visiting_state: Link | None
    start: str
    end: str
    status: str
    evidence: list[EvidenceView] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # corroborated, or in conflict


def visits(
    store: Store,
    id_base: str,
    where: dict[str, str] | None = None,
    *,
    only: str | Iterable[str] | None = None,
    with_evidence: bool = True,
) -> list[VisitRow]:
    """Visits, by start date (undated last); ``where`` maps roles of :data:`VISIT_ROLES` to IRIs.

    All given roles must match (``{"visitingState": a, "hostState": b}``: visits from a to b);
    ``only`` picks visits by their IRIs (one, or several).
    """
    patterns = _role_patterns(where)
    if only is not None:
        patterns += f" VALUES ?visit {{ {values([only] if isinstance(only, str) else only)} }}"
    found = rows(
        store,
        f"""SELECT DISTINCT ?visit ?visitor ?place ?host ?hostState ?visitingState ?start ?end
                          ?status WHERE {{
          {patterns}
          ?visit dv:visitor ?visitor ; dv:destination ?place .
          OPTIONAL {{ ?visit dv:host ?host }}
          OPTIONAL {{ ?visit dv:hostState ?hostState }}
          OPTIONAL {{ ?visit dv:visitingState ?visitingState }}
          OPTIONAL {{ ?visit dv:startDate ?start }}
          OPTIONAL {{ ?visit dv:endDate ?end }}
          OPTIONAL {{ ?visit dv:status ?status }}
        }}""",
    )
    labeller = Labeller(store, id_base)
    labeller.fetch(
        term.value
        for r in found
        for k in ("visitor", "place", "host", "hostState", "visitingState")
        if isinstance(term := r.get(k), ox.NamedNode)
    )
    by_visit: dict[str, VisitRow] = {}
    for r in found:
        v = r["visit"].value
        row = by_visit.get(v)
        if row is None:
            row = by_visit[v] = VisitRow(
                iri=v,
                href=href(v, id_base),
                visitor=labeller.link(r["visitor"].value),
                destination=labeller.link(r["place"].value),
                hosts=[],
                host_state=labeller.link(r["hostState"].value) if "hostState" in r else None,
                visiting_state=(
                    labeller.link(r["visitingState"].value) if "visitingState" in r else None
                ),
                start=text(r.get("start")),
                end=text(r.get("end")),
                status=text(r.get("status")).rsplit("#", 1)[-1],
            )
        if "host" in r:
            host = labeller.link(r["host"].value)
            if host not in row.hosts:
                row.hosts.append(host)
    result = sorted(by_visit.values(), key=lambda v: (not v.start, v.start, v.visitor.label))
    if with_evidence:
        ev = evidence_for(store, labeller, by_visit)
        for row in result:
            row.evidence = ev.get(row.iri, [])
    return result


def _role_patterns(where: dict[str, str] | None) -> str:
    return " ".join(
        f"?visit {VISIT_ROLES[role]} {ox.NamedNode(iri)} ." for role, iri in (where or {}).items()
    )


@dataclass
class VisitPage:
    """One page of a long list of visits: its rows, which page, and how many there are."""

    rows: list[VisitRow]
    number: int  # 1-based
    size: int
    total: int

    @property
    def count(self) -> int:
        """How many pages the list has (at least one).

        >>> VisitPage([], 1, 100, 250).count
        3
        """
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The position of the page's first row in the whole list (1-based; 0 when empty)."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        """The position of the page's last row in the whole list."""
        return self.first + len(self.rows) - 1


def visit_page(
    store: Store, id_base: str, where: dict[str, str], number: int, size: int
) -> VisitPage:
    """Page ``number`` (1-based, ``size`` rows) of the visits matching ``where``, by start
    date (undated last), then by IRI (a number past the last page: no rows).

    Only the page's visits are looked up in full (labels, hosts, evidence): a state has
    thousands of visits, and its page listed every one (4-5 s to build).
    """
    found = rows(
        store,
        f"""SELECT ?visit (MIN(?date) AS ?start) WHERE {{
          {_role_patterns(where)}
          ?visit dv:visitor ?visitor ; dv:destination ?place .
          OPTIONAL {{ ?visit dv:startDate ?date }}
        }} GROUP BY ?visit""",
    )

    def key(r: dict) -> tuple:
        start = text(r.get("start"))
        return (not start, start, r["visit"].value)

    ordered = sorted(found, key=key)
    total = len(ordered)
    page = VisitPage([], number, size, total)
    chosen = [r["visit"].value for r in ordered[(number - 1) * size : number * size]]
    if chosen:
        shown = visits(store, id_base, only=chosen)
        place = {iri: i for i, iri in enumerate(chosen)}
        page.rows = sorted(shown, key=lambda v: place[v.iri])
    return page


def state_pairs(store: Store, id_base: str) -> list[tuple[Link, Link, int]]:
    """How many visits went from each state to each other: (visiting state, host state, n),
    counted by the store (the network page counted every visit's full row in Python: 2 s)."""
    found = rows(
        store,
        """SELECT ?a ?b (COUNT(DISTINCT ?visit) AS ?n) WHERE {
          ?visit dv:visitor ?visitor ; dv:destination ?place ;
                 dv:visitingState ?a ; dv:hostState ?b .
          FILTER(isIRI(?a) && isIRI(?b) && ?a != ?b)
        } GROUP BY ?a ?b""",
    )
    labeller = Labeller(store, id_base)
    labeller.fetch(r[k].value for r in found for k in ("a", "b"))
    return [
        (labeller.link(r["a"].value), labeller.link(r["b"].value), int(r["n"].value)) for r in found
    ]


@dataclass
class StatementRow:
    iri: str
    href: str
    text: str
    date: str
    medium: Link | None
    evidence: list[EvidenceView]


def statements_by(store: Store, id_base: str, speaker: str) -> list[StatementRow]:
    """The statements a person made, by date, with their evidence."""
    found = rows(
        store,
        f"""SELECT DISTINCT ?st ?text ?date ?medium WHERE {{
          ?st dv:speaker {ox.NamedNode(speaker)} ; dv:text ?text .
          OPTIONAL {{ ?st dv:date ?date }} OPTIONAL {{ ?st dv:medium ?medium }}
        }}""",
    )
    labeller = Labeller(store, id_base)
    ev = evidence_for(store, labeller, (r["st"].value for r in found))
    out: dict[str, StatementRow] = {}
    for r in found:
        st = r["st"].value
        out.setdefault(
            st,
            StatementRow(
                st,
                href(st, id_base),
                r["text"].value,
                text(r.get("date")),
                labeller.link(r["medium"].value) if "medium" in r else None,
                ev.get(st, []),
            ),
        )
    return sorted(out.values(), key=lambda s: (not s.date, s.date, s.text))


@dataclass
class SourceFact:
    """A fact a source states, with the evidence from that source."""

    fact: Link
    kind: str
    evidence: EvidenceView


def facts_of_source(store: Store, id_base: str, source: str) -> list[SourceFact]:
    """Every fact with evidence from ``source``, in text order."""
    found = rows(
        store,
        f"""SELECT DISTINCT ?fact ?type WHERE {{
          ?ev nif:referenceContext {ox.NamedNode(source)} . ?fact dv:evidence ?ev .
          OPTIONAL {{ ?fact a ?type }}
        }}""",
    )
    labeller = Labeller(store, id_base)
    kinds: dict[str, str] = {}
    for r in found:
        if "type" in r:
            kinds[r["fact"].value] = labeller.label(r["type"].value)
        else:
            kinds.setdefault(r["fact"].value, "fact")
    ev = evidence_for(store, labeller, kinds)
    out = [
        SourceFact(labeller.link(fact), kinds[fact], e)
        for fact, items in ev.items()
        for e in items
        if e.source and e.source.iri == source
    ]
    return sorted(out, key=lambda f: (f.evidence.begin, f.evidence.claim_begin or 0))


# --- conflicts, corroboration, Wikidata links ------------------------------------------------


@dataclass(frozen=True)
class ConflictView:
    """A disagreement shown as a warning: both claims, both sources."""

    kind: str
    fact: Link | None
    claim: str
    source: Link
    reference: str
    reference_source: Link


def facts_about(store: Store, iri: str) -> list[str]:
    """The facts a page about ``iri`` shows: the resource itself, the visits and office
    holdings it takes part in, and, for a source, the facts it states."""
    node = ox.NamedNode(iri)
    found = rows(
        store,
        f"""SELECT DISTINCT ?f WHERE {{
          {{ ?f dv:visitor|dv:host|dv:holder|dv:destination|dv:hostState|dv:visitingState {node} }}
          UNION {{ ?ev nif:referenceContext {node} . ?f dv:evidence ?ev }}
          UNION {{ GRAPH ?g {{ ?g prov:wasDerivedFrom {node} . ?f dv:visitor|dv:holder ?x }} }}
        }}""",
    )
    return [iri, *sorted({text(r["f"]) for r in found})]


def conflicts_about(
    store: Store, id_base: str, all_rows: list[dict], facts: Iterable[str]
) -> list[ConflictView]:
    """The rows of the ``conflicts`` query (``all_rows``) about ``facts`` (see
    :func:`facts_about`): those whose fact, person or either source is one of them."""
    facts = set(facts)
    found = [
        r
        for r in all_rows
        if facts & {text(r.get(k)) for k in ("fact", "subject", "source", "referenceSource")}
    ]
    labeller = Labeller(store, id_base)
    labeller.fetch(text(r.get(k)) for r in found for k in ("fact", "source", "referenceSource"))
    return [
        ConflictView(
            text(r.get("kind")),
            labeller.link(text(r["fact"])) if "fact" in r else None,
            text(r.get("claim")),
            labeller.link(text(r["source"])),
            text(r.get("reference")),
            labeller.link(text(r["referenceSource"])),
        )
        for r in found
    ]


@dataclass(frozen=True)
class Corroboration:
    """How many sources state a fact, and which references confirm it."""

    sources: int
    confirmed_by: list[str]

    def mark(self) -> str:
        """The words shown next to the fact."""
        parts = []
        if self.sources >= 2:
            parts.append(f"stated by {self.sources} sources")
        if self.confirmed_by:
            parts.append("confirmed by " + ", ".join(self.confirmed_by))
        return "corroborated: " + "; ".join(parts)


def corroboration(all_rows: list[dict], facts: Iterable[str]) -> dict[str, Corroboration]:
    """The ``corroborated`` query's verdict (``all_rows``) on each of ``facts`` that is."""
    facts = set(facts)
    out = {}
    for r in all_rows:
        if text(r.get("fact")) in facts:
            refs = [x for x in text(r.get("confirmedBy")).split("; ") if x]
            out[text(r["fact"])] = Corroboration(_int(r.get("sources")) or 0, refs)
    return out


@dataclass(frozen=True)
class WikidataLink:
    """A link kg link made (or a candidate it left for review), with its reasons."""

    qid: str
    label: str
    method: str
    score: str
    explanation: str
    candidate: bool


def wikidata_links(store: Store, iri: str) -> list[WikidataLink]:
    """The links and review candidates the links graph holds for ``iri``, best first."""
    node = ox.NamedNode(iri)
    found = rows(
        store,
        f"""SELECT DISTINCT ?n ?type ?t ?label ?m ?score ?x WHERE {{
          ?n dv:linkSubject {node} ; a ?type ; dv:linkTarget ?t .
          VALUES ?type {{ dv:Link dv:LinkCandidate }}
          OPTIONAL {{ ?n rdfs:label ?label }} OPTIONAL {{ ?n dv:method ?m }}
          OPTIONAL {{ ?n dv:score ?score }} OPTIONAL {{ ?n dv:explanation ?x }}
        }}""",
    )
    out = [
        WikidataLink(
            qid(text(r["t"])) or text(r["t"]),
            text(r.get("label")),
            text(r.get("m")),
            text(r.get("score")),
            text(r.get("x")),
            r["type"].value.endswith("Candidate"),
        )
        for r in found
    ]
    return sorted(out, key=lambda w: (w.candidate, -float(w.score or 0)))
