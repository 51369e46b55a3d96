"""The embedded backend: pyoxigraph's on-disk store (RocksDB), or in memory."""

from __future__ import annotations

import contextlib
import io
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.store.base import (
    BadDataError,
    QueryResult,
    QuerySyntaxError,
    StoreError,
    has_blank_nodes,
    io_error,
    triples_as_data_block,
)

# Inputs this large go through pyoxigraph's bulk loader: above about a megabyte of N-Triples it
# is faster than a transaction, and its gain grows with size (bench/sparql.py prints both).
BULK_BYTES = 4 << 20
FLUSH_INTERVAL_S = 2.0  # see OxigraphStore.flush_writes


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
        self.on_write: Callable[[], None] | None = None  # told after each write (the service's)
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
        self, bad_syntax: type[StoreError] = QuerySyntaxError, prefix: str = ""
    ) -> Iterator[None]:
        """Around a write: pyoxigraph's errors as the store's (a syntax error as
        ``bad_syntax``, I/O as :class:`StoreIOError`), and the generation bumped."""
        try:
            with self._write_lock:
                yield
        except SyntaxError as exc:
            raise bad_syntax(f"{prefix}{exc}") from exc
        except OSError as exc:
            raise io_error(exc) from exc
        except (ValueError, RuntimeError) as exc:
            raise StoreError(str(exc)) from exc
        finally:
            if self.flush_writes and time.monotonic() - self._flushed >= FLUSH_INTERVAL_S:
                self._flushed = time.monotonic()
                with contextlib.suppress(OSError, RuntimeError):  # a faster reopen, no more
                    self._store.flush()
            self.generation += 1
            if self.on_write is not None:
                self.on_write()

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        with self._writing():
            self._store.update(sparql, base_iri=base_iri)

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> int:
        triples = list(triples)  # materialised first: a failing producer writes nothing
        g = "DEFAULT" if graph is None else f"GRAPH {ox.NamedNode(graph)}"
        with self._write_lock:
            if (
                graph is not None
                and not self._store.contains_named_graph(ox.NamedNode(graph))
                and not has_blank_nodes(triples)
            ):
                # Nothing to drop: one transactional insert of the terms as they are, twice as
                # fast as an update whose text must be parsed again (blank nodes would keep
                # their labels this way, so a graph with any takes the update below).
                name = ox.NamedNode(graph)
                quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
                counted = self._count_before()
                with self._writing():
                    self._store.extend(quads)
                self._count_after(counted, len(set(quads)))  # a new graph: every quad is new
                return len(triples)
            body = triples_as_data_block(triples)
            block = body if graph is None else f"{g} {{\n{body}}}"
            counted = self._count_before()
            dropped = self._quads_in(graph, False) if counted is not None else 0
            # One update request is one transaction: the old graph goes only if the new one lands.
            self.update(f"DROP SILENT {g} ;\nINSERT DATA {{ {block} }}")
            if not has_blank_nodes(triples):  # fresh blank nodes: the count is not known here
                self._count_after(counted, self._quads_in(graph, False) - dropped)
        return len(triples)

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
    ) -> int:
        """Add RDF to ``graph`` (or the default graph); returns how many quads are new.

        ``bulk`` (default: inputs of ``BULK_BYTES`` or more) uses pyoxigraph's bulk loader,
        which writes sorted files aside and hands them to RocksDB only once the whole input
        has parsed: a syntax error writes nothing, as with the transactional loader (0.5's
        loader is atomic; ``tests/test_store.py`` checks it). Unlike a transaction, a bulk
        load is not isolated from concurrent writes to the same quads.
        """
        dataset = fmt.supports_datasets and graph is None
        before = self._quads_in(graph, dataset)
        kwargs: dict[str, object] = {"format": fmt, "base_iri": base_iri}
        if not dataset:
            kwargs["to_graph"] = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        if bulk is None:
            bulk = input_size(data) >= BULK_BYTES
        with self._writing(BadDataError, f"not valid {fmt.name}: "):
            (self._store.bulk_load if bulk else self._store.load)(data, **kwargs)
        return self._quads_in(graph, dataset) - before

    def _quads_in(self, graph: str | None, dataset: bool) -> int:
        """Quads in one graph (a count of that graph only), or in the whole store."""
        if dataset:
            return len(self._store)
        g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        result = self._store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", default_graph=g)
        assert isinstance(result, ox.QuerySolutions)
        return int(next(iter(result))["n"].value)

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
