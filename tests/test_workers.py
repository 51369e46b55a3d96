"""The query worker processes (kg/store/workers.py) over a real on-disk store: every query
sees the writes before it, and after a write the idle workers reopen the store at once."""

from __future__ import annotations

import json
import time
from pathlib import Path

from kg.store.oxigraph import OxigraphStore
from kg.store.workers import ProcessPool, QueryJob, Warmer

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
