"""The seed article's curated facts (data/facts/seed-*.json) come out of its text."""

from __future__ import annotations

import json

import pytest

from kg.extract.pipeline import extract
from kg.extract.reader import read_text
from kg.model import Facts
from kg.settings import PROJECT_ROOT
from tests.conftest import SEED_ARTICLE

CURATED = PROJECT_ROOT / "data" / "facts" / "seed-000_fb9de8acf85c790b.json"


@pytest.fixture(scope="module")
def curated() -> Facts:
    return Facts.model_validate(json.loads(CURATED.read_text("utf-8")))


@pytest.fixture(scope="module")
def extracted() -> Facts:
    return extract(read_text(SEED_ARTICLE.read_text("utf-8")))


def _label(facts: Facts, ref: str | None) -> str | None:
    return facts.entity(ref).label if ref else None


def test_dateline_and_title(extracted: Facts, curated: Facts) -> None:
    assert extracted.article.dateline == curated.article.dateline
    assert extracted.article.title == curated.article.title


def test_every_curated_visit_is_extracted(extracted: Facts, curated: Facts) -> None:
    got = {
        (
            _label(extracted, v.visitor),
            _label(extracted, v.destination),
            v.start,
            v.before,
            v.date_inferred,
        )
        for v in extracted.visits
    }
    for v in curated.visits:
        want = (
            _label(curated, v.visitor),
            _label(curated, v.destination),
            v.start,
            v.before,
            v.date_inferred,
        )
        assert want in got, f"missing {want}; extracted {sorted(map(str, got))}"
    assert len(extracted.visits) == len(curated.visits)


def test_visit_evidence_is_the_sentence(extracted: Facts) -> None:
    text = SEED_ARTICLE.read_text("utf-8")
    for v in extracted.visits:
        ev = v.evidence
        assert ev is not None and ev.sentence == text[ev.start : ev.end]
    first = extracted.visits[0]
    assert first.evidence is not None
    assert first.evidence.sentence.startswith("On Wednesday, Vladimir Putin touched down")


def test_every_curated_quote_is_extracted_with_its_speaker(
    extracted: Facts, curated: Facts
) -> None:
    got = [(_label(extracted, s.speaker), " ".join(s.text.split())) for s in extracted.statements]
    for s in curated.statements:
        for part in s.text.split(" … "):
            part = " ".join(part.split())
            speaker = _label(curated, s.speaker)
            assert any(who == speaker and part.rstrip(".") in text for who, text in got), (
                f"missing {speaker}: {part[:50]!r}"
            )


def test_medium_and_reporter(extracted: Facts) -> None:
    first = next(s for s in extracted.statements if s.text.startswith("Today, as before"))
    assert _label(extracted, first.medium) == "Rodong Sinmun"
    closest = next(s for s in extracted.statements if s.text.startswith("Their closest"))
    assert _label(extracted, closest.reported_by) == "Guardian"
