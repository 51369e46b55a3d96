"""Query-evaluation, update and syntax tests: run one on a backend, compare with the expected.

Comparison: booleans equal; solution sequences equal as multisets of rows, with every blank
node read as 'some blank node' (order is not checked); graphs equal after blank-node
canonicalization (isomorphism); CSV results compared as text rows.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kg.service.sparqltext import tokens
from tests.conformance.backends import Reply, with_base
from tests.conformance.manifests import Case

RESULTS_MEDIA = {
    ".srx": "application/sparql-results+xml",
    ".srj": "application/sparql-results+json",
    ".tsv": "text/tab-separated-values",
    ".csv": "text/csv",
}


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "unsignedInt",
    )
}


def _term_key(term: object) -> str:
    """How a term is compared: blank nodes alike; numbers and booleans by value and type."""
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC | {XSD + "boolean"}:
        value = term.value.strip()
        try:
            if term.datatype.value == XSD + "boolean":
                value = str(value in ("true", "1"))
            else:
                value = str(Decimal(value).normalize()) if "N" not in value.upper() else value
        except InvalidOperation:
            pass
        return f"{value}^^{term.datatype.value}"
    return str(term)


def _solutions(data: bytes, media: str) -> object:
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.from_media_type(media))
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    names = [v.value for v in parsed.variables]
    rows = Counter(
        frozenset((n, _term_key(row[n])) for n in names if row[n] is not None) for row in parsed
    )
    return frozenset(names), rows


RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"


def _rdf_result_set(path: Path) -> object | None:
    """Solutions written as an RDF ``rs:ResultSet`` (older suites), else None."""
    triples = _read_graph(path)
    by_subject: dict[object, list[ox.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)

    def values(node: object, local: str) -> list:
        return [t.object for t in by_subject.get(node, []) if t.predicate.value == RS + local]

    sets = [
        t.subject
        for t in triples
        if t.predicate.value.endswith("#type") and t.object == ox.NamedNode(RS + "ResultSet")
    ]
    if not sets:
        return None
    rs = sets[0]
    if values(rs, "boolean"):
        return values(rs, "boolean")[0].value == "true"
    names = frozenset(v.value for v in values(rs, "resultVariable"))
    rows: Counter = Counter()
    for solution in values(rs, "solution"):
        rows[
            frozenset(
                (values(b, "variable")[0].value, _term_key(values(b, "value")[0]))
                for b in values(solution, "binding")
            )
        ] += 1
    return names, rows


def _csv_rows(data: bytes) -> tuple[list[str], Counter]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    head, body = rows[0], rows[1:]
    return head, Counter(tuple("_:" if c.startswith("_:") else c for c in r) for r in body)


def canonical(triples: list[ox.Triple]) -> set[ox.Quad]:
    """A graph's triples with blank nodes renamed canonically (isomorphic graphs: equal sets)."""
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(ds)


def _read_graph(path: Path) -> list[ox.Triple]:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    return [q.triple for q in ox.parse(path=str(path), format=fmt, base_iri=path.as_uri())]


def _dataset_files(case: Case, text: str) -> list[tuple[Path, str]]:
    """Files the query names with FROM / FROM NAMED, loaded as graphs named by their IRI."""
    out = []
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t.kind == "word" and t.text.upper() == "FROM":
            j = i + 2 if toks[i + 1].text.upper() == "NAMED" else i + 1
            if toks[j].kind == "iri":
                iri = toks[j].text[1:-1]
                file = case.action.parent / iri if "://" not in iri else None  # type: ignore[union-attr]
                if file is not None and file.exists():
                    out.append((file, file.as_uri()))
    return out


def run_query_case(backend: object, case: Case) -> tuple[bool, str]:
    """Run a QueryEvaluationTest; (passed, why not)."""
    assert case.action is not None and case.result is not None
    text = case.action.read_text(encoding="utf-8")
    backend.reset()  # type: ignore[attr-defined]
    for d in case.data:
        backend.load(d.file, d.graph)  # type: ignore[attr-defined]
    for file, iri in _dataset_files(case, text):
        backend.load(file, iri)  # type: ignore[attr-defined]
    suffix = case.result.suffix
    accept = RESULTS_MEDIA.get(suffix, "application/n-triples")
    if suffix not in RESULTS_MEDIA:  # a graph result
        accept = "application/n-triples, application/sparql-results+json;q=0.5"
    reply: Reply = backend.query(with_base(text, case.action.as_uri()), accept)  # type: ignore[attr-defined]
    if not reply.ok:
        return False, f"status {reply.status}: {reply.body[:200].decode(errors='replace')}"
    expected_bytes = case.result.read_bytes()
    if suffix == ".csv":
        same = _csv_rows(reply.body) == _csv_rows(expected_bytes)
    elif suffix in RESULTS_MEDIA:
        got = _solutions(reply.body, reply.media or accept)
        same = got == _solutions(expected_bytes, RESULTS_MEDIA[suffix])
    elif (expected_rs := _rdf_result_set(case.result)) is not None:
        same = _solutions(reply.body, reply.media) == expected_rs
    else:
        got_triples = [q.triple for q in ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES)]
        same = canonical(got_triples) == canonical(_read_graph(case.result))
    return same, "" if same else "results differ"


def run_update_case(backend: object, case: Case) -> tuple[bool, str]:
    """Run an UpdateEvaluationTest; (passed, why not)."""
    assert case.action is not None
    backend.reset()  # type: ignore[attr-defined]
    for d in case.data:
        backend.load(d.file, d.graph)  # type: ignore[attr-defined]
    text = case.action.read_text(encoding="utf-8")
    reply = backend.update(with_base(text, case.action.as_uri()))  # type: ignore[attr-defined]
    if not reply.ok:
        return False, f"status {reply.status}: {reply.body[:200].decode(errors='replace')}"
    expected_default = [t for d in case.result_data if d.graph is None for t in _read_graph(d.file)]
    if canonical(backend.triples(None)) != canonical(expected_default):  # type: ignore[attr-defined]
        return False, "default graph differs"
    expected_named = {d.graph: d.file for d in case.result_data if d.graph is not None}
    for graph, file in expected_named.items():
        if canonical(backend.triples(graph)) != canonical(_read_graph(file)):  # type: ignore[attr-defined]
            return False, f"graph {graph} differs"
    expected_nonempty = {g for g, f in expected_named.items() if _read_graph(f)}
    extra = backend.graphs() - expected_nonempty  # type: ignore[attr-defined]
    if extra:
        return False, f"unexpected graphs {sorted(extra)}"
    return True, ""


def run_syntax_case(backend: object, case: Case) -> tuple[bool, str]:
    """A positive or negative (update) syntax test: is it rejected as a syntax error?"""
    assert case.action is not None
    text = case.action.read_text(encoding="utf-8", errors="replace")
    backend.reset()  # type: ignore[attr-defined]
    reply = backend.update(with_base(text, case.action.as_uri()))  # type: ignore[attr-defined]
    syntax_error = reply.status == 400 and b"syntax error" in reply.body.lower()
    if "Negative" in case.kind:
        return syntax_error, "" if syntax_error else f"accepted (status {reply.status})"
    return not syntax_error, reply.body[:200].decode(errors="replace") if syntax_error else ""


def run_case(backend: object, case: Case) -> tuple[bool, str]:
    """Run any query/update suite test on a backend."""
    try:
        if case.kind == "QueryEvaluationTest":
            return run_query_case(backend, case)
        if case.kind == "UpdateEvaluationTest":
            return run_update_case(backend, case)
        return run_syntax_case(backend, case)
    except Exception as exc:  # a crash of the harness on one test must not stop the run
        return False, f"{type(exc).__name__}: {exc}"
