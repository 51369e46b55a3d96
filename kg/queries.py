"""Named SPARQL queries (``queries/*.rq``): their headers, their parameters, running them.

A query file opens with a comment header::

    # title: Visits to a place
    # description: Leaders who visited a place ...
    #   (continuation lines are indented)
    # param: place place ?area -- a city or state: a name, an IRI, or a Wikidata QID

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
from kg.sparqllex import values_first
from kg.store import Store
from kg.store.base import QueryResult, Term

ENTITY_KINDS: dict[str, tuple[str, ...]] = {
    "place": ("City", "Place", "State", "HistoricalState"),
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
        m = re.match(r"^\s(title|description|param):\s*(.*)$", body)
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
    classes = " ".join(f"dv:{c}" for c in ENTITY_KINDS[kind])
    typed = f"VALUES ?class {{ {classes} }} ?e a ?class ."
    # Values go in an inline VALUES block: a trailing one would not reach the FILTERs.
    if IRI_RE.match(value):
        return [ox.NamedNode(value)]
    qid = QID_RE.match(value)
    if qid:
        wd = ox.NamedNode(f"http://www.wikidata.org/entity/{qid[1].upper()}")
        sparql = f"SELECT DISTINCT ?e WHERE {{ ?e owl:sameAs {wd} . {typed} }}"
        return _entities(store, sparql)
    if not value:
        return []
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


def bind(store: Store, query: NamedQuery, args: dict[str, str]) -> BoundQuery:
    """Check and resolve the arguments of a named query (raises :class:`QueryError`)."""
    known = {p.name for p in query.params}
    unknown = sorted(set(args) - known - {"format"})
    if unknown:
        expected = ", ".join(sorted(known)) or "none"
        raise QueryError(f"unknown parameter(s) {', '.join(unknown)} (expected: {expected})")
    bindings: dict[str, list[Term]] = {}
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
            raise NoMatchError(f"no {p.kind} matches {value!r} (parameter {p.name!r})")
        bindings[p.var] = found
    text = query.text
    if bindings:
        block = values_clause(bindings)
        # At the start of the WHERE group the values bind the patterns (a selective query);
        # trailing, they would join only after everything was matched.
        text = values_first(text, block) or text + "\n" + block
    return BoundQuery(query, text, bindings)


def run(store: Store, query: NamedQuery, args: dict[str, str]) -> QueryResult:
    """Bind and run a named query over the union of all graphs."""
    return store.query(bind(store, query, args).text)
