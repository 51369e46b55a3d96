"""Named-query answers kept until the next write: one computation for many clients, never
an answer older than the store, and the same bytes as without the cache."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.service.resultcache import DependsOn, ResultCache
from kg.store.base import Touched
from kg.store.workers import Answer
from tests.conftest import RunningService

TOKEN = "cache-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CSV = {"Accept": "text/csv"}


def answer(body: bytes) -> Answer:
    return Answer("text/csv", body, iter(()))


def ask(cache: ResultCache, key: str, generation: int, body: bytes = b"x") -> Answer:
    async def run() -> Answer:
        return answer(body)

    return asyncio.run(cache.get_or_run(key, generation, run))


def test_many_clients_asking_at_once_make_one_computation() -> None:
    cache, runs = ResultCache(8), []

    async def run() -> Answer:
        runs.append(1)
        await asyncio.sleep(0.3)  # long enough for the others to find it under way
        return answer(b"rows")

    async def clients() -> list[Answer]:
        return await asyncio.gather(*(cache.get_or_run("q", 7, run) for _ in range(12)))

    got = [a.first for a in asyncio.run(clients())]
    assert got == [b"rows"] * 12 and len(runs) == 1


def test_a_failed_computation_is_not_kept_and_its_waiters_try_again() -> None:
    cache, calls = ResultCache(8), []

    async def failing() -> Answer:
        calls.append("fail")
        await asyncio.sleep(0.1)
        raise RuntimeError("worker died")

    async def ok() -> Answer:
        calls.append("ok")
        return answer(b"ok")

    async def clients() -> list:
        return await asyncio.gather(
            cache.get_or_run("q", 1, failing), cache.get_or_run("q", 1, ok), return_exceptions=True
        )

    first, second = asyncio.run(clients())
    assert isinstance(first, RuntimeError) and second.first == b"ok"  # the waiter ran its own
    assert calls == ["fail", "ok"]
    assert ask(cache, "q", 1, b"new").first == b"ok"  # and its answer was kept


def test_partial_and_large_answers_are_not_kept() -> None:
    cache, runs = ResultCache(8, max_bytes=4), []

    async def big() -> Answer:
        runs.append(1)
        return answer(b"too many bytes")

    async def streamed() -> Answer:
        runs.append(1)
        return Answer("text/csv", b"a", iter([b"b"]), complete=False)

    for run in (big, big, streamed, streamed):
        asyncio.run(cache.get_or_run(run.__name__, 1, run))
    assert len(runs) == 4


def test_the_oldest_answers_go_first() -> None:
    cache = ResultCache(2)
    for key in ("a", "b", "a", "c"):  # "a" used again: "b" is the oldest when "c" comes
        ask(cache, key, 1)
    misses = cache.misses
    ask(cache, "a", 1)
    ask(cache, "b", 1)
    assert cache.misses == misses + 1  # "a" kept, "b" gone


def test_an_answer_computed_across_a_write_is_kept_only_if_the_write_left_it() -> None:
    cache = ResultCache(8)
    ask(cache, "warm", 1)  # the cache is at generation 1

    def computed_across(iri: str, generation: int, touched: Touched | None) -> None:
        async def run() -> Answer:
            cache.written(generation + 1, touched)  # the store writes while the query runs
            return answer(iri.encode())

        asyncio.run(cache.get_or_run(iri, generation, run, lambda a: DependsOn(frozenset({iri}))))

    computed_across("http://e/a", 1, Touched(frozenset({"http://e/other"}), ""))
    assert cache.peek("http://e/a", 2) is not None  # the write named nothing it depends on
    computed_across("http://e/b", 2, Touched(frozenset({"http://e/b"}), ""))
    assert cache.peek("http://e/b", 3) is None and cache.peek("http://e/a", 3) is not None
    computed_across("http://e/c", 3, None)  # a write that could have changed anything
    assert cache.peek("http://e/c", 4) is None and cache.peek("http://e/a", 4) is None


def test_a_request_older_than_the_cache_does_not_stop_the_others() -> None:
    """A request that saw the store before the latest write runs apart; while it waits for
    its worker, others on the same event loop go on (the cache's lock is not held across
    the wait: a service once stood still so, every request after it waiting on the lock)."""
    cache = ResultCache(8)
    cache.written(2, None)
    done: list[str] = []

    async def slow() -> Answer:
        await asyncio.sleep(0.2)
        return answer(b"old")

    async def fast() -> Answer:
        return answer(b"new")

    async def both() -> None:
        older = asyncio.create_task(cache.get_or_run("q", 1, slow))
        await asyncio.sleep(0.05)  # the older request is waiting for its answer now
        done.append((await cache.get_or_run("other", 2, fast)).first.decode())
        done.append((await older).first.decode())

    thread = threading.Thread(target=lambda: asyncio.run(both()), daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and done == ["new", "old"]


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
        assert "worker;dur=" in first.headers["server-timing"]  # computed: its steps timed
        hits = client.get("/health").json()["named_cache"]["hits"]
        again = client.get(url, headers=CSV)
        assert again.content == first.content  # kept: the same bytes
        assert again.headers["server-timing"] == 'cache;dur=0.0;desc="hit"'
        assert client.get("/health").json()["named_cache"]["hits"] == hits + 1
        # An article about other places and people leaves the answer in place.
        other = {
            "text": "President Emmanuel Macron arrived in Berlin on Tuesday for talks.",
            "dateline": "2025-06-10",
            "url": "https://news.example/macron-berlin",
        }
        assert client.post("/articles", json=other, headers=AUTH).status_code == 201
        kept = client.get(url, headers=CSV)
        assert kept.content == first.content and "hit" in kept.headers["server-timing"]
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
