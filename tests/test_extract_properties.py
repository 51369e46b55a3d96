"""Property tests: whatever the text, the extractor does not crash, and an article is stored
whole (a graph that passes the shapes, every triple of it) or not at all.

The texts are random news-like sentences assembled from the pieces the rules react to
(titles, names, verbs of travel and speech, places, dates, quotation marks, hard-wrapped
lines), plus arbitrary Unicode.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.reader import ReaderError, read_text
from kg.ingest import EXTRACTOR_PRODUCER, extract_facts, store_facts, to_source_graph
from kg.settings import Settings
from kg.store import open_store

SETTINGS = Settings.from_env({})

SUBJECTS = [
    "President Emmanuel Macron",
    "Albanian Prime Minister Edi Rama",
    "Mr Xi",
    "the Russian leader",
    "He",
    "King Harald",
    "A spokesman",
    "The Foreign Office",
    "Secretary of State Antony Blinken",
    "special envoy Anna Virtanen, who",
]
VERBS = [
    "visited",
    "will visit",
    "arrived in",
    "is in",
    "returned from",
    "flew to",
    "had lunch with President Lula in",
    "hosted Chancellor Olaf Scholz in",
    "held talks in",
    "said in a speech at",
    "did not visit",
    "may visit",
    "will be accompanied by his trade and energy ministers to",
]
PLACES = ["Paris", "Peking", "Britain", "the U.S.", "Brasília", "Tokyo, Seoul and Jakarta", "Lima"]
WHEN = [
    "on Monday",
    "yesterday",
    "next week",
    "on 3 May",
    "in 1999",
    "for the first time in 24 years",
    "",
]
QUOTES = [
    ' "We are friends," he said.',
    ' He told the BBC: "It was useful."',
    ' "Never," said a spokesman.',
    ' "It is',
    " “Curly quotes ” inside,” she added.",
    ' called it "deeply flawed".',
    "",
]
GLUE = [" ", "\n", "\n\n", ". ", "; ", ", and "]

sentence = st.tuples(
    st.sampled_from(SUBJECTS),
    st.sampled_from(VERBS),
    st.sampled_from(PLACES),
    st.sampled_from(WHEN),
    st.sampled_from(QUOTES),
).map(lambda t: f"{t[0]} {t[1]} {t[2]} {t[3]}.{t[4]}")
article = st.lists(st.tuples(sentence, st.sampled_from(GLUE)), min_size=1, max_size=12).map(
    lambda parts: "".join(s + g for s, g in parts)
)
noise = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300)
texts = article | noise | st.tuples(article, noise).map(lambda t: t[0] + t[1])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(["2024-05-08", "1987-03-02", None]))
def test_an_article_maps_to_a_graph_the_shapes_accept(text: str, dateline: str | None) -> None:
    try:
        doc = read_text(text, dateline=dateline, source="urn:test:article")
    except ReaderError:
        return
    facts = extract_facts(doc, SETTINGS)
    for item in [*facts.visits, *facts.statements]:
        ev = item.evidence
        assert ev is not None and ev.sentence == text[ev.start : ev.end]
    # Raises ShapeViolationError if the extractor ever produced facts the shapes refuse.
    to_source_graph(facts, SETTINGS, EXTRACTOR_PRODUCER)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=3))
def test_articles_are_stored_whole_or_not_at_all(batch: list[str]) -> None:
    store = open_store(":memory:")
    expected: dict[str, int] = {}
    for n, text in enumerate(batch):
        try:
            doc = read_text(text, source=f"urn:test:{n}", dateline="2024-05-08")
        except ReaderError:
            continue  # refused before anything reaches the store
        facts = extract_facts(doc, SETTINGS)
        triples = len(to_source_graph(facts, SETTINGS, EXTRACTOR_PRODUCER).graph)
        stored = store_facts(store, facts, SETTINGS, EXTRACTOR_PRODUCER)
        expected[stored.graph] = triples
    for graph, count in expected.items():
        assert len(list(store.graph_triples(graph))) == count
