"""``POST /articles``: extract, link, validate and store one article; answer with its facts.

The body is JSON ``{text, title?, dateline?, url?}`` or ``text/plain`` (``?dateline=`` and
``?title=`` then go in the query string). Needs the write token. Answers 201 with the graph
IRI and the facts; a body that is no article gets 400/413/415 and nothing is stored.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from kg.extract.reader import (
    ReaderError,
    decode,
    looks_like_html,
    read_html,
    read_record,
    read_text,
)
from kg.ingest import ingest_document, store_prepared
from kg.service.auth import require_token
from kg.service.errors import HTTPProblem
from kg.service.state import ServiceState, get_state
from kg.validate import ShapeViolationError

router = APIRouter(tags=["articles"])


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPProblem(413, f"the article is {declared} bytes, over the limit of {limit}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPProblem(413, f"the article is over the limit of {limit} bytes")
    return bytes(body)


def _document(media: str, body: bytes, params: dict[str, str], limit: int):  # type: ignore[no-untyped-def]
    if media in ("application/json", ""):
        try:
            record: Any = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ReaderError(f"the body is not JSON: {exc}") from exc
        except RecursionError as exc:  # json nests by recursion: [[[[... runs out of stack
            raise ReaderError("the body is JSON nested too deeply to be an article") from exc
        return read_record(record, where="body")
    if media in ("text/plain", "text/html"):
        text = decode(body, limit)
        dateline, title = params.get("dateline") or None, params.get("title") or None
        if media == "text/html" or looks_like_html(text):
            return read_html(text, source=params.get("url"), dateline=dateline)
        return read_text(
            text, dateline=dateline, title=title, source=params.get("url"), max_bytes=limit
        )
    raise HTTPProblem(415, f"send application/json or text/plain, not {media}")


@router.post(
    "/articles",
    status_code=201,
    dependencies=[Depends(require_token)],
    summary="Extract, validate and store one article",
)
async def post_article(
    request: Request, state: Annotated[ServiceState, Depends(get_state)]
) -> JSONResponse:
    limit = state.settings.article_max_bytes
    body = await _body(request, limit)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        doc = _document(media, body, dict(request.query_params), limit)
    except ReaderError as exc:
        raise HTTPProblem(400, str(exc)) from exc
    if state.ingest is not None:  # extraction in the worker process, the write here
        prepared = await state.ingest.prepare(doc)
        stored = await anyio.to_thread.run_sync(store_prepared, state.store, prepared)
        facts = json.loads(prepared.facts_json)
    else:
        try:
            stored, parsed = await anyio.to_thread.run_sync(
                ingest_document, state.store, doc, state.settings
            )
        except ShapeViolationError as exc:
            raise HTTPProblem(422, str(exc)) from exc
        facts = json.loads(parsed.model_dump_json())
    return JSONResponse(
        {
            "graph": stored.graph,
            "source": stored.source,
            "triples": stored.triples,
            "facts": facts,
        },
        status_code=201,
        headers={"Location": stored.graph},
    )
