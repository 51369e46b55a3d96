"""The one place that composes the stages: facts -> mapping -> validation -> store.

The CLI and the service both call these functions; nothing else writes source graphs.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import PROV

from kg import __version__, shape_check
from kg.extract.fetch import fetch
from kg.extract.pipeline import extract
from kg.extract.quotes import Quote
from kg.extract.reader import Document, ReaderError, read_any, read_jsonl
from kg.factfile import read_fact_file
from kg.importers import historyatstate
from kg.importers.historyatstate import Skipped
from kg.link.gazetteer import Gazetteer
from kg.link.overrides import Overrides
from kg.mapping import Minter, Producer, SourceGraph, map_facts
from kg.model import Facts
from kg.ontology import ONTOLOGY_FILES
from kg.procs import watch_parent
from kg.settings import Settings
from kg.store import Store, format_for
from kg.terms import graph_to_triples
from kg.validate import ShapeViolationError

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
    """Map and validate one source's facts (raises ShapeViolationError; writes nothing).

    The shapes are checked compiled (kg/shape_check.py: the same verdicts as pySHACL, which
    it falls back to for any construct it does not know), about 15 times faster: pySHACL
    took about a third of an article's ingest CPU time (``make bench-extract``).
    """
    facts = Overrides.load(settings.data_dir).apply(facts)
    sg = map_facts(facts, Minter(settings.base_iri), producer)
    shape_check.check(sg.graph, settings.ontology_dir)
    return sg


def as_ntriples(sg: SourceGraph) -> bytes:
    """A source graph's triples as N-Triples: plain bytes that cross a process boundary."""
    return ox.serialize(graph_to_triples(sg.graph), format=ox.RdfFormat.N_TRIPLES)


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


def read_article(
    arg: str, settings: Settings, dateline: str | None = None, stdin: bytes | None = None
) -> Document:
    """One article from a file path, an http(s) URL, or ``-`` (the given standard input)."""
    if arg == "-":
        return read_any(
            stdin or b"", source=None, dateline=dateline, max_bytes=settings.article_max_bytes
        )
    if arg.startswith(("http://", "https://")):
        got = fetch(
            arg,
            allow=settings.fetch_allow,
            timeout_s=settings.fetch_timeout_s,
            max_bytes=settings.article_max_bytes,
        )
        return read_any(
            got.content, source=got.url, dateline=dateline, max_bytes=settings.article_max_bytes
        )
    path = Path(arg)
    if not path.is_file():
        raise ReaderError(f"cannot read {arg}: no such file")
    size = path.stat().st_size
    if size > settings.article_max_bytes:
        raise ReaderError(f"{arg} is {size} bytes, over the limit of {settings.article_max_bytes}")
    return read_any(
        path.read_bytes(),
        source=str(path.resolve()),
        dateline=dateline,
        max_bytes=settings.article_max_bytes,
    )


def iter_articles(
    args: list[str], settings: Settings, dateline: str | None = None, stdin: bytes | None = None
) -> Iterator[tuple[str, Document | Exception]]:
    """Every article the arguments name: files, folders of files, JSON-lines files, URLs, ``-``.

    Yields (where, document) or (where, the error reading it): one bad article never stops
    the others.
    """
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
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


def extract_facts(
    doc: Document, settings: Settings, skipped: list[tuple[Quote, str]] | None = None
) -> Facts:
    """The facts of one article (no store involved); ``skipped`` receives the quotes that
    became no statement, and why (``kg.extract.quotes.find_statements``)."""
    return extract(doc, settings.data_dir, skipped)


def ingest_document(store: Store, doc: Document, settings: Settings) -> tuple[Stored, Facts]:
    """Extract, map, validate and store one article as its own graph (replaced if present)."""
    facts = extract_facts(doc, settings)
    return store_facts(store, facts, settings, EXTRACTOR_PRODUCER), facts


@dataclass(frozen=True)
class Prepared:
    """An article extracted, mapped and validated, ready to store: plain data that crosses a
    process boundary (batch ingest and the service prepare articles in worker processes, see
    :func:`ingest_many` and kg/service/ingestpool.py; only the write happens in the caller)."""

    graph: str
    source: str
    ntriples: bytes
    facts_json: str
    visits: int
    statements: int


def prepare_document(doc: Document, settings: Settings) -> Prepared:
    """Extract, map and validate one article; store nothing (raises ShapeViolationError)."""
    facts = extract_facts(doc, settings)
    sg = to_source_graph(facts, settings, EXTRACTOR_PRODUCER)
    return Prepared(
        sg.iri,
        sg.source_iri,
        as_ntriples(sg),
        facts.model_dump_json(),
        len(facts.visits),
        len(facts.statements),
    )


def store_prepared(store: Store, prepared: Prepared) -> Stored:
    """Write a prepared article's graph, replacing the old one whole."""
    triples = [q.triple for q in ox.parse(prepared.ntriples, format=ox.RdfFormat.N_TRIPLES)]
    count = store.replace_graph(prepared.graph, triples)
    return Stored(graph=prepared.graph, source=prepared.source, triples=count)


@dataclass(frozen=True)
class Ingested:
    """One article of a batch: where it came from, and what was stored or why not."""

    where: str
    stored: Stored | None = None
    visits: int = 0
    statements: int = 0
    error: str | None = None


def _prepare(doc: Document, settings: Settings) -> Prepared | str:
    """:func:`prepare_document` in a worker process: a refusal comes back as its message."""
    try:
        return prepare_document(doc, settings)
    except ValueError as exc:  # the shapes refused it
        return str(exc)


def ingest_many(
    store: Store,
    items: Iterable[tuple[str, Document | Exception]],
    settings: Settings,
) -> Iterator[Ingested]:
    """Ingest articles in order: ``settings.ingest_workers`` processes extract, map and check
    them, this one stores each graph (one transaction each). A bad article is reported in its
    :class:`Ingested` and the others go on; at most a few batches are in flight at a time."""
    ahead = max(1, settings.ingest_workers) * 4

    def finish(where: str, ready: Prepared | str) -> Ingested:
        if isinstance(ready, str):
            return Ingested(where, error=ready)
        return Ingested(where, store_prepared(store, ready), ready.visits, ready.statements)

    if settings.ingest_workers <= 1 or "fork" not in mp.get_all_start_methods():
        for where, doc in items:
            yield finish(where, str(doc) if isinstance(doc, Exception) else _prepare(doc, settings))
        return
    extract_facts(Document(text="President Joe Biden visited Ottawa."), settings)  # warm, then fork
    with ProcessPoolExecutor(
        settings.ingest_workers,
        mp_context=mp.get_context("fork"),
        initializer=watch_parent,  # a kill -9 of this process takes the workers with it
        initargs=(os.getpid(),),
    ) as pool:
        pending: deque[tuple[str, Future[Prepared | str] | str]] = deque()
        for where, doc in items:
            if isinstance(doc, Exception):
                pending.append((where, str(doc)))
            else:
                pending.append((where, pool.submit(_prepare, doc, settings)))
            while len(pending) > ahead:
                yield _done(pending.popleft(), finish)
        while pending:
            yield _done(pending.popleft(), finish)


def _done(
    item: tuple[str, Future[Prepared | str] | str],
    finish: Callable[[str, Prepared | str], Ingested],
) -> Ingested:
    where, ready = item
    return finish(where, ready if isinstance(ready, str) else ready.result())


HISTORYATSTATE_PRODUCER = Producer("kg historyatstate importer", __version__)
GENERATED_AT = ox.NamedNode(str(PROV.generatedAtTime))


@dataclass(frozen=True)
class ImportReport:
    """What an import of record files did, for the closing report."""

    files: int
    records: int
    visits: int
    written: list[Stored]
    unchanged: int
    skipped: list[Skipped]
    refused: list[tuple[str, str]]  # (file, why its graph was refused)
    problems: dict[str, int]
    unresolved_hosts: int


def _same_content(store: Store, graph: str, triples: list[ox.Triple]) -> bool:
    """Whether the stored graph holds these triples, its generation time aside."""
    old = {t for t in store.graph_triples(graph) if t.predicate != GENERATED_AT}
    if not old:
        return False
    # Read the new triples back through a store too: stores normalise some literals
    # (pyoxigraph turns xsd:nonNegativeInteger into xsd:integer).
    probe = ox.Store()
    probe.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return old == {q.triple for q in probe if q.predicate != GENERATED_AT}


# A mapped record file: graph IRI, source IRI, N-Triples (None if refused), why refused.
Mapped = tuple[str, str, bytes | None, str | None]

# The files read by the current import, for worker processes forked from it to map.
_READ: historyatstate.Import | None = None


def _map_and_check(index: int, settings: Settings) -> Mapped:
    """Map one record file's facts and check them against the shapes.

    Returns the graph IRI, the source IRI, the triples as N-Triples (None if refused) and
    why it was refused. Runs in a worker process (or in this one): plain data in and out.
    """
    assert _READ is not None
    try:
        sg = to_source_graph(_READ.files[index].facts, settings, HISTORYATSTATE_PRODUCER)
    except ShapeViolationError as exc:
        return "", "", None, str(exc)
    return sg.iri, sg.source_iri, as_ntriples(sg), None


def _mapped(read: historyatstate.Import, settings: Settings) -> Iterator[Mapped]:
    """Every file mapped and checked, in order; on ``settings.import_workers`` processes."""
    global _READ
    _READ = read
    indexes = range(len(read.files))
    workers = min(settings.import_workers, len(read.files))
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        yield from (_map_and_check(i, settings) for i in indexes)
        return
    # Forked workers inherit the parsed records: only file numbers and N-Triples travel.
    with ProcessPoolExecutor(
        workers,
        mp_context=mp.get_context("fork"),
        initializer=watch_parent,
        initargs=(os.getpid(),),
    ) as pool:
        yield from pool.map(_map_and_check, indexes, [settings] * len(indexes))


def import_historyatstate(
    store: Store,
    directory: Path,
    settings: Settings,
    on_file: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import the Office of the Historian's records: one named graph per record file.

    Each file's graph is mapped, checked against the SHACL shapes (compiled, see
    kg/shape_check.py) and stored whole; a file whose graph fails is refused and reported,
    the others go on. A graph whose content is already stored is left alone, so a second
    run changes nothing. ``on_file`` is called after each file (for a progress bar).
    """
    read = historyatstate.import_dir(directory, Gazetteer.load(settings.data_dir))
    written: list[Stored] = []
    refused: list[tuple[str, str]] = []
    unchanged = 0
    for rf, (iri, source, data, why) in zip(read.files, _mapped(read, settings), strict=True):
        if data is None:
            refused.append((rf.path, why or "refused"))
        else:
            triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
            if _same_content(store, iri, triples):
                unchanged += 1
            else:
                count = store.replace_graph(iri, triples)
                written.append(Stored(graph=iri, source=source, triples=count))
        if on_file is not None:
            on_file(rf.path)
    return ImportReport(
        files=len(read.files),
        records=read.records,
        visits=read.visits,
        written=written,
        unchanged=unchanged,
        skipped=read.skipped,
        refused=refused,
        problems=dict(sorted(read.problems.items(), key=lambda kv: (-kv[1], kv[0]))),
        unresolved_hosts=read.unresolved_hosts,
    )
