"""What the request handlers share: settings, the store, the named queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, Request

from kg.queries import NamedQuery
from kg.service.checks import WholeStoreChecks
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
    # Pages are built in threads of their own, a few at once (KG_PAGE_THREADS), so that many
    # page views cannot take the threads named queries and /sparql wait in, nor the GIL.
    page_limiter: anyio.CapacityLimiter | None = None

    async def page_work(self, build: Callable[..., T], *args: Any) -> T:
        """Run ``build(*args)`` (store work, rendering: blocking) in a page thread."""
        if self.page_limiter is None:
            self.page_limiter = anyio.CapacityLimiter(self.settings.page_threads)
        return await anyio.to_thread.run_sync(build, *args, limiter=self.page_limiter)


def get_state(request: Request) -> ServiceState:
    """The service state of the running app (a FastAPI dependency)."""
    return request.app.state.kg


# A handler parameter typed ``StateDep`` receives the service state.
StateDep = Annotated[ServiceState, Depends(get_state)]
