"""Errors the service answers with: a status code and a plain message that says what is wrong."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException

from kg.store import StoreIOError

log = logging.getLogger(__name__)


class HTTPProblem(Exception):
    """An error answered as ``status`` with ``message`` (text/plain)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


async def problem_handler(_: Request, exc: Exception) -> PlainTextResponse:
    assert isinstance(exc, HTTPProblem)
    return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)


async def store_io_handler(_: Request, exc: Exception) -> PlainTextResponse:
    """A write that met a full disk (507) or a store that cannot be written (503): the write
    changed nothing, the service goes on answering reads."""
    assert isinstance(exc, StoreIOError)
    log.error("store write failed: %s", exc)
    status = 507 if exc.disk_full else 503
    what = "the store's disk is full" if exc.disk_full else "the store cannot be written"
    return PlainTextResponse(f"{what}; nothing was written: {exc}\n", status_code=status)


async def http_exception_handler(request: Request, exc: Exception) -> PlainTextResponse:
    """Starlette's own errors (no such route, a method a route does not take) in the same
    plain-text form as every other error, not FastAPI's JSON."""
    assert isinstance(exc, HTTPException)
    message = {404: f"no such resource: {request.url.path}"}.get(exc.status_code, exc.detail)
    return PlainTextResponse(f"{message}\n", status_code=exc.status_code, headers=exc.headers)
