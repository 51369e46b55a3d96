"""Namespaces of the ontology and the paths of its Turtle files.

>>> str(DV.Visit)
'https://w3id.org/diplovisit/ontology#Visit'
>>> PREFIXES["dv"]
'https://w3id.org/diplovisit/ontology#'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

DV = Namespace("https://w3id.org/diplovisit/ontology#")
DVSH = Namespace("https://w3id.org/diplovisit/shapes#")
CAMEO = Namespace("https://w3id.org/diplovisit/cameo/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

PREFIXES: dict[str, str] = {
    "dv": str(DV),
    "cameo": str(CAMEO),
    "sem": str(SEM),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "nif": str(NIF),
    "wd": str(WD),
    "wdt": str(WDT),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
}

ONTOLOGY_FILES = ("dv.ttl", "cameo.ttl")
SHAPES_FILE = "shapes.ttl"


def sparql_prologue() -> str:
    """PREFIX declarations for every namespace above, for queries written in code."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


@cache
def ontology_graph(ontology_dir: Path) -> Graph:
    """The ontology (classes, properties, CAMEO concepts) as one rdflib graph."""
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(ontology_dir / name, format="turtle")
    return g


@cache
def shapes_graph(ontology_dir: Path) -> Graph:
    """The SHACL shapes every stored source graph must pass."""
    return Graph().parse(ontology_dir / SHAPES_FILE, format="turtle")
