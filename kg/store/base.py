"""The store interface every backend implements, and its errors.

Results are pyoxigraph's result types (``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``)
whatever the backend: a remote backend parses its server's answer into them, so callers
(named queries, pages, the SPARQL endpoint) never care which backend answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol, runtime_checkable

import pyoxigraph as ox

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Term = ox.NamedNode | ox.BlankNode | ox.Literal

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
NAME_PREDICATES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)


@dataclass(frozen=True)
class Touched:
    """What one write changed, for those who keep answers across writes (the named-query
    cache, kg/service/resultcache.py): every IRI in a subject or object of the quads it
    wrote or removed (and the Wikidata items the entities it types are the same as), and the
    names (labels and aliases, lowercased, one per line) of the entities those quads name or
    type, wherever in the store the names are. A write the
    store cannot describe so is reported as ``None``: it may have changed anything.

    >>> t = Touched(frozenset({"http://e/paris"}), "paris\\nville lumiere")
    >>> t.names_any(["Paris"]), t.names_any(["Berlin"])
    (True, False)
    """

    iris: frozenset[str]
    names: str

    def names_any(self, values: Iterable[str]) -> bool:
        """Whether one of the names contains one of ``values`` (case aside): the test for
        a name a parameter was resolved by, which a changed label could now match."""
        return any(v.lower() in self.names for v in values)


def touched_by(
    quads: Iterable[ox.Quad],
    names_elsewhere: Iterable[str] = (),
    iris_elsewhere: Iterable[str] = (),
) -> Touched:
    """The :class:`Touched` of a write of ``quads`` (those written and those removed), with
    what the store holds in other graphs for the entities the quads type: their names
    (``names_elsewhere``) and the items they are the same as (``iris_elsewhere``).

    >>> s, l = ox.NamedNode("http://e/s"), ox.NamedNode(NAME_PREDICATES[0])
    >>> touched_by([ox.Quad(s, l, ox.Literal("Kim"))], ["Kim Jong Un"])
    Touched(iris=frozenset({'http://e/s'}), names='kim\\nkim jong un')
    """
    iris: set[str] = set(iris_elsewhere)
    names: list[str] = []
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
        if q.predicate.value in NAME_PREDICATES and isinstance(q.object, ox.Literal):
            names.append(q.object.value.lower())
    names.extend(n.lower() for n in names_elsewhere)
    return Touched(frozenset(iris), "\n".join(dict.fromkeys(names)))


# File suffixes the loaders accept, and the format each one names.
FORMATS_BY_SUFFIX: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}


class StoreError(Exception):
    """A store operation failed; nothing was written."""


class QuerySyntaxError(StoreError):
    """The SPARQL query or update text is not valid."""


class StoreIOError(StoreError):
    """The store's files could not be written or read (a full disk, a read-only file system,
    an I/O failure); the write that met it changed nothing."""

    @property
    def disk_full(self) -> bool:
        """Whether the cause is a full disk (ENOSPC)."""
        return "no space left" in str(self).lower()


def io_error(exc: OSError, what: str = "") -> StoreError:
    """The store error for an OSError from the engine: RocksDB's "IO error" is the store's
    own files failing; any other OSError (a LOAD whose URL failed) is the operation's.

    >>> io_error(OSError("IO error: No space left on device")).disk_full
    True
    """
    text = f"{what}{exc}"
    return StoreIOError(text) if "IO error" in str(exc) else StoreError(text)


class BadDataError(StoreError):
    """RDF data to load could not be parsed; nothing was written."""


class QueryTimeoutError(StoreError):
    """The operation ran past its deadline (the server was told to stop it)."""


class StoreUnavailableError(StoreError):
    """The store could not be reached, or answered with a server failure."""


def format_for(path: str | Path, explicit: str | None = None) -> ox.RdfFormat:
    """The RDF format of a file, from an explicit name/media type or its suffix.

    >>> format_for("a.ttl").name
    'Turtle'
    >>> format_for("x", "application/n-quads").name
    'N-Quads'
    """
    if explicit:
        fmt = ox.RdfFormat.from_media_type(explicit) or ox.RdfFormat.from_extension(
            explicit.lstrip(".")
        )
        if fmt is None:
            raise BadDataError(f"unknown RDF format {explicit!r}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS_BY_SUFFIX:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise BadDataError(f"cannot tell the RDF format of {str(path)!r}; known suffixes: {known}")
    return FORMATS_BY_SUFFIX[suffix]


@runtime_checkable
class Store(Protocol):
    """A quad store with SPARQL 1.1 query and update and atomic per-graph writes."""

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default: bool = True,
    ) -> QueryResult:
        """Run a SPARQL query; by default the default graph is the union of all graphs."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction."""
        ...

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> int:
        """Replace the whole content of a named graph (``None``: the default graph)
        atomically; returns the triple count."""
        ...

    def drop_graph(self, graph: str) -> bool:
        """Remove a named graph; returns whether it existed."""
        ...

    def has_graph(self, graph: str) -> bool:
        """Whether a named graph exists."""
        ...

    def load(
        self,
        data: bytes | IO[bytes],
        fmt: ox.RdfFormat,
        graph: str | None = None,
        *,
        base_iri: str | None = None,
        count: bool = True,
    ) -> int:
        """Parse RDF and add it (to ``graph``, or the default graph), all of it or nothing;
        how many quads are new (0 without ``count``)."""
        ...

    def optimize(self) -> None:
        """Settle the store's files after a bulk load, so that reads are fast at once (a
        no-op where the server does this itself)."""
        ...

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs."""
        ...

    def graph_triples(self, graph: str | None) -> list[ox.Triple]:
        """All triples of one named graph (``None``: the default graph)."""
        ...

    def count(self) -> int:
        """The number of quads."""
        ...

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """All quads serialized in a dataset format (TriG, N-Quads)."""
        ...

    def close(self) -> None:
        """Release the store (flush, unlock)."""
        ...


Bound = ox.NamedNode | ox.BlankNode | ox.Literal


def bound_rows(result: ox.QuerySolutions) -> list[dict[str, Bound]]:
    """SELECT solutions as dicts of their bound variables (unbound ones are left out).

    >>> bound_rows(ox.Store().query('SELECT ?a ?b WHERE { VALUES ?a { "x" } }'))
    [{'a': <Literal value=x datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>}]
    """
    names = [v.value for v in result.variables]
    # A solution's terms come in the variables' order; looking each up by name costs 3x.
    return [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in result]


def has_blank_nodes(triples: Iterable[ox.Triple]) -> bool:
    """Whether any subject or object is a blank node.

    >>> s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    >>> [has_blank_nodes([ox.Triple(s, p, o)]) for o in (ox.Literal("a"), ox.BlankNode())]
    [False, True]
    """
    return any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    )


def triples_as_data_block(triples: Iterable[ox.Triple]) -> str:
    """Triples written as the body of an ``INSERT DATA`` block (N-Triples terms).

    >>> t = ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("a"))
    >>> triples_as_data_block([t])
    '<http://e/s> <http://e/p> "a" .\\n'
    """
    # str() of a pyoxigraph term is its N-Triples form, escaped, so this cannot be injected.
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
