"""The embedded backend: pyoxigraph's on-disk store (RocksDB), or in memory."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.store.base import BadDataError, QueryResult, QuerySyntaxError, StoreError


def triples_as_data_block(triples: Iterable[ox.Triple]) -> str:
    """Triples written as the body of an ``INSERT DATA`` block (N-Triples terms).

    >>> t = ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("a"))
    >>> triples_as_data_block([t])
    '<http://e/s> <http://e/p> "a" .\\n'
    """
    # str() of a pyoxigraph term is its N-Triples form, escaped, so this cannot be injected.
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


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
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc

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

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(str(exc)) from exc
        finally:
            self.generation += 1

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> int:
        triples = list(triples)  # materialised first: a failing producer writes nothing
        g = "DEFAULT" if graph is None else f"GRAPH {ox.NamedNode(graph)}"
        body = triples_as_data_block(triples)
        block = body if graph is None else f"{g} {{\n{body}}}"
        # One update request is one transaction: the old graph goes only if the new one lands.
        self.update(f"DROP SILENT {g} ;\nINSERT DATA {{ {block} }}")
        return len(triples)

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
        bulk: bool = False,
    ) -> int:
        """Add RDF to ``graph`` (or the default graph); returns how many quads are new.

        ``bulk`` (bytes only): check the whole input parses first, then use pyoxigraph's bulk
        loader, several times faster and lighter than one transaction for millions of
        triples. A syntax error still writes nothing; only an I/O failure mid-load could.
        """
        before = self.count()
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        try:
            if bulk and isinstance(data, bytes):
                for _ in ox.parse(data, format=fmt, base_iri=base_iri):
                    pass
                kwargs = {} if fmt.supports_datasets and graph is None else {"to_graph": target}
                self._store.bulk_load(data, format=fmt, base_iri=base_iri, **kwargs)
                self._store.flush()
            elif fmt.supports_datasets and graph is None:
                self._store.load(data, format=fmt, base_iri=base_iri)
            else:
                self._store.load(data, format=fmt, to_graph=target, base_iri=base_iri)
        except SyntaxError as exc:
            raise BadDataError(f"not valid {fmt.name}: {exc}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(str(exc)) from exc
        finally:
            self.generation += 1
        return self.count() - before

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_triples(self, graph: str | None) -> list[ox.Triple]:
        g = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return [q.triple for q in self._store.quads_for_pattern(None, None, None, g)]

    def count(self) -> int:
        return len(self._store)

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        if not fmt.supports_datasets:
            raise StoreError(f"{fmt.name} cannot hold named graphs; use TriG or N-Quads")
        out = io.BytesIO()
        self._store.dump(out, format=fmt)
        return out.getvalue()

    def close(self) -> None:
        with contextlib.suppress(OSError):  # closing must not fail on a full disk
            self._store.flush()
