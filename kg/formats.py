"""The one table of result and RDF formats: short names, media types, pyoxigraph formats.

>>> RESULT_FORMATS["csv"].media_type
'text/csv'
>>> by_media_type("application/sparql-results+json", RESULT_FORMATS).name
'json'
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.store.base import QueryResult


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    aliases: tuple[str, ...]  # other media types clients send for the same format
    ox_format: ox.QueryResultsFormat | ox.RdfFormat
    extension: str


RESULT_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "json",
            "application/sparql-results+json",
            ("application/json",),
            ox.QueryResultsFormat.JSON,
            "srj",
        ),
        Format(
            "xml",
            "application/sparql-results+xml",
            ("application/xml", "text/xml"),
            ox.QueryResultsFormat.XML,
            "srx",
        ),
        Format("csv", "text/csv", (), ox.QueryResultsFormat.CSV, "csv"),
        Format("tsv", "text/tab-separated-values", (), ox.QueryResultsFormat.TSV, "tsv"),
    )
}
GRAPH_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle", ("application/x-turtle",), ox.RdfFormat.TURTLE, "ttl"),
        Format("ntriples", "application/n-triples", ("text/plain",), ox.RdfFormat.N_TRIPLES, "nt"),
        Format("nquads", "application/n-quads", ("text/x-nquads",), ox.RdfFormat.N_QUADS, "nq"),
        Format("trig", "application/trig", ("application/x-trig",), ox.RdfFormat.TRIG, "trig"),
        Format(
            "jsonld", "application/ld+json", ("application/json",), ox.RdfFormat.JSON_LD, "jsonld"
        ),
        Format(
            "rdfxml",
            "application/rdf+xml",
            ("application/xml", "text/xml"),
            ox.RdfFormat.RDF_XML,
            "rdf",
        ),
    )
}

# The W3C's IRIs for these formats (http://www.w3.org/ns/formats/), for service descriptions.
W3C_FORMAT_IRIS: dict[str, str] = {
    name: "http://www.w3.org/ns/formats/" + local
    for name, local in (
        ("json", "SPARQL_Results_JSON"),
        ("xml", "SPARQL_Results_XML"),
        ("csv", "SPARQL_Results_CSV"),
        ("tsv", "SPARQL_Results_TSV"),
        ("turtle", "Turtle"),
        ("ntriples", "N-Triples"),
        ("nquads", "N-Quads"),
        ("trig", "TriG"),
        ("jsonld", "JSON-LD"),
        ("rdfxml", "RDF_XML"),
    )
}


def by_media_type(media_type: str, table: Mapping[str, Format]) -> Format | None:
    """The format of a table that a media type names (its own or an alias), if any."""
    media_type = media_type.split(";")[0].strip().lower()
    for f in table.values():
        if media_type == f.media_type:
            return f
    for f in table.values():
        if media_type in f.aliases:
            return f
    return None


def serialize_result(result: QueryResult, fmt: Format) -> bytes:
    """Serialize a query result (solutions, boolean, or triples) in ``fmt``."""
    out = io.BytesIO()
    if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        result.serialize(out, fmt.ox_format)  # type: ignore[arg-type]
    else:
        ox.serialize(result, out, fmt.ox_format)  # type: ignore[arg-type]
    return out.getvalue()


def term_text(term: object) -> str:
    """A plain-text cell for a term: an IRI or a literal's lexical form."""
    if term is None:
        return ""
    return term.value if hasattr(term, "value") else str(term)


def solutions_table(result: ox.QuerySolutions) -> str:
    """Solutions as an aligned plain-text table (for the terminal)."""
    names = [v.value for v in result.variables]
    rows = [[term_text(t) for t in row] for row in result]
    widths = [max([len(n), *(min(len(r[i]), 60) for r in rows)]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        shown = (c if len(c) <= 60 else c[:59] + "…" for c in cells)
        return "  ".join(c.ljust(w) for c, w in zip(shown, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
