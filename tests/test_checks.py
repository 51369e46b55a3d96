"""The pages' whole-store checks (kg/service/checks.py): one computation for many readers,
stale while revalidating, said on the page; and the store's quad count kept across writes."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.ingest import load_shipped_data
from kg.queries import load_named_queries
from kg.service.checks import NAMES, WholeStoreChecks
from kg.service.pages import checked_note
from kg.settings import Settings
from kg.store import open_store
from kg.store.oxigraph import OxigraphStore
from kg.store.workers import Answer, QueryJob, ThreadRunner
from tests.conftest import RunningService

TOKEN = "checks-token"
STOLTENBERG = "/id/person/jens-stoltenberg"  # a conflict in the shipped data alone
STALE = "the store has changed since"


class CountingRunner(ThreadRunner):
    """The in-process runner, counting the jobs it runs (and running them slowly enough
    that concurrent readers overlap the computation)."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self.jobs = 0
        self._lock = threading.Lock()

    def run(self, job: QueryJob, timeout_s: float) -> Answer:
        with self._lock:
            self.jobs += 1
        time.sleep(0.05)
        return super().run(job, timeout_s)


def write(store: OxigraphStore, n: int) -> None:
    store.update(f"INSERT DATA {{ GRAPH <urn:test:g> {{ <urn:test:s> <urn:test:p> {n} }} }}")


@pytest.fixture
def shipped(settings: Settings) -> Iterator[OxigraphStore]:
    store = open_store(":memory:")
    load_shipped_data(store, settings)
    yield store  # type: ignore[misc]
    store.close()


@contextlib.contextmanager
def checks_over(
    store: OxigraphStore, settings: Settings, refresh_s: float
) -> Iterator[tuple[WholeStoreChecks, CountingRunner]]:
    runner = CountingRunner(store.raw)
    queries = load_named_queries(settings.queries_dir)
    checks = WholeStoreChecks(store, queries, runner, refresh_s=refresh_s, timeout_s=60)
    try:
        yield checks, runner
    finally:
        checks.close()


def wait_until(condition, seconds: float = 30) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_many_readers_after_a_write_share_one_computation(shipped, settings):
    with checks_over(shipped, settings, refresh_s=0) as (checks, runner):
        first = checks.current()
        assert first.generation == shipped.generation
        assert first.get("conflicts").rows  # the shipped data has conflicts (Stoltenberg)
        assert runner.jobs == len(NAMES)
        write(shipped, 1)
        with ThreadPoolExecutor(16) as pool:
            seen = list(pool.map(lambda _: checks.current(), range(16)))
        assert {s.generation for s in seen} == {shipped.generation}
        assert runner.jobs == 2 * len(NAMES)  # one more computation for all sixteen
        assert checks.refreshes == 2


def test_readers_do_not_wait_and_the_page_says_the_checks_are_stale(shipped, settings):
    with checks_over(shipped, settings, refresh_s=3600) as (checks, runner):
        assert wait_until(lambda: checks.refreshes == 1)
        before = checks.current()
        write(shipped, 1)
        write(shipped, 2)
        started = time.monotonic()
        after = checks.current()
        assert time.monotonic() - started < 1  # answered from the snapshot
        assert after is before and runner.jobs == len(NAMES)
        note = checked_note(after, shipped.generation, 3600)
        assert f"{STALE} (2 writes)" in note and "every 3600 s" in note
        assert STALE not in checked_note(after, after.generation, 3600)


def test_the_checks_catch_up_after_the_interval(shipped, settings):
    with checks_over(shipped, settings, refresh_s=0.2) as (checks, runner):
        assert wait_until(lambda: checks.refreshes == 1)
        write(shipped, 1)
        assert wait_until(lambda: checks.current().generation == shipped.generation)
        time.sleep(0.5)  # nothing changed since: nothing more is computed
        assert checks.refreshes == 2 and runner.jobs == 2 * len(NAMES)


def test_a_failed_refresh_keeps_the_last_rows_and_says_so(shipped, settings):
    with checks_over(shipped, settings, refresh_s=0) as (checks, _):
        good = checks.current()
        checks.timeout_s = 0  # every job now runs out of time
        write(shipped, 1)
        failed = checks.current()
        assert failed.error and "timeout" in failed.error
        assert failed.generation == good.generation
        assert failed.get("conflicts").rows == good.get("conflicts").rows
        assert "the latest check failed" in checked_note(failed, shipped.generation, 0)


def test_the_quad_count_follows_every_kind_of_write(tmp_path: Path):
    store = OxigraphStore(tmp_path / "store")
    s, p = ox.NamedNode("urn:test:s"), ox.NamedNode("urn:test:p")
    triples = [ox.Triple(s, p, ox.Literal(str(i))) for i in range(5)]
    steps = [
        lambda: store.replace_graph("urn:test:a", triples),  # a new graph
        lambda: store.replace_graph("urn:test:a", triples[:2]),  # replaced, smaller
        lambda: store.replace_graph("urn:test:b", [*triples, triples[0]]),  # a duplicate
        lambda: store.replace_graph("urn:test:c", [ox.Triple(ox.BlankNode(), p, s)]),
        lambda: store.replace_graph("urn:test:c", [ox.Triple(ox.BlankNode(), p, s)]),
        lambda: write(store, 7),
        lambda: store.drop_graph("urn:test:b"),
    ]
    for step in steps:
        step()
        assert store.count() == len(store.raw)
    store.close()


# --- in the service ----------------------------------------------------------------------


def start(tmp_path: Path, refresh_s: str) -> RunningService:
    return RunningService(
        tmp_path / "store", {"KG_API_TOKEN": TOKEN, "KG_CHECKS_REFRESH_S": refresh_s}
    )


def service_write(http: httpx.Client, n: int) -> None:
    r = http.post(
        "/sparql",
        data={
            "update": f"INSERT DATA {{ GRAPH <urn:test:g> {{ <urn:test:s> <urn:test:p> {n} }} }}"
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 204, r.text


def pages_at_once(http: httpx.Client, n: int) -> list[str]:
    with ThreadPoolExecutor(n) as pool:
        answers = list(
            pool.map(lambda _: http.get(STOLTENBERG, headers={"Accept": "text/html"}), range(n))
        )
    assert all(r.status_code == 200 for r in answers)
    return [r.text for r in answers]


def test_service_pages_after_a_write_wait_for_one_computation(tmp_path: Path):
    svc = start(tmp_path, "0")
    try:
        with svc.client() as http:
            assert http.get("/health").json()["checks"]["refreshes"] == 1
            service_write(http, 1)
            texts = pages_at_once(http, 12)
            checks = http.get("/health").json()["checks"]
            assert checks["refreshes"] == 2  # twelve page views, one computation
            assert checks["generation"] == checks["store_generation"]
            assert all("Sources disagree" in t and STALE not in t for t in texts)
    finally:
        svc.stop()


def test_service_pages_say_when_their_checks_are_stale(tmp_path: Path):
    svc = start(tmp_path, "3600")
    try:
        with svc.client() as http:
            fresh = http.get(STOLTENBERG).text
            assert "checked over the whole store at" in fresh and STALE not in fresh
            service_write(http, 1)
            texts = pages_at_once(http, 8)
            assert all(f"{STALE} (1 write)" in t for t in texts)
            assert all("Sources disagree" in t for t in texts)  # the last rows still shown
            assert http.get("/health").json()["checks"]["refreshes"] == 1  # none on the way
    finally:
        svc.stop()
