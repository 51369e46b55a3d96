"""The extractor over every article of the shared corpus (294 Wikinews articles): each one
is either refused with a reader's message, or gives facts whose evidence is the text it
quotes and whose graph the shapes accept. The corpus is read through ../shared."""

from __future__ import annotations

import json

from kg.extract.reader import ReaderError, read_record
from kg.ingest import EXTRACTOR_PRODUCER, extract_facts, to_source_graph
from kg.settings import Settings
from tests.conftest import SHARED

SETTINGS = Settings.from_env({}).with_(shared_dir=SHARED)
CORPUS = SHARED / "corpus" / "wikinews-2019-2020.jsonl"


def test_every_corpus_article_extracts_or_is_refused_clearly() -> None:
    lines = CORPUS.read_text("utf-8").splitlines()
    assert len(lines) > 250
    refused, visits, statements = 0, 0, 0
    for n, line in enumerate(lines):
        where = f"{CORPUS.name}#{n}"
        try:
            doc = read_record(json.loads(line), where=where)
        except ReaderError as exc:
            assert where in str(exc)  # the message names the article
            refused += 1
            continue
        facts = extract_facts(doc, SETTINGS)
        for item in [*facts.visits, *facts.statements]:
            ev = item.evidence
            assert ev is not None and ev.sentence == doc.text[ev.start : ev.end], where
        to_source_graph(facts, SETTINGS, EXTRACTOR_PRODUCER)  # raises if the shapes refuse
        visits += len(facts.visits)
        statements += len(facts.statements)
    # Nearly every article is read, and the rules find something in them: a broken reader or
    # extractor that silently returned nothing would fail here.
    assert refused <= 5 and visits >= 5 and statements >= 300
