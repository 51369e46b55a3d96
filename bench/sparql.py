"""SPARQL over HTTP: this service vs the Oxigraph server vs rdflib-endpoint, side by side.

``make bench-sparql`` (or ``python -m bench.sparql --triples 1000000``). Generates a visit
graph (states, leaders, cities, visits with dates), loads it into each server, then runs the
same queries over HTTP, interleaved (one round asks every server in turn): a selective query
("who visited city X, and when") and an aggregate (visits per state). Prints median and p95
latency, requests per second with 1, 8 and 32 concurrent clients, load throughput and peak
memory (VmHWM summed over each server's process tree), with ratios to the Oxigraph server.

The data sits in one named graph; every server answers over the union of graphs (this
service's default; ``--union-default-graph`` for the Oxigraph server; rdflib-endpoint reads
the file into its default graph), so all three answer the same question.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import free_port

BIN = Path(sys.executable).parent
EX = "http://bench.example/"
DV = "https://w3id.org/diplovisit/ontology#"
GRAPH = EX + "graph/visits"
PREFIXES = f"PREFIX dv: <{DV}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
SELECTIVE = PREFIXES + (
    "SELECT ?leader ?name ?start WHERE {{ ?v dv:destination <{city}> ; dv:visitor ?leader ; "
    "dv:startDate ?start . ?leader rdfs:label ?name }} ORDER BY ?start"
)
AGGREGATE = PREFIXES + (
    "SELECT ?state (COUNT(?v) AS ?visits) WHERE { ?v dv:destination ?city . "
    "?city dv:inState ?state } GROUP BY ?state ORDER BY DESC(?visits)"
)


def generate(path: Path, triples: int, seed: int = 7) -> tuple[int, int]:
    """Write a visit graph of about ``triples`` triples as N-Triples; (triples, cities)."""
    rng = random.Random(seed)
    states, cities, leaders = 200, 4000, 8000
    visits = max(1, (triples - states * 2 - cities * 3 - leaders * 4) // 7)
    lab = "<http://www.w3.org/2000/01/rdf-schema#label>"
    typ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    xsd_date = "<http://www.w3.org/2001/XMLSchema#date>"
    n = 0
    with path.open("w") as out:
        for s in range(states):
            out.write(f'<{EX}state/{s}> {typ} <{DV}State> .\n<{EX}state/{s}> {lab} "State {s}" .\n')
            n += 2
        for c in range(cities):
            out.write(
                f'<{EX}city/{c}> {typ} <{DV}City> .\n<{EX}city/{c}> {lab} "City {c}" .\n'
                f"<{EX}city/{c}> <{DV}inState> <{EX}state/{c % states}> .\n"
            )
            n += 3
        for p in range(leaders):
            out.write(
                f'<{EX}person/{p}> {typ} <{DV}Leader> .\n<{EX}person/{p}> {lab} "Leader {p}" .\n'
                f"<{EX}person/{p}> <{DV}leaderOf> <{EX}state/{p % states}> .\n"
                f'<{EX}person/{p}> <{DV}name> "Leader number {p}" .\n'
            )
            n += 4
        for v in range(visits):
            city = rng.randrange(cities)
            day = f"{rng.randint(1950, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.write(
                f"<{EX}visit/{v}> {typ} <{DV}Visit> .\n"
                f"<{EX}visit/{v}> <{DV}visitor> <{EX}person/{rng.randrange(leaders)}> .\n"
                f"<{EX}visit/{v}> <{DV}destination> <{EX}city/{city}> .\n"
                f"<{EX}visit/{v}> <{DV}host> <{EX}state/{city % states}> .\n"
                f'<{EX}visit/{v}> <{DV}startDate> "{day}"^^{xsd_date} .\n'
                f'<{EX}visit/{v}> <{DV}endDate> "{day}"^^{xsd_date} .\n'
                f'<{EX}visit/{v}> <{DV}status> "completed" .\n'
            )
            n += 7
    return n, cities


@dataclass
class Server:
    """One server under test: its name, query URL, process, and what loading it took."""

    name: str
    url: str
    proc: subprocess.Popen
    load_s: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    rps: dict[int, float] = field(default_factory=dict)

    def peak_memory_mb(self) -> float:
        """VmHWM of the process and its children (workers), in MB."""
        total = 0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def stop(self) -> None:
        """Stop the server and its children (query workers)."""
        for pid in _children(self.proc.pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = [int(k) for k in kids]
    for k in list(out):
        out += _children(k)
    return out


def _wait(url: str, proc: subprocess.Popen, seconds: float = 1800) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({proc.returncode})")
        try:
            r = httpx.get(
                url,
                params={"query": "ASK {}"},
                timeout=2,
                headers={"Accept": "application/sparql-results+json"},
            )
            if r.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def start_kg(data: Path, work: Path, log: Path) -> Server:
    """This service, loaded through its own Graph Store endpoint."""
    port, token = free_port(), "bench-token"
    env = {
        **os.environ,
        "KG_STORE": str(work / "kg-store"),
        "KG_API_TOKEN": token,
        "KG_MAX_BODY_BYTES": str(2 << 30),
        "KG_QUERY_TIMEOUT_S": "120",
    }
    proc = subprocess.Popen(
        [str(BIN / "kg"), "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server("kg (this service)", f"http://127.0.0.1:{port}/sparql", proc)
    _wait(server.url, proc)
    started = time.monotonic()
    with data.open("rb") as body:
        r = httpx.post(
            f"http://127.0.0.1:{port}/store",
            params={"graph": GRAPH},
            content=body,
            headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {token}"},
            timeout=1800,
        )
    r.raise_for_status()
    server.load_s = time.monotonic() - started
    return server


def start_oxigraph(data: Path, work: Path, log: Path) -> Server:
    """The Oxigraph server (PyPI ``oxigraph``): bulk load, then ``serve-read-only``."""
    location, port = work / "ox-store", free_port()
    started = time.monotonic()
    subprocess.run(
        [
            str(BIN / "oxigraph"),
            "load",
            "--location",
            str(location),
            "--file",
            str(data),
            "--graph",
            GRAPH,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    load_s = time.monotonic() - started
    proc = subprocess.Popen(
        [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server("oxigraph server", f"http://127.0.0.1:{port}/query", proc, load_s)
    _wait(server.url, proc)
    return server


def start_rdflib_endpoint(data: Path, log: Path) -> Server:
    """rdflib-endpoint (PyPI ``rdflib-endpoint[cli]``): reads the file at start-up."""
    port = free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            str(BIN / "rdflib-endpoint"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            str(data),
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server("rdflib-endpoint", f"http://127.0.0.1:{port}/", proc)
    _wait(server.url, proc)
    server.load_s = time.monotonic() - started
    return server


def timed(client: httpx.Client, url: str, query: str) -> float:
    """Seconds for one query (POST form, JSON results), whole body read."""
    started = time.perf_counter()
    r = client.post(
        url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    r.raise_for_status()
    assert r.json()["results"]["bindings"] is not None
    return time.perf_counter() - started


def latency_rounds(servers: list[Server], cities: int, rounds: int, slow_rounds: int) -> None:
    """Interleaved: each round asks every server the same queries, in turn."""
    rng = random.Random(1)
    clients = {s.name: httpx.Client(timeout=600) for s in servers}
    for s in servers:  # warm-up
        timed(clients[s.name], s.url, SELECTIVE.format(city=f"{EX}city/1"))
    for i in range(rounds):
        city = f"{EX}city/{rng.randrange(cities)}"
        for s in servers:
            if s.name.startswith("rdflib") and i >= slow_rounds:
                continue
            c = clients[s.name]
            s.latencies.setdefault("selective", []).append(
                timed(c, s.url, SELECTIVE.format(city=city))
            )
            if i % 5 == 0 or s.name.startswith("rdflib"):
                s.latencies.setdefault("aggregate", []).append(timed(c, s.url, AGGREGATE))


def throughput(server: Server, cities: int, clients: int, seconds: float) -> float:
    """Selective queries per second with ``clients`` concurrent clients."""
    stop = time.monotonic() + seconds
    done = [0] * clients

    def run(k: int) -> None:
        rng = random.Random(k)
        with httpx.Client(timeout=600) as c:
            while time.monotonic() < stop:
                timed(c, server.url, SELECTIVE.format(city=f"{EX}city/{rng.randrange(cities)}"))
                done[k] += 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)


def _ms(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return statistics.median(values) * 1000, p95 * 1000


def report(servers: list[Server], triples: int) -> None:
    """Print the figures side by side, with ratios to the Oxigraph server."""
    ref = next(s for s in servers if s.name.startswith("oxigraph"))
    print(f"\n{triples:,} triples\n")
    print(
        f"{'server':<20} {'query':<10} {'n':>4} {'median ms':>10} {'p95 ms':>9} {'x oxigraph':>11}"
    )
    for q in ("selective", "aggregate"):
        ref_median = _ms(ref.latencies[q])[0]
        for s in servers:
            med, p95 = _ms(s.latencies[q])
            print(
                f"{s.name:<20} {q:<10} {len(s.latencies[q]):>4} {med:>10.2f} {p95:>9.2f} "
                f"{med / ref_median:>10.2f}x"
            )
    print(
        f"\n{'server':<20} "
        + " ".join(f"{f'{c} clients':>12}" for c in sorted(ref.rps))
        + "   (selective queries/s)"
    )
    for s in servers:
        print(f"{s.name:<20} " + " ".join(f"{s.rps.get(c, 0):>12.1f}" for c in sorted(ref.rps)))
    print(f"\n{'server':<20} {'load s':>8} {'triples/s':>11} {'peak MB':>9}")
    for s in servers:
        print(
            f"{s.name:<20} {s.load_s:>8.1f} {triples / s.load_s:>11,.0f} {s.peak_memory_mb():>9.0f}"
        )
    kg = servers[0]
    sel = _ms(kg.latencies["selective"])[0] / _ms(ref.latencies["selective"])[0]
    agg = _ms(kg.latencies["aggregate"])[0] / _ms(ref.latencies["aggregate"])[0]
    print(
        f"\ntargets: selective {sel:.2f}x oxigraph (<= 1.5), aggregate {agg:.2f}x (<= 1.3), "
        f"load {triples / kg.load_s:,.0f} triples/s (>= 150,000)",
        end="",
    )
    rdf = next((s for s in servers if s.name.startswith("rdflib")), None)
    if rdf:
        speedup = _ms(rdf.latencies["selective"])[0] / _ms(kg.latencies["selective"])[0]
        print(f", {speedup:,.0f}x faster than rdflib-endpoint on the selective query (>= 100)")
    print()


def main(argv: list[str] | None = None) -> int:
    """Generate, load, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--rdflib-rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput measurement")
    parser.add_argument("--no-rdflib", action="store_true", help="skip rdflib-endpoint (slow)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    servers: list[Server] = []
    try:
        data = work / "visits.nt"
        triples, cities = generate(data, args.triples)
        print(f"generated {triples:,} triples in {data}", flush=True)
        servers.append(start_kg(data, work, work / "kg.log"))
        servers.append(start_oxigraph(data, work, work / "ox.log"))
        if not args.no_rdflib:
            print("starting rdflib-endpoint (it parses the file into memory) ...", flush=True)
            servers.append(start_rdflib_endpoint(data, work / "rdflib.log"))
        latency_rounds(servers, cities, args.rounds, args.rdflib_rounds)
        for clients in (1, 8, 32):
            for s in servers:
                if not s.name.startswith("rdflib"):
                    s.rps[clients] = throughput(s, cities, clients, args.seconds)
        rdf = next((s for s in servers if s.name.startswith("rdflib")), None)
        if rdf:
            rdf.rps[1] = throughput(rdf, cities, 1, args.seconds)
        report(servers, triples)
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
