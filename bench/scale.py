"""Scale: the product on the embedded store and on Virtuoso, at 1M and 10M triples, side by side.

``make bench-scale`` (or ``python -m bench.scale --sizes 1000000,10000000``). For each size it
generates a visit graph shaped like the product's own data (one named graph per source with
its provenance, the source's labels inside it, a shared gazetteer graph), loads it through the
product's store API into the embedded store and into a Virtuoso it starts on loopback, starts
``kg serve`` on each, and asks both services the named queries over HTTP, interleaved. It prints
load time and rate, disk size, peak memory of the service (and of Virtuoso), and median/p95
latency of each named query, then the targets for the embedded store.

bench/sparql.py's generator writes one anonymous graph without provenance or source labels,
which the named queries (``GRAPH ?g { ... ?g prov:wasDerivedFrom ?source }``) never match; this
one keeps its entity counts and its random choices, in the product's shape.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.sparql import Server
from bench.stats import median_p95_ms
from tests.conftest import free_port

BIN = Path(sys.executable).parent
BASE = "http://127.0.0.1:8000/"
ID = BASE + "id/"
DV = "https://w3id.org/diplovisit/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
STATES, CITIES, LEADERS = 200, 4000, 8000  # as bench/sparql.py
VISITS_PER_SOURCE, STATEMENTS_PER_SOURCE = 40, 10


def _q(s: str, p: str, o: str, g: str) -> str:
    return f"{s} {p} {o} {g} .\n"


def generate(path: Path, triples: int, seed: int = 7) -> int:
    """Write about ``triples`` quads as N-Quads in the product's shape; returns how many."""
    rng = random.Random(seed)
    n = 0
    gaz = f"<{BASE}graph/dataset/gazetteer>"
    with path.open("w") as out:

        def w(s: str, p: str, o: str, g: str) -> None:
            nonlocal n
            out.write(_q(s, p, o, g))
            n += 1

        for s in range(STATES):
            w(f"<{ID}state/state-{s}>", RDF_TYPE, f"<{DV}State>", gaz)
            w(f"<{ID}state/state-{s}>", LABEL, f'"State {s}"', gaz)
        for c in range(CITIES):
            w(f"<{ID}place/city-{c}>", RDF_TYPE, f"<{DV}City>", gaz)
            w(f"<{ID}place/city-{c}>", LABEL, f'"City {c}"', gaz)
            w(f"<{ID}place/city-{c}>", f"<{DV}locatedIn>", f"<{ID}state/state-{c % STATES}>", gaz)
        for p in range(LEADERS):
            w(f"<{ID}person/leader-{p}>", RDF_TYPE, f"<{DV}Leader>", gaz)
            w(f"<{ID}person/leader-{p}>", LABEL, f'"Leader {p}"', gaz)
        source = 0
        while n < triples:
            source += 1
            g = f"<{BASE}graph/article/bench-{source}>"
            src = f"<{ID}article/bench-{source}>"
            day = f"{rng.randint(1950, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            w(g, RDF_TYPE, f"<{DV}SourceGraph>", g)
            w(g, f"<{PROV}wasDerivedFrom>", src, g)
            w(g, f"<{PROV}generatedAtTime>", f'"{day}T12:00:00Z"^^<{XSD}dateTime>', g)
            w(g, f"<{PROV}wasAttributedTo>", f"<{ID}software/bench>", g)
            w(f"<{ID}software/bench>", f"<{SCHEMA}name>", '"bench generator"', g)
            w(f"<{ID}software/bench>", f"<{SCHEMA}softwareVersion>", '"1"', g)
            w(src, RDF_TYPE, f"<{DV}Article>", g)
            w(src, f"<{SCHEMA}headline>", f'"Bench article {source}"', g)
            w(src, f"<{SCHEMA}datePublished>", f'"{day}"^^<{XSD}date>', g)
            labelled: set[str] = set()
            for _ in range(VISITS_PER_SOURCE):
                p, c = rng.randrange(LEADERS), rng.randrange(CITIES)
                start = (
                    f"{rng.randint(1950, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                )
                v = f"<{ID}visit/leader-{p}/city-{c}/{start}>"
                leader, city = f"<{ID}person/leader-{p}>", f"<{ID}place/city-{c}>"
                w(v, RDF_TYPE, f"<{DV}Visit>", g)
                w(v, f"<{DV}visitor>", leader, g)
                w(v, f"<{DV}destination>", city, g)
                w(v, f"<{DV}hostState>", f"<{ID}state/state-{c % STATES}>", g)
                w(v, f"<{DV}visitingState>", f"<{ID}state/state-{p % STATES}>", g)
                w(v, f"<{DV}startDate>", f'"{start}"^^<{XSD}date>', g)
                w(v, f"<{DV}status>", f"<{DV}occurred>", g)
                for node, label in ((leader, f"Leader {p}"), (city, f"City {c}")):
                    if node not in labelled:
                        labelled.add(node)
                        w(node, LABEL, f'"{label}"', g)
            for k in range(STATEMENTS_PER_SOURCE):
                p = rng.randrange(LEADERS)
                st, ev = f"<{ID}statement/bench-{source}/{k}>", f"<{ID}evidence/bench-{source}/{k}>"
                w(st, RDF_TYPE, f"<{DV}Statement>", g)
                w(st, f"<{DV}speaker>", f"<{ID}person/leader-{p}>", g)
                w(st, f"<{DV}text>", f'"Statement {k} of source {source}"', g)
                w(st, f"<{DV}evidence>", ev, g)
                w(
                    ev,
                    f"<{NIF}anchorOf>",
                    f'"Leader {p} said: Statement {k} of source {source}."',
                    g,
                )
    return n


# ------------------------------------------------------------------------- the backends


def _loader(location: str, data: Path, work: Path) -> tuple[float, float, float]:
    """Load ``data`` through the product's store API in a process of its own (bulk mode, as
    the Graph Store endpoint does for large bodies), then settle the store as ``kg load``
    does (``Store.optimize``: a no-op on Virtuoso); returns (load s, compaction s, peak MB)."""
    script = (
        "import resource, sys, time, pyoxigraph as ox\n"
        "from kg.settings import Settings\n"
        "from kg.store import open_store\n"
        "settings = Settings.from_env()\n"
        "store = open_store(sys.argv[1], settings=settings)\n"
        "data = open(sys.argv[2], 'rb')\n"
        "t = time.monotonic()\n"
        "store.load(data, ox.RdfFormat.N_QUADS, bulk=True, count=False)\n"
        "loaded = time.monotonic()\n"
        "store.optimize()\n"
        "settled = time.monotonic()\n"
        "store.close()\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(loaded - t, settled - loaded, peak)\n"
    )
    env = {**os.environ, "KG_QUERY_TIMEOUT_S": "600"}
    done = subprocess.run(
        [sys.executable, "-c", script, location, str(data)],
        env=env,
        capture_output=True,
        text=True,
        cwd=work,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"loading {location} failed:\n{done.stderr[-3000:]}")
    seconds, compaction, peak = done.stdout.split()
    return float(seconds), float(compaction), float(peak)


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def start_service(name: str, location: str, log: Path) -> Server:
    """``kg serve`` on a store; waits until it answers (a large store takes a while)."""
    port = free_port()
    env = {
        **os.environ,
        "KG_STORE": location,
        "KG_BASE_IRI": BASE,
        "KG_QUERY_TIMEOUT_S": "120",
        "KG_MAX_RESULT_BYTES": str(1 << 30),
        "KG_NAMED_CACHE_ENTRIES": "0",  # the rounds repeat each query: measure the store
    }
    proc = subprocess.Popen(
        [str(BIN / "kg"), "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server(name, f"http://127.0.0.1:{port}", proc)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name}: kg serve exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.url + "/queries", timeout=5).status_code == 200:
                return server
        time.sleep(0.5)
    raise RuntimeError(f"{name}: kg serve did not come up")


@dataclass
class Run:
    """One backend at one size: what loading and querying it took."""

    backend: str
    triples: int
    load_s: float = 0.0  # embedded: store API (bulk); Virtuoso: its own bulk loader
    compact_s: float = 0.0  # embedded: the compaction after the load (kg load's optimize)
    api_load_s: float = 0.0  # Virtuoso through the store API (HTTP), when measured
    loader_mb: float = 0.0
    disk_mb: float = 0.0
    service_mb: float = 0.0
    server_mb: float = 0.0  # Virtuoso's own process
    latencies: dict[str, list[float]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def named_cases(rng: random.Random) -> dict[str, str]:
    """One round of selective named queries (IRIs as parameters: no label lookup), and the
    same place by its name (a label lookup over every source's labels)."""
    c, p, s, t = (
        rng.randrange(CITIES),
        rng.randrange(LEADERS),
        rng.randrange(STATES),
        rng.randrange(STATES),
    )
    return {
        "visits-to (city IRI)": f"/queries/visits-to?place={ID}place/city-{c}",
        "visits-to (state IRI)": f"/queries/visits-to?place={ID}state/state-{s}",
        "visits-by (leader IRI)": f"/queries/visits-by?leader={ID}person/leader-{p}",
        "visits-between (states)": (
            f"/queries/visits-between?from={ID}state/state-{s}&to={ID}state/state-{t}"
        ),
        "statements-by (IRI)": f"/queries/statements-by?speaker={ID}person/leader-{p}",
        "visits-to (city name)": f"/queries/visits-to?place=City%20{c}",
    }


SELECTIVE = (
    "visits-to (city IRI)",
    "visits-by (leader IRI)",
    "visits-between (states)",
    "statements-by (IRI)",
)


def query_rounds(runs: dict[str, Run], servers: dict[str, Server], rounds: int) -> None:
    """Interleaved rounds: every service gets the same requests, in turn."""
    rng = random.Random(3)
    clients = {name: httpx.Client(base_url=s.url, timeout=600) for name, s in servers.items()}
    for name in servers:  # warm-up
        for path in named_cases(random.Random(0)).values():
            clients[name].get(path, headers={"Accept": "application/sparql-results+json"})
    for _ in range(rounds):
        for label, path in named_cases(rng).items():
            for name, client in clients.items():
                started = time.perf_counter()
                r = client.get(path, headers={"Accept": "application/sparql-results+json"})
                elapsed = time.perf_counter() - started
                r.raise_for_status()
                runs[name].latencies.setdefault(label, []).append(elapsed)
                runs[name].rows[label] = len(r.json()["results"]["bindings"])
    for name, client in clients.items():  # one whole-store listing each
        started = time.perf_counter()
        r = client.get("/queries/sources", headers={"Accept": "application/sparql-results+json"})
        r.raise_for_status()
        runs[name].latencies["sources (all graphs)"] = [time.perf_counter() - started]
        runs[name].rows["sources (all graphs)"] = len(r.json()["results"]["bindings"])
        client.close()


def native_load(virtuoso: object, data: Path) -> float:
    """Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``, files on the server's
    disk, no transaction log): how one loads millions of triples into Virtuoso."""
    folder = virtuoso.folder  # type: ignore[attr-defined]
    target = folder / data.name
    os.link(data, target)
    started = time.monotonic()
    virtuoso.isql(f"ld_dir('{folder}', '{data.name}', 'urn:x-kg:default');")  # type: ignore[attr-defined]
    virtuoso.isql("rdf_loader_run();")  # type: ignore[attr-defined]
    virtuoso.isql("checkpoint;")  # type: ignore[attr-defined]
    elapsed = time.monotonic() - started
    target.unlink()
    return elapsed


def measure(size: int, work: Path, rounds: int, product_max: int) -> list[Run]:
    """Generate, load both backends, serve both, query both; the two runs."""
    from tests.virtuoso import VirtuosoServer

    data = work / f"visits-{size}.nq"
    triples = generate(data, size)
    print(
        f"\n{size:,}: generated {triples:,} quads ({data.stat().st_size / 1e6:,.0f} MB)", flush=True
    )
    runs = {"embedded": Run("embedded", triples), "virtuoso": Run("virtuoso", triples)}
    folder = work / f"embedded-{size}"
    print("  loading the embedded store (store API, bulk) ...", flush=True)
    embedded = runs["embedded"]
    embedded.load_s, embedded.compact_s, embedded.loader_mb = _loader(str(folder), data, work)
    print(f"    {embedded.load_s:,.0f} s, compaction {embedded.compact_s:,.0f} s", flush=True)
    runs["embedded"].disk_mb = _du_mb(folder)
    if triples <= product_max:
        # The product's own path into Virtuoso (HTTP, staged, canonical), on a throwaway copy.
        scratch = VirtuosoServer.start(work / f"virtuoso-api-{size}", buffers=340_000)
        try:
            print("  loading Virtuoso through the store API ...", flush=True)
            runs["virtuoso"].api_load_s, _, runs["virtuoso"].loader_mb = _loader(
                scratch.location, data, work
            )
            print(f"    {runs['virtuoso'].api_load_s:,.0f} s", flush=True)
        finally:
            scratch.stop()
            shutil.rmtree(scratch.folder, ignore_errors=True)
    virtuoso = VirtuosoServer.start(work / f"virtuoso-{size}", buffers=340_000)
    servers: dict[str, Server] = {}
    try:
        print("  loading Virtuoso with its own bulk loader ...", flush=True)
        runs["virtuoso"].load_s = native_load(virtuoso, data)
        print(f"    {runs['virtuoso'].load_s:,.0f} s", flush=True)
        runs["virtuoso"].disk_mb = _du_mb(virtuoso.folder)
        for name, location in (("embedded", str(folder)), ("virtuoso", virtuoso.location)):
            servers[name] = start_service(name, location, work / f"{name}-{size}.log")
        print(f"  {rounds} rounds of named queries ...", flush=True)
        query_rounds(runs, servers, rounds)
        for name, server in servers.items():
            runs[name].service_mb = server.peak_memory_mb()
        runs["virtuoso"].server_mb = Server("virtuoso", "", virtuoso.proc).peak_memory_mb()  # type: ignore[arg-type]
    finally:
        for server in servers.values():
            server.stop()
        virtuoso.stop()
        data.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(virtuoso.folder, ignore_errors=True)
    return [runs["embedded"], runs["virtuoso"]]


# ------------------------------------------------------------------------- the report


def report(runs: list[Run]) -> None:
    """Every figure in one table: a column per backend and size."""
    heads = [f"{r.backend} {r.triples / 1e6:.0f}M" for r in runs]
    width = max(18, *(len(h) + 2 for h in heads))
    print("\n" + f"{'':<34}" + "".join(f"{h:>{width}}" for h in heads))

    def row(label: str, cells: list[str]) -> None:
        print(f"{label:<34}" + "".join(f"{c:>{width}}" for c in cells))

    row("quads", [f"{r.triples:,}" for r in runs])
    row("load s (embedded: API; V: ld_dir)", [f"{r.load_s:,.1f}" for r in runs])
    row("load triples/s", [f"{r.triples / r.load_s:,.0f}" for r in runs])
    row("compaction after it s", [f"{r.compact_s:,.1f}" if r.compact_s else "-" for r in runs])
    row(
        "load + compaction triples/s",
        [f"{r.triples / (r.load_s + r.compact_s):,.0f}" if r.compact_s else "-" for r in runs],
    )
    row(
        "load triples/s through the API",
        [
            f"{r.triples / (r.api_load_s or r.load_s):,.0f}"
            if r.backend == "embedded" or r.api_load_s
            else "-"
            for r in runs
        ],
    )
    row("API loader peak MB", [f"{r.loader_mb:,.0f}" if r.loader_mb else "-" for r in runs])
    row("disk MB", [f"{r.disk_mb:,.0f}" for r in runs])
    row("service peak MB (kg serve tree)", [f"{r.service_mb:,.0f}" for r in runs])
    row("Virtuoso server peak MB", [f"{r.server_mb:,.0f}" if r.server_mb else "-" for r in runs])
    labels = list(dict.fromkeys(k for r in runs for k in r.latencies))
    for label in labels:
        cells = []
        for r in runs:
            if label not in r.latencies:
                cells.append("-")
                continue
            med, p95 = median_p95_ms(r.latencies[label])
            cells.append(f"{med:,.1f}/{p95:,.1f}")
        row(f"{label} ms med/p95", cells)
        row("  rows (last round)", [str(r.rows.get(label, "-")) for r in runs])
    for r in runs:
        if r.backend != "embedded":
            continue
        worst = max(median_p95_ms(r.latencies[q])[0] for q in SELECTIVE)
        print(
            f"\ntargets, embedded {r.triples / 1e6:.0f}M: load "
            f"{r.triples / r.load_s:,.0f} triples/s (>= 150,000; with the compaction "
            f"{r.triples / (r.load_s + r.compact_s):,.0f}), service "
            f"{r.service_mb:,.0f} MB (< 2,000), slowest selective named query median "
            f"{worst:.1f} ms (< 20)"
        )


def main(argv: list[str] | None = None) -> int:
    """Generate, load, serve, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000", help="comma-separated quads")
    parser.add_argument("--rounds", type=int, default=40, help="rounds of named queries")
    parser.add_argument(
        "--api-load-max",
        type=int,
        default=2_000_000,
        help="also load Virtuoso through the store API (HTTP) up to this many quads",
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    runs: list[Run] = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            runs += measure(size, work, args.rounds, args.api_load_max)
        report(runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
