"""The compiled shape checks give the same verdicts as pySHACL on the same shapes."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg import shape_check, validate
from kg.factfile import read_fact_file
from kg.ingest import fact_files
from kg.link.gazetteer import Gazetteer
from kg.mapping import Minter, Producer, map_facts
from kg.ontology import DV, NIF
from kg.settings import Settings
from tests.conftest import SHARED

SETTINGS = Settings.from_env({}).with_(shared_dir=SHARED)
MINT = Minter(SETTINGS.base_iri)
PRODUCER = Producer("test", "0")


def _key(found: list[validate.Violation]) -> set[tuple[str, str]]:
    return {(v.shape, v.focus) for v in found}


def _seed_graph() -> Graph:
    facts, _ = read_fact_file(fact_files(SETTINGS)[0], SETTINGS.shared_dir)
    return map_facts(facts, MINT, PRODUCER).graph


def _first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


def _set(g: Graph, s: URIRef, p: URIRef, o: object) -> Graph:
    g.remove((s, p, None))
    g.add((s, p, o))  # type: ignore[arg-type]
    return g


BREAKS: dict[str, Callable[[Graph], Graph]] = {
    "visitor untyped": lambda g: (
        g.remove((next(g.objects(_first(g, DV.Visit), DV.visitor)), RDF.type, None)) or g
    ),
    "visitor a state": lambda g: _set(
        g, next(g.objects(_first(g, DV.Visit), DV.visitor)), RDF.type, DV.State
    ),
    "two start dates": lambda g: g.add(
        (_first(g, DV.Visit), DV.startDate, Literal("1999-01-01", datatype=XSD.date))
    ).add((_first(g, DV.Visit), DV.startDate, Literal("1999-01-02", datatype=XSD.date))),
    "date as string": lambda g: _set(g, _first(g, DV.Visit), DV.startDate, Literal("2024-11-06")),
    "ill-typed date": lambda g: _set(
        g, _first(g, DV.Visit), DV.startDate, Literal("2024-13-45", datatype=XSD.date)
    ),
    "bad status": lambda g: _set(g, _first(g, DV.Visit), DV.status, DV.finished),
    "no visitor": lambda g: g.remove((_first(g, DV.Visit), DV.visitor, None)) or g,
    "confidence too high": lambda g: _set(
        g, _first(g, DV.Evidence), DV.confidence, Literal(Decimal("1.5"))
    ),
    "offsets reversed": lambda g: _set(
        g, _first(g, DV.Evidence), NIF.beginIndex, Literal(10**6, datatype=XSD.nonNegativeInteger)
    ),
    "offset as integer": lambda g: _set(
        g, _first(g, DV.Evidence), NIF.endIndex, Literal(5, datatype=XSD.integer)
    ),
    "https sameAs": lambda g: _set(
        g, _first(g, DV.Leader), OWL.sameAs, URIRef("https://www.wikidata.org/wiki/Q1")
    ),
    "no label": lambda g: g.remove((_first(g, DV.Leader), RDFS.label, None)) or g,
    "holder a city": lambda g: _set(
        g, next(g.objects(_first(g, DV.OfficeHolding), DV.holder)), RDF.type, DV.City
    ),
}


def test_the_shapes_compile() -> None:
    """If the shapes grow a construct the compiler does not know, this fails loudly."""
    assert shape_check.compiled(SETTINGS.ontology_dir) is not None


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_same_violations_as_pyshacl_on_broken_graphs(name: str) -> None:
    g = BREAKS[name](_seed_graph())
    expected = _key(validate.violations(g, SETTINGS.ontology_dir))
    assert expected, f"the break {name!r} should fail the shapes"
    assert _key(shape_check.violations(g, SETTINGS.ontology_dir)) == expected


def test_same_verdicts_on_shipped_graphs() -> None:
    for g in (
        _seed_graph(),
        map_facts(Gazetteer.load(SETTINGS.data_dir).as_facts(), MINT, PRODUCER).graph,
    ):
        assert validate.violations(g, SETTINGS.ontology_dir) == []
        assert shape_check.violations(g, SETTINGS.ontology_dir) == []
