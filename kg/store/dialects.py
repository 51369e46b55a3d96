"""What differs between SPARQL servers, in one table: the remote store asks its dialect.

Every quirk the remote store works around lives here, as data or as a small pure function of
a text, so a new server is a new row, and nothing else in the product knows which server it
talks to. The Virtuoso row is measured against Virtuoso 7.2.5 (Debian ``virtuoso-opensource``);
the QLever and Fuseki rows say what their documentation promises and are not tested here
(see docs/remote-store.md).

>>> VIRTUOSO.fix_results(b'<bnode>nodeID://b10001</bnode>')
b'<bnode>b10001</bnode>'
>>> VIRTUOSO.error_kind(400, "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error")
'syntax'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.sparqllex import Token, matching, tokens, values_first, where_group

# The store's own default graph, on servers whose default graph is the union of all graphs.
DEFAULT_GRAPH_IRI = "urn:x-kg:default"
# New content of a graph is written here first, then moved in one operation (kg/store/remote.py).
STAGING_PREFIX = "urn:x-kg:staging:"
# Where the staging graphs in use are listed (with when they were made), to be swept if left.
STAGING_LEDGER = "urn:x-kg:staging-ledger"
STAGED_AT = "urn:x-kg:stagedAt"

XML_RESULTS = "application/sparql-results+xml"
JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Dialect:
    """How one kind of server is spoken to. Fields are data; methods are pure functions."""

    name: str
    # The store's default graph lives in this named graph when the server has no default graph
    # of its own apart from the union (Virtuoso); None: the server's own default graph.
    default_graph_iri: str | None
    # The server's own graphs (system data), kept out of graph lists, counts and dumps.
    # (Virtuoso's define input:default-graph-exclude / named-graph-exclude pragmas would hide
    # them from queries too, but in 7.2.5 they make joins with GRAPH patterns lose answers.)
    hidden_graphs: tuple[str, ...] = ()
    # Graphs beside a graph describing the service itself (``http://host/sparql``), relative
    # to its host: Virtuoso keeps its WebDAV metadata in ``http://host/DAV/``.
    service_companions: tuple[str, ...] = ()
    # Union of all graphs when no dataset is given: None = the server does it already without
    # FROM; else the IRI to pass as default-graph-uri (Fuseki/TDB: urn:x-arq:UnionGraph).
    union_graph_iri: str | None = None
    results_media: str = XML_RESULTS
    graph_media: str = N_TRIPLES
    # The server's own time limit: parameter name and how many units a second has.
    timeout_param: str | None = None
    timeout_per_second: float = 1.0
    # A response header (name, value) saying "the answer is partial: the time limit hit".
    partial_header: tuple[str, str] | None = None
    # INSERT DATA: triples per GRAPH block (the parser's limit) and bytes per request.
    block_triples: int = 10_000
    request_bytes: int = 8 << 20
    insert_data_bnodes: bool = True
    # Graph Store Protocol writes (one N-Triples chunk per request): bytes per chunk.
    gsp_chunk_bytes: int = 8 << 20
    # Error patterns in a server's error text, in order: (regex, kind). Kinds: syntax, retry,
    # timeout; anything else is a failed operation.
    error_patterns: tuple[tuple[str, str], ...] = ()
    # Where a server's message stops being useful (Virtuoso echoes the whole query after it).
    message_end: str | None = None
    # Characters a server cannot store in a literal (Virtuoso cuts a string at NUL).
    forbidden_in_literals: str = ""
    # SPARQL 1.1 graph management (MOVE, ADD, DROP); without it the same single operations
    # are written as DELETE/INSERT ... WHERE (QLever has none of them).
    graph_operations: bool = True
    # Update URL and Graph Store URL from the query URL (anonymous, with a user).
    update_path: Callable[[str, bool], str] = lambda url, auth: url
    graph_store_path: Callable[[str, bool], str | None] = lambda url, auth: None
    # Rewrites of a query's text before it is sent, in order (see rewrite_query).
    query_rewrites: tuple[Callable[[str], str], ...] = ()
    # A fix of result bytes (body, media type) so that they read as the embedded store's.
    result_fix: Callable[[bytes, str], bytes] | None = None
    # A rewrite of an update (text, the visible graphs, default_graph_iri); see rewrite_update.
    update_rewrite: Callable[[str, Callable[[], list[str]], str | None], str] | None = None

    # --------------------------------------------------------------------------- queries

    def prologue(self, base_iri: str | None = None) -> str:
        """What goes before a query's or update's own text (its BASE).

        >>> VIRTUOSO.prologue("http://b/")
        'BASE <http://b/> '
        """
        return f"BASE <{base_iri}> " if base_iri else ""

    def rewrite_query(self, text: str) -> str:
        """A query as this server must receive it to answer what the embedded store does.

        Virtuoso 7.2 joins a trailing ``VALUES`` block after projection (a variable not
        selected is "No column"), so the block moves to the start of the WHERE group,
        which means the same where no grouping or aggregate is involved. And a
        zero-or-more path (``?place dv:locatedIn* ?area``) stops constraining its ends
        when the pattern it joins holds two OPTIONALs (Kim's visit to Moscow among the
        "visits to Pyongyang"), so such a path goes into a sub-select of its own, with a
        copy of the WHERE group's leading ``VALUES`` block to start from.

        >>> VIRTUOSO.rewrite_query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s VALUES ?o { 1 }")
        'SELECT ?s WHERE { VALUES ?o { 1 }\\n ?s ?p ?o } ORDER BY ?s '
        >>> VIRTUOSO.rewrite_query("SELECT * { VALUES ?a { 1 } ?p <http://e/in>* ?a . ?v ?q ?p }")
        ... # doctest: +NORMALIZE_WHITESPACE
        'SELECT * { VALUES ?a { 1 } { SELECT DISTINCT ?p ?a WHERE { VALUES ?a { 1 }
         ?p <http://e/in>* ?a } } ?v ?q ?p }'
        """
        for rewrite in self.query_rewrites:
            text = rewrite(text)
        return text

    def dataset_params(
        self,
        default_graph: list[str] | None,
        named_graphs: list[str] | None,
        union_default: bool,
        own_from: bool,
    ) -> list[tuple[str, str]]:
        """The protocol parameters that give a query the dataset the embedded store would.

        ``""`` in ``default_graph`` is the store's default graph.

        >>> VIRTUOSO.dataset_params(None, None, False, False)
        [('default-graph-uri', 'urn:x-kg:default')]
        >>> VIRTUOSO.dataset_params(None, None, True, False)
        []
        """
        params: list[tuple[str, str]] = []
        own = self.default_graph_iri or ""
        if default_graph is not None:
            params += [("default-graph-uri", g or own) for g in default_graph if g or own]
        elif not own_from:
            if union_default and self.union_graph_iri:
                params.append(("default-graph-uri", self.union_graph_iri))
            elif not union_default and self.default_graph_iri:
                params.append(("default-graph-uri", self.default_graph_iri))
        params += [("named-graph-uri", g) for g in named_graphs or ()]
        return params

    def timeout_params(self, timeout_s: float | None) -> list[tuple[str, str]]:
        """The server's own time limit for one request.

        >>> VIRTUOSO.timeout_params(2.5)
        [('timeout', '2500')]
        """
        if self.timeout_param is None or timeout_s is None:
            return []
        return [(self.timeout_param, str(max(1, round(timeout_s * self.timeout_per_second))))]

    def partial(self, headers: dict[str, str]) -> bool:
        """Whether a 200 answer is cut short by the server's time limit (Virtuoso S1TAT)."""
        if self.partial_header is None:
            return False
        name, value = self.partial_header
        return headers.get(name, "").strip().upper() == value

    def fix_results(self, body: bytes, media: str = XML_RESULTS) -> bytes:
        """Result bytes as the embedded store would give them: Virtuoso names blank nodes
        ``nodeID://b1``, and writes every ``xsd:dateTime`` with six fraction digits
        (``09.986950Z`` for the canonical ``09.98695Z``).

        In SPARQL XML results a ``<bnode>`` tag cannot occur inside a value (``<`` is
        escaped there), nor a ``"`` inside a dateTime, so the replacements are exact.

        >>> dt = b'"2024-01-02T03:04:05.120000Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>'
        >>> VIRTUOSO.fix_results(dt, N_TRIPLES)[:26]
        b'"2024-01-02T03:04:05.12Z"^'

        """
        return self.result_fix(body, media) if self.result_fix else body

    # --------------------------------------------------------------------------- errors

    def error_kind(self, status: int, text: str) -> str:
        """``syntax``, ``retry`` (deadlock: try again), ``timeout``, ``unavailable`` or
        ``failed`` for an error answer."""
        for pattern, kind in self.error_patterns:
            if re.search(pattern, text):
                return kind
        if status in (502, 503, 504):
            return "unavailable"
        return "failed"

    def error_message(self, text: str) -> str:
        """The useful part of a server's error text, on one line.

        >>> VIRTUOSO.error_message("Virtuoso 22012 Error SR084: Division by 0.\\nSPARQL query:\\nx")
        'Virtuoso 22012 Error SR084: Division by 0.'
        """
        if self.message_end and self.message_end in text:
            text = text.split(self.message_end, 1)[0]
        text = re.sub(r"<[^>]+>", " ", text) if text.lstrip().startswith("<") else text
        return " ".join(text.split())[:500] or "(no message)"

    # --------------------------------------------------------------------------- updates

    def rewrite_update(self, text: str, graphs: Callable[[], list[str]]) -> str:
        """An update as this server must receive it to do what the embedded store does.

        Virtuoso: operations on the default graph go to :data:`DEFAULT_GRAPH_IRI` (a
        pragma); ``DROP GRAPH`` is ``DROP SILENT GRAPH`` (Virtuoso refuses to drop a graph
        it did not see created, though its triples exist); ``DROP``/``CLEAR`` of ``ALL``
        or ``NAMED`` names the visible graphs (``graphs()``), so the server's own graphs
        survive; ``INSERT DATA`` with blank nodes becomes ``INSERT {...} WHERE {}``
        (Virtuoso refuses blank nodes in data blocks).

        >>> VIRTUOSO.rewrite_update("INSERT DATA { _:b <http://e/p> 1 }", list)
        'define input:default-graph-uri <urn:x-kg:default> INSERT  { _:b <http://e/p> 1 } WHERE { }'
        """
        if self.update_rewrite is None:
            return text
        return self.update_rewrite(text, graphs, self.default_graph_iri)

    def move(self, source: str, target: str) -> str:
        """One operation: ``target`` becomes what ``source`` holds, ``source`` goes.

        >>> QLEVER.move("urn:s", "urn:t").startswith("DELETE { GRAPH ?old")
        True
        """
        if self.graph_operations:
            return f"MOVE <{source}> TO <{target}>"
        return (
            "DELETE { GRAPH ?old { ?s ?p ?o } GRAPH ?staged { ?s ?p ?o } } "
            "INSERT { GRAPH ?new { ?s ?p ?o } } WHERE { "
            f"{{ GRAPH <{target}> {{ ?s ?p ?o }} BIND(<{target}> AS ?old) }} UNION "
            f"{{ GRAPH <{source}> {{ ?s ?p ?o }} BIND(<{source}> AS ?staged) "
            f"BIND(<{target}> AS ?new) }} }}"
        )

    def drop(self, graph: str) -> str:
        """One operation removing a graph, quietly when it does not exist."""
        if self.graph_operations:
            return f"DROP SILENT GRAPH <{graph}>"
        return f"DELETE WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"

    def add(self, pairs: list[tuple[str, str]]) -> str:
        """One operation adding each (source, target) graph's triples to the target."""
        if len(pairs) == 1 and self.graph_operations:
            ((source, target),) = pairs
            return f"ADD <{source}> TO <{target}>"
        # (A VALUES block of pairs would be shorter; Virtuoso fails on it beside GRAPH ?g.)
        branches = " UNION ".join(
            f"{{ GRAPH <{s}> {{ ?s ?p ?o }} BIND(<{t}> AS ?target) }}" for s, t in pairs
        )
        return f"INSERT {{ GRAPH ?target {{ ?s ?p ?o }} }} WHERE {{ {branches} }}"

    def server_graphs(self, descriptions: Iterable[str]) -> list[str]:
        """The server's own graphs, given the graphs describing the service itself.

        >>> VIRTUOSO.server_graphs(["http://h:1/sparql"])
        ['http://h:1/sparql', 'http://h:1/DAV/']
        """
        out = []
        for g in descriptions:
            out.append(g)
            base = g.rsplit("/", 1)[0] + "/"
            out += [base + c for c in self.service_companions]
        return out

    def check_literal(self, value: str) -> str | None:
        """Why a literal cannot be stored on this server as it is, or None."""
        bad = [c for c in self.forbidden_in_literals if c in value]
        if bad:
            names = ", ".join(f"U+{ord(c):04X}" for c in bad)
            return f"{self.name} cannot store a literal holding {names}: {value[:40]!r}"
        return None


# An xsd:dateTime and its fraction of a second, in XML results and in N-Triples.
_DATETIME = {
    XML_RESULTS: re.compile(
        rb'(<literal datatype="http://www\.w3\.org/2001/XMLSchema#dateTime">)'
        rb"(\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d+)([^<]*)(?=</literal>)"
    ),
    N_TRIPLES: re.compile(
        rb'(")(\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d+)([^"]*)'
        rb'(?="\^\^<http://www\.w3\.org/2001/XMLSchema#dateTime>)'
    ),
}


def _canonical_datetime(m: re.Match[bytes]) -> bytes:
    fraction = m[3].rstrip(b"0")
    return m[1] + m[2] + (b"." + fraction if fraction else b"") + m[4]


def _inline_trailing_values(text: str) -> str:
    """Move a query's trailing ``VALUES`` block into its WHERE group (see
    :meth:`Dialect.rewrite_query`); unchanged when it has none or groups/aggregates."""
    if "values" not in text.lower():
        return text
    toks = tokens(text)
    where = where_group(toks)
    close = matching(toks, where) if where is not None else None
    if close is None:
        return text
    start = next(
        (
            k
            for k in range(close + 1, len(toks))
            if toks[k].kind == "word" and toks[k].depth == 0 and toks[k].text.upper() == "VALUES"
        ),
        None,
    )
    if start is None:
        return text
    block_close = _block_end(toks, start)
    if block_close is None:
        return text
    begin, end = toks[start].start, toks[block_close].start + 1
    moved = values_first(text[:begin] + text[end:], text[begin:end])
    return text if moved is None else moved


TERM_KINDS = ("var", "iri", "pname")


def _block_end(toks: list[Token], k: int) -> int | None:
    """The index of the ``}`` closing the first ``{`` at or after ``k`` (a VALUES block)."""
    block_open = next((i for i in range(k, len(toks)) if toks[i].text == "{"), None)
    return matching(toks, block_open) if block_open is not None else None


def _isolate_star_paths(text: str) -> str:
    """Wrap each ``S p* O`` triple of the WHERE group in a sub-select (see
    :meth:`Dialect.rewrite_query`); unchanged when there is none."""
    if "*" not in text:
        return text
    toks = tokens(text)
    where = where_group(toks)
    if where is None:
        return text
    inner = toks[where].depth + 1
    lead = ""  # the group's leading VALUES block, if any
    if where + 1 < len(toks) and toks[where + 1].text.upper() == "VALUES":
        block_close = _block_end(toks, where + 1)
        if block_close is not None:
            lead = text[toks[where + 1].start : toks[block_close].start + 1] + " "
    edits = []
    for i in range(where + 1, len(toks) - 3):
        s, p, star, o = toks[i : i + 4]
        if not (
            s.depth == p.depth == star.depth == o.depth == inner
            and s.kind in TERM_KINDS
            and p.kind in ("iri", "pname")
            and star.text == "*"
            and o.kind in TERM_KINDS
            and (i == 0 or toks[i - 1].text in ("{", ".", "}"))
        ):
            continue
        end = o.start + len(o.text)
        if i + 4 < len(toks) and toks[i + 4].text == ".":
            end = toks[i + 4].start + 1
        names = " ".join(dict.fromkeys(t.text for t in (s, o) if t.kind == "var")) or "*"
        path = text[s.start : o.start + len(o.text)]
        edits.append((s.start, end, f"{{ SELECT DISTINCT {names} WHERE {{ {lead}{path} }} }}"))
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text


def _next_word(toks: list[Token], i: int) -> str:
    return toks[i + 1].text.upper() if i + 1 < len(toks) and toks[i + 1].kind == "word" else ""


def _drop_edits(
    toks: list[Token],
    i: int,
    text: str,
    graphs: Callable[[], list[str]],
    default_iri: str | None,
) -> list[tuple[int, int, str]]:
    """Rewrites of one ``DROP``/``CLEAR`` operation (see :meth:`Dialect.rewrite_update`)."""
    verb = toks[i].text.upper()
    j = i + 1
    if _next_word(toks, i) == "SILENT":
        j += 1
    if j >= len(toks):
        return []
    target = toks[j].text.upper()
    if target in ("GRAPH", "DEFAULT") and j == i + 1:  # DROP GRAPH -> DROP SILENT GRAPH
        return [(toks[i].start, toks[i].start + len(toks[i].text), f"{verb} SILENT")]
    if target in ("ALL", "NAMED"):
        names = [*graphs(), *([default_iri] if target == "ALL" and default_iri else [])]
        ops = " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in names)
        # Nothing to drop is still an operation: an empty-pattern DELETE WHERE does nothing.
        end = toks[j].start + len(toks[j].text)
        return [(toks[i].start, end, ops or "DELETE WHERE { }")]
    return []


def _bnode_insert_edits(toks: list[Token], i: int, text: str) -> list[tuple[int, int, str]]:
    """``INSERT DATA {...}`` holding blank nodes -> ``INSERT {...} WHERE {}``."""
    open_at = next((k for k in range(i + 2, len(toks)) if toks[k].text == "{"), None)
    if open_at is None:
        return []
    close_at = matching(toks, open_at)
    if close_at is None:
        return []
    inner = toks[open_at + 1 : close_at]
    # The lexer reads a blank node label "_:b" as the word "_" and the name ":b".
    if not any(
        t.text == "[" or (t.text == "_" and u.text.startswith(":"))
        for t, u in itertools.pairwise(inner)
    ):
        return []
    data_word = toks[i + 1]
    end = toks[close_at].start + 1
    return [
        (toks[close_at].start, end, "} WHERE { }"),
        (data_word.start, data_word.start + len(data_word.text), ""),
    ]


def _virtuoso_update_text(
    text: str, graphs: Callable[[], list[str]], default_graph_iri: str | None
) -> str:
    toks = tokens(text)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    for i, t in enumerate(toks):
        if t.kind != "word" or t.depth != 0:
            continue
        word = t.text.upper()
        if word in ("DROP", "CLEAR"):
            edits += _drop_edits(toks, i, text, graphs, default_graph_iri)
        elif word == "INSERT" and _next_word(toks, i) == "DATA":
            edits += _bnode_insert_edits(toks, i, text)
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return f"define input:default-graph-uri <{default_graph_iri}> " + text


def _virtuoso_results(body: bytes, media: str) -> bytes:
    body = body.replace(b"<bnode>nodeID://", b"<bnode>")
    pattern = _DATETIME.get(media)
    return pattern.sub(_canonical_datetime, body) if pattern else body


def _virtuoso_update(url: str, auth: bool) -> str:
    return re.sub(r"/sparql/?$", "/sparql-auth", url) if auth else url


def _virtuoso_gsp(url: str, auth: bool) -> str:
    return re.sub(r"/sparql(-auth)?/?$", "/sparql-graph-crud" + ("-auth" if auth else ""), url)


def _fuseki_path(name: str) -> Callable[[str, bool], str]:
    return lambda url, auth: re.sub(r"/(sparql|query)/?$", f"/{name}", url)


VIRTUOSO = Dialect(
    name="virtuoso",
    default_graph_iri=DEFAULT_GRAPH_IRI,
    hidden_graphs=(
        "http://www.openlinksw.com/schemas/virtrdf#",  # quad map metadata
        "http://www.w3.org/ns/ldp#",
    ),
    service_companions=("DAV/",),
    # JSON results give booleans as 1/0 and literals as "typed-literal": XML is exact.
    results_media=XML_RESULTS,
    graph_media=N_TRIPLES,
    timeout_param="timeout",  # milliseconds; the answer is then partial, flagged S1TAT
    timeout_per_second=1000.0,
    partial_header=("x-sql-state", "S1TAT"),
    block_triples=2_000,  # its parser runs out of stack near 5,000 triples per block
    request_bytes=4 << 20,  # it refuses a SPARQL text over 10 MB
    insert_data_bnodes=False,
    error_patterns=(
        (r"\bSP030\b", "syntax"),
        (r"\b40001\b", "retry"),  # SR172 transaction deadlocked
        (r"\bS1T00\b|\bS1TAT\b", "timeout"),
    ),
    message_end="SPARQL query:",
    forbidden_in_literals="\x00",
    update_path=_virtuoso_update,
    graph_store_path=_virtuoso_gsp,
    query_rewrites=(_inline_trailing_values, _isolate_star_paths),
    result_fix=_virtuoso_results,
    update_rewrite=_virtuoso_update_text,
)

FUSEKI = Dialect(
    name="fuseki",
    default_graph_iri=DEFAULT_GRAPH_IRI,  # kept out of TDB's union graph like any other
    union_graph_iri="urn:x-arq:UnionGraph",
    results_media=JSON_RESULTS,
    timeout_param="timeout",  # seconds (Fuseki's own timeout parameter)
    timeout_per_second=1.0,
    error_patterns=((r"(?i)parse error|lexical error|encountered", "syntax"),),
    update_path=_fuseki_path("update"),
    graph_store_path=_fuseki_path("data"),
)

QLEVER = Dialect(
    name="qlever",
    default_graph_iri=DEFAULT_GRAPH_IRI,  # its default graph is the union of all graphs
    results_media=JSON_RESULTS,
    error_patterns=((r"(?i)invalid sparql|parse", "syntax"),),
    graph_operations=False,  # no MOVE, ADD, COPY, CLEAR, CREATE, LOAD
    # Queries, updates and the Graph Store all at the server's root; writes need its access
    # token (KG_STORE_AUTH=bearer, KG_STORE_PASSWORD=token).
    update_path=lambda url, auth: url,
    graph_store_path=lambda url, auth: url,
)

GENERIC = Dialect(name="generic", default_graph_iri=DEFAULT_GRAPH_IRI)

DIALECTS = {d.name: d for d in (VIRTUOSO, FUSEKI, QLEVER, GENERIC)}


def dialect_for_server(server_header: str) -> Dialect:
    """The dialect a ``Server`` response header names (generic when unknown).

    >>> dialect_for_server("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu").name
    'virtuoso'
    """
    header = server_header.lower()
    for name in ("virtuoso", "fuseki", "qlever"):
        if name in header:
            return DIALECTS[name]
    return GENERIC
