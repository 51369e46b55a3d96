"""Security against the real service: the write token on every write route, the token kept
out of logs and answers, SERVICE refusing redirects into private addresses, and pages that
show an article full of HTML and JavaScript inert.

(tests/test_sparql_protocol.py covers the SERVICE/LOAD allow-list itself and the read-only
service; tests/test_ingest_articles.py the article fetcher's allow-list and its redirects.)
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import httpx
import pytest

from kg.extract.fetch import FetchError, check_url
from kg.service import auth
from kg.service.errors import HTTPProblem
from tests.conftest import RunningService, snapshot
from tests.test_pages import XHTML, parse_html

TOKEN = "Zq8-secret-token-that-must-never-show-4711"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TTL = "<http://t/s> <http://t/p> <http://t/o> ."
ARTICLE = {
    "text": "President Emmanuel Macron arrived in Berlin on Monday for talks with Chancellor "
    'Olaf Scholz. "Europe must stand together," Macron said.',
    "title": "Macron in Berlin",
    "dateline": "2024-05-08",
}


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    s = RunningService(
        tmp_path_factory.mktemp("security") / "store",
        {"KG_API_TOKEN": TOKEN},
        log_level="debug",
    )
    yield s
    s.stop()


@pytest.fixture
def client(svc: RunningService) -> Iterator[httpx.Client]:
    with svc.client() as c:
        yield c


# Every route that writes: (name, a function sending the request with the given headers).
WRITES: list[tuple[str, Callable[[httpx.Client, dict], httpx.Response]]] = [
    (
        "update form",
        lambda c, h: c.post(
            "/sparql",
            data={"update": "INSERT DATA { GRAPH <http://t/u1> { <http://t/a> <http://t/b> 1 } }"},
            headers=h,
        ),
    ),
    (
        "update direct",
        lambda c, h: c.post(
            "/sparql",
            content="INSERT DATA { GRAPH <http://t/u2> { <http://t/a> <http://t/b> 2 } }",
            headers={"Content-Type": "application/sparql-update", **h},
        ),
    ),
    (
        "GSP PUT",
        lambda c, h: c.put(
            "/store",
            params={"graph": "http://t/put"},
            content=TTL,
            headers={"Content-Type": "text/turtle", **h},
        ),
    ),
    (
        "GSP POST",
        lambda c, h: c.post(
            "/store",
            params={"graph": "http://t/post"},
            content=TTL,
            headers={"Content-Type": "text/turtle", **h},
        ),
    ),
    (
        "GSP POST new graph",
        lambda c, h: c.post(
            "/store", content=TTL, headers={"Content-Type": "application/n-triples", **h}
        ),
    ),
    (
        "GSP PUT direct",
        lambda c, h: c.put(
            "/store/direct/g", content=TTL, headers={"Content-Type": "text/turtle", **h}
        ),
    ),
    ("GSP DELETE", lambda c, h: c.delete("/store", params={"graph": "http://t/put"}, headers=h)),
    ("POST /articles", lambda c, h: c.post("/articles", json=ARTICLE, headers=h)),
]
WRONG = [
    {"Authorization": "Bearer wrong"},
    {"Authorization": f"Bearer {TOKEN}x"},  # the right one and more
    {"Authorization": f"Bearer {TOKEN[:-1]}"},  # a prefix of it
    {"Authorization": f"Basic {TOKEN}"},  # the right secret, the wrong scheme
]


@pytest.mark.parametrize(("name", "send"), WRITES, ids=[n for n, _ in WRITES])
def test_each_write_route_needs_the_right_token(
    client: httpx.Client, name: str, send: Callable[[httpx.Client, dict], httpx.Response]
) -> None:
    before = snapshot(client)
    r = send(client, {})
    assert r.status_code == 401, (name, r.text)
    assert r.headers["www-authenticate"].startswith("Bearer")
    for headers in WRONG:
        r = send(client, headers)
        expected = 401 if headers["Authorization"].startswith("Basic") else 403
        assert r.status_code == expected, (name, headers, r.text)
    assert snapshot(client) == before, f"{name}: a refused write changed the store"
    if name == "GSP DELETE":  # make sure there is something to delete
        WRITES[2][1](client, AUTH)
        before = snapshot(client)
    r = send(client, AUTH)
    assert r.status_code in (200, 201, 204), (name, r.text)
    assert snapshot(client) != before, f"{name}: the accepted write changed nothing"


def test_the_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = auth.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)

    def request(header: str) -> SimpleNamespace:
        settings = SimpleNamespace(api_token=TOKEN)
        app = SimpleNamespace(state=SimpleNamespace(kg=SimpleNamespace(settings=settings)))
        return SimpleNamespace(
            app=app,
            headers={"authorization": header},
            method="POST",
            url=SimpleNamespace(path="/sparql"),
        )

    auth.require_token(request(f"Bearer {TOKEN}"))  # type: ignore[arg-type]
    with pytest.raises(HTTPProblem) as refused:
        auth.require_token(request("Bearer x"))  # type: ignore[arg-type]
    assert refused.value.status == 403
    # Both compares went through hmac.compare_digest, on digests of equal length (so not
    # even the token's length shows in the time taken).
    assert len(calls) == 2 and all(len(a) == len(b) == 32 for a, b in calls)


def test_the_token_never_shows_in_logs_or_answers(svc: RunningService, client: httpx.Client):
    answers = []
    for _name, send in WRITES:
        for headers in [AUTH, *WRONG, {}]:
            answers.append(send(client, headers))
    for url in ("/health", "/sparql", "/openapi.json", "/", "/queries"):
        answers.append(client.get(url, headers=AUTH))
    answers.append(client.get("/no/such/route", headers=AUTH))
    for r in answers:
        assert TOKEN not in r.text and TOKEN not in str(r.headers)
    log = svc.log.read_text("utf-8", errors="replace")
    assert "DEBUG" in log, "the service did not log at debug level"
    assert "POST /articles" in log  # the requests were logged, the credentials not
    assert TOKEN not in log and TOKEN[:16] not in log


# --- SERVICE and redirects ------------------------------------------------------------------


class _Server:
    """A loopback HTTP server answering every request with ``respond(handler)``."""

    def __init__(self, host: str, respond: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                respond(self)

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _answer_rows(h: BaseHTTPRequestHandler) -> None:
    row = b'{"x":{"type":"literal","value":"private data"}}'
    body = b'{"head":{"vars":["x"]},"results":{"bindings":[' + row + b"]}}"
    h.send_response(200)
    h.send_header("Content-Type", "application/sparql-results+json")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def test_service_follows_no_redirect_into_a_private_address(tmp_path: Path) -> None:
    # The private side: another loopback address, not on the allow-list.
    private = _Server("127.0.0.2", _answer_rows)

    def redirect(h: BaseHTTPRequestHandler) -> None:
        h.send_response(307)
        h.send_header("Location", private.url + "/sparql")
        h.send_header("Content-Length", "0")
        h.end_headers()

    allowed = _Server("127.0.0.1", redirect)
    svc = RunningService(
        tmp_path / "store",
        {"KG_SERVICE_ALLOW": allowed.url + "/sparql", "KG_QUERY_TIMEOUT_S": "10"},
    )
    try:
        with svc.client() as c:
            q = f"SELECT ?x {{ SERVICE <{allowed.url}/sparql> {{ ?x ?p ?o }} }}"
            r = c.get("/sparql", params={"query": q})
            assert allowed.hits, "the allow-listed endpoint was not called"
            assert r.status_code == 502 and "307" in r.text, r.text  # a failed upstream
            assert "private data" not in r.text
            # SILENT hides the failure but still reaches nothing private.
            silent = c.get("/sparql", params={"query": q.replace("SERVICE", "SERVICE SILENT")})
            assert silent.status_code == 200 and "private data" not in silent.text
    finally:
        svc.stop()
        allowed.close()
        private.close()
    assert private.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0x7f.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
    ],
)
def test_article_urls_to_private_addresses_are_refused(url: str) -> None:
    # check_url only resolves the name: nothing is sent to these addresses.
    with pytest.raises(FetchError, match=r"non-public|cannot resolve"):
        check_url(url, ())


# --- pages show HTML and JavaScript inert ---------------------------------------------------

EVIL_TITLE = '<script>alert("title")</script><svg onload=alert(1)> "quoted" & \'single\''
EVIL_TEXT = (
    "President Emmanuel Macron arrived in Berlin on Monday for talks with Chancellor Olaf "
    "Scholz. \"<script>alert('quote')</script> <img src=x onerror=alert(2)> "
    "<a href='javascript:alert(3)'>click me</a> we stand together,\" Macron said. "
    'Macron told <b onmouseover="alert(4)">Le Monde</b> that '
    "\"<iframe src='javascript:alert(5)'></iframe> Europe is strong\"."
)
MARKUP = (
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<iframe",
    "<b onmouseover",
    "javascript:alert(3)",
)


def _inert(body: str, url: str, shows_markup: bool = True) -> None:
    """No script, frame, image or handler from the content; the markup shown as text."""
    root = parse_html(body)
    for el in root.iter():
        tag = el.tag.replace(XHTML, "") if isinstance(el.tag, str) else ""
        if tag == "script":
            assert (el.get("src") or "").startswith("/static/"), (url, ET.tostring(el))
        assert tag not in ("iframe", "img", "svg", "object", "embed"), (url, tag)
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (url, tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith(("javascript:", "data:")), (url, value)
    if shows_markup:  # what the article said is still there, as text
        text = "".join(root.itertext())
        assert any(m in text for m in MARKUP), (url, "the markup is not shown as text")


def test_pages_show_an_article_full_of_markup_inert(client: httpx.Client) -> None:
    r = client.post(
        "/articles",
        json={
            "text": EVIL_TEXT,
            "title": EVIL_TITLE,
            "dateline": "2024-05-08",
            "url": "https://news.example/evil?a=1&b=<2>",
        },
        headers=AUTH,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    facts = body["facts"]
    assert facts["visits"] and facts["statements"], "the article gave no facts to show"
    assert any("<script>" in s["text"] for s in facts["statements"])
    article = body["source"]
    base = "http://127.0.0.1:8000/id/"
    dv = "https://w3id.org/diplovisit/ontology#"
    q = f"SELECT ?visit {{ GRAPH <{body['graph']}> {{ ?visit <{dv}visitor> ?who }} }}"
    rows = client.get("/sparql", params={"query": q}).json()["results"]["bindings"]
    visit = rows[0]["visit"]["value"]
    pages = [
        "/",
        "/id/" + article.removeprefix(base),
        "/describe?iri=" + quote(article, safe=""),
        "/id/person/emmanuel-macron",
        "/id/" + visit.removeprefix(base),
        "/search?q=" + quote("script"),
        "/search?q=" + quote("<script>"),
        "/timeline?leader=" + quote("Emmanuel Macron"),
        "/query?name=sources",
        "/query?name=statements-by&speaker=Macron",
        "/query?query=" + quote("SELECT ?t { ?s <https://w3id.org/diplovisit/ontology#text> ?t }"),
    ]
    shown = 0
    for url in pages:
        r = client.get(url, headers={"Accept": "text/html"})
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        shows = any(m in "".join(parse_html(r.text).itertext()) for m in MARKUP)
        shown += shows
        _inert(r.text, url, shows)
    assert shown >= 6, f"only {shown} pages show the article's markup"
    svg = client.get("/timeline.svg", params={"leader": "Emmanuel Macron"})
    assert svg.status_code == 200 and "<script" not in svg.text
    ET.fromstring(svg.content)
