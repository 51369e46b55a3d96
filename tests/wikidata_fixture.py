"""A small Wikidata-shaped dataset and real servers on loopback to serve it.

The fixture follows Wikidata's RDF model: items with English labels (``rdfs:label``), aliases
(``skos:altLabel``), descriptions (``schema:description``), sitelink counts
(``wikibase:sitelinks``), truthy statements (``wdt:``) and full statements with qualifiers
(``p:P39`` / ``ps:P39`` / ``pq:P580`` / ``pq:P582``). QIDs of real items are the ones the
project verified (data/gazetteer/SOURCES.md); everything else uses test-only QIDs from
Q9000000 up, which are made up and mean nothing on Wikidata.

- :class:`OxigraphServer`: the Oxigraph server (PyPI ``oxigraph``) on a free port, loaded
  with the fixture; its SPARQL endpoint is ``.endpoint``.
- :class:`Proxy`: a real HTTP server in front of it that counts the requests it forwards and
  can answer the first ones with a status of our choosing (429 with ``Retry-After``...).
- :class:`SilentServer`: accepts connections and never answers (a hung endpoint).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.conftest import free_port

PREFIXES = """@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix wikibase: <http://wikiba.se/ontology#> .
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Test-only QIDs (made up): classes, positions, people and places the project has no
# verified QID for.
STOLTENBERG = "Q9000001"
VOSTOCHNY = "Q9000050"
VLADIVOSTOK = "Q9000051"
SUMMIT_2024 = "Q9000060"
SUMMIT_2023 = "Q9000061"
SUMMIT_2019 = "Q9000062"


def _item(
    qid: str,
    label: str,
    *,
    desc: str = "",
    aliases: tuple[str, ...] = (),
    sitelinks: int = 0,
    claims: tuple[tuple[str, str], ...] = (),
) -> str:
    lines = [f'wd:{qid} rdfs:label "{label}"@en']
    if desc:
        lines.append(f'schema:description "{desc}"@en')
    for a in aliases:
        lines.append(f'skos:altLabel "{a}"@en')
    if sitelinks:
        lines.append(f"wikibase:sitelinks {sitelinks}")
    for prop, value in claims:
        lines.append(f"wdt:{prop} {value}")
    return " ;\n  ".join(lines) + " .\n"


def _held(person: str, n: int, position: str, start: str | None, end: str | None) -> str:
    st = f"wd:statement-{person}-{n}"
    out = f"wd:{person} p:P39 {st} .\n{st} ps:P39 wd:{position}"
    if start:
        out += f' ;\n  pq:P580 "{start}T00:00:00Z"^^xsd:dateTime'
    if end:
        out += f' ;\n  pq:P582 "{end}T00:00:00Z"^^xsd:dateTime'
    return out + " .\n" + f"wd:{person} wdt:P39 wd:{position} .\n"


def _date(d: str) -> str:
    return f'"{d}T00:00:00Z"^^xsd:dateTime'


def fixture_turtle() -> str:
    """The fixture as Turtle."""
    t = [PREFIXES]
    # Classes (the real QIDs of the five the reconciler filters by; the rest test-only).
    t += [
        _item("Q5", "human"),
        _item("Q48352", "head of state"),
        _item("Q2285706", "head of government"),
        _item("Q83307", "minister"),
        _item("Q3624078", "sovereign state"),
        _item("Q515", "city"),
        _item("Q484652", "international organization"),
        _item("Q9100001", "capital city", claims=(("P279", "wd:Q515"),)),
        _item("Q9100002", "president", claims=(("P279", "wd:Q48352"),)),
        _item("Q9100003", "prime minister", claims=(("P279", "wd:Q2285706"),)),
        _item("Q9100004", "spaceport"),
        _item("Q9100005", "military alliance", claims=(("P279", "wd:Q484652"),)),
    ]
    # Positions.
    t += [
        _item("Q9200001", "President of Russia", claims=(("P279", "wd:Q9100002"),)),
        _item("Q9200002", "Secretary General of NATO"),
        _item("Q9200003", "Prime Minister of Norway", claims=(("P279", "wd:Q9100003"),)),
        _item("Q9200004", "Prime Minister of the Netherlands", claims=(("P279", "wd:Q9100003"),)),
        _item("Q9200005", "Supreme Leader of North Korea", claims=(("P279", "wd:Q48352"),)),
        _item("Q9200006", "Minister of Finance of Norway", claims=(("P279", "wd:Q83307"),)),
        _item("Q9200007", "Prime Minister of Testland", claims=(("P279", "wd:Q9100003"),)),
        _item("Q9200008", "Minister of Culture of Testland", claims=(("P279", "wd:Q83307"),)),
        _item("Q9200009", "Chair of the Testland Chess Club"),
    ]
    # Parties.
    t += [
        _item("Q9300001", "United Russia"),
        _item("Q9300002", "Workers' Party of Korea"),
        _item("Q9300003", "Norwegian Labour Party"),
    ]
    # States, cities, places.
    t += [
        _item(
            "Q159",
            "Russia",
            aliases=("Russian Federation",),
            sitelinks=300,
            claims=(("P31", "wd:Q3624078"), ("P36", "wd:Q649")),
        ),
        _item(
            "Q423",
            "North Korea",
            aliases=("DPRK",),
            sitelinks=250,
            claims=(("P31", "wd:Q3624078"), ("P36", "wd:Q18808")),
        ),
        _item("Q9000040", "Testland", sitelinks=3, claims=(("P31", "wd:Q3624078"),)),
        _item("Q9000041", "Otherland", sitelinks=3, claims=(("P31", "wd:Q3624078"),)),
        _item(
            "Q649",
            "Moscow",
            sitelinks=280,
            desc="capital of Russia",
            claims=(("P31", "wd:Q9100001"), ("P17", "wd:Q159"), ("P1082", "13010112")),
        ),
        _item(
            "Q18808",
            "Pyongyang",
            sitelinks=200,
            desc="capital of North Korea",
            claims=(("P31", "wd:Q9100001"), ("P17", "wd:Q423"), ("P1082", "3255288")),
        ),
        _item(
            VLADIVOSTOK,
            "Vladivostok",
            sitelinks=150,
            claims=(("P31", "wd:Q515"), ("P17", "wd:Q159")),
        ),
        _item(
            VOSTOCHNY,
            "Vostochny Cosmodrome",
            sitelinks=60,
            desc="spaceport in Amur Oblast",
            claims=(("P31", "wd:Q9100004"), ("P17", "wd:Q159"), ("P625", '"Point(128.33 51.88)"')),
        ),
        _item(
            "Q9000031",
            "Springfield",
            sitelinks=20,
            desc="city in Testland",
            claims=(("P31", "wd:Q515"), ("P17", "wd:Q9000040")),
        ),
        _item(
            "Q9000033",
            "Springfield",
            sitelinks=25,
            desc="city in Otherland",
            claims=(("P31", "wd:Q515"), ("P17", "wd:Q9000041")),
        ),
        _item(
            "Q7184",
            "NATO",
            aliases=("North Atlantic Treaty Organization",),
            sitelinks=200,
            claims=(("P31", "wd:Q9100005"),),
        ),
    ]
    # People.
    t += [
        _item(
            "Q7747",
            "Vladimir Putin",
            aliases=("Vladimir Vladimirovich Putin", "Putin"),
            sitelinks=250,
            desc="President of Russia",
            claims=(("P31", "wd:Q5"), ("P569", _date("1952-10-07")), ("P102", "wd:Q9300001")),
        ),
        _held("Q7747", 1, "Q9200001", "2012-05-07", None),
        _item(
            "Q56226",
            "Kim Jong Un",
            aliases=("Kim Jong-un",),
            sitelinks=200,
            claims=(("P31", "wd:Q5"), ("P569", _date("1984-01-08")), ("P102", "wd:Q9300002")),
        ),
        _held("Q56226", 1, "Q9200005", "2011-12-17", None),
        _item(
            STOLTENBERG,
            "Jens Stoltenberg",
            sitelinks=120,
            desc="Norwegian politician",
            claims=(("P31", "wd:Q5"), ("P569", _date("1959-03-16")), ("P102", "wd:Q9300003")),
        ),
        _held(STOLTENBERG, 1, "Q9200003", "2005-10-17", "2013-10-16"),
        _held(STOLTENBERG, 2, "Q9200002", "2014-10-01", "2024-10-01"),
        _held(STOLTENBERG, 3, "Q9200006", "2025-02-04", None),
        _item("Q57792", "Mark Rutte", sitelinks=150, claims=(("P31", "wd:Q5"),)),
        _held("Q57792", 1, "Q9200004", "2010-10-14", "2024-07-02"),
        _held("Q57792", 2, "Q9200002", "2024-10-01", None),
        # Namesakes: the dates tell the two politicians apart; the third holds no office.
        _item(
            "Q9000011",
            "John Example",
            sitelinks=30,
            desc="Testland prime minister",
            claims=(("P31", "wd:Q5"),),
        ),
        _held("Q9000011", 1, "Q9200007", "2000-01-01", "2005-12-31"),
        _item(
            "Q9000012",
            "John Example",
            sitelinks=30,
            desc="Testland culture minister",
            claims=(("P31", "wd:Q5"),),
        ),
        _held("Q9000012", 1, "Q9200008", "2010-01-01", "2020-12-31"),
        _item(
            "Q9000013",
            "John Example",
            sitelinks=80,
            desc="Testland actor",
            claims=(("P31", "wd:Q5"),),
        ),
        # Known by an alias only, little known: below the threshold.
        _item(
            "Q9000021",
            "Janet Q. Sample",
            aliases=("Jane Sample",),
            sitelinks=1,
            claims=(("P31", "wd:Q5"),),
        ),
        _held("Q9000021", 1, "Q9200009", "2010-01-01", None),
        # A human called Springfield: not a city.
        _item("Q9000032", "Springfield", sitelinks=90, claims=(("P31", "wd:Q5"),)),
    ]
    # Events: the recorded visits.
    t += [
        _item(
            SUMMIT_2024,
            "2024 Russia–North Korea summit",
            sitelinks=20,
            claims=(
                ("P710", "wd:Q7747"),
                ("P710", "wd:Q56226"),
                ("P585", _date("2024-06-19")),
                ("P276", "wd:Q18808"),
                ("P17", "wd:Q423"),
            ),
        ),
        _item(
            SUMMIT_2023,
            "2023 North Korea–Russia summit",
            sitelinks=20,
            claims=(
                ("P710", "wd:Q56226"),
                ("P710", "wd:Q7747"),
                ("P585", _date("2023-09-13")),
                ("P276", f"wd:{VOSTOCHNY}"),
                ("P17", "wd:Q159"),
            ),
        ),
        _item(
            SUMMIT_2019,
            "2019 North Korea–Russia summit",
            sitelinks=15,
            claims=(
                ("P710", "wd:Q56226"),
                ("P710", "wd:Q7747"),
                ("P585", _date("2019-04-25")),
                ("P276", f"wd:{VLADIVOSTOK}"),
                ("P17", "wd:Q159"),
            ),
        ),
    ]
    return "\n".join(t)


def oxigraph_binary() -> Path:
    """The ``oxigraph`` command of this virtual environment (PyPI package ``oxigraph``)."""
    return Path(sys.executable).parent / "oxigraph"


class OxigraphServer:
    """The Oxigraph server on a free loopback port, serving the fixture (read-only)."""

    def __init__(self, folder: Path, turtle: str | None = None) -> None:
        data = folder / "fixture.ttl"
        data.write_text(turtle or fixture_turtle(), encoding="utf-8")
        db = folder / "db"
        subprocess.run(
            [str(oxigraph_binary()), "load", "--location", str(db), "--file", str(data)],
            check=True,
            capture_output=True,
        )
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/query"
        self.proc = subprocess.Popen(
            [
                str(oxigraph_binary()),
                "serve-read-only",
                "--location",
                str(db),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.endpoint, params={"query": "ASK {}"}, timeout=1).is_success:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the Oxigraph server did not start")

    def stop(self) -> None:
        """Stop the server process."""
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class Proxy:
    """A real HTTP server forwarding to ``upstream``, counting requests; the first answers can
    be replaced by ``(status, headers)`` from ``fail_first``."""

    def __init__(self, upstream: str, fail_first: list[tuple[int, dict[str, str]]] | None = None):
        self.upstream = upstream
        self.fail_first = list(fail_first or [])
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers)
        self.times: list[float] = []
        self.bodies: list[str] = []  # query texts received (URL-decoded or POSTed)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                proxy.requests.append((self.command, self.path, dict(self.headers)))
                proxy.bodies.append(
                    urllib.parse.unquote_plus(self.path) + (body or b"").decode("utf-8", "replace")
                )
                proxy.times.append(time.monotonic())
                if proxy.fail_first:
                    status, headers = proxy.fail_first.pop(0)
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "4")
                    self.end_headers()
                    self.wfile.write(b"busy")
                    return
                query = self.path.split("?", 1)[1] if "?" in self.path else ""
                req = urllib.request.Request(
                    proxy.upstream + ("?" + query if query else ""),
                    data=body,
                    method=self.command,
                    headers={
                        k: v
                        for k, v in self.headers.items()
                        if k.lower() in ("content-type", "accept")
                    },
                )
                try:
                    with urllib.request.urlopen(req, timeout=30) as up:
                        data, status, ctype = up.read(), up.status, up.headers["Content-Type"]
                except urllib.error.HTTPError as exc:
                    data, status, ctype = exc.read(), exc.code, exc.headers["Content-Type"]
                self.send_response(status)
                self.send_header("Content-Type", ctype or "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


class SilentServer:
    """Accepts TCP connections and never answers: an endpoint that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.endpoint = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self._conns.append(conn)
            except OSError:
                continue

    def stop(self) -> None:
        """Close every connection and the listening socket."""
        self._stop.set()
        for c in self._conns:
            c.close()
        self.sock.close()


def closed_endpoint() -> str:
    """An endpoint on a loopback port nobody listens on (connection refused)."""
    return f"http://127.0.0.1:{free_port()}/sparql"
