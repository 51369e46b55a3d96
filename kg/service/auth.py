"""Bearer-token guard for writes: ``Depends(require_token)`` on any route that changes data."""

from __future__ import annotations

import hashlib
import hmac
import logging

from fastapi import Request

from kg.service.errors import HTTPProblem

log = logging.getLogger(__name__)


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


def require_token(request: Request) -> None:
    """Let the request through only with ``Authorization: Bearer $KG_API_TOKEN``.

    No token configured: the service is read-only (403). No credentials: 401 with a
    ``WWW-Authenticate`` challenge. Wrong token: 403. The token is compared in constant time
    and never logged or echoed.
    """
    expected = request.app.state.kg.settings.api_token
    # What was asked and what was decided, never the credentials.
    what = f"{request.method} {request.url.path}"
    if not expected:
        log.debug("write refused (read-only service): %s", what)
        raise HTTPProblem(403, "the service is read-only: no KG_API_TOKEN is configured")
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        log.debug("write refused (no bearer token): %s", what)
        raise HTTPProblem(
            401,
            "this operation needs 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": 'Bearer realm="kg"'},
        )
    # Digests first: equal lengths, so not even the token's length shows in the time taken.
    if not hmac.compare_digest(_digest(given.strip()), _digest(expected)):
        log.debug("write refused (wrong token): %s", what)
        raise HTTPProblem(
            403,
            "the bearer token is not valid",
            {"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    log.debug("write allowed: %s", what)
