"""Bearer-token guard for writes: ``Depends(require_token)`` on any route that changes data."""

from __future__ import annotations

import hmac

from fastapi import Request

from kg.service.errors import HTTPProblem


def require_token(request: Request) -> None:
    """Let the request through only with ``Authorization: Bearer $KG_API_TOKEN``.

    No token configured: the service is read-only (403). No credentials: 401 with a
    ``WWW-Authenticate`` challenge. Wrong token: 403. The token is compared in constant time
    and never logged or echoed.
    """
    expected = request.app.state.kg.settings.api_token
    if not expected:
        raise HTTPProblem(403, "the service is read-only: no KG_API_TOKEN is configured")
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPProblem(
            401,
            "this operation needs 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": 'Bearer realm="kg"'},
        )
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPProblem(
            403,
            "the bearer token is not valid",
            {"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
