"""The W3C SPARQL 1.1 test manifests read into plain records (rdflib reads the Turtle)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import rdflib
from rdflib import RDF, RDFS, Namespace
from rdflib.collection import Collection

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")


def path_of(iri: rdflib.term.Node) -> Path:
    """The local file a ``file:`` IRI names."""
    return Path(unquote(urlparse(str(iri)).path))


@dataclass
class GraphFile:
    """A data file and the graph it goes in (None: the default graph)."""

    file: Path
    graph: str | None


@dataclass
class Case:
    """One test: its id, kind, and what it reads and expects."""

    id: str
    name: str
    kind: str  # rdf:type local name
    action: Path | None = None  # query or update file
    data: list[GraphFile] = field(default_factory=list)
    result: Path | None = None  # query result file
    result_data: list[GraphFile] = field(default_factory=list)  # update: expected store
    node: rdflib.term.Node | None = None
    graph: rdflib.Graph | None = None


def _entries(path: Path) -> tuple[rdflib.Graph, list[rdflib.term.Node]]:
    g = rdflib.Graph()
    g.parse(path, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    entries = g.value(manifest, MF.entries)
    return g, list(Collection(g, entries)) if entries is not None else []


def _graph_data(g: rdflib.Graph, node: rdflib.term.Node, pred: rdflib.URIRef) -> list[GraphFile]:
    out = []
    for item in g.objects(node, pred):
        if isinstance(item, rdflib.BNode):  # update tests: [ ut:graph <file> ; rdfs:label "iri" ]
            out.append(GraphFile(path_of(g.value(item, UT.graph)), str(g.value(item, RDFS.label))))
        else:
            out.append(GraphFile(path_of(item), str(item)))
    return out


def read_cases(path: Path) -> list[Case]:
    """Every test of one manifest (not following includes)."""
    g, entries = _entries(path)
    cases = []
    for node in entries:
        kind = str(g.value(node, RDF.type)).rsplit("#", 1)[-1]
        case = Case(str(node), str(g.value(node, MF.name)), kind, node=node, graph=g)
        action = g.value(node, MF.action)
        result = g.value(node, MF.result)
        if kind == "QueryEvaluationTest":
            case.action = path_of(g.value(action, QT.query))
            case.data = [GraphFile(path_of(d), None) for d in g.objects(action, QT.data)]
            case.data += _graph_data(g, action, QT.graphData)
            case.result = path_of(result) if result is not None else None
        elif kind == "UpdateEvaluationTest":
            case.action = path_of(g.value(action, UT.request))
            case.data = [GraphFile(path_of(d), None) for d in g.objects(action, UT.data)]
            case.data += _graph_data(g, action, UT.graphData)
            case.result_data = [GraphFile(path_of(d), None) for d in g.objects(result, UT.data)]
            case.result_data += _graph_data(g, result, UT.graphData)
        elif action is not None and not isinstance(action, rdflib.BNode):
            case.action = path_of(action)  # syntax tests
        cases.append(case)
    return cases


def read_suite(top: Path) -> list[Case]:
    """Every test of a manifest and the manifests it includes."""
    g = rdflib.Graph()
    g.parse(top, format="turtle")
    cases = []
    for inc in g.objects(None, MF.include):
        for sub in Collection(g, inc):
            cases += read_cases(path_of(sub))
    return cases
