"""Facts -> RDF: IRIs, provenance, evidence, and the same visit from two sources."""

from __future__ import annotations

from datetime import UTC, datetime

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg import shape_check
from kg.mapping import Minter, Producer, map_facts, slug
from kg.model import Article, Entity, Evidence, Facts, Statement, Visit
from kg.ontology import DV, NIF, WD
from kg.settings import Settings

ONTOLOGY = Settings.from_env({}).ontology_dir
MINT = Minter("http://kg.test/")
PRODUCER = Producer("test", "9.9")
NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def facts(key: str, start: str | None = "2024-11-06", **article: str) -> Facts:
    return Facts(
        article=Article(key=key, dateline="2024-11-06", title="A title", **article),
        entities=[
            Entity(
                id="p", label="Vladimir Putin", type="Leader", wikidata="Q7747", aliases=["Putin"]
            ),
            Entity(id="k", label="Kim Jong Un", type="Leader"),
            Entity(id="nk", label="North Korea", type="State"),
            Entity(id="c", label="Pyongyang", type="City", country="nk"),
        ],
        visits=[
            Visit(
                visitor="p",
                destination="c",
                host=["k"],
                start=start,
                evidence=Evidence(sentence="Putin landed.", start=10, end=23, rule="r1"),
                confidence=0.8,
            )
        ],
        statements=[Statement(speaker="p", text="comrades in arms")],
    )


def test_same_visit_from_two_sources_gets_one_iri():
    a = map_facts(facts("a"), MINT, PRODUCER, now=NOW)
    b = map_facts(facts("b"), MINT, PRODUCER, now=NOW)
    visits_a = set(a.graph.subjects(RDF.type, DV.Visit))
    visits_b = set(b.graph.subjects(RDF.type, DV.Visit))
    assert visits_a == visits_b and len(visits_a) == 1
    assert a.iri != b.iri


def test_undated_visits_stay_apart_per_source():
    a = map_facts(facts("a", start=None), MINT, PRODUCER, now=NOW)
    b = map_facts(facts("b", start=None), MINT, PRODUCER, now=NOW)
    assert set(a.graph.subjects(RDF.type, DV.Visit)).isdisjoint(
        b.graph.subjects(RDF.type, DV.Visit)
    )


def test_entities_dates_and_sameas():
    g = map_facts(facts("a"), MINT, PRODUCER, now=NOW).graph
    putin = URIRef("http://kg.test/id/person/vladimir-putin")
    assert (putin, OWL.sameAs, WD.Q7747) in g
    assert (putin, RDFS.label, Literal("Vladimir Putin")) in g
    visit = next(g.subjects(RDF.type, DV.Visit))
    assert g.value(visit, DV.startDate) == Literal("2024-11-06", datatype=XSD.date)
    # the host state is read off the destination city's country
    assert g.value(visit, DV.hostState) == URIRef("http://kg.test/id/state/north-korea")


def test_year_precision_dates_are_gyear():
    g = map_facts(facts("a", start="2000"), MINT, PRODUCER, now=NOW).graph
    visit = next(g.subjects(RDF.type, DV.Visit))
    assert g.value(visit, DV.startDate).datatype == XSD.gYear


def test_provenance_describes_the_graph():
    sg = map_facts(facts("a", source="https://news.example/x"), MINT, PRODUCER, now=NOW)
    g, graph = sg.graph, URIRef(sg.iri)
    assert g.value(graph, PROV.wasDerivedFrom) == URIRef(sg.source_iri)
    assert g.value(graph, PROV.generatedAtTime).toPython() == NOW
    software = g.value(graph, PROV.wasAttributedTo)
    assert str(g.value(software, URIRef("https://schema.org/softwareVersion"))) == "9.9"
    assert str(g.value(URIRef(sg.source_iri), URIRef("https://schema.org/url"))) == (
        "https://news.example/x"
    )


def test_evidence_carries_sentence_offsets_rule_and_confidence():
    g = map_facts(facts("a"), MINT, PRODUCER, now=NOW).graph
    visit = next(g.subjects(RDF.type, DV.Visit))
    ev = g.value(visit, DV.evidence)
    assert str(g.value(ev, NIF.anchorOf)) == "Putin landed."
    assert (int(g.value(ev, NIF.beginIndex)), int(g.value(ev, NIF.endIndex))) == (10, 23)
    assert str(g.value(ev, DV.rule)) == "r1"
    assert float(g.value(ev, DV.confidence)) == 0.8


def test_mapping_is_deterministic():
    one = map_facts(facts("a"), MINT, PRODUCER, now=NOW).graph
    two = map_facts(facts("a"), MINT, PRODUCER, now=NOW).graph
    assert set(one) == set(two)


def test_slug_unifies_name_variants():
    assert slug("Kim Jong-un") == slug("Kim Jong Un") == "kim-jong-un"


def test_an_article_labels_an_entity_as_written_and_mints_its_iri_from_the_reference() -> None:
    from rdflib.namespace import SKOS

    article = Facts(
        article=Article(key="a-1987", dateline="1987-03-02"),
        entities=[
            Entity(id="c", label="Peking", canonical="Beijing", type="City", wikidata="Q956")
        ],
    )
    g = map_facts(article, MINT, PRODUCER, now=NOW).graph
    beijing = URIRef("http://kg.test/id/place/beijing")
    assert set(g.objects(beijing, RDFS.label)) == {Literal("Peking")}
    assert (beijing, SKOS.altLabel, Literal("Beijing")) in g
    assert (beijing, OWL.sameAs, WD.Q956) in g
    assert (beijing, SKOS.prefLabel, None) not in g  # only a reference dataset says that
    dataset = Facts(
        article=Article(key="gazetteer", kind="dataset"),
        entities=[Entity(id="c", label="Beijing", type="City", aliases=["Peking"])],
    )
    d = map_facts(dataset, MINT, PRODUCER, now=NOW).graph
    assert set(d.objects(beijing, SKOS.prefLabel)) == {Literal("Beijing")}


def test_one_visit_stated_twice_in_a_source_is_one_visit_with_one_status():
    """Sentences of one article that mint the same visit add their hosts and evidence; the
    first one's status stands, so the graph still passes the shapes (one status a visit)."""
    f = facts("twice")
    again = f.visits[0].model_copy(
        update={
            "status": "planned",
            "host": [],
            "evidence": Evidence(sentence="Putin will land.", start=30, end=46, rule="r2"),
        }
    )
    g = map_facts(f.model_copy(update={"visits": [f.visits[0], again]}), MINT, PRODUCER).graph
    [visit] = set(g.subjects(RDF.type, DV.Visit))
    assert list(g.objects(visit, DV.status)) == [DV.occurred]
    assert len(list(g.objects(visit, DV.evidence))) == 2
    shape_check.check(g, ONTOLOGY)


def test_an_undated_planned_visit_stays_apart_from_an_undated_one_made():
    """'will visit Britain' and 'returned from Britain', both undated, are two trips."""
    f = facts("plans", start=None)
    planned = f.visits[0].model_copy(update={"status": "planned"})
    g = map_facts(f.model_copy(update={"visits": [f.visits[0], planned]}), MINT, PRODUCER).graph
    visits = set(g.subjects(RDF.type, DV.Visit))
    assert len(visits) == 2
    assert {s for v in visits for s in g.objects(v, DV.status)} == {DV.occurred, DV.planned}
    shape_check.check(g, ONTOLOGY)
