"""A small SPARQL lexer: the significant tokens of a query or update text, with brace depth.

Strings, IRIs and comments are skipped correctly, so a keyword inside a string or an IRI is not
taken for one. It parses nothing else: the engine does that. Used by the protocol layer
(``kg.service.sparqltext``) and by the named queries (``kg.queries``).

>>> [t.text for t in tokens('SELECT * { ?s <http://e/p> "a { b" } # }')]
['SELECT', '*', '{', '?s', '<http://e/p>', '"a { b"', '}']
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


def matching_brace(toks: list[Token], open_index: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``open_index``.

    >>> toks = tokens("{ { } } x")
    >>> matching_brace(toks, 0)
    3
    """
    depth = toks[open_index].depth
    for j in range(open_index + 1, len(toks)):
        if toks[j].text == "}" and toks[j].depth == depth:
            return j
    raise ValueError("unbalanced braces")
