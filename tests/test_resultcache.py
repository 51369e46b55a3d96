"""Named-query answers kept until the next write: one computation for many clients, never
an answer older than the store, and the same bytes as without the cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.service.resultcache import ResultCache
from kg.store.workers import Answer
from tests.conftest import RunningService

TOKEN = "cache-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CSV = {"Accept": "text/csv"}


def answer(body: bytes) -> Answer:
    return Answer("text/csv", body, iter(()))


def test_many_clients_asking_at_once_make_one_computation() -> None:
    cache, runs, started = ResultCache(8), [], threading.Event()

    def run() -> Answer:
        runs.append(1)
        started.set()
        time.sleep(0.3)  # long enough for the others to find it under way
        return answer(b"rows")

    got: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: got.append(cache.get_or_run("q", 7, run).first))
        for _ in range(12)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [b"rows"] * 12 and len(runs) == 1


def test_a_failed_computation_is_not_kept_and_its_waiters_try_again() -> None:
    cache, calls = ResultCache(8), []

    def failing() -> Answer:
        calls.append("fail")
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        cache.get_or_run("q", 1, failing)
    assert cache.get_or_run("q", 1, lambda: answer(b"ok")).first == b"ok"
    assert calls == ["fail"]


def test_partial_and_large_answers_are_not_kept() -> None:
    cache, runs = ResultCache(8, max_bytes=4), []

    def big() -> Answer:
        runs.append(1)
        return answer(b"too many bytes")

    def streamed() -> Answer:
        runs.append(1)
        return Answer("text/csv", b"a", iter([b"b"]), complete=False)

    for run in (big, big, streamed, streamed):
        cache.get_or_run(run.__name__, 1, run)
    assert len(runs) == 4


def test_the_oldest_answers_go_first() -> None:
    cache = ResultCache(2)
    for key in ("a", "b", "a", "c"):  # "a" used again: "b" is the oldest when "c" comes
        cache.get_or_run(key, 1, lambda: answer(b"x"))
    misses = cache.misses
    cache.get_or_run("a", 1, lambda: answer(b"x"))
    cache.get_or_run("b", 1, lambda: answer(b"x"))
    assert cache.misses == misses + 1  # "a" kept, "b" gone


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    s = RunningService(tmp_path_factory.mktemp("cache") / "store", {"KG_API_TOKEN": TOKEN})
    yield s
    s.stop()


def test_an_ingest_is_seen_by_the_next_named_query(svc: RunningService, tmp_path: Path) -> None:
    with svc.client() as client:
        url = "/queries/visits-to?place=Ottawa"
        first = client.get(url, headers=CSV)
        assert first.status_code == 200 and "Starmer" not in first.text
        hits = client.get("/health").json()["named_cache"]["hits"]
        assert client.get(url, headers=CSV).content == first.content  # kept: the same bytes
        assert client.get("/health").json()["named_cache"]["hits"] == hits + 1
        article = {
            "text": "Prime Minister Keir Starmer arrived in Ottawa on Monday for talks with "
            "Prime Minister Mark Carney.",
            "dateline": "2025-06-10",
            "url": "https://news.example/starmer-ottawa",
        }
        r = client.post("/articles", json=article, headers=AUTH)
        assert r.status_code == 201, r.text
        after = client.get(url, headers=CSV)
        assert (
            after.status_code == 200 and "Keir Starmer" in after.text and "2025-06-09" in after.text
        )
        # Another format of the same query is another answer, not the CSV one.
        json_answer = client.get(url, headers={"Accept": "application/sparql-results+json"})
        assert json_answer.headers["content-type"].startswith("application/sparql-results+json")
        assert "Keir Starmer" in json_answer.text


def test_the_cache_can_be_switched_off(tmp_path: Path) -> None:
    s = RunningService(tmp_path / "store", {"KG_NAMED_CACHE_ENTRIES": "0"})
    try:
        with s.client() as client:
            r = client.get("/queries/visits-to?place=Pyongyang", headers=CSV)
            assert r.status_code == 200 and "Vladimir Putin" in r.text
            assert "named_cache" not in client.get("/health").json()
    finally:
        s.stop()
