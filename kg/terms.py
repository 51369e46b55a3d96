"""The one place where RDF terms cross between rdflib and pyoxigraph.

>>> from rdflib import Literal, URIRef
>>> to_ox(Literal("2024-11-06", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")))
<Literal value=2024-11-06 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
>>> to_rdflib(to_ox(URIRef("http://example.org/a")))
rdflib.term.URIRef('http://example.org/a')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node) -> OxTerm:
    """Convert an rdflib term to the equivalent pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {type(term).__name__} to a pyoxigraph term")


def to_rdflib(term: OxTerm) -> Node:
    """Convert a pyoxigraph term to the equivalent rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {type(term).__name__} to an rdflib term")


def graph_to_triples(graph: Graph) -> Iterator[ox.Triple]:
    """The triples of an rdflib graph as pyoxigraph triples."""
    for s, p, o in graph:
        yield ox.Triple(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]


def triples_to_graph(triples: Iterable[ox.Triple]) -> Graph:
    """An rdflib graph holding pyoxigraph triples."""
    g = Graph()
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g
