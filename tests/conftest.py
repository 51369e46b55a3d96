"""Shared fixtures: paths, settings on a temporary store, and the real service on loopback."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from kg.settings import PROJECT_ROOT, Settings

SHARED = Path(os.environ.get("KG_SHARED_DIR", PROJECT_ROOT.parent / "shared"))
SEED_ARTICLE = SHARED / "seeds" / "000_fb9de8acf85c790b.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- processes, read from /proc (Linux) ------------------------------------------------------


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, exited but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def task_cpu(stat: Path) -> tuple[str, float]:
    """The name and the user and system CPU seconds of a process or thread, from its
    ``stat`` file (``/proc/PID/stat``, ``/proc/PID/task/TID/stat``); OSError once gone."""
    text = stat.read_text()
    fields = text.rsplit(")", 1)[1].split()
    name = text[text.index("(") + 1 : text.rindex(")")]
    return name, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time ``pid`` has used so far (0 once it is gone)."""
    try:
        return task_cpu(Path(f"/proc/{pid}/stat"))[1]
    except OSError:
        return 0.0


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on an empty store in a temporary folder."""
    return Settings.from_env({}).with_(store=str(tmp_path / "store"), shared_dir=SHARED)


class RunningService:
    """A real ``kg serve`` process on a free loopback port."""

    def __init__(
        self,
        store: Path,
        env: dict[str, str] | None = None,
        log_level: str = "warning",
        preexec: Callable[[], None] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {
            **os.environ,
            "KG_STORE": str(store),
            "KG_SHARED_DIR": str(SHARED),
            "KG_BASE_IRI": "http://127.0.0.1:8000/",
            **(env or {}),
        }
        self.log = store.parent / f"service-{self.port}.log"
        self._log_fh = self.log.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kg.cli",
                "serve",
                "--port",
                str(self.port),
                "--log-level",
                log_level,
            ],
            env=full_env,
            stdout=self._log_fh,
            stderr=subprocess.STDOUT,
            preexec_fn=preexec,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"service exited early:\n{self.log.read_text()}")
            try:
                r = httpx.get(self.url + "/health", timeout=1)
                # Ready once the pages' whole-store checks have been computed (or failed):
                # pages do not wait for them, and tests look at what pages show.
                if r.status_code == 200 and r.json().get("checks", {}).get("refreshes", 1):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"service did not answer in 60 s:\n{self.log.read_text()}")

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_fh.close()


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    """The service on a fresh store filled with the shipped data (shared by the session)."""
    svc = RunningService(tmp_path_factory.mktemp("svc") / "store")
    yield svc
    svc.stop()


@pytest.fixture
def http(service: RunningService) -> Iterator[httpx.Client]:
    with service.client() as client:
        yield client


@pytest.fixture(scope="session")
def wikidata(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The Oxigraph server on loopback serving the Wikidata-shaped fixture (one per session)."""
    from tests.wikidata_fixture import OxigraphServer

    server = OxigraphServer(tmp_path_factory.mktemp("wikidata"))
    yield server
    server.stop()


@pytest.fixture
def proxy(wikidata):  # type: ignore[no-untyped-def]
    """A recording proxy in front of the fixture server (it can fail or stall on purpose)."""
    from tests.wikidata_fixture import Proxy

    p = Proxy(wikidata.endpoint)
    yield p
    p.stop()


# ---------------------------------------------------------------- the two store backends

BACKENDS = ("embedded", "virtuoso")


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A real Virtuoso on free loopback ports, over a temporary database, for the session.

    If it cannot start, every test that needs it fails (never skips) and says why.
    """
    from tests.virtuoso import VirtuosoError, VirtuosoServer

    try:
        server = VirtuosoServer.start(tmp_path_factory.mktemp("virtuoso"))
    except VirtuosoError as exc:
        pytest.fail(
            f"Virtuoso could not start, so the remote-store tests cannot run: {exc}", pytrace=False
        )
    yield server
    server.stop()


def snapshot(client: httpx.Client) -> dict[str, int]:
    """Every named graph of the service's store with its triple count, and the quad total:
    equal snapshots before and after a refused request mean it changed nothing."""
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    out = {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}
    out["(quads)"] = client.get("/health").json()["quads"]
    return out


def remote_settings(server: object, **changes: object) -> Settings:
    """Settings on the session's Virtuoso (``server`` is the ``virtuoso`` fixture)."""
    return Settings.from_env({}).with_(
        store=server.location,
        shared_dir=SHARED,
        **changes,  # type: ignore[attr-defined]
    )


def empty_remote(settings: Settings):  # type: ignore[no-untyped-def]
    """The Virtuoso store with every graph of earlier tests dropped."""
    from kg.store.remote import RemoteStore, remote_url

    store = RemoteStore(remote_url(settings.store) or "", settings)
    for graph in store.graphs():
        store.drop_graph(graph)
    store.replace_graph(None, [])
    return store


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on an empty store of each backend in turn (embedded, then Virtuoso)."""
    if request.param == "embedded":
        return Settings.from_env({}).with_(store=str(tmp_path / "store"), shared_dir=SHARED)
    settings = remote_settings(request.getfixturevalue("virtuoso"))
    empty_remote(settings).close()
    return settings
