"""Article input: plain text, HTML pages and JSON lines become one :class:`Document` each.

A document keeps the text exactly as read (evidence offsets point into it), where its body
begins, its title and its dateline. The dateline is taken from the first lines when present:
a ``published: YYYY-MM-DD`` header, a date line ("Wednesday, 06 November 2024"), or a
wire dateline ("MOSCOW, March 2 -") whose day wins over the publication date.

>>> d = read_text("Tuesday, 5 March 2024\\n\\nLeaders meet\\n\\nThe president said it was fine.")
>>> d.dateline, d.title, d.text[d.body_start:d.body_start + 3]
('2024-03-05', 'Leaders meet', 'The')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from kg.extract.dates import MONTHS, parse_date_line

MAX_BYTES = 2 * 1024 * 1024
# Words that make up a large share of any English running text.
ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "he",
        "it",
        "as",
        "at",
        "by",
        "from",
        "his",
        "be",
        "has",
        "have",
        "are",
        "were",
        "said",
        "not",
        "this",
        "an",
        "but",
        "which",
        "after",
        "who",
        "they",
        "their",
        "will",
        "its",
        "had",
        "been",
        "or",
        "would",
        "also",
        "we",
        "you",
        "she",
        "her",
        "him",
        "them",
        "our",
        "more",
        "can",
        "if",
        "about",
        "there",
        "what",
        "when",
        "into",
        "than",
        "then",
        "now",
        "only",
        "new",
    ]
)
PUBLISHED_RE = re.compile(r"published:\s*(\d{4}-\d{2}-\d{2})\b")
WIRE_RE = re.compile(
    r"^[\s*]*(?P<place>[A-Z][A-Z .'-]{1,40}),\s+(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})"
    r"\s*(?:-|–|—)"
)


class ReaderError(ValueError):
    """The input is not an article the extractor can read (empty, binary, not English...)."""


@dataclass(frozen=True)
class Document:
    """One article: its text as read, where the body starts, title, dateline, source."""

    text: str
    body_start: int = 0
    title: str | None = None
    dateline: str | None = None
    source: str | None = None
    dateline_place: str | None = None

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


def decode(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """Bytes to text, refusing what is too large or not text.

    >>> decode(b"\\x00\\x01binary")
    Traceback (most recent call last):
    ...
    kg.extract.reader.ReaderError: the input is binary, not text
    """
    if len(data) > max_bytes:
        raise ReaderError(f"the input is {len(data)} bytes, over the limit of {max_bytes}")
    if b"\x00" in data[:8192]:
        raise ReaderError("the input is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReaderError(
            f"the input is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc


def check_article(text: str, max_bytes: int = MAX_BYTES) -> None:
    """Refuse text that is empty, too large, binary or not English (raises ReaderError)."""
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise ReaderError(f"the article is over the size limit of {max_bytes} bytes")
    if not text.strip():
        raise ReaderError("the article is empty")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise ReaderError("the input is binary, not text")
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 3:
        raise ReaderError("the article has no running text (fewer than three words)")
    common = sum(1 for w in words if w in ENGLISH)
    # Short texts need only one common word; longer ones a steady share of them.
    if common == 0 or (len(words) >= 30 and common / len(words) < 0.08):
        raise ReaderError("the article does not look like English text")


# A dateline that names only the place: "HONOLULU --", "PRAGUE, Czech Republic —",
# "BEIJING (Reuters) –", "NEW DELHI:".
WIRE_PLACE_RE = re.compile(
    r"^[\s*]*(?P<place>[A-Z][A-Z.'-]+(?:[ ][A-Z][A-Z.'-]+){0,3})(?:,[ ]+[A-Z][\w.' -]{1,40}?)?"
    r"[ ]*(?:\([^)\n]{1,40}\)[ ]*)?(?:--|-|–|—|:)[ ]"
)


# Capitalised labels that open a body as a dateline would, naming no place.
NOT_PLACES = frozenset(
    [
        "BREAKING",
        "UPDATE",
        "UPDATED",
        "EXCLUSIVE",
        "WATCH",
        "LIVE",
        "ANALYSIS",
        "OPINION",
        "EDITORIAL",
        "NOTE",
        "CORRECTION",
        "REVIEW",
        "INTERVIEW",
        "PHOTOS",
    ]
)


def _wire_dateline(line: str, year: int | None) -> tuple[str | None, str | None]:
    """The day and the place a wire dateline opening the body gives, each None if not.

    >>> _wire_dateline("PRAGUE, Czech Republic — President X said", 2024)
    (None, 'Prague')
    >>> _wire_dateline("BEIJING (Reuters) – China said", 2024), _wire_dateline("US-led talks", 2024)
    ((None, 'Beijing'), (None, None))
    >>> _wire_dateline("BREAKING: The talks failed", 2024)
    (None, None)
    """
    m = WIRE_RE.match(line)
    if not m:
        only = WIRE_PLACE_RE.match(line)
        word = only["place"] if only else ""
        place = word.title() if len(word) >= 3 and word not in NOT_PLACES else None
        return None, place
    if year is None:
        return None, None
    month = MONTHS.get(m["month"].lower()[:3])
    if month is None:
        return None, m["place"].strip().title()
    try:
        day = date(year, month, int(m["day"]))
    except ValueError:
        return None, None
    return day.isoformat(), m["place"].strip().title()


def check_dateline(value: object, where: str = "the article") -> None:
    """Raise ReaderError unless a given dateline is ``YYYY``, ``YYYY-MM`` or a real date.

    >>> check_dateline("2024-02-30")
    Traceback (most recent call last):
    ...
    kg.extract.reader.ReaderError: the article: dateline '2024-02-30' is not YYYY-MM-DD
    """
    if value is None:
        return
    text = str(value)
    ok = re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?", text) is not None
    if ok and len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:
            ok = False
    if not ok:
        raise ReaderError(f"{where}: dateline {value!r} is not YYYY-MM-DD")


def read_text(
    text: str,
    *,
    dateline: str | None = None,
    title: str | None = None,
    source: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Document:
    """Read a plain-text article; ``dateline``/``title`` given here win over the text's own."""
    check_dateline(dateline)
    check_article(text, max_bytes)
    text = primary_quotes(tex_quotes(text))
    pos = 0
    found_date: str | None = None
    found_title: str | None = None
    # Header lines: a comment header, a date line, a title; then the body begins.
    for _ in range(6):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].strip()
        if not line:
            if end >= len(text):
                break
            pos = end + 1
            continue
        if line.startswith("#"):
            m = PUBLISHED_RE.search(line)
            found_date = found_date or (m.group(1) if m else None)
        elif found_date is None and (day := parse_date_line(line)):
            found_date = day
        elif found_title is None and _is_title(line, text, end):
            found_title = line
        else:
            break
        pos = end + 1
    body_start = min(pos, len(text))
    first = text[body_start : body_start + 200].lstrip()
    year = int((dateline or found_date or "0")[:4]) or None
    wire_day, wire_place = _wire_dateline(first, year)
    if not text[body_start:].strip():
        # Only header lines: the whole text is the body.
        body_start, found_title = 0, None
    return Document(
        text=text,
        body_start=body_start,
        title=title or found_title,
        dateline=dateline or wire_day or found_date,
        source=source,
        dateline_place=wire_place,
    )


def tex_quotes(text: str) -> str:
    """Wire copy of the 1980s and 1990s writes quotes as ``...'': the same text with straight
    double quotes, of the same length (so offsets into it stay those of the original).

    >>> tex_quotes("``We will go,'' he said.")
    ' "We will go,"  he said.'
    >>> tex_quotes("The rock 'n' roll show")
    "The rock 'n' roll show"
    """
    if "``" not in text:
        return text
    return text.replace("``", ' "').replace("''", '" ')


# Two apostrophes as a quote mark ("''We will go,'' he said"): opening after a space.
DOUBLED_APOSTROPHES = re.compile(r"(?P<open>(?:^|(?<=[\s(\[]))''(?=\S))|(?<=\S)''", re.MULTILINE)
# A single quote that opens (at a word's start, before a word) and one that closes (after a
# word or a stop, before no letter): "don't" and "Trump's" are neither.
SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–]))['‘](?=[\w\[(…])", re.MULTILINE)
SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?…)\]])['’](?![\w])")


def primary_quotes(text: str) -> str:
    """The same text, of the same length, with its quotes in double marks, for copy that
    quotes in other marks: two apostrophes ("''...''", as old wire copy does), or single marks
    ("‘...’" or "'...'", as British and many translated outlets do) when the text holds no
    double mark at all (else single marks are quotes inside quotes, and stay).

    >>> primary_quotes("Roe said, ''We will go,'' at noon.")
    'Roe said,  "We will go,"  at noon.'
    >>> primary_quotes("‘We’ll go,’ Lula said. ‘Don’t wait.’")
    '“We’ll go,” Lula said. “Don’t wait.”'
    >>> print(primary_quotes("'The players' union agreed,' she said, 'and the clubs' too.'"))
    "The players' union agreed," she said, "and the clubs' too."
    >>> primary_quotes('He said "the ‘fringe’ ones" left.')
    'He said "the ‘fringe’ ones" left.'
    """
    if "''" in text:
        text = DOUBLED_APOSTROPHES.sub(lambda m: ' "' if m.group("open") else '" ', text)
    if any(c in text for c in '"“”'):
        return text
    out = list(text)
    for para in re.finditer(r"[^\n]+", text):
        opens = [m.start() for m in SINGLE_OPEN.finditer(para.group(0))]
        closes = [m.start() for m in SINGLE_CLOSE.finditer(para.group(0))]
        at = -1
        for o in opens:
            if o <= at:
                continue
            # The first closing mark after a stop or comma before the next opening one, else
            # the first: an apostrophe ending a plural ("players'") is seldom after a stop.
            nxt = next((x for x in opens if x > o), len(para.group(0)))
            ends = [c for c in closes if o < c < nxt]
            if not ends:
                continue
            stops = [c for c in ends if para.group(0)[c - 1] in ",.!?…"]
            c = (stops or ends)[0]
            out[para.start() + o] = "“" if text[para.start() + o] == "‘" else '"'
            out[para.start() + c] = "”" if text[para.start() + c] == "’" else '"'
            at = c
    return "".join(out)


def _is_title(line: str, text: str, end: int) -> bool:
    # A title is a short line without a final full stop, followed by a blank line.
    follows_blank = text[end : end + 3].startswith(("\n\n", "\n\r\n", "\n \n")) or end >= len(text)
    return len(line) < 200 and not line.endswith((".", '"', "”")) and follows_blank


def read_html(html: str, *, source: str | None = None, dateline: str | None = None) -> Document:
    """Main text, title and date of an HTML page (trafilatura)."""
    import trafilatura

    if not html.strip():
        raise ReaderError("the page is empty")
    result = trafilatura.bare_extraction(html, url=source, with_metadata=True, favor_recall=True)
    if result is None:
        raise ReaderError("no article text found in the HTML page")
    data = result if isinstance(result, dict) else result.as_dict()
    text = (data.get("text") or "").strip()
    if not text:
        raise ReaderError("no article text found in the HTML page")
    page_date = data.get("date")
    page_date = page_date[:10] if page_date and re.match(r"\d{4}-\d{2}-\d{2}", page_date) else None
    doc = read_text(text, dateline=dateline or page_date, source=source)
    return replace(doc, title=data.get("title") or doc.title)


def looks_like_html(text: str) -> bool:
    """Whether a text is an HTML page rather than plain text.

    >>> looks_like_html("<!DOCTYPE html><html><body>x</body></html>"), looks_like_html("a < b")
    (True, False)
    """
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def read_record(record: dict, *, where: str = "record") -> Document:
    """One JSON record ``{text, title?, dateline?, url?}`` (or ``html`` instead of text)."""
    if not isinstance(record, dict):
        raise ReaderError(f"{where}: a JSON object is expected")
    text, html = record.get("text"), record.get("html")
    url = record.get("url") or record.get("source")
    for name in ("title", "url", "source"):
        if record.get(name) is not None and not isinstance(record[name], str):
            raise ReaderError(f"{where}: {name!r} must be a string")
    dateline = record.get("dateline") or record.get("date") or None
    check_dateline(dateline, where)
    if not isinstance(text, str) and not isinstance(html, str):
        raise ReaderError(f"{where}: no 'text' string")
    try:
        if not isinstance(text, str):
            return read_html(html, source=url, dateline=dateline)  # type: ignore[arg-type]
        return read_text(text, dateline=dateline, title=record.get("title") or None, source=url)
    except ReaderError as exc:  # the text's own problem, said of this record
        raise ReaderError(f"{where}: {exc}") from None


def read_jsonl(lines: Iterable[str], source: str = "-") -> Iterator[Document | ReaderError]:
    """Each non-blank line of a JSON-lines file as a Document, or the error that line has."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReaderError(f"{where}: not JSON ({exc.msg})")
            continue
        except RecursionError:
            yield ReaderError(f"{where}: JSON nested too deeply")
            continue
        try:
            doc = read_record(record, where=where)
        except ReaderError as exc:
            yield exc if str(exc).startswith(where) else ReaderError(f"{where}: {exc}")
            continue
        yield doc if doc.source else replace(doc, source=where)


def read_any(
    data: bytes,
    *,
    source: str | None = None,
    dateline: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Document:
    """One article from bytes: HTML or plain text, sniffed."""
    text = decode(data, max_bytes)
    if looks_like_html(text):
        return read_html(text, source=source, dateline=dateline)
    return read_text(text, dateline=dateline, source=source, max_bytes=max_bytes)
