"""The embedded backend: pyoxigraph's on-disk store (RocksDB), or in memory."""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import mmap
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.store.base import (
    NAME_PREDICATES,
    RDF_TYPE,
    SAME_AS,
    BadDataError,
    QueryResult,
    QuerySyntaxError,
    StoreError,
    Touched,
    has_blank_nodes,
    io_error,
    touched_by,
    triples_as_data_block,
)

# Inputs this large go through pyoxigraph's bulk loader: above about a megabyte of N-Triples it
# is faster than a transaction, and its gain grows with size (bench/sparql.py prints both).
BULK_BYTES = 4 << 20
FLUSH_INTERVAL_S = 2.0  # see OxigraphStore.flush_writes

log = logging.getLogger(__name__)


def input_size(data: bytes | IO[bytes]) -> int:
    """Bytes left to read in ``data`` (bytes, or a file; 0 when a stream cannot tell).

    >>> input_size(b"abc"), input_size(io.BytesIO(b"abcd"))
    (3, 4)
    """
    if isinstance(data, bytes | bytearray | memoryview):
        return len(data)
    try:
        return os.fstat(data.fileno()).st_size - data.tell()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    try:
        here = data.tell()
        end = data.seek(0, io.SEEK_END)
        data.seek(here)
        return end - here
    except (AttributeError, OSError, ValueError):
        return 0


BULK_THREADS = 2  # parts of a large N-Triples (new graph) or N-Quads (new store) load, side by side
PENDING_LOAD = "kg-pending-load"  # beside the store's files: the graph a parallel load fills
WHOLE_STORE = "*"  # in the note: the load fills the whole (empty) store, N-Quads


def split_lines(data: bytes | IO[bytes], parts: int) -> list[Any] | None:
    r"""``data`` cut into ``parts`` runs of whole lines (bytes, or readers of a file's byte
    ranges); None when it cannot be cut safely: it names blank nodes, which one parse
    shares across lines and two would not, or it is a stream with no file behind it.

    >>> split_lines(b"<a> <b> <c> .\n<d> <e> <f> .\n<g> <h> <i> .\n", 2)
    [b'<a> <b> <c> .\n<d> <e> <f> .\n', b'<g> <h> <i> .\n']
    >>> split_lines(b"_:x <b> <c> .\n<d> <e> _:x .\n", 2) is None
    True
    """
    if isinstance(data, bytes):
        view: Any = data
    else:
        try:
            view = mmap.mmap(data.fileno(), 0, access=mmap.ACCESS_READ)
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            return None
    start = 0 if isinstance(data, bytes) else data.tell()
    if view.find(b"_:", start) != -1:
        return None
    cuts = [start]
    for i in range(1, parts):
        at = view.find(b"\n", start + (len(view) - start) * i // parts)
        if at == -1:
            break
        cuts.append(at + 1)
    cuts.append(len(view))
    spans = [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
    if isinstance(data, bytes):
        return [data[a:b] for a, b in spans]
    return [_ByteRange(view, a, b) for a, b in spans]


class _ByteRange(io.RawIOBase):
    """A reader of bytes ``start:end`` of a mapped file (one part of a parallel load)."""

    def __init__(self, view: mmap.mmap, start: int, end: int) -> None:
        self.view, self.pos, self.end = view, start, end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.end - self.pos)
        buffer[:n] = self.view[self.pos : self.pos + n]
        self.pos += n
        return n


def write_durably(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` and to the disk before going on."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


class OxigraphStore:
    """A :class:`kg.store.base.Store` on pyoxigraph.

    >>> s = OxigraphStore(None)
    >>> s.replace_graph("http://e/g", [ox.Triple(ox.NamedNode("http://e/s"),
    ...     ox.NamedNode("http://e/p"), ox.Literal("a"))])
    1
    >>> s.count(), s.graphs()
    (1, ['http://e/g'])
    """

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.path = None if path is None else Path(path)
        # Bumped by every write, so readers in other processes know to reopen (kg.store.workers).
        self.generation = 0
        # Every write of this process, one at a time: replace_graph's look at whether the graph
        # exists and its insert must not let another write in between.
        self._write_lock = threading.RLock()
        # Set by the service, whose query workers reopen the store after each write: a
        # read-only open replays the write-ahead log, which grows with every unflushed write
        # (measured on the load store: 160-260 ms an open after 40 small writes, 10-20 ms
        # after a flush, which costs the writer 20-60 ms and holds no lock on readers). At most
        # one flush every FLUSH_INTERVAL_S: each flush makes a table file, and every few of
        # them a compaction that deletes files under the readers (kg.store.workers reopens).
        self.flush_writes = False
        # Told after each write, in order, with the new generation and what the write
        # changed (None: anything); the service's warmer and answer cache listen.
        self.write_listeners: list[Callable[[int, Touched | None], None]] = []
        self._flushed = -float("inf")
        # The quad count as of a generation: len() of a pyoxigraph store scans every quad
        # holding the GIL (45 ms on the load store, the whole service paused), so it is kept
        # up to date across the writes that know what they change (replace_graph).
        self._counted: tuple[int, int] | None = None  # (generation, quads)
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
                self._finish_pending_load()
        except OSError as exc:
            raise io_error(exc, f"cannot open the store at {self.path}: ") from exc

    @property
    def raw(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store``."""
        return self._store

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default: bool = True,
    ) -> QueryResult:
        kwargs: dict[str, object] = {}
        if default_graph is not None:
            kwargs["default_graph"] = [
                ox.DefaultGraph() if g == "" else ox.NamedNode(g) for g in default_graph
            ]
        elif union_default:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(str(exc)) from exc

    @contextlib.contextmanager
    def _writing(
        self,
        bad_syntax: type[StoreError] = QuerySyntaxError,
        prefix: str = "",
        touched: Touched | None = None,
    ) -> Iterator[None]:
        """Around a write: pyoxigraph's errors as the store's (a syntax error as
        ``bad_syntax``, I/O as :class:`StoreIOError`), the generation bumped and the
        listeners told, with ``touched`` (what the write changed) when it succeeded."""
        ok = False
        try:
            with self._write_lock:
                try:
                    yield
                    ok = True
                finally:
                    self._written(touched if ok else None)
        except SyntaxError as exc:
            raise bad_syntax(f"{prefix}{exc}") from exc
        except OSError as exc:
            raise io_error(exc) from exc
        except (ValueError, RuntimeError) as exc:
            raise StoreError(str(exc)) from exc

    def _written(self, touched: Touched | None) -> None:
        # Under the write lock: the listeners hear of the writes one at a time, in order.
        if self.flush_writes and time.monotonic() - self._flushed >= FLUSH_INTERVAL_S:
            self._flushed = time.monotonic()
            with contextlib.suppress(OSError, RuntimeError):  # a faster reopen, no more
                self._store.flush()
        self.generation += 1
        for listener in self.write_listeners:
            listener(self.generation, touched)

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        with self._writing():
            self._store.update(sparql, base_iri=base_iri)

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> int:
        triples = list(triples)  # materialised first: a failing producer writes nothing
        g = "DEFAULT" if graph is None else f"GRAPH {ox.NamedNode(graph)}"
        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        with self._write_lock:
            old = list(self._store.quads_for_pattern(None, None, None, name))
            quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
            # Described only for someone listening (the service): a batch import has nobody.
            touched = self._touched([*old, *quads]) if self.write_listeners else None
            if graph is not None and not old and not has_blank_nodes(triples):
                # Nothing to drop: one transactional insert of the terms as they are, twice as
                # fast as an update whose text must be parsed again (blank nodes would keep
                # their labels this way, so a graph with any takes the update below).
                counted = self._count_before()
                with self._writing(touched=touched):
                    self._store.extend(quads)
                self._count_after(counted, len(set(quads)))  # a new graph: every quad is new
                return len(triples)
            body = triples_as_data_block(triples)
            block = body if graph is None else f"{g} {{\n{body}}}"
            counted = self._count_before()
            # One update request is one transaction: the old graph goes only if the new one lands.
            with self._writing(touched=touched):
                self._store.update(f"DROP SILENT {g} ;\nINSERT DATA {{ {block} }}")
            if not has_blank_nodes(triples):  # fresh blank nodes: the count is not known here
                self._count_after(counted, self._quads_in(graph, False) - len(old))
        return len(triples)

    def _touched(self, quads: list[ox.Quad]) -> Touched:
        """What writing and removing ``quads`` changes (see :class:`Touched`), with what the
        store holds anywhere for the entities they type, their names and the Wikidata items
        they are the same as: a type added in one graph makes an entity named (or linked) in
        another one a match for its name (or QID)."""
        typed = {q.subject for q in quads if q.predicate.value == RDF_TYPE}
        elsewhere: list[ox.NamedNode | ox.Literal] = []
        values = " ".join(str(t) for t in typed if isinstance(t, ox.NamedNode))
        if values:
            found = self._store.query(
                f"SELECT ?n WHERE {{ VALUES ?e {{ {values} }} "
                f"?e {'|'.join(f'<{p}>' for p in (*NAME_PREDICATES, SAME_AS))} ?n }}",
                use_default_graph_as_union=True,
            )
            elsewhere = [row[0] for row in found]  # type: ignore[union-attr]
        return touched_by(
            quads,
            [t.value for t in elsewhere if isinstance(t, ox.Literal)],
            [t.value for t in elsewhere if isinstance(t, ox.NamedNode)],
        )

    def _count_before(self) -> tuple[int, int] | None:
        """The count as of the current generation, if known (before a write)."""
        counted = self._counted
        return counted if counted is not None and counted[0] == self.generation else None

    def _count_after(self, before: tuple[int, int] | None, added: int) -> None:
        """Keep the count across one write that added ``added`` quads (net), if no other
        write came between."""
        if before is not None and self.generation == before[0] + 1:
            self._counted = (self.generation, before[1] + added)

    def drop_graph(self, graph: str) -> bool:
        g = ox.NamedNode(graph)
        existed = self.has_graph(graph)
        if existed:
            self.update(f"DROP GRAPH {g}")
        return existed

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def load(
        self,
        data: bytes | IO[bytes],
        fmt: ox.RdfFormat,
        graph: str | None = None,
        *,
        base_iri: str | None = None,
        bulk: bool | None = None,
        count: bool = True,
    ) -> int:
        """Add RDF to ``graph`` (or the default graph); returns how many quads are new (0
        without ``count``: the graph is counted before and after, 0.7 s for 1M triples).

        ``bulk`` (default: inputs of ``BULK_BYTES`` or more) uses pyoxigraph's bulk loader,
        which writes sorted files aside and hands them to RocksDB only once the whole input
        has parsed: a syntax error writes nothing, as with the transactional loader (0.5's
        loader is atomic; ``tests/test_store.py`` checks it). Unlike a transaction, a bulk
        load is not isolated from concurrent writes to the same quads.
        """
        dataset = fmt.supports_datasets and graph is None
        # Whether the graph is empty decides the parallel path: an ASK, not a count.
        before = self._quads_in(graph, dataset) if count else int(self._holds(graph, dataset))
        kwargs: dict[str, object] = {"format": fmt, "base_iri": base_iri}
        if not dataset:
            kwargs["to_graph"] = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        size = input_size(data)
        if bulk is None:
            bulk = size >= BULK_BYTES
        with self._writing(BadDataError, f"not valid {fmt.name}: "):
            into_new_graph = bool(graph) and before == 0 and fmt == ox.RdfFormat.N_TRIPLES
            into_new_store = dataset and before == 0 and fmt == ox.RdfFormat.N_QUADS
            if bulk and size >= BULK_BYTES and (into_new_graph or into_new_store):
                split = split_lines(data, BULK_THREADS)
                if split is not None:
                    try:
                        self._parallel_bulk(split, graph, kwargs, data)
                    finally:
                        for part in split:
                            if isinstance(part, _ByteRange):
                                part.view.close()
                    return self._quads_in(graph, dataset) if count else 0
            (self._store.bulk_load if bulk else self._store.load)(data, **kwargs)
        return self._quads_in(graph, dataset) - before if count else 0

    def _parallel_bulk(
        self, parts: list[Any], graph: str | None, kwargs: dict[str, object], whole: Any
    ) -> None:
        """Bulk load ``parts`` at once, a thread each (pyoxigraph's loader uses one core; two
        give about twice the rate here, see the README): N-Triples into the empty ``graph``,
        or N-Quads (``graph`` None) into the empty store.

        Each part is committed by itself, so all or nothing is kept by hand: a pending-load
        note beside the store names the graph (or the whole store) until every part is in; a
        part that fails, or a process killed meanwhile (the note is found at the next open),
        leaves the graph removed (or the store empty, as it was). Readers may see some parts
        before the others."""
        note = self._pending_note()
        if note is not None:
            write_durably(note, graph or WHOLE_STORE)
        errors: list[BaseException] = []

        def load(part: Any) -> None:
            try:
                self._store.bulk_load(part, **kwargs)
            except BaseException as exc:  # handed to the caller below
                errors.append(exc)

        threads = [threading.Thread(target=load, args=(p,), name="bulk-load") for p in parts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            self._undo_load(graph)
        if note is not None:
            note.unlink(missing_ok=True)
        if errors:
            # A part's error counts its lines from the part: say where in the whole input.
            for _ in ox.parse(whole, **{k: v for k, v in kwargs.items() if k != "to_graph"}):
                pass
            raise errors[0]

    def _pending_note(self) -> Path | None:
        return None if self.path is None else self.path / PENDING_LOAD

    def _finish_pending_load(self) -> None:
        """After a process died in :meth:`_parallel_bulk`: remove the graph it was loading."""
        note = self._pending_note()
        if note is None or not note.exists():
            return
        graph = note.read_text("utf-8").strip()
        if graph == WHOLE_STORE:
            log.warning("a bulk load into the empty store did not finish: the store is emptied")
            self._undo_load(None)
        elif graph:
            log.warning("a bulk load into <%s> did not finish: the graph is removed", graph)
            self._undo_load(graph)
        note.unlink()

    def _undo_load(self, graph: str | None) -> None:
        """Remove what a parallel load into an empty graph (None: store) wrote."""
        if graph is None:
            self._store.clear()
        else:
            self._store.remove_graph(ox.NamedNode(graph))
        self._store.flush()

    def _holds(self, graph: str | None, dataset: bool) -> bool:
        """Whether the graph (or the whole store) holds anything."""
        if dataset:
            return bool(self._store.query("ASK { GRAPH ?g { ?s ?p ?o } }")) or bool(
                self._store.query("ASK { ?s ?p ?o }")
            )
        g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        return bool(self._store.query("ASK { ?s ?p ?o }", default_graph=g))

    def _quads_in(self, graph: str | None, dataset: bool) -> int:
        """Quads in one graph (a count of that graph only), or in the whole store."""
        if dataset:
            return len(self._store)
        g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        result = self._store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", default_graph=g)
        assert isinstance(result, ox.QuerySolutions)
        return int(next(iter(result))["n"].value)

    def optimize(self) -> None:
        """Compact the store's files now. A bulk load hands RocksDB many overlapping table
        files, which every lookup must then search; RocksDB merges them in the background at
        the next writable open, and queries meanwhile are 3-6x slower (measured at 10M
        triples, README "Scale-out"). ``kg load`` calls this so that it returns a settled store.

        >>> OxigraphStore(None).optimize()
        """
        with self._writing():
            self._store.optimize()

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_triples(self, graph: str | None) -> list[ox.Triple]:
        g = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return [q.triple for q in self._store.quads_for_pattern(None, None, None, g)]

    def count(self) -> int:
        counted = self._counted
        if counted is not None and counted[0] == self.generation:
            return counted[1]
        generation = self.generation
        quads = len(self._store)
        self._counted = (generation, quads)
        return quads

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        if not fmt.supports_datasets:
            raise StoreError(f"{fmt.name} cannot hold named graphs; use TriG or N-Quads")
        out = io.BytesIO()
        self._store.dump(out, format=fmt)
        return out.getvalue()

    def close(self) -> None:
        with contextlib.suppress(OSError):  # closing must not fail on a full disk
            self._store.flush()
