"""An article's text for its page, with every extracted fact marked where the text is at hand.

Article text is not stored in the graph: a source names its file (``dv:file``), and the text is
read from there when it is readable (``shared:PATH`` resolves under ``KG_SHARED_DIR``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.factfile import source_path

MAX_TEXT_BYTES = 5 * 1024 * 1024


def source_text(file_value: str | None, shared_dir: Path, data_dir: Path) -> str | None:
    """The text of a source's file, or None when it is not a readable UTF-8 text file.

    Relative paths are those of the shipped fact files (``data/facts``).

    >>> source_text(None, Path("/nowhere"), Path("/nowhere")) is None
    True
    """
    if not file_value:
        return None
    path = source_path(file_value, shared_dir, data_dir / "facts")
    try:
        if not path.is_file() or path.stat().st_size > MAX_TEXT_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


@dataclass
class Segment:
    """A run of text, marked when it is the claimed span of one or more facts."""

    text: str
    facts: list[object] = field(default_factory=list)


def mark_spans(text: str, spans: list[tuple[int, int, object]]) -> list[Segment]:
    """Split ``text`` into plain and marked segments; overlapping spans merge into one mark.

    >>> [(s.text, s.facts) for s in mark_spans("abcdef", [(1, 3, "x"), (2, 4, "y")])]
    [('a', []), ('bcd', ['x', 'y']), ('ef', [])]
    """
    out: list[Segment] = []
    pos = 0
    for begin, end, fact in sorted(spans, key=lambda s: (s[0], s[1])):
        begin, end = max(0, min(begin, len(text))), max(0, min(end, len(text)))
        if end <= begin:
            continue
        if out and out[-1].facts and begin < pos:
            # Overlaps the previous mark: extend it.
            if end > pos:
                out[-1].text += text[pos:end]
                pos = end
            out[-1].facts.append(fact)
            continue
        if begin > pos:
            out.append(Segment(text[pos:begin]))
        out.append(Segment(text[begin:end], [fact]))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out
