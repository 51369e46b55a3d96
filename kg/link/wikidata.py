"""The project's Wikidata client: SPARQLWrapper with a proper User-Agent, timeouts, back-off,
a persistent cache and batching helpers.

Wikidata's query service asks every client to name itself and a way to reach its operator,
to back off when told (HTTP 429 with ``Retry-After``) and to ask for many entities at once
rather than one request each. This client does all three:

- the User-Agent names the project, its version and a contact URL (``KG_WIKIDATA_CONTACT``);
- a connect timeout and a read timeout (separate: a dead host fails in seconds, a slow but
  working query gets its time);
- 429, 502, 503 and 504 are retried a bounded number of times, waiting as ``Retry-After``
  says (seconds or an HTTP date), else 1 s, 2 s, 4 s...; a wait longer than
  ``KG_WIKIDATA_MAX_WAIT_S`` is not waited for, the error is raised at once;
- answers are cached on disk (SQLite, keyed by endpoint and query text), so a second run asks
  nothing; :func:`values` and :func:`chunks` build ``VALUES`` blocks of many names or QIDs.

Errors are typed (:class:`EndpointUnreachable`, :class:`EndpointTimeout`, :class:`RateLimited`,
:class:`EndpointError`) and every message names the endpoint.

>>> values("name", ["Jens Stoltenberg", 'a "quoted" name'])
'VALUES ?name { "Jens Stoltenberg"@en "a \\\\"quoted\\\\" name"@en }'
>>> entity_iri("Q7747")
'<http://www.wikidata.org/entity/Q7747>'
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import http.client
import json
import re
import socket
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
import SPARQLWrapper
from SPARQLWrapper import GET, JSON, POST
from SPARQLWrapper import SPARQLWrapper as _SPARQLWrapper

from kg import __version__
from kg.model import QID_RE

WD = "http://www.wikidata.org/entity/"
PREFIXES = {
    "wd": WD,
    "wdt": "http://www.wikidata.org/prop/direct/",
    "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/",
    "wikibase": "http://wikiba.se/ontology#",
    "schema": "http://schema.org/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
RETRIED = frozenset({429, 502, 503, 504})
GET_LIMIT = 1800  # longer queries go by POST (URL length limits of proxies)

T = TypeVar("T")


# ------------------------------------------------------------------------------- errors


class WikidataError(Exception):
    """A request to the Wikidata endpoint failed; the message names the endpoint."""

    def __init__(self, endpoint: str, message: str) -> None:
        super().__init__(f"{endpoint}: {message}")
        self.endpoint = endpoint


class EndpointUnreachable(WikidataError):
    """No connection could be made (refused, no route, DNS, connect timeout)."""


class EndpointTimeout(WikidataError):
    """The endpoint took longer than the read timeout to answer."""


class RateLimited(WikidataError):
    """Still 429 after the retries, or told to wait longer than we are willing to."""


class EndpointError(WikidataError):
    """Any other HTTP error status, or an answer that is not SPARQL JSON results."""

    def __init__(self, endpoint: str, message: str, status: int | None = None) -> None:
        super().__init__(endpoint, message)
        self.status = status


class BadQuery(EndpointError):
    """The endpoint refused the query text (HTTP 400)."""


# -------------------------------------------------------------------------- SPARQL text


def entity_iri(qid: str) -> str:
    """The IRI of a Wikidata item in angle brackets (the QID is checked)."""
    if not QID_RE.match(qid):
        raise ValueError(f"{qid!r} is not a Wikidata QID")
    return f"<{WD}{qid}>"


def qid_of(iri: str) -> str | None:
    """The QID an item IRI names, or None.

    >>> qid_of("http://www.wikidata.org/entity/Q159"), qid_of("http://example.org/Q1")
    ('Q159', None)
    """
    if iri.startswith(WD) and QID_RE.match(iri[len(WD) :]):
        return iri[len(WD) :]
    return None


def values(var: str, names: Iterable[str], lang: str = "en") -> str:
    """A ``VALUES`` block of language-tagged literals (escaped by pyoxigraph)."""
    body = " ".join(str(ox.Literal(n, language=lang)) for n in names)
    return f"VALUES ?{var} {{ {body} }}"


def item_values(var: str, qids: Iterable[str]) -> str:
    """A ``VALUES`` block of Wikidata items.

    >>> item_values("item", ["Q1", "Q2"])
    'VALUES ?item { <http://www.wikidata.org/entity/Q1> <http://www.wikidata.org/entity/Q2> }'
    """
    return f"VALUES ?{var} {{ {' '.join(entity_iri(q) for q in qids)} }}"


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size`` (one request each).

    >>> [list(c) for c in chunks([1, 2, 3, 4, 5], 2)]
    [[1, 2], [3, 4], [5]]
    """
    size = max(1, size)
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Term:
    """One bound value of a SPARQL JSON result."""

    kind: str  # uri, literal, bnode
    value: str
    lang: str | None = None
    datatype: str | None = None

    @property
    def qid(self) -> str | None:
        """The QID, when the value is a Wikidata item IRI."""
        return qid_of(self.value) if self.kind == "uri" else None

    @property
    def date(self) -> str | None:
        """An ISO date (YYYY-MM-DD) from an ``xsd:date``/``xsd:dateTime`` value, else None.

        >>> Term("literal", "2014-10-01T00:00:00Z").date
        '2014-10-01'
        """
        m = re.match(r"^(-?\d{4,}-\d{2}-\d{2})", self.value)
        return m.group(1) if m and self.kind == "literal" else None


Row = dict[str, Term]


def parse_results(body: str, endpoint: str) -> list[Row]:
    """Rows of a SPARQL 1.1 JSON results document (SELECT); a boolean is one empty row or none.

    >>> parse_results('{"head": {"vars": ["x"]}, "results": {"bindings": '
    ...     '[{"x": {"type": "literal", "value": "a", "xml:lang": "en"}}]}}', "e")
    [{'x': Term(kind='literal', value='a', lang='en', datatype=None)}]
    """
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise EndpointError(endpoint, f"the answer is not JSON: {body[:200]!r}") from exc
    if not isinstance(doc, dict):
        raise EndpointError(endpoint, "the answer is not a SPARQL JSON results document")
    if "boolean" in doc:
        return [{}] if doc["boolean"] else []
    try:
        bindings = doc["results"]["bindings"]
    except (KeyError, TypeError) as exc:
        raise EndpointError(endpoint, "the answer has no results.bindings") from exc
    return [_row_from_json(b) for b in bindings]


def _row_from_json(binding: dict[str, dict[str, str]]) -> Row:
    row = {}
    for var, v in binding.items():
        kind = "literal" if v.get("type") == "typed-literal" else v.get("type", "literal")
        row[var] = Term(kind, v.get("value", ""), v.get("xml:lang"), v.get("datatype"))
    return row


# ------------------------------------------------------------------------------ cache


class QueryCache:
    """Answers on disk (SQLite), keyed by endpoint and query text, with an age limit.

    >>> import tempfile, os
    >>> c = QueryCache(os.path.join(tempfile.mkdtemp(), "c.sqlite"), ttl_s=60)
    >>> c.put("http://e/", "ASK {}", '{"boolean": true}')
    >>> c.get("http://e/", "ASK {}"), c.get("http://other/", "ASK {}")
    ('{"boolean": true}', None)
    """

    def __init__(self, path: str | Path, ttl_s: float) -> None:
        self.path = Path(path)
        self.ttl_s = ttl_s
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, endpoint TEXT, "
                "query TEXT, body TEXT, fetched REAL)"
            )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")  # readers do not wait for a writer
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    @staticmethod
    def key(endpoint: str, query: str) -> str:
        """The cache key of one request."""
        return hashlib.sha256(f"{endpoint}\x1f{query}".encode()).hexdigest()

    def get(self, endpoint: str, query: str) -> str | None:
        """The stored answer, if younger than the age limit."""
        return self.get_many(endpoint, [query]).get(query)

    def get_many(self, endpoint: str, queries: Sequence[str]) -> dict[str, str]:
        """The stored answers younger than the age limit, by query (one connection)."""
        keys = {self.key(endpoint, q): q for q in queries}
        found: dict[str, str] = {}
        with self._lock, contextlib.closing(self._connect()) as db:
            for part in chunks(list(keys), 500):
                marks = ",".join("?" * len(part))
                for key, body, fetched in db.execute(
                    f"SELECT key, body, fetched FROM answers WHERE key IN ({marks})", part
                ):
                    if time.time() - fetched <= self.ttl_s:
                        found[keys[key]] = body
        return found

    def put(self, endpoint: str, query: str, body: str) -> None:
        """Store an answer (replacing an older one)."""
        self.put_many(endpoint, {query: body})

    def put_many(self, endpoint: str, answers: dict[str, str]) -> None:
        """Store answers in one transaction."""
        now = time.time()
        rows = [(self.key(endpoint, q), endpoint, q, b, now) for q, b in answers.items()]
        with self._lock, contextlib.closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)", rows)


# --------------------------------------------------------------------------- transport


class _ConnectFailed(OSError):
    """Raised from ``connect``: tells a dead endpoint from a slow one."""


def _open_socket(
    host: str, port: int, connect_s: float, read_s: float, source: Any
) -> socket.socket:
    try:
        sock = socket.create_connection((host, port), connect_s, source)
    except OSError as exc:
        raise _ConnectFailed(f"cannot connect to {host}:{port}: {exc}") from exc
    sock.settimeout(read_s)
    return sock


class _HTTPConnection(http.client.HTTPConnection):
    connect_s = 5.0
    read_s = 30.0

    def connect(self) -> None:
        self.sock = _open_socket(
            self.host, self.port, self.connect_s, self.read_s, self.source_address
        )
        if self._tunnel_host:
            self._tunnel()


class _HTTPSConnection(http.client.HTTPSConnection):
    connect_s = 5.0
    read_s = 30.0

    def connect(self) -> None:
        sock = _open_socket(self.host, self.port, self.connect_s, self.read_s, self.source_address)
        if self._tunnel_host:
            self.sock = sock
            self._tunnel()
            sock = self.sock
        self.sock = self._context.wrap_socket(sock, server_hostname=self._tunnel_host or self.host)


def _opener(connect_s: float, read_s: float) -> urllib.request.OpenerDirector:
    """A urllib opener whose connections have separate connect and read timeouts."""
    plain = type("Conn", (_HTTPConnection,), {"connect_s": connect_s, "read_s": read_s})
    tls = type("TLSConn", (_HTTPSConnection,), {"connect_s": connect_s, "read_s": read_s})

    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(plain, req)

    class TLS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(tls, req, context=self._context)

    return urllib.request.build_opener(Plain, TLS)


class _Wrapper(_SPARQLWrapper):
    """SPARQLWrapper builds the request (method, encoding, Accept, User-Agent); we send it
    through our opener and keep HTTP errors as they are, with their headers."""

    opener: urllib.request.OpenerDirector

    def _query(self) -> tuple[http.client.HTTPResponse, str]:  # type: ignore[override]
        return self.opener.open(self._createRequest()), self.returnFormat


def user_agent(contact: str) -> str:
    """The User-Agent of every request: project, version, contact, library versions.

    >>> user_agent("https://example.org/contact").startswith("kg/")
    True
    """
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (
        f"kg/{__version__} (diplomatic-visit knowledge graph; +{contact}) "
        f"SPARQLWrapper/{SPARQLWrapper.__version__} Python/{python}"
    )


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), or None.

    >>> retry_after("3"), retry_after(None), retry_after("soon")
    (3.0, None, None)
    >>> retry_after("Wed, 21 Oct 2015 07:28:10 GMT",
    ...             now=datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC))
    10.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# ------------------------------------------------------------------------------ client


class WikidataClient:
    """SELECT queries against one SPARQL endpoint, cached, with retries (thread-safe counters).

    ``requests`` counts HTTP requests sent (retries included), ``cache_hits`` the answers
    served from the cache: the figures ``kg link`` reports.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        contact: str = "https://w3id.org/diplovisit",
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 30.0,
        retries: int = 3,
        max_wait_s: float = 60.0,
        cache: QueryCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint
        self.agent = user_agent(contact)
        self.retries = max(0, retries)
        self.max_wait_s = max_wait_s
        self.cache = cache
        self.sleep = sleep
        self._opener = _opener(connect_timeout_s, read_timeout_s)
        self._lock = threading.Lock()
        self.requests = 0
        self.cache_hits = 0
        self.waited_s = 0.0

    @classmethod
    def from_settings(cls, settings: Any, *, use_cache: bool = True) -> WikidataClient:
        """The client ``KG_WIKIDATA_*`` configures."""
        cache = (
            QueryCache(settings.wikidata_cache, settings.wikidata_cache_ttl_s)
            if use_cache and settings.wikidata_cache
            else None
        )
        return cls(
            settings.wikidata_endpoint,
            contact=settings.wikidata_contact,
            connect_timeout_s=settings.wikidata_connect_timeout_s,
            read_timeout_s=settings.wikidata_timeout_s,
            retries=settings.wikidata_retries,
            max_wait_s=settings.wikidata_max_wait_s,
            cache=cache,
        )

    def select(self, query: str, *, prologue: bool = True) -> list[Row]:
        """The rows of a SELECT (or ASK) query; the Wikidata prefixes are declared for it."""
        text = (PROLOGUE if prologue else "") + query
        cached = self.cache.get(self.endpoint, text) if self.cache else None
        if cached is not None:
            with self._lock:
                self.cache_hits += 1
            return parse_results(cached, self.endpoint)
        body = self._fetch(text)
        rows = parse_results(body, self.endpoint)  # only a valid answer is cached
        if self.cache is not None:
            self.cache.put(self.endpoint, text, body)
        return rows

    def select_each(
        self,
        namespace: str,
        items: Sequence[str],
        build: Callable[[Sequence[str]], str],
        row_key: Callable[[Row], str | None],
        batch: int,
    ) -> dict[str, list[Row]]:
        """Rows per item, asking for many items per request and caching each item alone.

        ``build(items)`` writes one query for a batch (a ``VALUES`` block of them);
        ``row_key(row)`` tells which item a row answers. Each item's rows (none included)
        are cached under ``namespace`` and the item, so a later run that asks for a
        different mix of items asks the endpoint only about the new ones.
        """
        out: dict[str, list[Row]] = {}
        items = list(dict.fromkeys(items))
        keys = {item: f"{namespace}\x1f{item}" for item in items}
        cached = self.cache.get_many(self.endpoint, list(keys.values())) if self.cache else {}
        missing = []
        for item in items:
            body = cached.get(keys[item])
            if body is None:
                missing.append(item)
                continue
            with self._lock:
                self.cache_hits += 1
            out[item] = [_row_from_json(b) for b in json.loads(body)]
        for part in chunks(missing, batch):
            body = self._fetch(PROLOGUE + build(part))
            rows = parse_results(body, self.endpoint)
            raw = json.loads(body).get("results", {}).get("bindings", [])
            grouped: dict[str, list[dict]] = {item: [] for item in part}
            for row, binding in zip(rows, raw, strict=True):
                key = row_key(row)
                if key in grouped:
                    grouped[key].append(binding)
            for item, bindings in grouped.items():
                out[item] = [_row_from_json(b) for b in bindings]
            if self.cache is not None:
                self.cache.put_many(
                    self.endpoint, {keys[i]: json.dumps(b) for i, b in grouped.items()}
                )
        return out

    def probe(self) -> None:
        """Check the endpoint answers at all (``ASK {}``, never cached); raises if not."""
        parse_results(self._fetch("ASK {}"), self.endpoint)

    def _fetch(self, text: str) -> str:
        for attempt in range(self.retries + 1):
            wrapper = _Wrapper(self.endpoint, agent=self.agent)
            wrapper.opener = self._opener
            wrapper.setQuery(text)
            wrapper.setMethod(GET if len(text) < GET_LIMIT else POST)
            wrapper.setReturnFormat(JSON)
            with self._lock:
                self.requests += 1
            try:
                result = wrapper.query()
                with contextlib.closing(result.response) as response:
                    return response.read().decode("utf-8", errors="replace")
            except urllib.error.HTTPError as exc:
                wait = self._wait_for(exc, attempt)
                if wait is None:
                    raise self._http_error(exc) from exc
            except urllib.error.URLError as exc:  # a failed connect (_ConnectFailed) among them
                if isinstance(exc.reason, TimeoutError | socket.timeout):
                    raise self._timeout() from exc
                raise EndpointUnreachable(self.endpoint, f"unreachable: {exc.reason}") from exc
            except TimeoutError as exc:
                raise self._timeout() from exc
            except (http.client.HTTPException, ConnectionError) as exc:
                # The connection dropped mid-answer: worth another try, with back-off.
                if attempt >= self.retries:
                    raise EndpointError(self.endpoint, f"connection failed: {exc!r}") from exc
                wait = min(self.max_wait_s, 2.0**attempt)
            with self._lock:
                self.waited_s += wait
            self.sleep(wait)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _wait_for(self, exc: urllib.error.HTTPError, attempt: int) -> float | None:
        """How long to wait before retrying, or None when not to retry."""
        if exc.code not in RETRIED or attempt >= self.retries:
            return None
        told = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
        wait = told if told is not None else 2.0**attempt
        return wait if wait <= self.max_wait_s else None

    def _timeout(self) -> EndpointTimeout:
        return EndpointTimeout(
            self.endpoint, "no answer within the read timeout (KG_WIKIDATA_TIMEOUT_S)"
        )

    def _http_error(self, exc: urllib.error.HTTPError) -> WikidataError:
        try:
            detail = exc.read().decode("utf-8", errors="replace")[:300].strip()
        except OSError:
            detail = ""
        told = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
        if exc.code == 429:
            why = (
                f"asked to wait {told:.0f} s, longer than KG_WIKIDATA_MAX_WAIT_S"
                if told is not None and told > self.max_wait_s
                else f"still rate-limited after {self.retries} retries"
            )
            return RateLimited(self.endpoint, f"HTTP 429: {why}")
        if exc.code == 400:
            return BadQuery(self.endpoint, f"HTTP 400, query refused: {detail}", 400)
        return EndpointError(self.endpoint, f"HTTP {exc.code}: {detail or exc.reason}", exc.code)
