"""Queries in worker processes that can be killed at their deadline.

pyoxigraph's ``Store.query`` takes no timeout, and an aggregate over a cross product yields
nothing until it is done, so a thread cannot stop it. Each worker process opens the on-disk
store with ``Store.read_only`` and answers one job at a time over a pipe; the pool kills a
worker whose job outlives its deadline and starts a fresh one in its place.

A read-only store sees the writes made before it was opened, not after. Every write bumps
:attr:`kg.store.oxigraph.OxigraphStore.generation`; a job carries the generation it must see and
a worker whose store is older reopens it first.

Results come back already serialized: the first message is an error, or the start of the
body (a whole small result in one message); a large body follows in chunks, so it streams.
An in-memory store cannot be opened by a second process: :class:`ThreadRunner` then runs the
job in a thread of this process, with the same interface but no hard stop at the deadline.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from typing import Any, Protocol

import anyio
import pyoxigraph as ox

from kg.procs import set_name, watch_parent

FIRST_CHUNK = 1 << 20  # a result this small is answered whole, errors and all
CHUNK = 1 << 20


@dataclass(frozen=True)
class QueryJob:
    """One SPARQL query and how to answer it (plain data: it crosses a process boundary).

    ``prepare``, when given, makes the query text where the query runs: called with the store
    (read-only, its default graph the union of all), it returns the text and what goes back
    with the answer (:attr:`Answer.meta`). A named query's parameters are bound so, in the
    worker, which saves the service a thread and the lookups (kg.queries.bind_for_job). It
    must pickle: a module-level function, or a ``functools.partial`` of one.
    """

    sparql: str
    solutions_media: str | None  # the chosen media type for SELECT/ASK results, if any
    graph_media: str | None  # the chosen media type for CONSTRUCT/DESCRIBE results, if any
    default_graph: tuple[str, ...] | None = None  # "" names the store's default graph
    named_graphs: tuple[str, ...] | None = None
    union_default: bool = True
    base_iri: str | None = None
    max_bytes: int = 1 << 30
    generation: int = 0
    prepare: Callable[[Any], tuple[str, Any]] | None = None


class JobError(Exception):
    """A job failed before its body started; ``kind`` says why.

    Kinds: ``syntax`` (bad query), ``failed`` (evaluation error), ``format`` (no acceptable
    format for this kind of result; ``detail`` is 'solutions' or 'graph'), ``too-large``,
    ``timeout``, ``crashed``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.streamed = False  # in a worker: part of the answer had been sent already
        self.message = message


@dataclass
class Answer:
    """The start of a successful answer: its media type, first bytes, and the rest."""

    media_type: str
    first: bytes
    rest: Iterator[bytes]  # blocking; may raise JobError (a stream cut short)
    complete: bool = True  # ``first`` is the whole body; ``rest`` is empty
    # Where the time went, for the Server-Timing header: (step, milliseconds, note).
    timing: list[Step] = field(default_factory=list)
    meta: Any = None  # what the job's ``prepare`` gave back (whole answers only)


Step = tuple[str, float, str]


def steps(started: float, taken: float, reopened: bool) -> list[Step]:
    """The pool's steps of a job: waiting for a worker from ``started`` to ``taken``, then the
    worker's time until now (its first message), noting whether it reopened the store."""
    now = time.monotonic()
    note = "reopened the store" if reopened else ""
    return [("wait", (taken - started) * 1000, ""), ("worker", (now - taken) * 1000, note)]


class QueryRunner(Protocol):
    """Runs :class:`QueryJob` s (blocking calls: use them from a thread)."""

    def run(self, job: QueryJob, timeout_s: float) -> Answer:
        """Start a job; raises :class:`JobError`, or answers once the first bytes exist."""
        ...

    def close(self) -> None:
        """Stop the workers."""
        ...


# ---------------------------------------------------------------------------- the job itself


class _TooLarge(Exception):
    pass


class _Sink:
    """A file-like ``write`` target that hands bytes on in chunks and enforces a size cap."""

    def __init__(self, emit: Any, max_bytes: int) -> None:
        self.emit = emit  # emit(bytes, first: bool, media_type)
        self.media = ""
        self.max_bytes = max_bytes
        self.buffer = bytearray()
        self.total = 0
        self.started = False

    def write(self, data: bytes) -> int:
        """Take serializer output; hand on a chunk when enough is buffered."""
        self.total += len(data)
        if self.total > self.max_bytes:
            raise _TooLarge
        self.buffer += data
        limit = CHUNK if self.started else FIRST_CHUNK
        if len(self.buffer) >= limit:
            self._flush()
        return len(data)

    def _flush(self) -> None:
        self.emit(bytes(self.buffer), not self.started, self.media)
        self.started = True
        self.buffer.clear()

    def flush(self) -> None:  # called by serializers; chunking is ours
        """Ignored: chunk boundaries are ours to choose."""
        pass

    def finish(self) -> None:
        """Hand on what is left (an empty result is still one message)."""
        if self.buffer or not self.started:
            self._flush()


class UnionView:
    """A pyoxigraph store seen as a job's ``prepare`` sees every store: ``query(sparql)``
    over the union of its graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(self, sparql: str) -> Any:
        """The query's result, the default graph being the union of all graphs."""
        return self.store.query(sparql, use_default_graph_as_union=True)


def prepared(job: QueryJob, store: Any) -> tuple[QueryJob, Any]:
    """``job`` with its text made by its ``prepare`` on ``store`` (a :class:`JobError` for
    a failure), and what ``prepare`` gives back; a job without ``prepare`` as it is."""
    if job.prepare is None:
        return job, None
    try:
        text, meta = job.prepare(store)  # its own JobError (a bad argument) goes through
    except (OSError, ValueError, RuntimeError) as exc:
        raise JobError("failed", str(exc)) from exc
    return replace(job, sparql=text, prepare=None), meta


def execute(store: ox.Store, job: QueryJob, emit: Any) -> tuple[str, Any]:
    """Run ``job`` on ``store``, calling ``emit(chunk, first, media)``; returns the media type
    and what the job's ``prepare`` gave back.

    Raises :class:`JobError` when nothing has been emitted yet, else ``JobError`` with kind
    ``cut`` (the body stopped mid-way).
    """
    job, meta = prepared(job, UnionView(store))
    kwargs: dict[str, Any] = {"base_iri": job.base_iri}
    try:
        if job.default_graph is not None:
            kwargs["default_graph"] = [
                ox.DefaultGraph() if g == "" else ox.NamedNode(g) for g in job.default_graph
            ]
        elif job.union_default:
            kwargs["use_default_graph_as_union"] = True
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
        result = store.query(job.sparql, **kwargs)
    except SyntaxError as exc:
        raise JobError("syntax", str(exc)) from exc
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise JobError("failed", str(exc)) from exc
    return serialize_into(result, job, emit), meta


def serialize_into(result: Any, job: QueryJob, emit: Any) -> str:
    """Write a query result in the job's media type through ``emit`` (as :func:`execute`)."""
    solutions = isinstance(result, ox.QuerySolutions | ox.QueryBoolean)
    media = job.solutions_media if solutions else job.graph_media
    if media is None:
        raise JobError("format", "solutions" if solutions else "graph")
    sink = _Sink(emit, job.max_bytes)
    sink.media = media
    try:
        if solutions:
            result.serialize(sink, ox.QueryResultsFormat.from_media_type(media))  # type: ignore[union-attr]
        else:
            ox.serialize(result, sink, ox.RdfFormat.from_media_type(media))  # type: ignore[arg-type]
        sink.finish()
    except _TooLarge as exc:
        kind = "cut" if sink.started else "too-large"
        raise JobError(kind, f"the result is larger than {job.max_bytes} bytes") from exc
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        kind = "cut" if sink.started else "failed"
        raise JobError(kind, str(exc)) from exc
    return media


# ---------------------------------------------------------------------- worker processes


OPEN_ATTEMPTS = 6
WARM_QUERY = "ASK {}"  # what a worker runs to open the store at a new generation (ProcessPool.warm)


def open_read_only(path: str) -> ox.Store:
    """Open the store read-only, again if a compaction removed a file the open was reading
    (seen here: RuntimeError 'Corruption: ... No such file or directory' on an open while the
    writer flushed and compacted; the next open reads the new file list).

    An open that still fails raises :class:`OSError`."""
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return ox.Store.read_only(path)
        except RuntimeError as exc:
            if attempt == OPEN_ATTEMPTS - 1:
                raise OSError(str(exc)) from exc
            time.sleep(0.025 * (attempt + 1))  # a compaction under way ends meanwhile
    raise AssertionError("unreachable")


def _worker_main(
    path: str,
    conn: Connection,
    nice: int = 0,
    parent: int = 0,
    memory_mb: int = 0,
    name: str = "",
) -> None:
    """A worker's loop: receive a job, answer it with messages, repeat until told to stop
    (or until the pipe breaks: the service is gone, killed or stopped mid-answer).

    A worker in the middle of a long query reads no pipe: it watches ``parent`` instead, so
    that a service killed, or stopped with a query running, does not leave it computing (one
    was seen at 100% CPU for 17 minutes after its service ended, in a whole-store check of a
    10M-triple store). pyoxigraph releases the GIL while it evaluates, so the watch runs.

    ``memory_mb`` bounds what the worker may allocate (RLIMIT_DATA: the heap, not the store's
    mapped files). A query that needs more makes pyoxigraph abort the process, which the pool
    reports as a ``memory`` error and replaces; the service and the other workers go on."""
    if parent:
        watch_parent(parent)
    if name:
        set_name(name)
    if memory_mb:
        hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
        resource.setrlimit(resource.RLIMIT_DATA, (memory_mb << 20, hard))
    if nice:
        os.nice(nice)  # background work (the pages' whole-store checks): others come first
    store: ox.Store | None = None
    generation = -1
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            store, generation = _run_job(path, conn, job, store, generation)
        except (BrokenPipeError, ConnectionResetError):
            return  # nobody reads the answer any more


def _run_job(
    path: str, conn: Connection, job: QueryJob, store: ox.Store | None, generation: int
) -> tuple[ox.Store | None, int]:
    """Answer one job (reopening the store at the job's generation); the store kept after."""
    for attempt in range(2):
        try:
            if store is None or job.generation != generation:
                store = None  # release the old handle before opening the new one
                store = open_read_only(path)
                generation = job.generation
            _answer(conn, store, job)
        except JobError as exc:
            retry = not exc.streamed and files_gone(exc.message)
            if attempt == 0 and exc.kind == "failed" and retry:
                store = None  # opened before a compaction removed its files: reopen
                continue
            conn.send(("error", exc.kind, exc.message))
        except (BrokenPipeError, ConnectionResetError):
            raise
        except OSError as exc:  # the store could not be (re)opened
            store = None
            conn.send(("error", "crashed", f"cannot open the store: {exc}"))
        break
    return store, generation


def files_gone(message: str) -> bool:
    """Whether a query failed because the store's files changed under a read-only handle
    (RocksDB opens table files lazily; the writer's compactions delete old ones).

    >>> files_gone("IO error: No such file or directory: While open a file: st/001720.sst")
    True
    >>> files_gone("Unbound variable ?x")
    False
    """
    return "No such file or directory" in message


def _answer(conn: Connection, store: ox.Store, job: QueryJob) -> None:
    """Run one job and send its answer; a :class:`JobError` says whether part was sent."""
    pending: list[tuple] = []
    sent = [0]

    def emit(data: bytes, first: bool, media: str) -> None:
        # Hold the first chunk back: if nothing follows, it goes with "end", so a small
        # answer costs one message (and a job that fails before a second chunk sent nothing).
        if pending:
            conn.send(pending.pop())
            sent[0] += 1
        pending.append(("first", data, media) if first else ("chunk", data))

    try:
        media, meta = execute(store, job, emit)
    except JobError as exc:
        exc.streamed = sent[0] > 0  # part of the answer is out: it cannot be run again
        raise
    last = pending.pop()
    if last[0] == "first":
        conn.send(("whole", last[1], media, meta))
    else:
        conn.send(last)
        conn.send(("end", media, meta))


class _Worker:
    def __init__(
        self, ctx: Any, path: str, nice: int = 0, memory_mb: int = 0, name: str = ""
    ) -> None:
        self.generation = -1  # of the last job sent: the store generation it has open
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main,
            args=(path, child, nice, os.getpid(), memory_mb, name),
            daemon=True,
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        """Stop the process at once and close its pipe."""
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class ProcessPool:
    """A warm pool of query worker processes over the on-disk store at ``path`` (``nice``:
    how much lower than this process's their CPU priority is; ``memory_mb``: what each may
    allocate, 0 for no bound; ``name``: the workers' process name, see
    :func:`kg.procs.set_name`)."""

    def __init__(
        self,
        path: str,
        size: int | None = None,
        *,
        nice: int = 0,
        memory_mb: int = 0,
        name: str = "",
    ) -> None:
        self.path = path
        self.size = size or max(2, os.cpu_count() or 2)
        self.nice = nice
        self.memory_mb = memory_mb
        self.name = name
        self._ctx = multiprocessing.get_context("spawn")  # no fork of a threaded process
        self._idle = [self._new_worker() for _ in range(self.size)]
        self._free = threading.Semaphore(self.size)
        self._lock = threading.Lock()
        self.replaced = 0

    def _take(self, deadline: float) -> _Worker:
        if not self._free.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise JobError("timeout", "no query worker became free before the deadline")
        with self._lock:
            return self._idle.pop()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)
        self._free.release()

    def _new_worker(self) -> _Worker:
        return _Worker(self._ctx, self.path, self.nice, self.memory_mb, self.name)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self.replaced += 1
        self._give_back(self._new_worker())

    def _died(self, worker: _Worker) -> JobError:
        """Replace a worker found dead; the error to answer with (why it died, if known)."""
        self._replace(worker)
        if self.memory_mb and worker.process.exitcode == -signal.SIGABRT:
            # pyoxigraph aborts when an allocation fails: here, past the bound.
            return JobError(
                "memory", f"the query needed more than the {self.memory_mb} MB a worker may use"
            )
        return JobError("crashed", "the query worker died")

    def _receive(self, worker: _Worker, deadline: float) -> tuple:
        if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
            self._replace(worker)
            raise JobError("timeout", "the query ran out of time and was stopped")
        try:
            return worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise self._died(worker) from exc

    def run(self, job: QueryJob, timeout_s: float) -> Answer:
        """Start ``job`` on a free worker (see :class:`QueryRunner`)."""
        started = time.monotonic()
        deadline = started + timeout_s
        worker = self._take(deadline)
        taken = time.monotonic()
        reopened = worker.generation != job.generation
        answer = self._run_on(worker, job, deadline)
        answer.timing = steps(started, taken, reopened)
        return answer

    def _send(self, worker: _Worker, job: QueryJob) -> None:
        try:
            worker.conn.send(job)
            worker.generation = job.generation
        except (OSError, ValueError) as exc:
            raise self._died(worker) from exc

    def _run_on(self, worker: _Worker, job: QueryJob, deadline: float) -> Answer:
        """Run ``job`` on ``worker`` (taken from the idle ones; given back, or replaced)."""
        self._send(worker, job)
        return self._answer_from(worker, self._receive(worker, deadline), deadline)

    async def run_async(self, job: QueryJob, timeout_s: float) -> Answer:
        """As :meth:`run`, called from the event loop: with a worker idle, the job is sent
        and its first message awaited on the loop, without a thread (a thread hop and its
        GIL waits cost about 0.2 ms a query here). With none idle (waiting for one blocks),
        or for an answer that streams, the rest is done in a thread."""
        if not self._free.acquire(blocking=False):
            return await anyio.to_thread.run_sync(self.run, job, timeout_s)
        taken = time.monotonic()
        deadline = taken + timeout_s
        with self._lock:
            worker = self._idle.pop()
        reopened = worker.generation != job.generation
        self._send(worker, job)  # a pickled job: the idle worker is reading it at once
        ready = False
        try:
            with anyio.move_on_after(max(0.0, deadline - time.monotonic())):
                await anyio.wait_readable(worker.conn)
                ready = True
        finally:
            # uvloop leaves a watched descriptor non-blocking; recv and poll need it blocking.
            os.set_blocking(worker.conn.fileno(), True)
            if not ready:  # deadline, or the request was cancelled: the worker is busy
                threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
        if not ready:
            raise JobError("timeout", "the query ran out of time and was stopped")
        try:
            # The worker has sent its first message (at most FIRST_CHUNK, written at once).
            message = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise await anyio.to_thread.run_sync(self._died, worker) from exc
        if message[0] in ("error", "whole"):
            answer = self._answer_from(worker, message, deadline)
        else:
            answer = await anyio.to_thread.run_sync(self._answer_from, worker, message, deadline)
        answer.timing = steps(taken, taken, reopened)
        return answer

    def _answer_from(self, worker: _Worker, message: tuple, deadline: float) -> Answer:
        """The answer that starts with ``message`` (blocking when more messages follow)."""
        if message[0] == "error":
            self._give_back(worker)
            raise JobError(message[1], message[2])
        if message[0] == "whole":  # the common case: the whole answer in one message
            self._give_back(worker)
            return Answer(message[2], message[1], iter(()), meta=message[3])
        first = message[1]
        last = self._receive(worker, deadline)
        if last[0] == "end":  # the common case: the whole answer in one message
            self._give_back(worker)
            return Answer(last[1], first, iter(()), meta=last[2])
        return self._stream(worker, message[2], first, last, deadline)

    def idle_generations(self) -> list[int]:
        """The store generation each idle worker has open (-1: not opened yet)."""
        with self._lock:
            return sorted(w.generation for w in self._idle)

    def warm(self, generation: int, timeout_s: float = 60) -> int:
        """Have the idle workers reopen the store at ``generation`` now (after a write), one
        at a time, so that the next queries find it open; returns how many did. A busy
        worker reopens at its next job, as always."""
        job = QueryJob(WARM_QUERY, "application/sparql-results+json", None, generation=generation)
        warmed = 0
        for _ in range(self.size):
            if not self._free.acquire(blocking=False):
                return warmed
            with self._lock:
                stale = [w for w in self._idle if w.generation != generation]
                if stale:
                    self._idle.remove(stale[0])
            if not stale:
                self._free.release()
                return warmed
            try:
                self._run_on(stale[0], job, time.monotonic() + timeout_s)
                warmed += 1
            except JobError:
                pass  # the worker was replaced, or the store could not be opened: as for queries
        return warmed

    def _stream(
        self, worker: _Worker, media: str, first: bytes, pending: tuple, deadline: float
    ) -> Answer:
        messages: list[tuple] = [pending]

        def rest() -> Iterator[bytes]:
            done = False
            try:
                while True:
                    message = messages.pop() if messages else self._receive(worker, deadline)
                    if message[0] == "chunk":
                        yield message[1]
                    elif message[0] == "end":
                        done = True
                        self._give_back(worker)
                        return
                    else:
                        done = True
                        self._give_back(worker)
                        raise JobError(message[1], message[2])
            finally:
                if not done and worker.process.is_alive():
                    # Abandoned mid-stream (client gone): the worker is still writing.
                    self._replace(worker)

        return Answer(media, first, rest(), complete=False)

    def close(self) -> None:
        """Stop every idle worker (busy ones are daemons and die with this process)."""
        with self._lock:
            for worker in self._idle:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
                worker.process.join(2)
                if worker.process.is_alive():
                    worker.kill()
            self._idle.clear()


class Warmer:
    """Keeps the pools' idle workers open at the store's latest generation: after each write
    (:meth:`notify`, called by the writer), a thread of its own has them reopen the store, so
    that the reopen (10-50 ms on the load store) is off the next queries' path."""

    def __init__(self, store: Any, pools: list[ProcessPool]) -> None:
        self.store = store  # anything with a ``generation``
        self.pools = pools
        self._event = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="kg-warmer", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        """A write happened (cheap: the work is the warmer thread's)."""
        self._event.set()

    def _loop(self) -> None:
        set_name("kg-warmer")
        while True:
            self._event.wait()
            if self._closed:
                return
            self._event.clear()
            for pool in self.pools:
                pool.warm(self.store.generation)

    def close(self) -> None:
        """Stop the thread."""
        self._closed = True
        self._event.set()
        self._thread.join(1)


class ThreadRunner:
    """Runs jobs in the calling thread on an in-process store (``:memory:``).

    There is no second process to kill: a job past its deadline is answered as a timeout
    when it finishes, but its work is not stopped. Meant for tests and small stores only.
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def run(self, job: QueryJob, timeout_s: float) -> Answer:
        """Run ``job`` to completion (see :class:`QueryRunner`)."""
        started = time.monotonic()
        chunks: list[bytes] = []
        media, meta = execute(self.store, job, lambda data, first, media: chunks.append(data))
        if time.monotonic() - started > timeout_s:
            raise JobError("timeout", "the query ran out of time")
        return Answer(media, b"".join(chunks), iter(()), meta=meta)

    def close(self) -> None:
        """Nothing to stop."""
