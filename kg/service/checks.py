"""The whole-store checks the pages show (conflicts, corroboration), kept off the request path.

The ``conflicts`` and ``corroborated`` named queries look at the whole store: seconds over
all the Office of the Historian's records. A page must not run them, and many pages after a
write must not run them at once. So one background thread keeps a :class:`Snapshot` of their
rows and refreshes it (single flight: one computation at a time) when the store has changed,
``KG_CHECKS_REFRESH_S`` seconds after the last computation ended at the earliest (so that
under a steady stream of writes they take a bounded share of a core); pages read the latest
snapshot at once (stale while it revalidates) and say as of when it is.
``KG_CHECKS_REFRESH_S=0`` makes a page wait for checks as new as the store it reads (still one
computation for all the waiters).

The queries run through a query runner like any other: over the embedded store, a worker
process of their own at the lowest CPU priority, so the named queries' workers and the service's
own threads come first, and the deadline (``KG_CHECKS_TIMEOUT_S``) can stop them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.queries import NamedQuery
from kg.store import Store
from kg.store.base import bound_rows
from kg.store.workers import JobError, QueryJob, QueryRunner

log = logging.getLogger(__name__)

NAMES = ("conflicts", "corroborated")
JSON = "application/sparql-results+json"
POLL_S = 0.25  # how often the refresher looks at the store's generation
# The columns a page looks rows up by (kg.service.graphread.conflicts_about, corroboration).
KEYS = ("fact", "subject", "source", "referenceSource")


def generation_of(store: Store) -> int:
    """The store's write counter (0 for a store that keeps none)."""
    return getattr(store, "generation", 0)


@dataclass
class Rows:
    """One query's rows, indexed by the IRIs in the :data:`KEYS` columns."""

    rows: list[dict]
    index: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: list[dict]) -> Rows:
        """Index ``rows`` (once per snapshot, so a page's look-up costs its own facts only).

        >>> r = Rows.of([{"fact": ox.NamedNode("http://e/v"), "kind": ox.Literal("visit")}])
        >>> [x["kind"].value for x in r.about(["http://e/v", "http://e/w"])]
        ['visit']
        """
        index: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            for key in {row[k].value for k in KEYS if k in row}:
                index[key].append(i)
        return cls(rows, dict(index))

    def about(self, iris: Iterable[str]) -> list[dict]:
        """The rows naming any of ``iris`` in a key column, in the query's order."""
        found = sorted({i for iri in set(iris) for i in self.index.get(iri, ())})
        return [self.rows[i] for i in found]


@dataclass(frozen=True)
class Snapshot:
    """The checks' rows as of one store generation."""

    rows: dict[str, Rows]
    generation: int
    at: float  # when the computation started (time.time())
    error: str | None = None  # the last refresh failed (these rows are older, or none)

    def get(self, name: str) -> Rows:
        """The rows of one query (none if it is not there)."""
        return self.rows.get(name) or Rows([])


def solutions(data: bytes) -> list[dict]:
    """SPARQL JSON results as rows of bound terms (as :func:`graphread.rows` gives them).

    >>> bound = b'{"x":{"type":"literal","value":"a"}}'
    >>> solutions(b'{"head":{"vars":["x"]},"results":{"bindings":[' + bound + b']}}')
    [{'x': <Literal value=a datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>}]
    """
    result = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    assert isinstance(result, ox.QuerySolutions)
    return bound_rows(result)


class WholeStoreChecks:
    """Keeps the latest rows of the whole-store check queries; see the module's docstring."""

    def __init__(
        self,
        store: Store,
        queries: dict[str, NamedQuery],
        runner: QueryRunner,
        *,
        refresh_s: float,
        timeout_s: float,
        max_bytes: int = 1 << 30,
    ) -> None:
        self.store = store
        self.queries = {n: queries[n] for n in NAMES if n in queries}
        self.runner = runner
        self.refresh_s = refresh_s
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.snapshot: Snapshot | None = None
        self.refreshes = 0
        self._cond = threading.Condition()
        self._done = -1  # the generation the last finished attempt started at
        self._finished = -float("inf")  # monotonic time the last attempt ended
        self._wanted = -1  # a waiting reader needs an attempt at this generation or later
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="whole-store-checks", daemon=True)
        self._thread.start()

    def current(self) -> Snapshot:
        """The latest snapshot, at once; with ``refresh_s`` 0, one as new as the store
        (blocking until it is computed: call from a thread).

        Before the first computation has ended, a snapshot of no rows at generation -1.
        """
        with self._cond:
            if self.refresh_s <= 0:
                wanted = generation_of(self.store)
                if self.snapshot is None or self._done < wanted:
                    self._wanted = max(self._wanted, wanted)
                    self._cond.notify_all()
                    self._cond.wait_for(
                        lambda: (
                            self._closed or (self.snapshot is not None and self._done >= wanted)
                        ),
                        timeout=self.timeout_s * len(self.queries) + 5,
                    )
            if self.snapshot is None:
                return Snapshot({}, -1, time.time(), "the first check is under way")
            return self.snapshot

    def status(self) -> dict:
        """What ``/health`` says about the checks: the generation of the store they were
        computed at (-1: not yet), the store's, when, how many computations, the last error."""
        snapshot = self.snapshot
        return {
            "generation": snapshot.generation if snapshot else -1,
            "store_generation": generation_of(self.store),
            "computed_at": snapshot.at if snapshot and snapshot.generation >= 0 else None,
            "refreshes": self.refreshes,
            "error": snapshot.error if snapshot else None,
        }

    def _due(self) -> bool:
        generation = generation_of(self.store)
        if self._done == generation:
            return False
        if self._done < 0 or self._wanted > self._done:
            return True  # the first computation, or a reader waits for this one
        # The interval counts from the end of the last computation: under a steady stream of
        # writes the checks take at most a share of a core, however slow they run.
        return self.refresh_s > 0 and time.monotonic() - self._finished >= self.refresh_s

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._due(), timeout=POLL_S)
                if self._closed:
                    return
                if not self._due():
                    continue
            self._refresh()

    def _refresh(self) -> None:
        generation, at = generation_of(self.store), time.time()
        error = None
        try:
            found = {name: Rows.of(self._run(q)) for name, q in self.queries.items()}
            snapshot = Snapshot(found, generation, at)
        except JobError as exc:
            error = f"{exc.kind}: {exc.message}"
            log.warning("the whole-store checks failed at generation %d: %s", generation, error)
        except Exception as exc:  # the refresher must outlive any failure
            error = f"failed: {exc}"
            log.exception("the whole-store checks failed at generation %d", generation)
        with self._cond:
            if error is not None:
                old = self.snapshot
                snapshot = Snapshot(old.rows if old else {}, old.generation if old else -1,
                                    old.at if old else at, error)  # fmt: skip
            self.snapshot = snapshot
            self._done = generation
            self._finished = time.monotonic()
            self.refreshes += 1
            self._cond.notify_all()

    def _run(self, query: NamedQuery) -> list[dict]:
        job = QueryJob(
            sparql=query.text,
            solutions_media=JSON,
            graph_media=None,
            max_bytes=self.max_bytes,
            generation=generation_of(self.store),
        )
        answer = self.runner.run(job, self.timeout_s)
        return solutions(answer.first + b"".join(answer.rest))

    def close(self) -> None:
        """Stop the refresher (a computation under way is left to its runner)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(1)
