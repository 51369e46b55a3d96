"""Errors the service answers with: a status code and a plain message that says what is wrong."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import PlainTextResponse


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
