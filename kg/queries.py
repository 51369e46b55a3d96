"""Named SPARQL queries (``queries/*.rq``): their headers, their parameters, running them.

A query file opens with a comment header::

    # title: Visits to a place
    # description: Leaders who visited a place ...
    #   (continuation lines are indented)
    # param: place place ?area -- a city or state: a name, an IRI, or a Wikidata QID

``service: ?VAR -- description`` makes a query federated: its ``SERVICE`` blocks calling
``<https://query.wikidata.org/sparql>`` are sent to the configured endpoint
(``KG_WIKIDATA_ENDPOINT``) instead, and each gets a ``VALUES ?VAR`` block with the IRIs the
local part of the query binds ``?VAR`` to. Oxigraph sends a SERVICE pattern with no bindings
from the rest of the query, so without this the remote pattern would run over all of
Wikidata.

``scope: graph`` declares that every solution of the query is read from one named graph
holding a triple that names a parameter's entity (all its patterns in ``GRAPH ?g``, one of
them on a parameter's variable): the service's answer cache then keeps an answer across the
writes that name none of those entities (kg/service/resultcache.py).

``param: NAME KIND ?VAR [optional] -- description`` declares a parameter: its name in URLs
and on the command line, its kind, and the query variable it binds. The block is joined with
the query's WHERE clause, so a parameter variable must appear in a triple pattern there, not
only inside a FILTER. Values are never pasted
into the query text: entity parameters are resolved to IRIs found in the store, literal
parameters become typed literals, and both are bound in a ``VALUES`` block written from
pyoxigraph terms (N-Triples escaped), which every SPARQL 1.1 server understands. The block
opens the WHERE group, so the bound values drive the match (trailing, it would join only after
the whole pattern was matched: a full scan).

>>> q = parse_named_query("x", "# title: T\\n# param: place place ?area -- a place\\nSELECT * {}")
>>> q.title, q.params[0].var, q.params[0].kind
('T', 'area', 'place')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.ontology import sparql_prologue
from kg.settings import WIKIDATA_SPARQL
from kg.sparqllex import QUERY_FORMS, matching_brace, tokens, values_first
from kg.store import Store
from kg.store.base import QueryResult, Term
from kg.store.workers import JobError

ENTITY_KINDS: dict[str, tuple[str, ...]] = {
    "place": ("City", "Place", "State", "HistoricalState"),
    # A place and every place located in it (dv:locatedIn*): a state covers its cities.
    "area": ("City", "Place", "State", "HistoricalState"),
    "state": ("State", "HistoricalState"),
    "leader": ("Leader", "Person"),
    "person": ("Leader", "Person"),
    "entity": (
        "Leader",
        "Person",
        "State",
        "HistoricalState",
        "City",
        "Place",
        "Organization",
        "InternationalOrganization",
        "Publication",
    ),
}
LITERAL_KINDS = {
    "string": "http://www.w3.org/2001/XMLSchema#string",
    "date": "http://www.w3.org/2001/XMLSchema#date",
    "integer": "http://www.w3.org/2001/XMLSchema#integer",
}
WIKIDATA_DEFAULT = WIKIDATA_SPARQL
MAX_SERVICE_VALUES = 5000  # IRIs sent into one SERVICE block
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
QID_RE = re.compile(r"^(?:wd:)?(Q[1-9][0-9]*)$", re.IGNORECASE)
IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
PARAM_RE = re.compile(
    r"^(?P<name>[a-z][a-z0-9_]*)\s+(?P<kind>[a-z]+)\s+\?(?P<var>\w+)"
    r"(?P<optional>\s+optional)?\s*(?:--\s*(?P<doc>.*))?$"
)


class QueryError(ValueError):
    """A named query is unknown, or a parameter is missing or bad."""


class UnknownQueryError(QueryError):
    """No named query has this name."""


class NoMatchError(QueryError):
    """An entity parameter names nothing in the store."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    var: str
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = field(default=None, compare=False)
    service_var: str | None = None  # federated: the variable pushed into SERVICE blocks
    graph_scope: bool = False  # ``# scope: graph``: each solution from one parameter's graph


def parse_named_query(name: str, text: str, path: Path | None = None) -> NamedQuery:
    """Read a query's header comments into a :class:`NamedQuery`."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:]
        m = re.match(r"^\s(title|description|param|service|scope):\s*(.*)$", body)
        if m:
            key, value = m.groups()
            last = key
            if key == "param":
                pm = PARAM_RE.match(value.strip())
                if not pm:
                    raise QueryError(f"{name}: bad parameter line {value!r}")
                kind = pm["kind"]
                if kind not in ENTITY_KINDS and kind not in LITERAL_KINDS:
                    raise QueryError(f"{name}: unknown parameter kind {kind!r}")
                params.append(
                    Param(pm["name"], kind, pm["var"], not pm["optional"], pm["doc"] or "")
                )
            elif key == "service":
                sm = re.match(r"^\?(\w+)", value.strip())
                if not sm:
                    raise QueryError(f"{name}: bad service line {value!r}; write ?VAR -- help")
                fields["service"] = sm.group(1)
            elif key == "scope" and value.strip() != "graph":
                raise QueryError(f"{name}: bad scope line {value!r}; the one scope is 'graph'")
            else:
                fields[key] = value.strip()
        elif last in {"title", "description"} and body.startswith("   "):
            fields[last] += " " + body.strip()
    return NamedQuery(
        name=name,
        title=fields.get("title", name),
        description=fields.get("description", ""),
        params=tuple(params),
        text=text,
        path=path,
        service_var=fields.get("service"),
        graph_scope="scope" in fields,
    )


def load_named_queries(queries_dir: Path) -> dict[str, NamedQuery]:
    """All named queries of a folder, by name (the file name without ``.rq``)."""
    found = {}
    for path in sorted(queries_dir.glob("*.rq")):
        if NAME_RE.match(path.stem):
            found[path.stem] = parse_named_query(path.stem, path.read_text("utf-8"), path)
    return found


def resolve_entity(store: Store, value: str, kind: str) -> list[ox.NamedNode]:
    """The entities a parameter value names: an IRI, a Wikidata QID, or a (partial) name.

    Exact label or alias matches win over partial ones; matching ignores case.
    """
    value = value.strip()
    classes = ", ".join(f"dv:{c}" for c in ENTITY_KINDS[kind])
    # A FILTER, not a second VALUES block: pyoxigraph would join the two blocks first and
    # then read every entity of each class (200 ms against 0.3 ms on the imported records).
    typed = f"?e a ?class FILTER(?class IN ({classes}))"
    # Values go in an inline VALUES block: a trailing one would not reach the FILTERs.
    if IRI_RE.match(value):
        try:
            return [ox.NamedNode(value)]
        except ValueError as exc:
            raise QueryError(f"not a valid IRI: {value!r} ({exc})") from exc
    qid = QID_RE.match(value)
    if qid:
        wd = ox.NamedNode(f"http://www.wikidata.org/entity/{qid[1].upper()}")
        sparql = f"SELECT DISTINCT ?e WHERE {{ ?e owl:sameAs {wd} . {typed} }}"
        return _entities(store, sparql)
    if not value:
        return []
    # Fast path: the name as written in common cases, looked up in the index (a few ms);
    # the scans below read every label (hundreds of ms on the imported records). A label
    # in a case none of these spell (say "DeGaulle" for "degaulle") is still found by the
    # scan when nothing else matches.
    spellings = dict.fromkeys(
        [value, value.lower(), value.title(), value.upper(), value[:1].upper() + value[1:]]
    )
    terms = " ".join(f"{ox.Literal(v)} {ox.Literal(v, language='en')}" for v in spellings)
    exact = (
        f"SELECT DISTINCT ?e WHERE {{ VALUES ?name {{ {terms} }} "
        f"?e rdfs:label|skos:altLabel ?name . {typed} }} LIMIT 50"
    )
    found = _entities(store, exact)
    if found:
        return found
    needle = ox.Literal(value.lower())  # str() of a term is escaped N-Triples
    names = f"VALUES ?q {{ {needle} }} ?e rdfs:label|skos:altLabel ?name ."
    for test in ("LCASE(STR(?name)) = ?q", "CONTAINS(LCASE(STR(?name)), ?q)"):
        sparql = f"SELECT DISTINCT ?e WHERE {{ {names} FILTER({test}) {typed} }} LIMIT 50"
        found = _entities(store, sparql)
        if found:
            return found
    return []


def _entities(store: Store, sparql: str) -> list[ox.NamedNode]:
    result = store.query(sparql_prologue() + sparql)
    assert isinstance(result, ox.QuerySolutions)
    return sorted((row["e"] for row in result), key=lambda n: n.value)


def within(store: Store, areas: list[ox.NamedNode]) -> list[ox.NamedNode]:
    """The areas and every place located in them, transitively (``dv:locatedIn*``).

    Resolved here rather than in the query: a property path in a query's WHERE clause makes
    pyoxigraph evaluate every OPTIONAL after it by a full scan (100 ms instead of 1 ms on the
    imported records; measured in README "Reliability").
    """
    values = " ".join(str(a) for a in areas)
    sparql = f"SELECT DISTINCT ?e WHERE {{ VALUES ?a {{ {values} }} ?e dv:locatedIn* ?a }}"
    return _entities(store, sparql)


def literal_param(param: Param, value: str) -> ox.Literal:
    """A typed literal for a literal parameter (checked: a date must be a date)."""
    if param.kind == "date" and not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        raise QueryError(f"parameter {param.name!r} must be a date YYYY-MM-DD, not {value!r}")
    if param.kind == "integer" and not re.match(r"^-?\d+$", value):
        raise QueryError(f"parameter {param.name!r} must be an integer, not {value!r}")
    return ox.Literal(value, datatype=ox.NamedNode(LITERAL_KINDS[param.kind]))


def values_clause(bindings: dict[str, list[Term]]) -> str:
    """``VALUES`` blocks binding the variables to every combination of their terms: one
    block per variable, which joined together are that cross product (one block of several
    variables is the same, but Virtuoso 7.2 fails to compile it next to an OPTIONAL).

    Terms are written by pyoxigraph (N-Triples escaping), so a value cannot break out.

    >>> values_clause({"q": [ox.Literal('a" } DROP ALL')]})
    'VALUES (?q) {\\n  ("a\\\\" } DROP ALL")\\n}'
    >>> print(values_clause({"a": [ox.Literal("1")], "b": [ox.Literal("2"), ox.Literal("3")]}))
    VALUES (?a) {
      ("1")
    }
    VALUES (?b) {
      ("2")
      ("3")
    }
    """
    blocks = []
    for name, terms in bindings.items():
        body = "\n".join(f"  ({t})" for t in terms)
        blocks.append(f"VALUES (?{name}) {{\n{body}\n}}")
    return "\n".join(blocks)


@dataclass(frozen=True)
class BoundQuery:
    """A named query ready to run: its text with the parameters' ``VALUES`` block."""

    query: NamedQuery
    text: str
    bindings: dict[str, list[Term]]
    # What the bindings came from: the IRIs of the entities (and the Wikidata items named by
    # QID) bound, and the values resolved by name; the answer cache's dependencies.
    anchors: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()


def bind(
    store: Store,
    query: NamedQuery,
    args: dict[str, str],
    wikidata_endpoint: str = WIKIDATA_DEFAULT,
) -> BoundQuery:
    """Check and resolve the arguments of a named query (raises :class:`QueryError`).

    A federated query is rewritten for ``wikidata_endpoint`` (see :func:`federate`).
    """
    known = {p.name for p in query.params}
    unknown = sorted(set(args) - known - {"format"})
    if unknown:
        expected = ", ".join(sorted(known)) or "none"
        raise QueryError(f"unknown parameter(s) {', '.join(unknown)} (expected: {expected})")
    bindings: dict[str, list[Term]] = {}
    anchors: set[str] = set()
    names: list[str] = []
    for p in query.params:
        value = args.get(p.name)
        if value is None or value.strip() == "":
            if p.required:
                raise QueryError(f"missing parameter {p.name!r}: {p.description}")
            continue
        if len(value) > 2000:
            raise QueryError(f"parameter {p.name!r} is too long")
        if p.kind in LITERAL_KINDS:
            bindings[p.var] = [literal_param(p, value)]
            continue
        found = resolve_entity(store, value, p.kind)
        if not found:
            noun = "place" if p.kind == "area" else p.kind
            raise NoMatchError(f"no {noun} matches {value!r} (parameter {p.name!r})")
        bindings[p.var] = within(store, found) if p.kind == "area" else found
        anchors.update(t.value for t in bindings[p.var])
        qid = QID_RE.match(value.strip())
        if qid:
            anchors.add(f"http://www.wikidata.org/entity/{qid[1].upper()}")
        elif not IRI_RE.match(value.strip()):
            names.append(value.strip())
    text = query.text
    if query.service_var:
        text = federate(store, text, bindings, query.service_var, wikidata_endpoint)
    return BoundQuery(
        query, with_values(text, bindings), bindings, frozenset(anchors), tuple(names)
    )


Dependencies = tuple[frozenset[str], tuple[str, ...]]  # BoundQuery.anchors and .names


def bind_for_job(
    query: NamedQuery, args: dict[str, str], store: Store
) -> tuple[str, Dependencies | None]:
    """A :class:`kg.store.workers.QueryJob`'s ``prepare`` for a named query (bound where it
    runs, in the query worker): the bound text, and what the answer depends on when the
    query is ``# scope: graph`` (None otherwise). A federated query is bound in the service,
    which calls Wikidata first: it has no such job. Bad arguments are job errors:
    ``no-match`` (404) and ``bad-argument`` (400).

    >>> q = parse_named_query("t", "# param: year integer ?y\\nSELECT ?y WHERE { }")
    >>> bind_for_job(q, {"year": "1990"}, None)[0].split("VALUES")[1][:10]
    ' (?y) {\\n  '
    """
    try:
        bound = bind(store, query, args)
    except NoMatchError as exc:
        raise JobError("no-match", str(exc)) from exc
    except QueryError as exc:
        raise JobError("bad-argument", str(exc)) from exc
    depends = (bound.anchors, bound.names) if query.graph_scope and bound.anchors else None
    return bound.text, depends


def with_values(text: str, bindings: dict[str, list[Term]]) -> str:
    """The query with its ``VALUES`` block at the start of its WHERE group (trailing where
    moving it could change the answer: see :func:`kg.sparqllex.values_first`).

    At the start, the values bind the patterns (pyoxigraph and Virtuoso plan the joins after
    it from them); trailing, they join only after every OPTIONAL was matched by a scan (1 ms
    against 700 ms for visits-by on the imported records).

    >>> print(with_values("SELECT * WHERE { ?s ?p ?o }", {"s": [ox.NamedNode("http://e/a")]}))
    SELECT * WHERE { VALUES (?s) {
      (<http://e/a>)
    }
     ?s ?p ?o }
    """
    if not bindings:
        return text
    block = values_clause(bindings)
    return values_first(text, block) or text + "\n" + block


def run(
    store: Store,
    query: NamedQuery,
    args: dict[str, str],
    wikidata_endpoint: str = WIKIDATA_DEFAULT,
) -> QueryResult:
    """Bind and run a named query over the union of all graphs."""
    return store.query(bind(store, query, args, wikidata_endpoint).text)


def _service_blocks(text: str) -> list[tuple[int, int, int, int, str]]:
    """Every ``SERVICE [SILENT] <iri> { ... }``: the offsets of the keyword, of the IRI, just
    after the opening brace and just after the closing brace, and the IRI as written."""
    toks = tokens(text)
    found = []
    for i, t in enumerate(toks):
        if t.kind != "word" or t.text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(toks) and toks[j].text.upper() == "SILENT":
            j += 1
        if j + 1 >= len(toks) or toks[j].kind != "iri" or toks[j + 1].text != "{":
            raise QueryError("a federated named query must call SERVICE with a full IRI")
        close = matching_brace(toks, j + 1)
        found.append(
            (t.start, toks[j].start, toks[j + 1].start + 1, toks[close].start + 1, toks[j].text)
        )
    return found


def local_part(text: str, var: str) -> str:
    """``SELECT DISTINCT ?var`` over the query's WHERE block with its SERVICE blocks removed.

    >>> local_part("PREFIX a: <http://a/> SELECT ?x ?y WHERE { ?x a:p ?w "
    ...            "SERVICE <http://s/> { ?w a:q ?y } } ORDER BY ?x", "w")
    'PREFIX a: <http://a/> SELECT DISTINCT ?w WHERE { ?x a:p ?w  }'
    """
    for start, _iri, _open, end, _text in reversed(_service_blocks(text)):
        text = text[:start] + text[end:]
    toks = tokens(text)
    select = next(
        (i for i, t in enumerate(toks) if t.text.upper() in QUERY_FORMS),
        None,
    )
    if select is None:
        raise QueryError("a federated named query must be a SELECT, CONSTRUCT, ASK or DESCRIBE")
    open_i = next(i for i in range(select, len(toks)) if toks[i].text == "{")
    close = matching_brace(toks, open_i)
    return (
        text[: toks[select].start]
        + f"SELECT DISTINCT ?{var} WHERE "
        + text[toks[open_i].start : toks[close].start + 1]
    )


def federate(
    store: Store, text: str, bindings: dict[str, list[Term]], var: str, endpoint: str
) -> str:
    """A federated query ready to run: the default Wikidata endpoint replaced by
    ``endpoint``, and ``VALUES ?var { ... }`` with the local values opening each SERVICE block.

    The local values come from :func:`local_part` (with the parameters' ``bindings``) run on
    ``store``; at most :data:`MAX_SERVICE_VALUES` IRIs are sent.
    """
    result = store.query(with_values(local_part(text, var), bindings))
    assert isinstance(result, ox.QuerySolutions)
    iris = sorted({row[var].value for row in result if isinstance(row[var], ox.NamedNode)})
    terms = " ".join(str(ox.NamedNode(i)) for i in iris[:MAX_SERVICE_VALUES])
    block = f" VALUES ?{var} {{ {terms} }} "
    for _start, iri_at, open_at, _end, iri in reversed(_service_blocks(text)):
        text = text[:open_at] + block + text[open_at:]
        if iri == f"<{WIKIDATA_DEFAULT}>":
            text = text[:iri_at] + str(ox.NamedNode(endpoint)) + text[iri_at + len(iri) :]
    return text
