"""Articles are extracted, mapped and validated in a worker process, not in the service.

Extraction is pure Python (spaCy's tokenizer, the rules, pySHACL): in a thread of the service
it holds the GIL for about 100 ms per article, and the first one several seconds while the
pipeline and gazetteers load, and every other request waits meanwhile. In a worker process
it runs beside the service; only the store write (a few ms) happens here. A service that can
write (a token is set) starts the worker at once and warms it up on a small article, at a
lower CPU priority (nice +5) than the queries; a read-only one never starts it. A worker that
dies is replaced.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from kg.extract.reader import Document, ReaderError, read_text
from kg.ingest import Prepared, prepare_document
from kg.procs import set_name, watch_parent
from kg.service.errors import HTTPProblem
from kg.settings import Settings
from kg.validate import ShapeViolationError

WARM_UP = "President Emmanuel Macron arrived in Berlin on Monday for talks with Olaf Scholz."
NICE = 5
Outcome = tuple[str, Prepared | str]  # ("ok", prepared) or (error kind, message)


def _warm(settings: Settings, parent: int) -> None:
    """Watch the service (exit with it, even after a kill -9), then load the pipeline and
    the gazetteers once, before the first article."""
    watch_parent(parent)
    set_name("kg-ingest")
    os.nice(NICE)  # ingest is background work: queries come first
    prepare_document(read_text(WARM_UP, dateline="2024-05-06"), settings)


def _prepare(doc: Document, settings: Settings) -> Outcome:
    # Errors go back as plain data: not every exception pickles (ShapeViolationError's
    # constructor takes violations, not a message).
    try:
        return "ok", prepare_document(doc, settings)
    except ShapeViolationError as exc:
        return "shapes", str(exc)
    except ReaderError as exc:
        return "reader", str(exc)


class IngestPool:
    """One worker process that prepares articles (``await pool.prepare(doc)``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: ProcessPoolExecutor | None = None
        if settings.api_token:  # it may be asked to ingest: be ready for the first article
            self._pool = self._start()
            self._pool.submit(int)

    def _start(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded process
            initializer=_warm,
            initargs=(self.settings, os.getpid()),
        )
        return pool

    async def prepare(self, doc: Document) -> Prepared:
        """The prepared article; 400 (not an article), 422 (shapes) or 503 (worker died)."""
        if self._pool is None:
            self._pool = self._start()
        try:
            kind, value = await asyncio.wrap_future(self._pool.submit(_prepare, doc, self.settings))
        except BrokenProcessPool as exc:
            self._pool = self._start()
            raise HTTPProblem(
                503, "the ingest worker stopped; it was restarted, try again"
            ) from exc
        if kind == "shapes":
            raise HTTPProblem(422, str(value))
        if kind == "reader":
            raise HTTPProblem(400, str(value))
        assert isinstance(value, Prepared)
        return value

    def close(self) -> None:
        """Stop the worker."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
