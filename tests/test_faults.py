"""Faults, for real: kill -9 in the middle of ingesting, a full disk, a read-only store, remote
servers that hang. Each with real subprocesses and real file systems (a small tmpfs when this
machine lets us mount one; otherwise RLIMIT_FSIZE and an unprivileged user, also real).

After a kill the store must open, every article graph must be exactly what a clean ingest of
that article gives (whole) or absent, and nothing committed before may be lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.extract.reader import read_record
from kg.ingest import EXTRACTOR_PRODUCER, extract_facts, to_source_graph
from kg.settings import Settings
from kg.terms import graph_to_triples
from tests.conftest import SHARED, RunningService, alive, children, free_port, snapshot

TOKEN = "fault-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CORPUS = SHARED / "corpus" / "wikinews-2019-2020.jsonl"
GENERATED_AT = "http://www.w3.org/ns/prov#generatedAtTime"
ARTICLE_GRAPH = "/graph/article/"


def corpus(n: int, skip: int = 0) -> list[dict]:
    lines = CORPUS.read_text("utf-8").splitlines()[skip : skip + n]
    return [json.loads(line) for line in lines]


def clean_graph(record: dict) -> tuple[str, set[ox.Triple]]:
    """The graph IRI and triples a clean ingest of ``record`` gives (no store involved)."""
    s = Settings.from_env({}).with_(shared_dir=SHARED)
    sg = to_source_graph(extract_facts(read_record(record), s), s, EXTRACTOR_PRODUCER)
    # Read back through a store, as stored triples are (it normalises some literal types).
    probe = ox.Store()
    probe.extend(ox.Quad(t.subject, t.predicate, t.object) for t in graph_to_triples(sg.graph))
    return sg.iri, {q.triple for q in probe if q.predicate.value != GENERATED_AT}


def stored_graphs(path: Path) -> dict[str, set[ox.Triple]]:
    """Every graph of a store on disk (opened read-write: it must open after the crash)."""
    store = ox.Store(str(path))
    out: dict[str, set[ox.Triple]] = {}
    for q in store:
        if isinstance(q.graph_name, ox.NamedNode):
            out.setdefault(q.graph_name.value, set()).add(q.triple)
    del store
    return out


def assert_whole_or_absent(graphs: dict[str, set[ox.Triple]], records: list[dict]) -> int:
    """Every record's graph is exactly its clean ingest, or missing; returns how many are in."""
    present = 0
    for record in records:
        iri, expected = clean_graph(record)
        if iri not in graphs:
            continue
        got = {t for t in graphs[iri] if t.predicate.value != GENERATED_AT}
        assert got == expected, f"{iri}: a partial or different graph survived the kill"
        present += 1
    return present


# --- kill -9 the service in the middle of ingesting -------------------------------------------


def test_kill_9_during_http_ingests_keeps_every_graph_whole(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first, rest = corpus(3), corpus(60, skip=3)
    svc = RunningService(store, {"KG_API_TOKEN": TOKEN})
    committed: list[dict] = []
    try:
        with svc.client() as c:
            for record in first:  # committed before the crash: must survive it
                r = c.post("/articles", json=record, headers=AUTH)
                assert r.status_code in (201, 400, 422), r.text
                if r.status_code == 201:
                    committed.append(record)
            shipped = {g: n for g, n in snapshot(c).items() if ARTICLE_GRAPH not in g}
        answered: list[dict] = []
        stop = threading.Event()

        def post_all(records: list[dict]) -> None:
            with httpx.Client(base_url=svc.url, timeout=30) as c:
                for record in records:
                    if stop.is_set():
                        return
                    try:
                        r = c.post("/articles", json=record, headers=AUTH)
                    except httpx.HTTPError:
                        return
                    if r.status_code == 201:
                        answered.append(record)

        threads = [threading.Thread(target=post_all, args=(rest[i::2],)) for i in range(2)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 120
        while len(answered) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        svc.proc.kill()  # SIGKILL, mid-stream: more posts are in flight
        svc.proc.wait(10)
        stop.set()
        for t in threads:
            t.join(60)
    finally:
        svc.stop()
    assert len(answered) >= 6, "the ingests did not get going before the kill"
    graphs = stored_graphs(store)
    # Everything answered 201 before the kill is there, whole; the rest whole or absent.
    for record in committed + answered:
        iri, _ = clean_graph(record)
        assert iri in graphs, f"{iri} was answered 201 and then lost"
    assert assert_whole_or_absent(graphs, first + rest) >= len(answered)
    for g, n in shipped.items():
        if g != "(quads)":
            assert len(graphs[g]) == n, f"the shipped graph {g} changed"
    # And the service starts again on that store and answers.
    again = RunningService(store, {"KG_API_TOKEN": TOKEN})
    try:
        with again.client() as c:
            assert c.get("/health").json()["status"] == "ok"
            assert c.get("/queries/visits-to", params={"place": "Pyongyang"}).status_code == 200
    finally:
        again.stop()


def test_kill_9_during_kg_ingest_keeps_every_graph_whole(tmp_path: Path) -> None:
    store = tmp_path / "store"
    env = {**os.environ, "KG_SHARED_DIR": str(SHARED)}
    before = tmp_path / "before.jsonl"
    before_records = corpus(2, skip=100)
    before.write_text("".join(json.dumps(r) + "\n" for r in before_records), "utf-8")
    cmd = [sys.executable, "-m", "kg.cli", "ingest", "--quiet", "--store", str(store)]
    done = subprocess.run([*cmd, str(before)], env=env, capture_output=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    committed = stored_graphs(store)
    many = corpus(120, skip=102)
    feed = tmp_path / "many.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in many), "utf-8")
    proc = subprocess.Popen(
        [*cmd, "-v", str(feed)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    stored_lines = 0
    for line in proc.stdout:  # one line per stored article
        stored_lines += " -> <" in line
        if stored_lines >= 5:
            break
    workers = children(proc.pid)
    proc.kill()
    proc.wait(10)
    assert stored_lines >= 5
    assert workers, "kg ingest ran no worker processes"  # KG_INGEST_WORKERS defaults to 2
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers), "the killed ingest's workers live on"
    graphs = stored_graphs(store)
    for g, triples in committed.items():
        assert graphs.get(g) == triples, f"{g}, committed before the kill, changed"
    assert assert_whole_or_absent(graphs, many) >= stored_lines


# --- a full disk and a read-only store --------------------------------------------------------


@contextlib.contextmanager
def small_filesystem(path: Path, megabytes: int) -> Iterator[str]:
    """A tmpfs of that size at ``path`` (yields "tmpfs"), or, where mounting is not allowed,
    a folder whose writers get RLIMIT_FSIZE (yields "rlimit")."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(path)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield "tmpfs" if mounted else "rlimit"
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], check=False)


def _file_size_limit(megabytes: int):  # type: ignore[no-untyped-def]
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes then fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (megabytes << 20, megabytes << 20))

    return limit


def big_graph(i: int, triples: int = 4000) -> bytes:
    pad = "x" * 300
    return "".join(
        f'<http://t/s{i}-{j}> <http://t/p> "{pad}{j}" .\n' for j in range(triples)
    ).encode()


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    mount = tmp_path / "disk"
    with small_filesystem(mount, 40) as kind:
        store = mount / "store"
        env = {"KG_API_TOKEN": TOKEN, "KG_MAX_BODY_BYTES": str(8 << 20)}
        limit = _file_size_limit(30) if kind == "rlimit" else None
        svc = RunningService(store, env, preexec=limit)
        accepted, refused = [], None
        try:
            with svc.client() as c:
                for i in range(200):
                    g = f"http://t/full{i}"
                    r = c.put(
                        "/store",
                        params={"graph": g},
                        content=big_graph(i),
                        headers={"Content-Type": "application/n-triples", **AUTH},
                    )
                    if r.status_code == 201:
                        accepted.append(g)
                        continue
                    refused = (g, r)
                    break
                assert refused is not None, "the disk never filled"
                g, r = refused
                assert r.status_code in (503, 507), r.text
                assert ("disk is full" if kind == "tmpfs" else "cannot be written") in r.text
                assert accepted, "nothing fit before the disk was full"
                # Reads go on; the refused graph is absent, the accepted ones whole.
                assert c.get("/health").status_code == 200
                assert c.get("/store", params={"graph": g}).status_code == 404
                r = c.get(
                    "/store",
                    params={"graph": accepted[-1]},
                    headers={"Accept": "application/n-triples"},
                )
                assert r.status_code == 200 and len(r.text.splitlines()) == 4000
        finally:
            svc.stop()
        if kind == "tmpfs":  # more room: the store opens with exactly what was committed
            subprocess.run(["mount", "-o", "remount,size=200m", str(mount)], check=True)
        graphs = stored_graphs(store)
        for g in accepted:
            assert len(graphs[g]) == 4000, g
        assert refused[0] not in graphs


def test_a_read_only_store_is_a_clear_error_at_start(tmp_path: Path) -> None:
    mount = tmp_path / "ro"
    with small_filesystem(mount, 40) as kind:
        store = mount / "store"
        made = subprocess.run(
            [sys.executable, "-m", "kg.cli", "init", "--store", str(store)],
            env={**os.environ, "KG_SHARED_DIR": str(SHARED)},
            capture_output=True,
            timeout=300,
        )
        assert made.returncode == 0, made.stderr
        user: int | None = None
        if kind == "tmpfs":
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        else:  # an unprivileged user on a folder it may read but not write
            os.chmod(tmp_path, 0o755)
            for p in [mount, store, *store.iterdir()]:
                os.chmod(p, 0o555 if p.is_dir() else 0o444)
            user = 65534
        env = {**os.environ, "KG_SHARED_DIR": str(SHARED), "KG_API_TOKEN": TOKEN}
        for args in (["serve", "--port", str(free_port())], ["ingest", str(CORPUS)]):
            r = subprocess.run(
                [sys.executable, "-m", "kg.cli", *args, "--store", str(store)],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                user=user,
            )
            assert r.returncode == 2, (args, r.stderr[-2000:])
            assert r.stderr.startswith("kg: error: cannot open the store"), r.stderr[-2000:]
            assert "Read-only" in r.stderr or "ermission" in r.stderr, r.stderr
            assert "Traceback" not in r.stderr
        if kind == "tmpfs":
            subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
        assert len(ox.Store.read_only(str(store))) > 1000  # the data is all still there


# --- remote servers that hang -----------------------------------------------------------------


@contextlib.contextmanager
def hanging_server(trickle: bool = False) -> Iterator[str]:
    """A loopback server that accepts connections and then never answers (or, ``trickle``,
    sends a valid header and then one byte every 0.2 s, forever)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()
    conns: list[socket.socket] = []

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conns.append(conn)
            if trickle:
                threading.Thread(target=drip, args=(conn,), daemon=True).start()

    def drip(conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            while not stop.is_set():
                conn.sendall(b"a ")
                time.sleep(0.2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for conn in conns:
            conn.close()
        listener.close()


def test_a_hanging_service_endpoint_gives_a_timely_error(tmp_path: Path) -> None:
    with hanging_server() as host:
        endpoint = f"http://{host}/sparql"
        svc = RunningService(
            tmp_path / "store", {"KG_SERVICE_ALLOW": endpoint, "KG_QUERY_TIMEOUT_S": "2"}
        )
        try:
            with svc.client() as c:
                started = time.monotonic()
                r = c.get(
                    "/sparql",
                    params={"query": f"SELECT * {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"},
                )
                took = time.monotonic() - started
                assert r.status_code == 504 and "did not answer within" in r.text, r.text
                assert took < 8
                assert c.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
        finally:
            svc.stop()


@pytest.mark.parametrize("trickle", [False, True], ids=["silent", "trickling"])
def test_a_hanging_article_url_gives_a_timely_error(trickle: bool) -> None:
    with hanging_server(trickle) as host:
        env = {
            **os.environ,
            "KG_SHARED_DIR": str(SHARED),
            "KG_FETCH_ALLOW": host,
            "KG_FETCH_TIMEOUT_S": "2",
        }
        started = time.monotonic()
        r = subprocess.run(
            [sys.executable, "-m", "kg.cli", "extract", f"http://{host}/article"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        took = time.monotonic() - started
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("kg: error:") and r.stderr.count("\n") == 1, r.stderr
    assert "timed out" in r.stderr or "longer than 2 s" in r.stderr, r.stderr
    assert took < 20  # interpreter start included; the fetch itself stops at about 2 s
