"""A real Virtuoso open-source server for the tests and benchmarks: its own ini, database
folder and free loopback ports, started and stopped by the caller.

Virtuoso comes from the Debian package ``virtuoso-opensource`` (``.ci/run`` installs it).
It answers SPARQL at ``/sparql`` a few seconds after start; anonymous updates (and Graph
Store writes at ``/sparql-graph-crud``) need ``GRANT SPARQL_UPDATE TO "SPARQL"``, given here
through ``isql``. ``dba``/``dba`` reach ``/sparql-auth`` with HTTP digest.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from tests.conftest import free_port

SERVER = "virtuoso-t"
ISQL = "isql-vt"
USER, PASSWORD = "dba", "dba"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 60
MaxQueryMem = {query_mem}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
[URIQA]
DefaultHost = 127.0.0.1:{http_port}
[SPARQL]
ResultSetMaxRows = 0
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


PRIVATE = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"
SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#")


def setup_statements(host: str) -> list[str]:
    """What docs/remote-store.md tells an operator to run once as dba: anonymous SPARQL may
    update, and Virtuoso's own graphs are private (kept out of the union of all graphs)."""
    graphs = [*SYSTEM_GRAPHS, host + "sparql", host + "DAV/"]
    return [
        'GRANT SPARQL_UPDATE TO "SPARQL";',
        f"DB.DBA.RDF_GRAPH_GROUP_CREATE ('{PRIVATE}', 1);",
        *[f"DB.DBA.RDF_GRAPH_GROUP_INS ('{PRIVATE}', '{g}');" for g in graphs],
        "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7, 0);",
        "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1);",
    ]


class VirtuosoError(RuntimeError):
    """Virtuoso could not be started or configured (the message says why)."""


# Language tags the ontology, the fixtures and the tests write.
LANGUAGE_TAGS = ("en", "en-gb", "en-us", "de", "fr", "es", "ru", "ko", "zh", "ar", "ja")


class VirtuosoServer:
    """One Virtuoso process over a database in ``folder``."""

    def __init__(self, folder: Path, *, buffers: int = 20_000) -> None:
        self.folder = folder
        self.sql_port, self.http_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}/sparql"
        self.location = "sparql+" + self.url
        self.buffers = buffers
        self.proc: subprocess.Popen | None = None

    @classmethod
    def start(cls, folder: Path, *, buffers: int = 20_000, wait_s: float = 90) -> VirtuosoServer:
        """Configure and start Virtuoso; raises :class:`VirtuosoError` saying why it failed."""
        server = cls(folder, buffers=buffers)
        server._start(wait_s)
        return server

    def _start(self, wait_s: float) -> None:
        binary = shutil.which(SERVER)
        if binary is None or shutil.which(ISQL) is None:
            raise VirtuosoError(
                f"{SERVER} or {ISQL} is not installed: install the Debian package "
                "virtuoso-opensource (.ci/run does: apt-get install -y virtuoso-opensource)"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(
            INI.format(
                dir=self.folder,
                sql_port=self.sql_port,
                http_port=self.http_port,
                buffers=self.buffers,
                dirty=self.buffers * 3 // 4,
                query_mem=f"{max(1, self.buffers // 100_000)}G",
            )
        )
        out = (self.folder / "stdout.log").open("wb")
        self.proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=self.folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise VirtuosoError(
                    f"{SERVER} exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            time.sleep(0.3)
        else:
            self.stop()
            raise VirtuosoError(
                f"{SERVER} did not answer at {self.url} in {wait_s:g} s:\n{self.log_tail()}"
            )
        for statement in setup_statements(f"http://127.0.0.1:{self.http_port}/"):
            self.isql(statement)
        # Seen here: a language tag first met inside a write that later failed or was rolled
        # back left Virtuoso answering "Unknown language ... bad id 258" minutes later. The
        # tags the project writes are registered up front, in a committed write, and made
        # durable with a checkpoint.
        tags = ", ".join(f'"x"@{tag}' for tag in LANGUAGE_TAGS)
        triples = f"<urn:kg:l> <urn:kg:l> {tags}"
        self.isql(f"SPARQL INSERT DATA {{ GRAPH <urn:kg:languages> {{ {triples} }} }}")
        self.isql("SPARQL CLEAR GRAPH <urn:kg:languages>")
        self.isql("checkpoint")

    def isql(self, statement: str) -> str:
        """Run one SQL statement as dba; raises :class:`VirtuosoError` if it fails."""
        done = subprocess.run(
            [ISQL, str(self.sql_port), USER, PASSWORD, f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise VirtuosoError(f"isql {statement!r} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def log_tail(self, lines: int = 20) -> str:
        """The end of Virtuoso's own log and standard output."""
        text = ""
        for name in ("virtuoso.log", "stdout.log"):
            path = self.folder / name
            if path.exists():
                text += "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) + "\n"
        return text

    def stop(self) -> None:
        """Shut Virtuoso down (checkpoint first), or kill it if it does not go."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
