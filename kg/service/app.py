"""The FastAPI application: ``create_app(settings)`` wires the store and the routers."""

from __future__ import annotations

import logging
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
from kg.service.state import ServiceState, get_state
from kg.service.templating import STATIC_DIR
from kg.settings import Settings
from kg.store import StoreError, StoreIOError, open_store
from kg.store.remote import RemoteRunner, RemoteStore
from kg.store.workers import ProcessPool, QueryRunner, ThreadRunner

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


CHECKS_NICE = 10  # the whole-store checks are background work: every request comes first


def _query_runner(store: object, settings: Settings, background: bool = False) -> QueryRunner:
    """Worker processes over an on-disk store; in-process threads over a store in memory;
    HTTP requests with the deadline over a remote store. ``background``: the runner of the
    whole-store checks (over the embedded store, one worker process of their own, niced)."""
    if isinstance(store, RemoteStore):
        return RemoteRunner(store)
    path = getattr(store, "path", None)
    if path is None:
        return ThreadRunner(store.raw)  # type: ignore[attr-defined]
    if background:
        return ProcessPool(str(path), 1, nice=CHECKS_NICE)
    return ProcessPool(str(path), settings.query_workers or None)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await anyio.to_thread.run_sync(
            lambda: open_store(settings.store, settings=settings)
        )
        loaded = await anyio.to_thread.run_sync(ensure_initialised, store, settings)
        if loaded:
            log.info("empty store filled with the shipped data (%d graphs)", len(loaded))
        runner = _query_runner(store, settings)
        ingest = IngestPool(settings)
        queries = load_named_queries(settings.queries_dir)
        checks_runner = _query_runner(store, settings, background=True)
        checks = WholeStoreChecks(
            store,
            queries,
            checks_runner,
            refresh_s=settings.checks_refresh_s,
            timeout_s=settings.checks_timeout_s,
            max_bytes=settings.max_result_bytes,
        )
        app.state.kg = ServiceState(
            settings, store, queries, runner=runner, ingest=ingest, checks=checks
        )
        try:
            yield
        finally:
            checks.close()
            ingest.close()
            checks_runner.close()
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

    @app.get("/health", summary="Service health and store size")
    async def health(state: ServiceState = Depends(get_state)) -> dict:
        def counts() -> tuple[int, int]:
            return state.store.count(), len(state.store.graphs())

        quads, graphs = await anyio.to_thread.run_sync(counts)
        return {"status": "ok", "version": __version__, "quads": quads, "graphs": graphs}

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
