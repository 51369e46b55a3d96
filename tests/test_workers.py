"""The query worker processes (kg/store/workers.py) over a real on-disk store: every query
sees the writes before it, and after a write the idle workers reopen the store at once."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest

from kg.store.oxigraph import OxigraphStore
from kg.store.workers import JobError, ProcessPool, QueryJob, Warmer, _worker_main
from tests.adversarial import MEMORY_HUNGRY_QUERY as HUNGRY
from tests.conftest import alive, cpu_seconds

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
    store.write_listeners.append(lambda _generation, _touched: warmer.notify())
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


def test_a_worker_busy_with_a_long_query_ends_when_its_service_is_killed(tmp_path: Path) -> None:
    """kill -9 of the process that owns a pool, while a worker computes: the worker must not
    compute on (it reads no pipe until its query ends, so only its parent watch stops it)."""
    store = OxigraphStore(tmp_path / "store")
    triples = " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(300))
    store.update(f"INSERT DATA {{ GRAPH <urn:g> {{ {triples} }} }}")
    store.close()
    # 300^4 combinations: minutes of work for one worker.
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    owner = (
        "import sys, time\n"
        "from kg.store.workers import ProcessPool, QueryJob\n"
        "pool = ProcessPool(sys.argv[1], 1)\n"
        "print(pool._idle[0].process.pid, flush=True)\n"
        f"pool.run(QueryJob({slow!r}, {JSON!r}, None), 600)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", owner, str(tmp_path / "store")], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    worker = int(proc.stdout.readline())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and cpu_seconds(worker) < 0.5:
        time.sleep(0.1)  # the worker is computing the query
    assert cpu_seconds(worker) >= 0.5, "the worker never started the query"
    proc.kill()
    proc.wait(10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and alive(worker):
        time.sleep(0.1)
    assert not alive(worker), "the worker computes on after its service was killed"


def test_a_query_past_the_memory_bound_fails_and_the_pool_goes_on(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "store").close()
    pool = ProcessPool(str(tmp_path / "store"), 1, memory_mb=300)
    try:
        with pytest.raises(JobError) as err:
            pool.run(QueryJob(HUNGRY, JSON, None), 60)
        assert err.value.kind == "memory" and "300 MB" in err.value.message
        assert pool.replaced == 1
        assert json.loads(pool.run(QueryJob("ASK {}", JSON, None), 30).first)["boolean"] is True
    finally:
        pool.close()
