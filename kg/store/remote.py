"""The remote backend: any SPARQL 1.1 Query/Update (and Graph Store) server over HTTP.

``KG_STORE=sparql+http://host:port/sparql`` (or ``sparql+https://``) selects it. Answers come
back as pyoxigraph's result types, parsed from the server's SPARQL results and N-Triples, so
named queries, pages and the ``/sparql`` endpoint do not know which backend answered. What
differs between servers is asked of the dialect (kg/store/dialects.py), nowhere else.

Writing a graph is atomic although servers differ in what one request guarantees: Virtuoso
commits every operation of an update request on its own (a failing second operation leaves
the first one done), and its parser takes no more than about 5,000 triples in one block. So
the new content goes into a fresh staging graph first (as many requests as it takes), then
one operation (``MOVE``, or a DELETE/INSERT where the server lacks it) puts it in place of
the old graph. A failure before the move leaves the old graph whole; the staging graph is
dropped (or swept on a later start). Killed half-way through a MOVE of 150,000 triples,
Virtuoso came back with the old graph and the staged one, both whole.

HTTP goes through one pooled httpx client: a new connection costs Virtuoso about 40 ms, a
pooled one 2 ms. Every query carries the server's own time limit and an HTTP timeout, so a
query is stopped at its deadline on the server and answered as a timeout here.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from kg import __version__
from kg.settings import Settings
from kg.sparqllex import has_from, query_form
from kg.store.base import (
    BadDataError,
    QueryResult,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    StoreUnavailableError,
    has_blank_nodes,
    triples_as_data_block,
)
from kg.store.dialects import (
    DIALECTS,
    N_TRIPLES,
    STAGED_AT,
    STAGING_LEDGER,
    STAGING_PREFIX,
    Dialect,
    dialect_for_server,
)
from kg.store.workers import Answer, JobError, QueryJob, prepared, serialize_into

CHUNK_TRIPLES = 50_000  # triples per write batch (requests are capped by the dialect too)
GSP_MIN_TRIPLES = 10_000  # a graph's batch this large goes by one Graph Store POST
WRITERS = 2  # parallel write requests: Virtuoso loads two chunks at once about 2x faster
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
STALE_STAGING_S = 3600  # a staging graph this old belongs to a writer that died
DUMP_TRIPLES = 200_000  # triples per request of an export
RETRIES = 3  # a deadlocked update (Virtuoso 40001) is tried again
# Writes have no deadline on the embedded store either; an hour only notices a hung server.
# (Giving up on a write the server still runs would report a failure that then happens.)
WRITE_TIMEOUT_S = 3600.0


class ResultTooLargeError(StoreError):
    """The server's answer is larger than the caller accepts."""


def remote_url(location: str) -> str | None:
    """The server's query URL for a ``sparql+http(s)://`` store location, else None.

    >>> remote_url("sparql+http://127.0.0.1:8890/sparql"), remote_url("var/store")
    ('http://127.0.0.1:8890/sparql', None)
    """
    if location.startswith(("sparql+http://", "sparql+https://")):
        return location.removeprefix("sparql+")
    return None


def _as_query_triples(triples: Iterable[ox.Triple]) -> ox.QueryTriples:
    """Triples as pyoxigraph's CONSTRUCT result type (what the embedded store answers)."""
    graph = ox.Store()
    graph.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")  # type: ignore[return-value]


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads as the embedded store would hold them: literals in canonical form (``042`` is
    ``42``, ``xsd:nonNegativeInteger`` is ``xsd:integer``), duplicates once.

    Remote stores get what the embedded store would keep, so both answer alike.

    >>> q = ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"),
    ...     ox.Literal("042", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    >>> canonical([q, q])[0].object.value
    '42'
    """
    probe = ox.Store()
    probe.bulk_extend(quads)
    return list(probe)


class RemoteStore:
    """A :class:`kg.store.base.Store` on a SPARQL 1.1 server (see the module docstring)."""

    path = None  # not a folder: the service runs its queries with :class:`RemoteRunner`

    def __init__(self, url: str, settings: Settings, *, dialect: Dialect | None = None) -> None:
        self.query_url = url
        self.settings = settings
        self.timeout_s = settings.query_timeout_s
        self.generation = 0
        user = settings.store_user
        auth: httpx.Auth | None = None
        password = settings.store_password or ""
        headers = {"User-Agent": f"kg/{__version__} (remote store)"}
        if settings.store_auth == "bearer" and password:
            headers["Authorization"] = f"Bearer {password}"  # QLever's access token
        elif user:
            auth = (
                httpx.BasicAuth(user, password)
                if settings.store_auth == "basic"
                else httpx.DigestAuth(user, password)
            )
        self._http = httpx.Client(
            auth=auth,
            headers=headers,
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=8),
        )
        self.dialect = DIALECTS["generic"]  # until the server has said what it is
        try:
            self.dialect = dialect or self._detect(settings.store_dialect)
            d = self.dialect
            self.update_url = settings.store_update_url or d.update_path(url, bool(user))
            gsp = settings.store_graph_store_url
            # "none": the server has no Graph Store Protocol; writes go through SPARQL Update.
            self.graph_store_url = (
                None if gsp == "none" else gsp or d.graph_store_path(url, bool(user))
            )
            self.hidden = tuple(
                dict.fromkeys([STAGING_LEDGER, *d.hidden_graphs, *settings.store_hidden_graphs])
            )
            self.hidden += tuple(g for g in self._self_descriptions() if g not in self.hidden)
            self._sweep_staging()
        except BaseException:
            self._http.close()  # a server that cannot be used leaves no connections open
            raise

    # ------------------------------------------------------------------------- HTTP

    def _detect(self, name: str) -> Dialect:
        if name != "auto":
            if name not in DIALECTS:
                known = ", ".join(DIALECTS)
                raise StoreError(f"unknown KG_STORE_DIALECT {name!r}; one of: auto, {known}")
            return DIALECTS[name]
        response = self._send("POST", self.query_url, data={"query": "ASK {}"}, timeout_s=10)
        return dialect_for_server(response.headers.get("server", ""))

    def _send(
        self, method: str, url: str, *, timeout_s: float | None = None, **kwargs: Any
    ) -> httpx.Response:
        """One request; an error answer raises the store error it stands for. A deadlock
        (Virtuoso 40001: the server rolled the operation back) is tried again."""
        limit = timeout_s if timeout_s is not None else self.timeout_s
        timeout = httpx.Timeout(limit, connect=min(5.0, limit))
        for attempt in range(RETRIES):
            try:
                response = self._http.request(method, url, timeout=timeout, **kwargs)
            except httpx.ConnectTimeout as exc:
                raise StoreUnavailableError(f"cannot connect to the SPARQL store at {url}") from exc
            except httpx.TimeoutException as exc:
                raise QueryTimeoutError(f"the SPARQL store did not answer in {limit:g} s") from exc
            except httpx.HTTPError as exc:
                raise StoreUnavailableError(
                    f"cannot reach the SPARQL store at {url}: {exc}"
                ) from exc
            if response.status_code < 400:
                return response
            retry = self.dialect.error_kind(response.status_code, response.text) == "retry"
            if not (retry and attempt + 1 < RETRIES):
                self._raise_for(response)
            time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")  # the loop returns or raises

    def _raise_for(self, response: httpx.Response) -> None:
        """Raise the store error an error answer stands for."""
        d = self.dialect
        message = d.error_message(response.text)
        if response.status_code in (401, 403):
            # The service's own credentials are wrong, not the client's request: 503.
            raise StoreUnavailableError(
                f"the SPARQL store refused the request ({response.status_code}: {message}); "
                "check KG_STORE_USER and KG_STORE_PASSWORD"
            )
        kind = d.error_kind(response.status_code, response.text)
        error = {
            "syntax": QuerySyntaxError,
            "timeout": QueryTimeoutError,
            "unavailable": StoreUnavailableError,
        }.get(kind, StoreError)
        raise error(message)

    # ------------------------------------------------------------------------- queries

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default: bool = True,
        base_iri: str | None = None,
        timeout_s: float | None = None,
        max_bytes: int | None = None,
    ) -> QueryResult:
        """Run a query on the server; the answer as the embedded store gives it."""
        d = self.dialect
        form = query_form(sparql)
        graph_result = form in ("CONSTRUCT", "DESCRIBE")
        limit = timeout_s if timeout_s is not None else self.timeout_s
        params = [
            ("query", d.prologue(base_iri) + d.rewrite_query(sparql)),
            *d.dataset_params(default_graph, named_graphs, union_default, has_from(sparql)),
            *d.timeout_params(limit),
        ]
        accept = d.graph_media if graph_result else d.results_media
        body = self._read(params, accept, limit, max_bytes)
        try:
            if graph_result:
                triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
                return _as_query_triples(triples)
            fmt = ox.QueryResultsFormat.from_media_type(accept)
            if fmt == ox.QueryResultsFormat.XML:
                body = keep_edge_spaces(body)
            result = ox.parse_query_results(body, format=fmt)  # type: ignore[arg-type]
            if form == "ASK" and isinstance(result, ox.QuerySolutions):
                # Virtuoso answers ASK as a table: one row holding 1 for yes, none for no.
                return _boolean(
                    any(row[0] is not None and row[0].value not in ("0", "false") for row in result)
                )
            return result
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"the SPARQL store's answer cannot be read: {exc}") from exc

    def _read(
        self, params: list[tuple[str, str]], accept: str, limit: float, max_bytes: int | None
    ) -> bytes:
        """POST a query and read its answer (within ``limit`` seconds and ``max_bytes``)."""
        deadline = time.monotonic() + limit
        request = self._http.build_request(
            "POST",
            self.query_url,
            content=urlencode(params).encode(),  # repeated keys (default-graph-uri) allowed
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            timeout=httpx.Timeout(limit, connect=min(5.0, limit)),
        )
        try:
            response = self._http.send(request, stream=True)
        except httpx.ConnectTimeout as exc:
            raise StoreUnavailableError("cannot connect to the SPARQL store") from exc
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(f"the query ran past its deadline ({limit:g} s)") from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailableError(f"cannot reach the SPARQL store: {exc}") from exc
        try:
            if response.status_code >= 400:
                response.read()
                self._raise_for(response)
            if self.dialect.partial(dict(response.headers)):
                raise QueryTimeoutError(
                    f"the query ran past its deadline ({limit:g} s) and was stopped by the store"
                )
            chunks, total = [], 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if max_bytes is not None and total > max_bytes:
                    raise ResultTooLargeError(f"the result is larger than {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise QueryTimeoutError(f"the query ran past its deadline ({limit:g} s)")
                chunks.append(chunk)
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(f"the query ran past its deadline ({limit:g} s)") from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailableError(f"the SPARQL store broke off its answer: {exc}") from exc
        finally:
            response.close()
        return self.dialect.fix_results(b"".join(chunks), accept)

    def _select(self, sparql: str) -> list[dict[str, Any]]:
        result = self.query(sparql)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [dict(zip(names, row, strict=True)) for row in result]

    # ------------------------------------------------------------------------- updates

    def _update_raw(self, text: str) -> None:
        """Send an update exactly as written (internal operations, already in dialect)."""
        self._send("POST", self.update_url, data={"update": text}, timeout_s=WRITE_TIMEOUT_S)

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run an update on the server (rewritten for its dialect: see
        :meth:`kg.store.dialects.Dialect.rewrite_update`). Virtuoso applies each operation
        of a request on its own: a multi-operation update is not atomic there."""
        base = self.dialect.prologue(base_iri)
        try:
            text = self.dialect.rewrite_update(base + sparql, self.graphs)
            self._update_raw(text)
        finally:
            self.generation += 1

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> int:
        """Replace a graph (``None``: the default graph) atomically: stage, then MOVE."""
        triples = list(triples)  # materialised first: a failing producer writes nothing
        target = self._graph_iri(graph)
        staging = self._staging_iri()
        quads = (ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(staging)) for t in triples)
        try:
            written = self._write(quads)
            # One operation replaces the old graph by the staged one, or changes nothing;
            # the ledger entry goes after it (left behind, it only makes a later sweep try).
            change = self.dialect.move(staging, target) if written else self.dialect.drop(target)
            self._update_raw(f"{change} ;\n{self._unregister([staging])}")
        except BaseException:
            self._discard([staging])
            raise
        finally:
            self.generation += 1
        return len(triples)

    def drop_graph(self, graph: str) -> bool:
        """Remove a named graph; returns whether it existed."""
        existed = self.has_graph(graph)
        if existed:
            try:
                self._update_raw(self.dialect.drop(ox.NamedNode(graph).value))
            finally:
                self.generation += 1
        return existed

    def load(
        self,
        data: bytes | IO[bytes],
        fmt: ox.RdfFormat,
        graph: str | None = None,
        *,
        base_iri: str | None = None,
        bulk: bool = False,
        count: bool = True,
    ) -> int:
        """Add RDF to ``graph`` (or its own graphs, or the default graph); how many are new
        (0 without ``count``: two counts of the graph, which large loads can skip).

        The whole input is parsed first (a syntax error writes nothing). Without ``bulk``
        it is staged and added in one operation; ``bulk`` writes straight into the target
        graphs, faster and without staging copies (a server failure half-way leaves part
        of it, as the embedded store's bulk loader would).
        """
        raw = data if isinstance(data, bytes) else data.read()
        try:
            for _ in ox.parse(raw, format=fmt, base_iri=base_iri):
                pass
        except SyntaxError as exc:
            raise BadDataError(f"not valid {fmt.name}: {exc}") from exc
        before = self._quads_in(graph) if count else 0
        into = None if graph is None else ox.NamedNode(graph)
        staged: dict[str, str] = {}  # target graph -> staging graph

        def place(q: ox.Quad) -> ox.Quad:
            g = into or q.graph_name
            target = self._graph_iri(None if isinstance(g, ox.DefaultGraph) else g.value)
            if not bulk:
                if target not in staged:
                    staged[target] = self._staging_iri()
                target = staged[target]
            return ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(target))

        parsed = ox.parse(raw, format=fmt, base_iri=base_iri)
        if into is not None or not fmt.supports_datasets:
            parsed = (
                ox.Quad(q.subject, q.predicate, q.object, into or ox.DefaultGraph()) for q in parsed
            )
        try:
            self._write(place(q) for q in parsed)
            if staged:
                self._update_raw(self.dialect.add([(s, t) for t, s in staged.items()]))
        except BaseException:
            self._discard(list(staged.values()))
            raise
        finally:
            self.generation += 1
        self._discard(list(staged.values()))
        return self._quads_in(graph) - before if count else 0

    def _quads_in(self, graph: str | None) -> int:
        """The quads of the graph a load goes to (all of ours for a dataset or the default
        graph): counting only the target keeps other writers' work out of the answer."""
        if graph is None:
            return self.count()
        return self._count(f"GRAPH <{self._graph_iri(graph)}> {{ ?s ?p ?o }}")

    # --------------------------------------------------------------- writing triples

    def _write(self, quads: Iterable[ox.Quad]) -> int:
        """Write quads (already placed in their target graphs) in batches; how many."""
        total = 0
        with ThreadPoolExecutor(WRITERS) as pool:
            pending: list[Any] = []
            for batch in self._batches(quads):
                total += sum(len(triples) for _, triples in batch)
                pending.append(pool.submit(self._send_batch, batch))
                if len(pending) >= 2 * WRITERS:  # bounded memory: wait for the oldest
                    pending.pop(0).result()
            for future in pending:
                future.result()
        return total

    def _batches(self, quads: Iterable[ox.Quad]) -> Iterator[list[tuple[str, list[ox.Triple]]]]:
        """Canonical, checked triples as batches of (graph, triples), about CHUNK_TRIPLES a
        batch. A graph's triples with blank nodes come last, in a batch of their own: a
        blank node's label means one node only within one request."""
        buffers: dict[str, list[ox.Triple]] = {}
        with_bnodes: dict[str, list[ox.Triple]] = {}
        buffered = 0
        batch: list[ox.Quad] = []

        def sort(batch: list[ox.Quad]) -> Iterator[list[tuple[str, list[ox.Triple]]]]:
            nonlocal buffers, buffered
            for q in canonical(batch):
                self._check(q)
                t = q.triple
                target = with_bnodes if has_blank_nodes([t]) else buffers
                target.setdefault(q.graph_name.value, []).append(t)  # type: ignore[union-attr]
                buffered += target is buffers
            if buffered >= CHUNK_TRIPLES:
                yield list(buffers.items())
                buffers, buffered = {}, 0

        for q in quads:
            batch.append(q)
            if len(batch) >= CHUNK_TRIPLES:
                yield from sort(batch)
                batch = []
        yield from sort(batch)
        if buffers:
            yield list(buffers.items())
        for g, triples in with_bnodes.items():
            yield [(g, triples)]

    def _check(self, q: ox.Quad) -> None:
        if isinstance(q.object, ox.Literal):
            why = self.dialect.check_literal(q.object.value)
            if why:
                raise BadDataError(why)

    def _send_batch(self, batch: list[tuple[str, list[ox.Triple]]]) -> None:
        """One batch: a graph's many triples (or blank-node triples) by a Graph Store POST
        when the server has one, else ``INSERT DATA`` requests, several graphs in each
        (one request per small graph costs Virtuoso far more than the triples do)."""
        if self.graph_store_url and len(batch) == 1:
            graph, triples = batch[0]
            if len(triples) >= GSP_MIN_TRIPLES or has_blank_nodes(triples):
                self._post_graph(graph, triples)
                return
        for text in self._insert_requests(batch):
            self._update_raw(text)

    def _post_graph(self, graph: str, triples: list[ox.Triple]) -> None:
        """POST triples to a graph (halves when too large for one request)."""
        assert self.graph_store_url is not None
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        if len(body) > self.dialect.gsp_chunk_bytes and not has_blank_nodes(triples):
            half = len(triples) // 2
            self._post_graph(graph, triples[:half])
            self._post_graph(graph, triples[half:])
            return
        self._send(
            "POST",
            self.graph_store_url,
            params={"graph": graph},
            content=body,
            headers={"Content-Type": N_TRIPLES},
            timeout_s=WRITE_TIMEOUT_S,
        )

    def _insert_requests(self, batch: list[tuple[str, list[ox.Triple]]]) -> Iterator[str]:
        """``INSERT DATA`` texts within the dialect's block and request sizes; blank-node
        triples in one ``INSERT {...} WHERE {}`` where data blocks refuse blank nodes."""
        d = self.dialect
        blocks: list[str] = []
        size = 0
        for graph, triples in batch:
            g = f"<{graph}>"
            if not d.insert_data_bnodes and has_blank_nodes(triples):
                body = triples_as_data_block(triples)
                yield f"INSERT {{ GRAPH {g} {{\n{body}}} }} WHERE {{ }}"
                continue
            for start in range(0, len(triples), d.block_triples):
                part = triples[start : start + d.block_triples]
                block = f"GRAPH {g} {{\n" + triples_as_data_block(part) + "}\n"
                if blocks and size + len(block) > d.request_bytes:
                    yield "INSERT DATA {\n" + "".join(blocks) + "}"
                    blocks, size = [], 0
                blocks.append(block)
                size += len(block)
        if blocks:
            yield "INSERT DATA {\n" + "".join(blocks) + "}"

    # --------------------------------------------------------------- staging graphs

    def _staging_iri(self) -> str:
        """A new staging graph, entered in the ledger first (so a sweep finds it without
        scanning the store for graph names)."""
        now = int(time.time())
        iri = f"{STAGING_PREFIX}{now}:{uuid.uuid4().hex}"
        entry = f"<{iri}> <{STAGED_AT}> {now}"
        self._update_raw(f"INSERT DATA {{ GRAPH <{STAGING_LEDGER}> {{ {entry} }} }}")
        return iri

    def _unregister(self, graphs: list[str]) -> str:
        """The update removing staging graphs' ledger entries."""
        values = " ".join(f"<{g}>" for g in graphs)
        return (
            f"DELETE {{ GRAPH <{STAGING_LEDGER}> {{ ?g ?p ?o }} }} WHERE {{ "
            f"GRAPH <{STAGING_LEDGER}> {{ ?g ?p ?o }} VALUES ?g {{ {values} }} }}"
        )

    def _discard(self, graphs: list[str]) -> None:
        """Drop staging graphs and their ledger entries, quietly: a failure here loses
        nothing (the next sweep tries again)."""
        if not graphs:
            return
        with contextlib.suppress(StoreError):
            for g in graphs:
                self._update_raw(self.dialect.drop(g))
            self._update_raw(self._unregister(graphs))

    def _sweep_staging(self) -> None:
        """Drop the staging graphs of writers that died (in the ledger for over an hour)."""
        rows = self._select(
            f"SELECT ?g ?t WHERE {{ GRAPH <{STAGING_LEDGER}> {{ ?g <{STAGED_AT}> ?t }} }}"
        )
        now = time.time()
        stale = [r["g"].value for r in rows if now - int(r["t"].value) > STALE_STAGING_S]
        self._discard(stale)

    # ------------------------------------------------------------------------- reads

    def _graph_iri(self, graph: str | None) -> str:
        """The server graph holding a store graph (``None``: the default graph)."""
        if graph is None:
            if self.dialect.default_graph_iri is None:
                raise StoreError("this server's default graph cannot be written as a graph")
            return self.dialect.default_graph_iri
        return ox.NamedNode(graph).value

    def _self_descriptions(self) -> list[str]:
        """The server's own graphs found by their content: a graph describing the service
        itself (Virtuoso keeps one), and the graphs the dialect says come with it."""
        rows = self._select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a "
            "<http://www.w3.org/ns/sparql-service-description#Service> } }"
        )
        return self.dialect.server_graphs(
            r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode)
        )

    def has_graph(self, graph: str) -> bool:
        """Whether a named graph holds triples (servers keep no empty graphs)."""
        result = self.query(f"ASK {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
        return bool(result)

    def _graph_sizes(self) -> dict[str, int]:
        rows = self._select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        )
        return {
            r["g"].value: int(r["n"].value)
            for r in rows
            if not r["g"].value.startswith(STAGING_PREFIX) and r["g"].value not in self.hidden
        }

    def optimize(self) -> None:
        """Nothing to do: the server keeps its own files."""

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs (not the server's own, not staging graphs)."""
        sizes = self._graph_sizes()
        sizes.pop(self.dialect.default_graph_iri or "", None)
        return sorted(sizes)

    def graph_triples(self, graph: str | None) -> list[ox.Triple]:
        """All triples of one graph (``None``: the default graph)."""
        g = ox.NamedNode(self._graph_iri(graph))
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
        return list(result)  # type: ignore[arg-type]

    def count(self) -> int:
        """The number of quads (the default graph included; not the server's own graphs nor
        staging graphs). One COUNT over the store, less the few graphs that are not ours:
        grouping by graph would read every quad's graph (minutes at 10M on Virtuoso)."""
        total = self._count("GRAPH ?g { ?s ?p ?o }")
        staging = self._select(f"SELECT ?g WHERE {{ GRAPH <{STAGING_LEDGER}> {{ ?g ?p ?o }} }}")
        for g in [*self.hidden, *(r["g"].value for r in staging)]:
            total -= self._count(f"GRAPH <{g}> {{ ?s ?p ?o }}")
        return total

    def _count(self, pattern: str) -> int:
        row = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")[0]
        return int(row["n"].value)

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """All quads serialized in a dataset format (TriG, N-Quads).

        Read a few graphs at a time (about DUMP_TRIPLES triples a request), so neither the
        server's answer nor the parsed rows of a large store are held all at once.
        """
        if not fmt.supports_datasets:
            raise StoreError(f"{fmt.name} cannot hold named graphs; use TriG or N-Quads")
        default = self.dialect.default_graph_iri
        batches: list[list[str]] = [[]]
        size = 0
        for graph, n in sorted(self._graph_sizes().items()):
            if batches[-1] and size + n > DUMP_TRIPLES:
                batches.append([])
                size = 0
            batches[-1].append(graph)
            size += n
        out = io.BytesIO()
        for batch in batches:
            if not batch:
                continue
            values = " ".join(str(ox.NamedNode(g)) for g in batch)
            result = self.query(
                f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
            )
            quads = (
                ox.Quad(
                    r["s"], r["p"], r["o"], ox.DefaultGraph() if r["g"].value == default else r["g"]
                )
                for r in result  # type: ignore[union-attr]
            )
            ox.serialize(quads, out, format=fmt)
        return out.getvalue()

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()


# A literal in SPARQL XML results beginning or ending with whitespace (its text holds no "<").
_EDGE_SPACE = re.compile(rb"(<literal[^>]*>)([ \t\r\n][^<]*|[^<]*[ \t\r\n])(</literal>)")
_SPACE = b" \t\r\n"


def _as_char_refs(m: re.Match[bytes]) -> bytes:
    text = m[2]
    core = text.strip(_SPACE)
    lead = text[: len(text) - len(text.lstrip(_SPACE))]
    trail = text[len(lead) + len(core) :]
    refs = [b"".join(b"&#%d;" % c for c in s) for s in (lead, trail)]
    return m[1] + refs[0] + core + refs[1] + m[3]


def keep_edge_spaces(body: bytes) -> bytes:
    """SPARQL XML results whose literals keep the whitespace they begin or end with.

    pyoxigraph 0.5's XML results parser trims a literal's text (``"2022-12-29 – "`` came
    back without its last space) but not character references, so edge whitespace is
    written as references first (about 0.2 s per 60 MB).

    >>> keep_edge_spaces(b"<literal xml:lang='en'> a b\\n</literal><uri> x </uri>")
    b"<literal xml:lang='en'>&#32;a b&#10;</literal><uri> x </uri>"
    >>> keep_edge_spaces(b"<literal>  </literal><literal>a</literal>")
    b'<literal>&#32;&#32;</literal><literal>a</literal>'
    """
    return _EDGE_SPACE.sub(_as_char_refs, body)


def _boolean(value: bool) -> ox.QueryBoolean:
    """An ASK answer as pyoxigraph's result type.

    >>> bool(_boolean(False))
    False
    """
    word = "true" if value else "false"
    xml = f'<sparql xmlns="{RESULTS_NS}"><head/><boolean>{word}</boolean></sparql>'
    return ox.parse_query_results(xml, format=ox.QueryResultsFormat.XML)  # type: ignore[return-value]


class RemoteRunner:
    """Runs the service's query jobs on a remote store (a :class:`kg.store.workers.QueryRunner`).

    There is no worker process to kill: the server is given the deadline (its own time
    limit parameter) and the HTTP request ends at it, so the client gets the same 503 at
    the same moment as on the embedded store. Blocking: call it from a thread.
    """

    def __init__(self, store: RemoteStore) -> None:
        self.store = store

    def run(self, job: QueryJob, timeout_s: float) -> Answer:
        """Run ``job``; raises :class:`JobError` like the worker pool does."""
        deadline = time.monotonic() + timeout_s
        job, meta = prepared(job, self.store)
        try:
            result = self.store.query(
                job.sparql,
                default_graph=list(job.default_graph) if job.default_graph is not None else None,
                named_graphs=list(job.named_graphs) if job.named_graphs is not None else None,
                union_default=job.union_default,
                base_iri=job.base_iri,
                timeout_s=timeout_s,
                max_bytes=4 * job.max_bytes,  # the server's XML is larger than what we send
            )
        except QuerySyntaxError as exc:
            raise JobError("syntax", str(exc)) from exc
        except QueryTimeoutError as exc:
            raise JobError("timeout", str(exc)) from exc
        except StoreUnavailableError as exc:
            raise JobError("unavailable", str(exc)) from exc
        except ResultTooLargeError as exc:
            raise JobError("too-large", str(exc)) from exc
        except StoreError as exc:
            raise JobError("failed", str(exc)) from exc
        chunks: list[bytes] = []
        media = serialize_into(result, job, lambda data, first, media: chunks.append(data))
        if time.monotonic() > deadline:
            raise JobError("timeout", "the query ran out of time")
        return Answer(media, b"".join(chunks), iter(()), meta=meta)

    def close(self) -> None:
        """Nothing to stop (the store closes its own connections)."""
