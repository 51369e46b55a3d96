"""The FastAPI application: ``create_app(settings)`` wires the store and the routers."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from kg import __version__
from kg.ingest import ensure_initialised
from kg.queries import load_named_queries
from kg.service import apidoc, articles, editor, graphstore, named, pages, pictures, search, sparql
from kg.service.checks import WholeStoreChecks
from kg.service.errors import (
    HTTPProblem,
    http_exception_handler,
    problem_handler,
    store_error_handler,
    store_io_handler,
)
from kg.service.ingestpool import IngestPool
from kg.service.resultcache import ResultCache
from kg.service.state import ServiceState, get_state
from kg.service.templating import STATIC_DIR, compile_templates
from kg.settings import Settings
from kg.store import StoreError, StoreIOError, open_store
from kg.store.remote import RemoteRunner, RemoteStore
from kg.store.workers import ProcessPool, QueryRunner, ThreadRunner, Warmer

log = logging.getLogger(__name__)


class BodyLimit:
    """Refuse a request whose declared body is over the limit (pure ASGI: no per-request cost)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                    response = PlainTextResponse(
                        f"the request body is larger than {self.limit} bytes\n", 413
                    )
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


# Over the embedded store, each kind of query has worker processes of its own, so that one
# kind cannot make another wait for a worker (measured under make load: named queries queued
# behind /sparql jobs for most of their time), and a CPU priority: the named queries, whose
# latency the service promises, come first; ad-hoc SPARQL next (as the ingest worker, nice
# +5); the whole-store checks, background work, last.
NICE = {"named": 0, "sparql": 5, "checks": 19}


def _query_runner(store: object, settings: Settings, role: str) -> QueryRunner:
    """Worker processes over an on-disk store; in-process threads over a store in memory;
    HTTP requests with the deadline over a remote store. ``role``: what the runner runs,
    ``named`` queries, ``sparql`` (the protocol and the query page) or the whole-store
    ``checks`` (one worker process)."""
    if isinstance(store, RemoteStore):
        return RemoteRunner(store)
    path = getattr(store, "path", None)
    if path is None:
        return ThreadRunner(store.raw)  # type: ignore[attr-defined]
    store.flush_writes = True  # type: ignore[attr-defined]  # the workers reopen it faster
    size = {"named": settings.named_workers, "sparql": settings.query_workers, "checks": 1}[role]
    memory = settings.checks_memory_mb if role == "checks" else settings.query_memory_mb
    return ProcessPool(
        str(path), size or None, nice=NICE[role], memory_mb=memory, name=f"kg-{role}"
    )


# How long a thread holding the GIL keeps it while another waits (Python's default: 5 ms).
# Page builds are Python-heavy; a named query's request crosses the GIL several times (event
# loop, worker thread, back), each time behind them: a shorter interval makes those waits
# shorter for a little more switching.
SWITCH_INTERVAL_S = 0.001


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    sys.setswitchinterval(SWITCH_INTERVAL_S)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await anyio.to_thread.run_sync(
            lambda: open_store(settings.store, settings=settings)
        )
        loaded = await anyio.to_thread.run_sync(ensure_initialised, store, settings)
        await anyio.to_thread.run_sync(compile_templates)
        if loaded:
            log.info("empty store filled with the shipped data (%d graphs)", len(loaded))
        runner = _query_runner(store, settings, "sparql")
        named_runner = _query_runner(store, settings, "named")
        ingest = IngestPool(settings)
        queries = load_named_queries(settings.queries_dir)
        checks_runner = _query_runner(store, settings, "checks")
        warmer = None
        if isinstance(runner, ProcessPool) and isinstance(named_runner, ProcessPool):
            warmer = Warmer(store, [named_runner, runner])
            store.write_listeners.append(lambda _g, _t: warmer.notify())  # type: ignore[attr-defined]
        checks = WholeStoreChecks(
            store,
            queries,
            checks_runner,
            refresh_s=settings.checks_refresh_s,
            timeout_s=settings.checks_timeout_s,
            max_bytes=settings.max_result_bytes,
        )
        # Over a remote store others may write: no answer can be kept past a write there.
        keep = settings.named_cache_entries and not isinstance(store, RemoteStore)
        named_cache = ResultCache(settings.named_cache_entries) if keep else None
        if named_cache is not None:
            store.write_listeners.append(named_cache.written)  # type: ignore[attr-defined]
        app.state.kg = ServiceState(
            settings,
            store,
            queries,
            runner=runner,
            named_runner=named_runner,
            ingest=ingest,
            checks=checks,
            named_cache=named_cache,
        )
        try:
            yield
        finally:
            checks.close()
            if warmer is not None:
                warmer.close()
            app.state.kg.close()
            ingest.close()
            checks_runner.close()
            named_runner.close()
            runner.close()
            store.close()

    app = FastAPI(
        title="Diplomatic-visit knowledge graph",
        version=__version__,
        description="States, leaders, visits and statements as RDF, with their sources.",
        lifespan=lifespan,
    )
    app.add_exception_handler(HTTPProblem, problem_handler)
    app.add_exception_handler(StoreIOError, store_io_handler)
    app.add_exception_handler(StoreError, store_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
            allow_headers=["*"],
        )

    @app.get("/health", summary="Service health, store size, age of the pages' checks")
    async def health(state: ServiceState = Depends(get_state)) -> dict:
        def counts() -> tuple[int, int]:
            return state.store.count(), len(state.store.graphs())

        quads, graphs = await anyio.to_thread.run_sync(counts)
        found = {"status": "ok", "version": __version__, "quads": quads, "graphs": graphs}
        if state.checks is not None:  # the pages' whole-store checks: how fresh they are
            found["checks"] = state.checks.status()
        if state.named_cache is not None:
            found["named_cache"] = state.named_cache.status()
        return found

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.include_router(sparql.router)
    app.include_router(graphstore.router)
    app.include_router(named.router)
    app.include_router(articles.router)
    app.include_router(pages.router)
    app.include_router(search.router)
    app.include_router(editor.router)
    app.include_router(pictures.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    apidoc.install(app, settings.queries_dir)
    return app
