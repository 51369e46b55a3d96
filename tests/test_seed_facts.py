"""The seed article's facts, shipped in data/facts, stored with evidence from the article itself."""

from __future__ import annotations

import pytest

from kg.factfile import FactFileError, read_fact_file
from kg.ingest import load_shipped_data
from kg.ontology import sparql_prologue
from kg.settings import PROJECT_ROOT
from kg.store import open_store
from tests.conftest import SEED_ARTICLE, SHARED

SEED_FILE = PROJECT_ROOT / "data" / "facts" / "seed-000_fb9de8acf85c790b.json"


@pytest.fixture(scope="module")
def store():
    from kg.settings import Settings

    s = open_store(":memory:")
    load_shipped_data(s, Settings.from_env({}).with_(shared_dir=SHARED))
    return s


def ask(store, where: str) -> bool:
    return bool(store.query(sparql_prologue() + f"ASK {{ {where} }}"))


def test_every_evidence_sentence_is_the_article_text_at_its_offsets():
    facts, text = read_fact_file(SEED_FILE, SHARED)
    assert text == SEED_ARTICLE.read_text(encoding="utf-8")
    items = facts.visits + facts.statements + facts.meetings + facts.stances + facts.roles
    assert len(items) == 14
    for item in items:
        ev = item.evidence
        assert ev.sentence == text[ev.start : ev.end]
        assert ev.start <= ev.claim_start < ev.claim_end <= ev.end
    for s in facts.statements:  # quotes are verbatim (a multi-part quote joined by " … ")
        for part in s.text.split(" … "):
            assert part in text


def test_the_project_does_not_ship_the_article_text():
    data = SEED_FILE.read_text(encoding="utf-8")
    assert "touched down in Pyongyang" not in data
    assert '"sentence": null' in data


def test_visits_meeting_stance_and_role(store):
    assert ask(
        store,
        """?v dv:visitor ?p ; dv:destination ?c ; dv:host ?k ; dv:startDate "2024-11-06"^^xsd:date .
        ?p owl:sameAs wd:Q7747 . ?c owl:sameAs wd:Q18808 . ?k owl:sameAs wd:Q56226 .
        ?c dv:locatedIn ?nk . ?nk owl:sameAs wd:Q423 .""",
    )
    assert ask(
        store,
        """?v dv:visitor/owl:sameAs wd:Q7747 ; dv:startDate "2000"^^xsd:gYear ;
        dv:dateInferred true .""",
    )
    assert ask(
        store,
        """?v dv:visitor/owl:sameAs wd:Q56226 ; dv:destination/owl:sameAs wd:Q649 ;
        dv:before "2024-11-06"^^xsd:date . FILTER NOT EXISTS { ?v dv:startDate ?d }""",
    )
    assert ask(
        store,
        """?m a dv:Meeting ; dv:status dv:planned ; dv:participant/owl:sameAs wd:Q7747,
        wd:Q56226 ; dv:purpose ?why . FILTER(CONTAINS(?why, "cooperation"))""",
    )
    assert ask(
        store,
        """?s a dv:Stance ; dv:holder/owl:sameAs wd:Q423 ; dv:position dv:support ;
        dv:towards/owl:sameAs wd:Q159 ; dv:about/owl:sameAs wd:Q212 .""",
    )
    assert ask(
        store,
        """?st dv:speaker/rdfs:label "Jens Stoltenberg" ; dv:speakerRole ?h .
        ?h dv:asOf "2024-11-06"^^xsd:date ; dv:office/dv:officeOf/rdfs:label "NATO" .""",
    )


def test_statements_with_medium_and_reporter(store):
    assert ask(
        store,
        """?s dv:speaker/owl:sameAs wd:Q7747 ; dv:medium/rdfs:label "Rodong Sinmun" ;
        dv:text ?t . FILTER(STRSTARTS(?t, "Today, as before") && STRENDS(?t, "interests."))""",
    )
    for quote in (
        "comrades in arms",
        "academic mobility",
        "sports exchanges",
        "not controlled by the West",
    ):
        assert ask(
            store,
            f"""?s dv:speaker/owl:sameAs wd:Q7747 ; dv:text ?t .
            FILTER(CONTAINS(?t, "{quote}"))""",
        )
    for quote in ("dependent", "Their closest friends", "North Korea, Iran, and China."):
        assert ask(
            store,
            f"""?s dv:speaker/rdfs:label "Jens Stoltenberg" ;
            dv:reportedBy/rdfs:label "The Guardian" ; dv:text ?t .
            FILTER(CONTAINS(?t, "{quote}"))""",
        )


def test_evidence_is_stored_with_each_fact(store):
    n = store.query(
        sparql_prologue()
        + """SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {
        GRAPH ?g { ?f dv:evidence ?e . ?e nif:anchorOf ?s ; nif:beginIndex ?b }
        FILTER(CONTAINS(STR(?g), "000_fb9de8acf85c790b")) }"""
    )
    assert int(next(n)["n"].value) == 14


def test_a_missing_source_text_is_a_clear_error(tmp_path):
    with pytest.raises(FactFileError, match="KG_SHARED_DIR"):
        read_fact_file(SEED_FILE, tmp_path)
