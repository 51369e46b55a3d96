"""The write token: ``KG_API_TOKEN``, sent as ``Authorization: Bearer TOKEN``.

Without a configured token the service refuses every write (403); a request without a token
gets 401, a wrong one 403. Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from kg.service.errors import HTTPProblem
from kg.service.state import ServiceState, get_state


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def require_token(
    request: Request, state: Annotated[ServiceState, Depends(get_state)]
) -> None:
    """A FastAPI dependency that lets only requests with the write token through."""
    expected = state.settings.api_token
    if not expected:
        raise HTTPProblem(403, "writes are disabled: the service has no KG_API_TOKEN configured")
    given = bearer(request)
    if given is None:
        raise HTTPProblem(
            401, "a write needs 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"}
        )
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPProblem(403, "the token is wrong")
