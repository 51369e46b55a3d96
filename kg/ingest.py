"""The one place that composes the stages: facts -> mapping -> validation -> store.

The CLI and the service both call these functions; nothing else writes source graphs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.extract.fetch import fetch
from kg.extract.pipeline import extract
from kg.extract.reader import Document, ReaderError, read_any, read_jsonl
from kg.factfile import read_fact_file
from kg.link.gazetteer import Gazetteer
from kg.mapping import Minter, Producer, SourceGraph, map_facts
from kg.model import Facts
from kg.ontology import ONTOLOGY_FILES
from kg.settings import Settings
from kg.store import Store, format_for
from kg.terms import graph_to_triples
from kg.validate import check

log = logging.getLogger(__name__)

FACT_FILE_PRODUCER = Producer("kg fact-file loader", __version__)
GAZETTEER_PRODUCER = Producer("kg gazetteer loader", __version__)
EXTRACTOR_PRODUCER = Producer("kg rule extractor", __version__)
ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl")


@dataclass(frozen=True)
class Stored:
    """What one write did: the named graph, the source it describes, its triple count."""

    graph: str
    source: str
    triples: int


def ontology_graph_iri(settings: Settings) -> str:
    return settings.graph_base + "ontology"


def to_source_graph(facts: Facts, settings: Settings, producer: Producer) -> SourceGraph:
    """Map and validate one source's facts (raises ShapeViolationError; writes nothing)."""
    sg = map_facts(facts, Minter(settings.base_iri), producer)
    check(sg.graph, settings.ontology_dir)
    return sg


def store_facts(store: Store, facts: Facts, settings: Settings, producer: Producer) -> Stored:
    """Map, validate and store one source: its graph is replaced whole, or nothing changes."""
    sg = to_source_graph(facts, settings, producer)
    count = store.replace_graph(sg.iri, graph_to_triples(sg.graph))
    return Stored(graph=sg.iri, source=sg.source_iri, triples=count)


def load_ontology(store: Store, settings: Settings) -> Stored:
    """The ontology and CAMEO concepts in their own graph (labels for pages and queries)."""
    iri = ontology_graph_iri(settings)
    triples = [
        quad.triple
        for name in ONTOLOGY_FILES
        for quad in ox.parse(path=str(settings.ontology_dir / name), format=format_for(name))
    ]
    count = store.replace_graph(iri, triples)
    return Stored(graph=iri, source=str(settings.ontology_dir), triples=count)


def fact_files(settings: Settings) -> list[Path]:
    return sorted((settings.data_dir / "facts").glob("*.json"))


def load_shipped_data(store: Store, settings: Settings) -> list[Stored]:
    """Load what the service ships with: ontology, gazetteer, and the curated fact files."""
    done = [load_ontology(store, settings)]
    gazetteer = Gazetteer.load(settings.data_dir)
    done.append(store_facts(store, gazetteer.as_facts(), settings, GAZETTEER_PRODUCER))
    for path in fact_files(settings):
        facts, _ = read_fact_file(path, settings.shared_dir)
        done.append(store_facts(store, facts, settings, FACT_FILE_PRODUCER))
    log.info("loaded shipped data: %d graphs, %d triples", len(done), sum(d.triples for d in done))
    return done


def ensure_initialised(store: Store, settings: Settings) -> list[Stored]:
    """Fill an empty store with the shipped data; a store with data is left alone."""
    if store.count() > 0:
        return []
    return load_shipped_data(store, settings)


def read_article(arg: str, settings: Settings, dateline: str | None = None,
                 stdin: bytes | None = None) -> Document:
    """One article from a file path, an http(s) URL, or ``-`` (the given standard input)."""
    if arg == "-":
        return read_any(stdin or b"", source=None, dateline=dateline,
                        max_bytes=settings.article_max_bytes)
    if arg.startswith(("http://", "https://")):
        got = fetch(arg, allow=settings.fetch_allow, timeout_s=settings.fetch_timeout_s,
                    max_bytes=settings.article_max_bytes)
        return read_any(got.content, source=got.url, dateline=dateline,
                        max_bytes=settings.article_max_bytes)
    path = Path(arg)
    if not path.is_file():
        raise ReaderError(f"cannot read {arg}: no such file")
    size = path.stat().st_size
    if size > settings.article_max_bytes:
        raise ReaderError(f"{arg} is {size} bytes, over the limit of {settings.article_max_bytes}")
    return read_any(path.read_bytes(), source=str(path.resolve()), dateline=dateline,
                    max_bytes=settings.article_max_bytes)


def iter_articles(args: list[str], settings: Settings, dateline: str | None = None,
                  stdin: bytes | None = None) -> Iterator[tuple[str, Document | Exception]]:
    """Every article the arguments name: files, folders of files, JSON-lines files, URLs, ``-``.

    Yields (where, document) or (where, the error reading it): one bad article never stops
    the others.
    """
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in ARTICLE_SUFFIXES)
            yield from iter_articles([str(p) for p in files], settings, dateline)
        elif path.suffix.lower() == ".jsonl" and path.is_file():
            with path.open(encoding="utf-8", errors="replace") as fh:
                for doc in read_jsonl(fh, str(path)):
                    where = doc.source if isinstance(doc, Document) else str(path)
                    yield where or str(path), doc
        else:
            try:
                yield arg, read_article(arg, settings, dateline, stdin)
            except (ValueError, OSError) as exc:
                yield arg, exc


def extract_facts(doc: Document, settings: Settings) -> Facts:
    """The facts of one article (no store involved)."""
    return extract(doc, settings.data_dir)


def ingest_document(store: Store, doc: Document, settings: Settings) -> tuple[Stored, Facts]:
    """Extract, map, validate and store one article as its own graph (replaced if present)."""
    facts = extract_facts(doc, settings)
    return store_facts(store, facts, settings, EXTRACTOR_PRODUCER), facts
