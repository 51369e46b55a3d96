"""The query worker processes (kg/store/workers.py) over a real on-disk store: every query
sees the writes before it, and after a write the idle workers reopen the store at once."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path

import anyio
import pytest

from kg.store.oxigraph import OxigraphStore
from kg.store.workers import JobError, ProcessPool, QueryJob, Warmer, _worker_main

JSON = "application/sparql-results+json"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(pool: ProcessPool, store: OxigraphStore) -> int:
    job = QueryJob(COUNT, JSON, None, generation=store.generation)
    answer = pool.run(job, 30)
    return int(json.loads(answer.first)["results"]["bindings"][0]["n"]["value"])


def write(store: OxigraphStore, n: int) -> None:
    store.update(f"INSERT DATA {{ GRAPH <urn:test:g> {{ <urn:test:s> <urn:test:p> {n} }} }}")


def test_queries_see_every_write_before_them_while_flushing(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.flush_writes = True  # as the service has it: flushes and compactions under readers
    pool = ProcessPool(str(store.path), 2)
    try:
        for n in range(1, 41):
            write(store, n)
            assert count(pool, store) == n
    finally:
        pool.close()
        store.close()


def test_after_a_write_the_idle_workers_reopen_the_store_at_once(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    pool = ProcessPool(str(store.path), 2)
    assert pool.idle_generations() == [-1, -1]
    assert pool.warm(store.generation) == 2  # both open the store at its generation
    assert pool.warm(store.generation) == 0  # already there: nothing to do
    warmer = Warmer(store, [pool])
    store.on_write = warmer.notify
    try:
        write(store, 1)
        write(store, 2)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and pool.idle_generations() != [2, 2]:
            time.sleep(0.05)
        assert pool.idle_generations() == [store.generation] * 2  # no query asked for it
        assert count(pool, store) == 2
    finally:
        warmer.close()
        pool.close()
        store.close()


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { %s } VALUES ?b { %s } VALUES ?c { %s } }" % (
    (" ".join(str(i) for i in range(400)),) * 3
)  # 64M combinations: seconds of work


def test_run_async_answers_streams_and_stops_at_the_deadline(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    write(store, 1)
    pool = ProcessPool(str(store.path), 2)
    nums = " ".join(str(i) for i in range(400))
    big = f"SELECT ?a ?b {{ VALUES ?a {{ {nums} }} VALUES ?b {{ {nums} }} }}"  # about 2 MB

    async def scenario() -> None:
        small = await pool.run_async(QueryJob(COUNT, JSON, None, generation=1), 30)
        assert small.complete and b'"value":"1"' in small.first
        streamed = await pool.run_async(QueryJob(big, "text/tab-separated-values", None), 30)
        body = streamed.first + b"".join(streamed.rest)
        assert not streamed.complete and body.count(b"\n") == 160_001
        # uvloop leaves a watched pipe non-blocking unless it is set back; a large message
        # read from it then fails whenever the reader overtakes the worker writing it.
        assert all(os.get_blocking(w.conn.fileno()) for w in pool._idle)
        started = time.monotonic()
        with pytest.raises(JobError) as stopped:
            await pool.run_async(QueryJob(SLOW, JSON, None), 0.5)
        assert stopped.value.kind == "timeout" and time.monotonic() - started < 5
        with anyio.move_on_after(0.3):  # the client went away: the worker must not stay busy
            await pool.run_async(QueryJob(SLOW, JSON, None), 30)
        threaded = await anyio.to_thread.run_sync(pool.run, QueryJob(big, JSON, None), 30)
        assert threaded.first.startswith(b'{"head"')
        assert b"".join(threaded.rest).endswith(b"]}}")

    try:
        anyio.run(scenario, backend_options={"use_uvloop": True})
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and pool.replaced < 2:
            time.sleep(0.05)
        assert pool.replaced == 2  # the timed-out and the abandoned workers
        assert count(pool, store) == 1  # both replacements answer
        assert count(pool, store) == 1
    finally:
        pool.close()
        store.close()


def test_a_worker_whose_service_is_gone_stops_quietly(tmp_path: Path) -> None:
    # The service killed mid-answer: the worker's next send meets a broken pipe. It used to
    # raise from the error path (a traceback on the terminal from every worker) instead.
    OxigraphStore(tmp_path / "store").close()
    service_end, worker_end = multiprocessing.Pipe()
    service_end.send(QueryJob(COUNT, JSON, None))
    service_end.close()
    _worker_main(str(tmp_path / "store"), worker_end)  # returns; raises nothing
