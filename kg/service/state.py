"""What the request handlers share: settings, the store, the named queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from kg.queries import NamedQuery
from kg.settings import Settings
from kg.store import Store
from kg.store.workers import QueryRunner


@dataclass
class ServiceState:
    settings: Settings
    store: Store
    queries: dict[str, NamedQuery]
    runner: QueryRunner | None = None  # runs /sparql queries (worker processes)
    # Whole-store query results the pages share, by name: (store generation, rows).
    cache: dict[str, tuple[int, list]] = field(default_factory=dict)
    ingest: Any = None  # kg.service.ingestpool.IngestPool: prepares articles (a worker process)


def get_state(request: Request) -> ServiceState:
    """The service state of the running app (a FastAPI dependency)."""
    return request.app.state.kg


# A handler parameter typed ``StateDep`` receives the service state.
StateDep = Annotated[ServiceState, Depends(get_state)]
