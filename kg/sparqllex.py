"""A small SPARQL lexer: the significant tokens of a query or update text, with brace depth.

Strings, IRIs and comments are skipped correctly, so a keyword inside a string or an IRI is not
taken for one. It parses nothing else: the engine does that. It lets the protocol layer
(``kg.service.sparqltext``), the named queries (``kg.queries``) and the remote store ask simple
questions of a query text (which SERVICEs it calls, whether it names a dataset, which query
form it is) before the engine sees it.

>>> [t.text for t in tokens('SELECT * { ?s <http://e/p> "a { b" } # }')]
['SELECT', '*', '{', '?s', '<http://e/p>', '"a { b"', '}']
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


def matching_brace(toks: list[Token], open_index: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``open_index`` (ValueError if none).

    >>> toks = tokens("{ { } } x")
    >>> matching_brace(toks, 0)
    3
    """
    close = matching(toks, open_index)
    if close is None:
        raise ValueError("unbalanced braces")
    return close


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


# Words at the top level of a query after which a VALUES block is not the same at the start
# of the WHERE group as at the end (grouping, aggregates).
GROUPING = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "GROUP", "HAVING"}


def matching(toks: list[Token], open_at: int) -> int | None:
    """The index of the ``}`` closing the ``{`` at ``open_at``, or None."""
    depth = toks[open_at].depth
    return next(
        (
            k
            for k in range(open_at + 1, len(toks))
            if toks[k].text == "}" and toks[k].depth == depth
        ),
        None,
    )


def where_group(toks: list[Token]) -> int | None:
    """The index of the ``{`` opening a query's WHERE group, or None."""
    for i, t in enumerate(toks[:-1]):
        if (
            t.kind == "word"
            and t.depth == 0
            and t.text.upper() == "WHERE"
            and toks[i + 1].text == "{"
        ):
            return i + 1
    return next((i for i, t in enumerate(toks) if t.text == "{" and t.depth == 0), None)


def values_first(text: str, block: str) -> str | None:
    """``text`` with a ``VALUES`` block at the start of its WHERE group, where it binds the
    variables before the patterns run; None where that would change the answer (a query
    that groups or aggregates) or there is no WHERE group.

    A trailing ``VALUES`` joins after the whole pattern is evaluated: for ``?place
    dv:locatedIn* ?area`` that is a zero-length path from every node in the store.

    >>> values_first("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", "VALUES ?o { 1 }")
    'SELECT ?s WHERE { VALUES ?o { 1 }\\n ?s ?p ?o } ORDER BY ?s'
    >>> values_first("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "VALUES ?o { 1 }") is None
    True
    """
    toks = tokens(text)
    if GROUPING & {t.text.upper() for t in toks if t.kind == "word" and t.depth == 0}:
        return None
    where = where_group(toks)
    if where is None:
        return None
    at = toks[where].start + 1
    return text[:at] + " " + block + "\n" + text[at:]
