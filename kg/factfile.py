"""Structured fact files (``data/facts/*.json``): facts written by hand, mapped like any other.

A fact file is the JSON of :class:`kg.model.Facts`. Its evidence gives character offsets
into the source text and leaves ``sentence`` empty: the article text is not the project's to
copy, so the reader takes each sentence from the source file itself. A source named
``shared:PATH`` is read from the shared material folder (``KG_SHARED_DIR``).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from kg.model import Evidence, Facts


class FactFileError(ValueError):
    """A fact file is unreadable, invalid, or does not match its source text."""


def source_path(source: str, shared_dir: Path, base_dir: Path) -> Path:
    """The file a fact file's ``article.source`` names.

    >>> source_path("shared:seeds/a.txt", Path("/s"), Path("/p")).as_posix()
    '/s/seeds/a.txt'
    """
    if source.startswith("shared:"):
        return shared_dir / source.removeprefix("shared:")
    path = Path(source)
    return path if path.is_absolute() else base_dir / path


def fill_evidence(ev: Evidence | None, text: str) -> Evidence | None:
    """The evidence with its sentence taken from ``text`` at its offsets."""
    if ev is None:
        return None
    if ev.end > len(text):
        raise FactFileError(f"evidence offsets {ev.start}-{ev.end} lie past the end of the text")
    if ev.claim_end is not None and not (
        ev.start <= (ev.claim_start or 0) <= ev.claim_end <= ev.end
    ):
        raise FactFileError(f"claimed span {ev.claim_start}-{ev.claim_end} is outside its sentence")
    return ev.model_copy(update={"sentence": text[ev.start : ev.end]})


def read_fact_file(path: Path, shared_dir: Path) -> tuple[Facts, str | None]:
    """Read a fact file and fill its evidence sentences; returns the facts and the source text."""
    try:
        facts = Facts.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FactFileError(f"{path}: cannot read: {exc}") from exc
    except ValidationError as exc:
        raise FactFileError(f"{path}: not a valid fact file: {exc}") from exc
    if not facts.article.source:
        return facts, None
    text_path = source_path(facts.article.source, shared_dir, path.parent)
    try:
        text = text_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FactFileError(
            f"{path}: its source text {text_path} cannot be read ({exc.strerror}); "
            "set KG_SHARED_DIR to the folder holding the shared material"
        ) from exc

    def fill(item):  # type: ignore[no-untyped-def]
        return item.model_copy(update={"evidence": fill_evidence(item.evidence, text)})

    filled = facts.model_copy(
        update={
            name: [fill(item) for item in getattr(facts, name)]
            for name in ("visits", "statements", "meetings", "stances", "roles")
        }
    )
    return filled, text
