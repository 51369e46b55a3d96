"""Turning query results into responses: format by ``Accept`` (or ``format=``), 406 if none."""

from __future__ import annotations

import anyio
from fastapi.responses import Response

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS, Format, serialize_result
from kg.service.errors import HTTPProblem
from kg.service.negotiation import choose
from kg.store.base import QueryResult


def pick_format(result_kind: str, accept: str | None, override: str | None) -> Format:
    """The response format for a result kind ('solutions' or 'graph')."""
    table, default = (
        (RESULT_FORMATS, "json") if result_kind == "solutions" else (GRAPH_FORMATS, "turtle")
    )
    if override:
        fmt = table.get(override.lower())
        if fmt is None:
            raise HTTPProblem(
                400, f"unknown format {override!r}; one of: {', '.join(table)}"
            )
        return fmt
    fmt = choose(accept, table, default)
    if fmt is None:
        offered = ", ".join(f.media_type for f in table.values())
        raise HTTPProblem(406, f"no acceptable format for {accept!r}; offered: {offered}")
    return fmt


def result_kind(result: QueryResult) -> str:
    from pyoxigraph import QueryBoolean, QuerySolutions

    return "solutions" if isinstance(result, QuerySolutions | QueryBoolean) else "graph"


async def respond(
    run, accept: str | None, override: str | None, headers: dict[str, str] | None = None
) -> Response:
    """Run ``run()`` (a blocking query) in a worker thread and answer with its serialization.

    The query and its serialization both stay off the event loop: pyoxigraph releases the GIL.
    """

    def work() -> tuple[bytes, Format]:
        result = run()
        fmt = pick_format(result_kind(result), accept, override)
        return serialize_result(result, fmt), fmt

    body, fmt = await anyio.to_thread.run_sync(work)
    media = fmt.media_type
    if media.startswith("text/") or media.endswith(("json", "xml")):
        media += "; charset=utf-8"
    return Response(body, media_type=media, headers={"Vary": "Accept", **(headers or {})})
