"""What the protocol layer needs to know about a query or update text before running it.

A small lexer (strings, IRIs, comments skipped correctly) finds the ``SERVICE`` endpoints a
query calls, and where an update's operations take ``USING``/``WITH`` clauses, so the
protocol's ``using-graph-uri`` parameters can be applied. It parses nothing else: the engine
does that.

>>> service_endpoints('PREFIX w: <https://q.org/> SELECT * { SERVICE w:sparql { ?s ?p ?o } }')
['https://q.org/sparql']
>>> service_endpoints('SELECT * { ?s <http://e/SERVICE> "SERVICE <http://x/>" }')
[]
"""

from __future__ import annotations

from kg.sparqllex import Token, has_from, tokens

__all__ = [
    "Token",
    "UnsafeQueryError",
    "add_using",
    "has_dataset_clause",
    "has_from",
    "load_sources",
    "service_endpoints",
    "tokens",
]


class UnsafeQueryError(ValueError):
    """The text calls a SERVICE this service cannot check (a variable endpoint)."""


def _prefixes(toks: list[Token]) -> dict[str, str]:
    found: dict[str, str] = {}
    for i, t in enumerate(toks[:-2]):
        if t.kind == "word" and t.text.upper() == "PREFIX" and toks[i + 2].kind == "iri":
            found[toks[i + 1].text.rstrip(":").split(":")[0]] = toks[i + 2].text[1:-1]
    return found


def _targets(text: str, keyword: str) -> list[str]:
    """The IRIs after ``keyword [SILENT]`` (prefixed names expanded); a variable raises."""
    toks = tokens(text)
    prefixes = _prefixes(toks)
    found = []
    for i, t in enumerate(toks):
        if t.kind != "word" or t.text.upper() != keyword:
            continue
        j = i + 1
        if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
            j += 1
        if j >= len(toks):
            continue
        target = toks[j]
        if target.kind == "iri":
            found.append(target.text[1:-1])
        elif target.kind == "pname":
            prefix, _, local = target.text.partition(":")
            if prefix not in prefixes:
                raise UnsafeQueryError(f"{keyword} {target.text}: unknown prefix {prefix!r}")
            found.append(prefixes[prefix] + local)
        elif keyword == "SERVICE":  # a variable endpoint is valid SPARQL, and unsafe
            raise UnsafeQueryError(
                f"{keyword} {target.text}: only a fixed IRI is allowed, not a variable"
            )
        # (anything else after LOAD is a syntax error the engine reports)
    return found


def load_sources(text: str) -> list[str]:
    """The IRIs an update's ``LOAD`` operations would fetch.

    >>> load_sources('LOAD SILENT <http://a/x.ttl> INTO GRAPH <http://g/>')
    ['http://a/x.ttl']
    """
    return _targets(text, "LOAD")


def service_endpoints(text: str) -> list[str]:
    """The IRIs of the SERVICE clauses of a query; a variable endpoint raises.

    >>> service_endpoints('SELECT * { SERVICE SILENT <http://a/> {} }')
    ['http://a/']
    """
    return _targets(text, "SERVICE")


def has_dataset_clause(text: str) -> bool:
    """Whether an update names its own dataset (``USING`` or ``WITH``) at the top level.

    >>> has_dataset_clause('WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }')
    True
    """
    return any(
        t.kind == "word" and t.depth == 0 and t.text.upper() in ("USING", "WITH")
        for t in tokens(text)
    )


def add_using(text: str, default: list[str], named: list[str]) -> str:
    """Give every ``... WHERE`` operation of an update the protocol's dataset.

    ``using-graph-uri``/``using-named-graph-uri`` act as USING/USING NAMED clauses of each
    operation that has a WHERE pattern (``DELETE WHERE`` and data operations take none).

    >>> add_using('INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }', ['http://g/'], [])
    'INSERT { ?s ?p 1 } USING <http://g/> WHERE { ?s ?p ?o }'
    """
    clause = "".join(f"USING <{g}> " for g in default) + "".join(
        f"USING NAMED <{g}> " for g in named
    )
    toks = tokens(text)
    cuts = []
    for i, t in enumerate(toks):
        if t.kind == "word" and t.depth == 0 and t.text.upper() == "WHERE":
            before = toks[i - 1] if i else None
            if before is not None and before.kind == "word" and before.text.upper() == "DELETE":
                continue
            cuts.append(t.start)
    for at in reversed(cuts):
        text = text[:at] + clause + text[at:]
    return text
