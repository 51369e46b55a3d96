"""Reading request bodies: a size cap, the media type, strict UTF-8."""

from __future__ import annotations

from fastapi import Request

from kg.service.errors import HTTPProblem


def media_type(request: Request) -> str:
    """The request's media type without parameters, lower case ('' when absent)."""
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


async def read_body(request: Request) -> bytes:
    """The whole body, refused with 413 once it passes ``KG_MAX_BODY_BYTES``."""
    limit = request.app.state.kg.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPProblem(413, f"the request body is larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPProblem(413, f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_utf8(body: bytes, what: str = "request body") -> str:
    """``body`` as text; 400 naming the problem when it is not UTF-8.

    >>> decode_utf8(b'ASK {}')
    'ASK {}'
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPProblem(400, f"the {what} is not UTF-8: {exc}") from exc
