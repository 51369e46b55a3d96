"""SHACL: good graphs pass; bad ones are refused with a message naming the failed shape."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.mapping import Minter, Producer, map_facts
from kg.model import Article, Entity, Evidence, Facts, Statement, Visit
from kg.ontology import DV, NIF
from kg.settings import PROJECT_ROOT
from kg.validate import ShapeViolationError, check, violations

ONTOLOGY = PROJECT_ROOT / "ontology"


def good_graph():
    facts = Facts(
        article=Article(key="t", dateline="2024-11-06"),
        entities=[
            Entity(id="p", label="A Leader", type="Leader"),
            Entity(id="c", label="A City", type="City"),
        ],
        visits=[
            Visit(
                visitor="p",
                destination="c",
                start="2024-11-06",
                evidence=Evidence(sentence="s", start=0, end=1),
            )
        ],
        statements=[Statement(speaker="p", text="words")],
    )
    return map_facts(facts, Minter("http://kg.test/"), Producer("t", "1")).graph


def test_good_graph_conforms():
    assert violations(good_graph(), ONTOLOGY) == []


def test_visit_without_visitor_is_refused_naming_the_shape():
    g = good_graph()
    visit = next(g.subjects(RDF.type, DV.Visit))
    g.remove((visit, DV.visitor, None))
    with pytest.raises(ShapeViolationError) as err:
        check(g, ONTOLOGY)
    assert "VisitShape" in str(err.value)
    assert any(v.path == "dv:visitor" for v in err.value.violations)


def test_date_must_be_a_typed_date():
    g = good_graph()
    visit = next(g.subjects(RDF.type, DV.Visit))
    g.set((visit, DV.startDate, Literal("next Tuesday")))
    found = violations(g, ONTOLOGY)
    assert any(v.path == "dv:startDate" for v in found)


def test_confidence_out_of_range_is_refused():
    g = good_graph()
    ev = next(g.subjects(RDF.type, DV.Evidence))
    g.set((ev, DV.confidence, Literal("1.5", datatype=XSD.decimal)))
    assert any(v.path == "dv:confidence" for v in violations(g, ONTOLOGY))


def test_statement_needs_text():
    g = good_graph()
    st = next(g.subjects(RDF.type, DV.Statement))
    g.remove((st, DV.text, None))
    found = violations(g, ONTOLOGY)
    assert any("Statement" in v.shape and v.path == "dv:text" for v in found)


def test_evidence_offsets_must_be_integers():
    g = good_graph()
    ev = BNode()
    g.add((ev, RDF.type, DV.Evidence))
    g.add((ev, NIF.beginIndex, Literal("ten")))
    g.add((ev, NIF.endIndex, Literal(3, datatype=XSD.nonNegativeInteger)))
    assert any(v.path == "nif:beginIndex" for v in violations(g, ONTOLOGY))


def test_sameas_must_be_a_wikidata_item():
    g = good_graph()
    person = next(g.subjects(RDF.type, DV.Leader))
    g.add((person, URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef("http://x.test/Q1")))
    assert any(v.path == "owl:sameAs" for v in violations(g, ONTOLOGY))
