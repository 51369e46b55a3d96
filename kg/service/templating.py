"""HTML for the browsing pages: the Jinja2 environment (autoescaped) and how pages answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kg import __version__
from kg.service.errors import HTTPProblem

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

# Autoescape everything, SVG included: labels and article text come from outside.
ENV = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.globals["version"] = __version__


def compile_templates() -> int:
    """Compile every template now (the service does it at start); returns how many.

    Compiling holds the GIL: all of them take about 150 ms here, which the first page views
    of a fresh service would otherwise spend while the event loop waits (measured in the
    opening burst of ``make load``).

    >>> compile_templates() >= 5
    True
    """
    names = ENV.list_templates()
    for name in names:
        ENV.get_template(name)
    return len(names)


def render(name: str, **context: Any) -> str:
    """A template rendered with ``context`` (every value escaped unless marked safe)."""
    return ENV.get_template(name).render(**context)


def error_page(status: int, message: str) -> HTMLResponse:
    """An HTML page that says what went wrong, with its status."""
    return HTMLResponse(render("error.html", status=status, message=message), status_code=status)


async def html_page(build, run=anyio.to_thread.run_sync) -> HTMLResponse:  # type: ignore[no-untyped-def]
    """Run ``build()`` (store work and rendering, blocking) with ``run`` (by default in a
    worker thread; the service passes its page threads' runner); answer HTML.

    ``build`` returns the page text, or raises :class:`HTTPProblem` for an error page.
    """
    try:
        body = await run(build)
    except HTTPProblem as exc:
        return error_page(exc.status, exc.message)
    return HTMLResponse(body)
