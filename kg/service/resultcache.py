"""Answers of named queries kept for the store generation they were computed at.

The named queries are the questions people ask again and again (visits to Pyongyang); over
the embedded store the service is the only writer, and every write bumps the store's
generation, so an answer computed at a generation stays exact until the next write. A
:class:`ResultCache` keeps the last ``entries`` complete answers (small ones: at most
``max_bytes``), forgets them all at the first request after a write, and computes an answer
once when many clients ask for it at the same time (single flight). Over a remote store
others may write too: the service keeps no cache there.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from kg.store.workers import Answer


class ResultCache:
    """A thread-safe LRU of complete answers, one store generation at a time.

    >>> cache, runs = ResultCache(8), []
    >>> def run() -> Answer:
    ...     runs.append(1)
    ...     return Answer("text/csv", b"a\\r\\n", iter(()))
    >>> [cache.get_or_run("q", 1, run).first for _ in range(3)], len(runs)
    ([b'a\\r\\n', b'a\\r\\n', b'a\\r\\n'], 1)
    >>> _ = cache.get_or_run("q", 2, run); len(runs)  # a write came between: run again
    2
    """

    def __init__(self, entries: int, max_bytes: int = 256 * 1024) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._generation = -1
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._running: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def status(self) -> dict[str, int]:
        """How many answers it may keep and keeps, and how often it answered or had to run.

        >>> ResultCache(4).status()
        {'entries': 4, 'kept': 0, 'hits': 0, 'misses': 0}
        """
        with self._lock:
            kept = len(self._answers)
        return {"entries": self.entries, "kept": kept, "hits": self.hits, "misses": self.misses}

    def peek(self, key: Hashable, generation: int) -> Answer | None:
        """The answer kept for ``key`` at ``generation``, or None (never blocks: the event
        loop answers a hit itself, without a thread).

        >>> cache = ResultCache(8)
        >>> _ = cache.get_or_run("q", 1, lambda: Answer("text/csv", b"a", iter(())))
        >>> cache.peek("q", 1).first, cache.peek("q", 2), cache.peek("other", 1)
        (b'a', None, None)
        """
        with self._lock:
            if generation != self._generation:
                return None
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
                self.hits += 1
            return found

    def get_or_run(self, key: Hashable, generation: int, run: Callable[[], Answer]) -> Answer:
        """The answer for ``key`` at ``generation``: kept, being computed (wait for it), or
        computed now by ``run`` (blocking; its errors propagate and nothing is kept)."""
        owned = False  # whether this call computes the answer the others wait for
        while True:
            with self._lock:
                if generation != self._generation:
                    if generation < self._generation:
                        break  # a request older than the cache's answers: run it apart
                    self._generation = generation
                    self._answers.clear()
                found = self._answers.get(key)
                if found is not None:
                    self._answers.move_to_end(key)
                    self.hits += 1
                    return found
                running = self._running.get(key)
                if running is None:
                    self._running[key] = threading.Event()
                    self.misses += 1
                    owned = True
                    break
            running.wait()  # another request computes it; then look again
        if not owned:
            return run()
        try:
            answer = run()
        except BaseException:
            with self._lock:
                self._running.pop(key).set()  # the waiters try for themselves
            raise
        with self._lock:
            # Kept before the waiters wake, so that they find it.
            keep = answer.complete and len(answer.first) <= self.max_bytes
            if keep and generation == self._generation:
                self._answers[key] = answer
                while len(self._answers) > self.entries:
                    self._answers.popitem(last=False)
            self._running.pop(key).set()
        return answer
