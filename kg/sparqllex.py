"""A small SPARQL lexer: strings, IRIs and comments skipped correctly, brace depth tracked.

It parses nothing: it lets the protocol layer and the remote store ask simple questions of a
query text (which SERVICEs it calls, whether it names a dataset, which query form it is)
before the engine sees it.

>>> [t.text for t in tokens('SELECT * { ?s <http://e/p> "a } b" }')]
['SELECT', '*', '{', '?s', '<http://e/p>', '"a } b"', '}']
>>> query_form("PREFIX e: <http://e/> # a comment with ASK\\nCONSTRUCT WHERE { ?s e:p ?o }")
'CONSTRUCT'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:(?:[\w\-:%.\u00B7-\uFFFF]|\\.)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int  # brace depth at the token


def tokens(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (no whitespace, no comments)."""
    out: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        value = m.group()
        if value == "}":
            depth -= 1
        out.append(Token(kind, value, m.start(), depth))
        if value == "{":
            depth += 1
    return out


def has_from(text: str) -> bool:
    """Whether a query names its own dataset with ``FROM``/``FROM NAMED``.

    >>> has_from('SELECT * FROM <http://g/> { ?s ?p ?o }'), has_from('SELECT * { ?s ?p ?o }')
    (True, False)
    """
    return any(t.kind == "word" and t.depth == 0 and t.text.upper() == "FROM" for t in tokens(text))


QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def query_form(text: str) -> str | None:
    """The form of a query (``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK``), or None.

    >>> query_form("BASE <http://e/> select ?x {}"), query_form("INSERT DATA {}")
    ('SELECT', None)
    """
    for t in tokens(text):
        if t.kind == "word" and t.depth == 0 and t.text.upper() in QUERY_FORMS:
            return t.text.upper()
    return None
