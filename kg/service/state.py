"""What the request handlers share: settings, the store, the named queries."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from kg.procs import set_name
from kg.queries import NamedQuery
from kg.service.checks import WholeStoreChecks
from kg.service.resultcache import ResultCache
from kg.settings import Settings
from kg.store import Store
from kg.store.workers import QueryRunner

T = TypeVar("T")


@dataclass
class ServiceState:
    settings: Settings
    store: Store
    queries: dict[str, NamedQuery]
    runner: QueryRunner | None = None  # runs /sparql queries (worker processes)
    named_runner: QueryRunner | None = None  # runs named queries (their own workers)
    ingest: Any = None  # kg.service.ingestpool.IngestPool: prepares articles (a worker process)
    checks: WholeStoreChecks | None = None  # the pages' whole-store checks, kept fresh
    named_cache: ResultCache | None = None  # named-query answers as of the store generation
    # Pages are built in threads of their own, a few at once (KG_PAGE_THREADS), at a lower CPU
    # priority (PAGE_NICE), so that many page views can neither take the threads named queries
    # and /sparql wait in nor the CPU the named queries' workers need.
    page_pool: ThreadPoolExecutor | None = None

    async def page_work(self, build: Callable[..., T], *args: Any) -> T:
        """Run ``build(*args)`` (store work, rendering: blocking) in a page thread."""
        if self.page_pool is None:
            self.page_pool = ThreadPoolExecutor(
                self.settings.page_threads, "page", initializer=lower_priority
            )
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(
            self.page_pool, functools.partial(context.run, build, *args)
        )

    def close(self) -> None:
        """Stop the page threads (a page being built is left to finish)."""
        if self.page_pool is not None:
            self.page_pool.shutdown(wait=False, cancel_futures=True)


PAGE_NICE = 5  # as the ingest worker and /sparql's: the named queries come first


def lower_priority() -> None:
    """Give the calling thread (a page thread) a lower CPU priority (Linux: a nice value per
    thread) and the name ``kg-page``.

    The GIL stays shared: a page thread holding it when it is descheduled makes others wait
    a little longer, measured as a gain under make load all the same.
    """
    set_name("kg-page")
    with contextlib.suppress(OSError, AttributeError):  # elsewhere: the process's priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), PAGE_NICE)


async def get_state(request: Request) -> ServiceState:
    """The service state of the running app (a FastAPI dependency; ``async`` so that FastAPI
    calls it on the event loop, not through a thread of its pool: one thread hop less on
    every request)."""
    return request.app.state.kg


# A handler parameter typed ``StateDep`` receives the service state.
StateDep = Annotated[ServiceState, Depends(get_state)]
