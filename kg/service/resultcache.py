"""Answers of named queries kept across the writes that cannot change them.

The named queries are the questions people ask again and again (visits to Pyongyang); over
the embedded store the service is the only writer, and every write bumps the store's
generation and says what it changed (:class:`kg.store.base.Touched`). A :class:`ResultCache`
keeps the last ``entries`` complete answers (small ones: at most ``max_bytes``), and computes
an answer once when many clients ask for it at the same time (single flight).

An answer is kept across a write when the write cannot have changed it. That holds for a
query declared ``# scope: graph`` (every solution is read from one source graph holding a
triple that names a parameter's entity): a write that names none of the entities the
parameters were bound to, and none by a name that a parameter's value matches, leaves every
such graph and every such binding as it was. Any other answer, and every answer after a write
the store cannot describe (an update, a load), goes at the next write. Over a remote store
others may write too: the service keeps no cache there.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from kg.store.base import Touched
from kg.store.workers import Answer

LOG_WRITES = 64  # the recent writes remembered, for answers computed while they happened


@dataclass(frozen=True)
class DependsOn:
    """What a kept answer depends on: ``iris``, the entities (and Wikidata items) its
    parameters were bound to, and ``names``, the parameter values resolved by name.

    >>> d = DependsOn(frozenset({"http://e/paris"}), ("Paris",))
    >>> d.affected_by(Touched(frozenset({"http://e/berlin"}), "berlin")), d.affected_by(None)
    (False, True)
    >>> d.affected_by(Touched(frozenset({"http://e/x"}), "paris, texas"))  # a new match
    True
    """

    iris: frozenset[str]
    names: tuple[str, ...] = ()

    def affected_by(self, touched: Touched | None) -> bool:
        """Whether a write that changed ``touched`` (None: anything) may change the answer."""
        return touched is None or bool(self.iris & touched.iris) or touched.names_any(self.names)


Kept = tuple[Answer, DependsOn | None]


class ResultCache:
    """A thread-safe LRU of complete answers, valid at the store's latest generation.

    >>> cache, runs = ResultCache(8), []
    >>> async def run() -> Answer:
    ...     runs.append(1)
    ...     return Answer("text/csv", b"a\\r\\n", iter(()))
    >>> [asyncio.run(cache.get_or_run("q", 1, run)).first for _ in range(3)], len(runs)
    ([b'a\\r\\n', b'a\\r\\n', b'a\\r\\n'], 1)
    >>> cache.written(2, None)  # a write the store could not describe: all answers go
    >>> _ = asyncio.run(cache.get_or_run("q", 2, run)); len(runs)
    2
    """

    def __init__(self, entries: int, max_bytes: int = 256 * 1024) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self.kept_across = 0  # answers a write left in place
        self._generation = -1
        self._answers: OrderedDict[Hashable, Kept] = OrderedDict()
        self._running: dict[Hashable, asyncio.Event] = {}
        self._writes: deque[tuple[int, Touched | None]] = deque(maxlen=LOG_WRITES)
        self._lock = threading.Lock()

    def status(self) -> dict[str, int]:
        """How many answers it may keep and keeps, how often it answered or had to run, and
        how many times a write left an answer in place.

        >>> ResultCache(4).status()
        {'entries': 4, 'kept': 0, 'hits': 0, 'misses': 0, 'kept_across_writes': 0}
        """
        with self._lock:
            kept = len(self._answers)
        return {
            "entries": self.entries,
            "kept": kept,
            "hits": self.hits,
            "misses": self.misses,
            "kept_across_writes": self.kept_across,
        }

    def written(self, generation: int, touched: Touched | None) -> None:
        """The store wrote and is now at ``generation`` (a store write listener, told of
        each write in order): drop the answers the write may have changed.

        >>> async def run() -> Answer:
        ...     return Answer("text/csv", b"a", iter(()), meta=frozenset({"http://e/" + name}))
        >>> cache = ResultCache(8)
        >>> for name in ("paris", "berlin"):
        ...     _ = asyncio.run(cache.get_or_run(name, 0, run, lambda a: DependsOn(a.meta)))
        >>> cache.written(1, Touched(frozenset({"http://e/berlin"}), ""))
        >>> cache.peek("paris", 1) is not None, cache.peek("berlin", 1)
        (True, None)
        """
        with self._lock:
            if touched is None or generation != self._generation + 1:
                self._answers.clear()  # anything may have changed, or a write went unheard
            else:
                for key, (_, depends) in list(self._answers.items()):
                    if depends is None or depends.affected_by(touched):
                        del self._answers[key]
                    else:
                        self.kept_across += 1
            self._generation = generation
            self._writes.append((generation, touched))

    def peek(self, key: Hashable, generation: int) -> Answer | None:
        """The answer kept for ``key`` at ``generation``, or None (never blocks: the event
        loop answers a hit itself, without a thread).

        >>> async def run() -> Answer:
        ...     return Answer("text/csv", b"a", iter(()))
        >>> cache = ResultCache(8)
        >>> _ = asyncio.run(cache.get_or_run("q", 1, run))
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
            return found[0] if found else None

    async def get_or_run(
        self,
        key: Hashable,
        generation: int,
        run: Callable[[], Awaitable[Answer]],
        depends: Callable[[Answer], DependsOn | None] | None = None,
    ) -> Answer:
        """The answer for ``key`` at ``generation``: kept, being computed (wait for it), or
        computed now by ``run`` (its errors propagate and nothing is kept). ``depends``
        says, from the answer, what it depends on (None, or no ``depends``: anything).
        Called on the event loop only; the writes are told from any thread."""
        while True:
            claim, found = self._claim(key, generation)
            if claim == "hit":
                return found  # type: ignore[return-value]
            if claim == "apart":  # a request older than the cache's answers
                return await run()
            if claim == "own":
                break
            await found.wait()  # type: ignore[union-attr]  # another request computes it
        try:
            answer = await run()
            depended = depends(answer) if depends else None
        except BaseException:
            with self._lock:
                self._running.pop(key).set()  # the waiters try for themselves
            raise
        with self._lock:
            # Kept before the waiters wake, so that they find it.
            small = answer.complete and len(answer.first) <= self.max_bytes
            if small and self._still_valid(generation, depended):
                self._answers[key] = (answer, depended)
                while len(self._answers) > self.entries:
                    self._answers.popitem(last=False)
            self._running.pop(key).set()
        return answer

    def _claim(self, key: Hashable, generation: int) -> tuple[str, Answer | asyncio.Event | None]:
        """What a request for ``key`` at ``generation`` does: take the kept answer ("hit"),
        compute it for all ("own"), wait for the one computing it ("wait", with the event
        to wait on), or compute it for itself alone ("apart"). The lock is never held across
        an await: the event loop itself would block on it."""
        with self._lock:
            if generation < self._generation:
                return "apart", None
            if generation > self._generation:
                # The store is ahead of the writes told (one is being told): start over.
                self._generation = generation
                self._answers.clear()
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
                self.hits += 1
                return "hit", found[0]
            running = self._running.get(key)
            if running is not None:
                return "wait", running
            self._running[key] = asyncio.Event()
            self.misses += 1
            return "own", None

    def _still_valid(self, generation: int, depends: DependsOn | None) -> bool:
        """Whether an answer computed at ``generation`` holds at the latest one: no write
        came since, or every write since was told and none may have changed it."""
        if generation == self._generation:
            return True
        since = [t for g, t in self._writes if g > generation]
        if depends is None or len(since) != self._generation - generation:
            return False
        return not any(depends.affected_by(t) for t in since)
