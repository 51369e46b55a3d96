"""The SPARQL 1.1 Service Description of the endpoint (answered to a bare ``GET /sparql``)."""

from __future__ import annotations

import pyoxigraph as ox

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS, W3C_FORMAT_IRIS
from kg.settings import Settings

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
MAX_LISTED_GRAPHS = 1000  # a description stays small even over a large store


def _sd(local: str) -> ox.NamedNode:
    return ox.NamedNode(SD + local)


def service_description(endpoint: str, settings: Settings, graphs: list[str]) -> list[ox.Triple]:
    """Triples describing the endpoint at ``endpoint``: languages, formats, features, dataset.

    >>> from kg.settings import Settings
    >>> triples = service_description("http://h/sparql", Settings(), ["http://g/1"])
    >>> any(t.predicate.value.endswith("#endpoint") for t in triples)
    True
    """
    service = ox.BlankNode()
    out = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")),
    ]
    if settings.api_token:
        out.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    if settings.union_default_graph:
        out.append(ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")))
    for name in (*RESULT_FORMATS, *GRAPH_FORMATS):
        out.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(W3C_FORMAT_IRIS[name])))
    dataset, default = ox.BlankNode(), ox.BlankNode()
    out += [
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
    ]
    for graph in graphs[:MAX_LISTED_GRAPHS]:
        named = ox.BlankNode()
        out += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(graph)),
        ]
    return out
