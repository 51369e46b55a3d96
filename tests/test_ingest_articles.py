"""`kg extract` and `kg ingest` as real subprocesses: files, folders, JSON lines, URLs, stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.settings import PROJECT_ROOT
from tests.conftest import SEED_ARTICLE, SHARED

PAGE = (
    "<!DOCTYPE html><html><head><title>Scholz in Paris</title>"
    '<meta property="article:published_time" content="2024-05-06"></head><body>'
    "<article><h1>Scholz in Paris</h1><p>German Chancellor Olaf Scholz arrived in Paris on "
    "Monday for talks with President Emmanuel Macron about the defence of Europe.</p>"
    '<p>"We stand together," Scholz told reporters after the meeting at the palace.</p>'
    "</article></body></html>"
)


def kg(
    store: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "KG_SHARED_DIR": str(SHARED), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        env=full,
        timeout=180,
        input=stdin,
    )


SHIPPED = {
    json.loads(p.read_text("utf-8"))["article"]["key"]
    for p in (PROJECT_ROOT / "data" / "facts").glob("*.json")
}


def article_graphs(store: Path) -> list[str]:
    """The article graphs ingested (not those of the shipped fact files)."""
    if not store.exists():
        return []
    s = ox.Store.read_only(str(store))
    return sorted(
        g.value
        for g in s.named_graphs()
        if "/graph/article/" in g.value and g.value.rsplit("/", 1)[-1] not in SHIPPED
    )


def graph_size(store: Path, graph: str) -> int:
    s = ox.Store.read_only(str(store))
    return len(list(s.quads_for_pattern(None, None, None, ox.NamedNode(graph))))


@pytest.fixture(scope="module")
def page_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "http://127.0.0.1:9/private")
                self.end_headers()
                return
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_extract_json_contract(tmp_path: Path) -> None:
    r = kg(tmp_path / "s", "extract", str(SEED_ARTICLE))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"title", "dateline", "source"} <= set(out["article"])
    labels = {e["id"]: e["label"] for e in out["entities"]}
    assert ("Vladimir Putin", "Pyongyang", "2024-11-06") in {
        (labels[v["visitor"]], labels[v["destination"]], v["start"]) for v in out["visits"]
    }
    assert all({"sentence", "start", "end"} <= set(v["evidence"]) for v in out["visits"])
    assert not (tmp_path / "s").exists()  # extract stores nothing


def test_extract_turtle_and_trig_from_stdin(tmp_path: Path) -> None:
    text = SEED_ARTICLE.read_text("utf-8")
    ttl = kg(tmp_path / "s", "extract", "-", "--format", "turtle", stdin=text)
    assert ttl.returncode == 0, ttl.stderr
    assert "dv:Visit" in ttl.stdout and "vladimir-putin/pyongyang/2024-11-06" in ttl.stdout
    trig = kg(
        tmp_path / "s", "extract", "-", "--format", "trig", "--dateline", "2024-11-06", stdin=text
    )
    assert trig.returncode == 0 and "/graph/article/" in trig.stdout and "{" in trig.stdout


def test_extract_refuses_empty_input(tmp_path: Path) -> None:
    r = kg(tmp_path / "s", "extract", "-", stdin="")
    assert r.returncode == 2 and "empty" in r.stderr


def test_ingest_folder_skips_the_bad_one_and_replaces_on_reingest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SEED_ARTICLE.read_text("utf-8"), "utf-8")
    (folder / "b.txt").write_bytes(b"\x00\x01\x02 binary")
    (folder / "c.txt").write_text((SHARED / "articles" / "013.txt").read_text("utf-8"), "utf-8")
    store = tmp_path / "s"
    r = kg(store, "ingest", str(folder))
    assert r.returncode == 1
    assert "skipped" in r.stderr and "b.txt" in r.stderr and "binary" in r.stderr
    assert "ingested 2 articles" in r.stdout
    first = article_graphs(store)
    assert len(first) == 2
    triples = graph_size(store, first[0])
    again = kg(store, "ingest", str(folder / "a.txt"), str(folder / "c.txt"))
    assert again.returncode == 0, again.stderr
    assert article_graphs(store) == first
    assert graph_size(store, first[0]) == triples


def test_ingest_json_lines(tmp_path: Path) -> None:
    lines = tmp_path / "a.jsonl"
    seed = SEED_ARTICLE.read_text("utf-8")
    lines.write_text(
        "\n".join(
            [
                json.dumps(
                    {"text": seed, "url": "https://example.org/seed", "dateline": "2024-11-06"}
                ),
                "{broken",
                json.dumps(
                    {
                        "text": "Prime Minister Keir Starmer visited Rome on Monday.",
                        "url": "https://example.org/two",
                        "dateline": "2024-05-08",
                    }
                ),
            ]
        ),
        "utf-8",
    )
    r = kg(tmp_path / "s", "ingest", str(lines))
    assert "ingested 2 articles" in r.stdout and "a.jsonl:2" in r.stderr
    assert len(article_graphs(tmp_path / "s")) == 2


def test_ingest_url_from_an_allow_listed_local_server(tmp_path: Path, page_server: str) -> None:
    url = f"http://{page_server}/scholz"
    refused = kg(tmp_path / "s", "ingest", url)
    assert refused.returncode == 1 and "non-public address" in refused.stderr
    assert article_graphs(tmp_path / "s") == []
    allowed = kg(tmp_path / "s", "ingest", url, env={"KG_FETCH_ALLOW": page_server})
    assert allowed.returncode == 0, allowed.stderr
    assert len(article_graphs(tmp_path / "s")) == 1
    out = kg(tmp_path / "s", "extract", url, env={"KG_FETCH_ALLOW": page_server})
    facts = json.loads(out.stdout)
    labels = {e["id"]: e["label"] for e in facts["entities"]}
    assert facts["article"]["title"] == "Scholz in Paris"
    assert [
        (labels[v["visitor"]], labels[v["destination"]], v["start"]) for v in facts["visits"]
    ] == [("Olaf Scholz", "Paris", "2024-05-06")]


def test_redirect_into_a_private_address_is_refused(tmp_path: Path, page_server: str) -> None:
    r = kg(
        tmp_path / "s",
        "extract",
        f"http://{page_server}/redirect",
        env={"KG_FETCH_ALLOW": page_server},
    )
    assert r.returncode == 2 and "non-public address 127.0.0.1" in r.stderr


def test_only_http_urls(tmp_path: Path) -> None:
    r = kg(tmp_path / "s", "extract", "file:///etc/passwd")
    assert r.returncode == 2 and "no such file" in r.stderr


def test_ingest_many_on_worker_processes_stores_what_one_process_stores(settings) -> None:
    from kg.extract.reader import ReaderError, read_text
    from kg.ingest import ingest_many
    from kg.store import open_store

    texts = [
        "Prime Minister Keir Starmer flew to Washington on Monday for talks.",
        "",  # not an article: reported, the rest go in
        SEED_ARTICLE.read_text("utf-8"),
        "Chancellor Olaf Scholz arrived in Paris on Tuesday.",
    ]

    def items():
        for n, text in enumerate(texts):
            try:
                yield f"a{n}", read_text(text, dateline="2024-05-08", source=f"urn:a{n}")
            except ReaderError as exc:
                yield f"a{n}", exc

    dumps = []
    for workers in (1, 2):
        store = open_store(":memory:")
        done = list(ingest_many(store, items(), settings.with_(ingest_workers=workers)))
        assert [d.where for d in done] == ["a0", "a1", "a2", "a3"]  # in order
        assert [d.stored is None for d in done] == [False, True, False, False]
        assert "empty" in (done[1].error or "")
        lines = store.dump(ox.RdfFormat.N_QUADS).decode().splitlines()
        dumps.append({line for line in lines if "generatedAtTime" not in line})
    assert dumps[0] == dumps[1] and len(dumps[0]) > 100
