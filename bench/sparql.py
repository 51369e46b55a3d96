"""SPARQL over HTTP: this service vs the Oxigraph server vs rdflib-endpoint, side by side.

``make bench-sparql`` (or ``python -m bench.sparql --triples 1000000``) prints everything:

- **Load**: the service's Graph Store POST and ``kg load`` next to the engine's own paths on
  the same file (pyoxigraph's parser alone, its bulk loader, its transactional loader, the
  ``oxigraph load`` command) and rdflib-endpoint's start-up parse; seconds, triples/s and CPU
  seconds (the machine is shared, and CPU time is less disturbed than wall time).
- **Latency**, interleaved over HTTP (one round asks every server in turn), JSON results, of
  three forms of the selective question "who visited city X, when": the city by IRI; the city
  by its label, as a user writes the query; and the product's named query ``visits-to`` with
  the place by name, as the service runs it (name to IRI, then the query: the service answers
  ``/queries/visits-to?place=City N`` itself, the peers get the same two SPARQL texts). Also an
  aggregate (visits per state). Median and p95, ratios to the Oxigraph server, and how many
  times faster than rdflib-endpoint this service is on each form.
- **Throughput**: selective queries (by IRI) per second with 1, 8 and 32 clients.
- **Peak memory**: VmHWM summed over each server's process tree.

The data sits in one named graph; every server answers over the union of graphs (this
service's default; ``--union-default-graph`` for the Oxigraph server; rdflib-endpoint reads
the same quads into a ``Dataset`` with ``default_union``), so all three answer the same question.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from bench.stats import median_p95_ms
from kg.queries import bind, load_named_queries
from kg.settings import Settings
from kg.store import OxigraphStore
from tests.conftest import free_port

BIN = Path(sys.executable).parent
EX = "http://bench.example/"
DV = "https://w3id.org/diplovisit/ontology#"
GRAPH = EX + "graph/visits"
TOKEN = "bench-token"
PREFIXES = f"PREFIX dv: <{DV}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
BY_IRI = PREFIXES + (
    "SELECT ?leader ?name ?start WHERE {{ ?v dv:destination <{city}> ; dv:visitor ?leader ; "
    "dv:startDate ?start . ?leader rdfs:label ?name }} ORDER BY ?start"
)
BY_LABEL = PREFIXES + (
    'SELECT ?leader ?name ?start WHERE {{ ?city rdfs:label "{label}" . ?v dv:destination ?city ; '
    "dv:visitor ?leader ; dv:startDate ?start . ?leader rdfs:label ?name }} ORDER BY ?start"
)
AGGREGATE = PREFIXES + (
    "SELECT ?state (COUNT(?v) AS ?visits) WHERE { ?v dv:destination ?city . "
    "?city dv:locatedIn ?state } GROUP BY ?state ORDER BY DESC(?visits)"
)
FORMS = ("by IRI", "by label", "visits-to")
JSON = {"Accept": "application/sparql-results+json"}


def generate(path: Path, triples: int, seed: int = 7) -> tuple[int, int]:
    """Write a visit graph of about ``triples`` triples as N-Triples; (triples, cities).

    Shaped like the product's data: labelled, typed states, cities (``dv:locatedIn`` their
    state) and leaders; visits with visitor, destination, host and visiting state, dates and
    a status; the graph's own ``prov:wasDerivedFrom`` (one source), as a source graph has.
    """
    rng = random.Random(seed)
    states, cities, leaders = 200, 4000, 8000
    visits = max(1, (triples - 1 - states * 2 - cities * 3 - leaders * 4) // 8)
    lab = "<http://www.w3.org/2000/01/rdf-schema#label>"
    typ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    xsd_date = "<http://www.w3.org/2001/XMLSchema#date>"
    with path.open("w") as out:
        out.write(f"<{GRAPH}> <http://www.w3.org/ns/prov#wasDerivedFrom> <{EX}source/1> .\n")
        n = 1
        for s in range(states):
            out.write(f'<{EX}state/{s}> {typ} <{DV}State> .\n<{EX}state/{s}> {lab} "State {s}" .\n')
            n += 2
        for c in range(cities):
            out.write(
                f'<{EX}city/{c}> {typ} <{DV}City> .\n<{EX}city/{c}> {lab} "City {c}" .\n'
                f"<{EX}city/{c}> <{DV}locatedIn> <{EX}state/{c % states}> .\n"
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
            city, leader = rng.randrange(cities), rng.randrange(leaders)
            day = f"{rng.randint(1950, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.write(
                f"<{EX}visit/{v}> {typ} <{DV}Visit> .\n"
                f"<{EX}visit/{v}> <{DV}visitor> <{EX}person/{leader}> .\n"
                f"<{EX}visit/{v}> <{DV}destination> <{EX}city/{city}> .\n"
                f"<{EX}visit/{v}> <{DV}host> <{EX}state/{city % states}> .\n"
                f"<{EX}visit/{v}> <{DV}visitingState> <{EX}state/{leader % states}> .\n"
                f'<{EX}visit/{v}> <{DV}startDate> "{day}"^^{xsd_date} .\n'
                f'<{EX}visit/{v}> <{DV}endDate> "{day}"^^{xsd_date} .\n'
                f'<{EX}visit/{v}> <{DV}status> "completed" .\n'
            )
            n += 8
    return n, cities


def as_nquads(source: Path, target: Path) -> None:
    """The N-Triples file with every triple in the bench graph (for rdflib-endpoint)."""
    with source.open() as inp, target.open("w") as out:
        for line in inp:
            out.write(f"{line[:-3]} <{GRAPH}> .\n")


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds used so far: this process and its waited-for children, or a process tree."""
    if pid is None:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    total = 0
    for p in [pid, *_children(pid)]:
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Load:
    """One way of loading the file: what, how long, how much CPU."""

    name: str
    how: str
    seconds: float
    cpu: float


def measured(name: str, how: str, run: Callable[[], object], pid: int | None = None) -> Load:
    """Time ``run`` (wall and CPU: this process, or the process tree of ``pid``)."""
    c0, t0 = cpu_seconds(pid), time.perf_counter()
    run()
    return Load(name, how, time.perf_counter() - t0, cpu_seconds(pid) - c0)


def engine_loads(data: Path, work: Path) -> list[Load]:
    """The engine's own ways, in this process, each into a fresh on-disk store.

    Besides the paths the product can use (parse, bulk loader, transaction), three that show
    where the bulk loader's time goes and what it cannot give: ``lenient`` (skips IRI
    checks: bad input would be stored), the default graph (3 indexes to write instead of 6:
    not the product's one graph per source), and the file in two halves on two threads (two
    commits: a syntax error in one half would leave the other stored).
    """
    body = data.read_bytes()
    fmt, graph = ox.RdfFormat.N_TRIPLES, ox.NamedNode(GRAPH)
    half = body.index(b"\n", len(body) // 2) + 1

    def parse() -> None:
        for _ in ox.parse(body, format=fmt):
            pass

    def fresh(name: str) -> ox.Store:
        return ox.Store(str(work / f"engine-{name}"))

    def into(kind: str, **kwargs: object) -> Callable[[], None]:
        store = fresh(f"{kind}-{len(kwargs)}-{'lenient' in kwargs}")
        return lambda: getattr(store, kind)(body, format=fmt, **kwargs)

    def halves() -> None:
        store = fresh("halves")
        threads = [
            threading.Thread(
                target=store.bulk_load, args=(part,), kwargs={"format": fmt, "to_graph": graph}
            )
            for part in (body[:half], body[half:])
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    return [
        measured("pyoxigraph parse only", "ox.parse, every quad read", parse),
        measured(
            "pyoxigraph bulk_load", "Store.bulk_load(bytes)", into("bulk_load", to_graph=graph)
        ),
        measured(
            "pyoxigraph load", "Store.load(bytes), one transaction", into("load", to_graph=graph)
        ),
        measured(
            "  bulk_load lenient",
            "no IRI checks (not usable: bad data in)",
            into("bulk_load", to_graph=graph, lenient=True),
        ),
        measured(
            "  bulk_load default gr.", "3 indexes, not 6 (not the product's)", into("bulk_load")
        ),
        measured("  bulk_load 2 threads", "2 halves, 2 commits (not atomic)", halves),
    ]


def kg_load(data: Path, work: Path) -> Load:
    """``kg load FILE --graph G`` into a store holding the shipped data (as a served one)."""
    store = str(work / "kg-load-store")
    subprocess.run([str(BIN / "kg"), "init", "--store", store], check=True, capture_output=True)
    command = [str(BIN / "kg"), "load", str(data), "--graph", GRAPH, "--store", store]
    return measured(
        "kg load",
        "the CLI (a new process)",
        lambda: subprocess.run(command, check=True, capture_output=True),
    )


def oxigraph_load(data: Path, location: Path) -> Load:
    """``oxigraph load`` (the Oxigraph command line's bulk loader)."""
    command = [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)]
    command += ["--graph", GRAPH]
    return measured(
        "oxigraph load",
        "the Oxigraph CLI",
        lambda: subprocess.run(command, check=True, capture_output=True),
    )


@dataclass
class Server:
    """One server under test: its name, query URL, process, and what loading it took."""

    name: str
    url: str
    proc: subprocess.Popen
    load: Load | None = None
    latencies: dict[str, list[float]] = field(default_factory=dict)
    gave_up: dict[str, float] = field(default_factory=dict)  # form: seconds waited
    rps: dict[int, float] = field(default_factory=dict)

    @property
    def base(self) -> str:
        """The server's root URL (scheme and authority)."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

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
            self.proc.wait()


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


def shipped_data(work: Path) -> Path:
    """The store the service starts from (the shipped data), and that data as N-Quads.

    Every server gets it, so all answer over the same quads.
    """
    store, quads = work / "kg-store", work / "shipped.nq"
    subprocess.run(
        [str(BIN / "kg"), "init", "--store", str(store)], check=True, capture_output=True
    )
    subprocess.run(
        [str(BIN / "kg"), "export", "--format", "nquads", "--store", str(store), "-o", str(quads)],
        check=True,
        capture_output=True,
    )
    return quads


def start_kg(data: Path, work: Path, log: Path) -> Server:
    """This service (on the store of :func:`shipped_data`), loaded through its Graph Store."""
    port = free_port()
    env = {
        **os.environ,
        "KG_STORE": str(work / "kg-store"),
        "KG_API_TOKEN": TOKEN,
        "KG_MAX_BODY_BYTES": str(2 << 30),
        "KG_QUERY_TIMEOUT_S": "120",
        # The same query again and again: measure the engine, not the named-query cache.
        "KG_NAMED_CACHE_ENTRIES": "0",
    }
    proc = subprocess.Popen(
        [str(BIN / "kg"), "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server("kg (this service)", f"http://127.0.0.1:{port}/sparql", proc)
    _wait(server.url, proc)

    def post() -> None:
        with data.open("rb") as body:
            r = httpx.post(
                f"http://127.0.0.1:{port}/store",
                params={"graph": GRAPH},
                content=body,
                headers={
                    "Content-Type": "application/n-triples",
                    "Authorization": f"Bearer {TOKEN}",
                },
                timeout=1800,
            )
        r.raise_for_status()

    server.load = measured("kg Graph Store POST", "HTTP, 1 request", post, proc.pid)
    return server


def start_oxigraph(data: Path, shipped: Path, work: Path, log: Path) -> Server:
    """The Oxigraph server (PyPI ``oxigraph``): bulk load, then ``serve-read-only``."""
    location, port = work / "ox-store", free_port()
    command = [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(shipped)]
    subprocess.run(command, check=True, capture_output=True)
    load = oxigraph_load(data, location)
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
    server = Server("oxigraph server", f"http://127.0.0.1:{port}/query", proc, load)
    _wait(server.url, proc)
    return server


def start_rdflib_endpoint(quads: Path, shipped: Path, log: Path) -> Server:
    """rdflib-endpoint (PyPI ``rdflib-endpoint[cli]``): reads the files at start-up."""
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            str(BIN / "rdflib-endpoint"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            str(quads),
            str(shipped),
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server("rdflib-endpoint", f"http://127.0.0.1:{port}/", proc)
    _wait(server.url, proc)
    cpu = cpu_seconds(proc.pid)
    server.load = Load("rdflib-endpoint", "start-up parse", time.perf_counter() - started, cpu)
    return server


def visits_to_texts(city: int) -> tuple[str, str]:
    """The two SPARQL texts the service runs for ``/queries/visits-to?place=City N``.

    Bound by the product's own code (``kg.queries.bind``) against a store holding only the
    city's type and label, which resolves the name exactly as the full store does.
    """
    iri = ox.NamedNode(f"{EX}city/{city}")
    store = OxigraphStore(None)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.replace_graph(
        GRAPH,
        [
            ox.Triple(iri, rdf_type, ox.NamedNode(DV + "City")),
            ox.Triple(iri, label, ox.Literal(f"City {city}")),
        ],
    )
    sent: list[str] = []

    class Recorder:
        def query(self, sparql: str, **kwargs: object) -> object:
            sent.append(sparql)
            return store.query(sparql, **kwargs)  # type: ignore[arg-type]

    query = load_named_queries(Settings.from_env().queries_dir)["visits-to"]
    main = bind(Recorder(), query, {"place": f"City {city}"}).text  # type: ignore[arg-type]
    return sent[0], main


def _post(client: httpx.Client, url: str, query: str) -> int:
    r = client.post(url, data={"query": query}, headers=JSON)
    r.raise_for_status()
    return len(r.json()["results"]["bindings"])


def timed(client: httpx.Client, server: Server, form: str, city: int) -> tuple[float, int]:
    """Seconds for one question (POST form, JSON results, whole body read) and its rows."""
    started = time.perf_counter()
    if form == "by IRI":
        rows = _post(client, server.url, BY_IRI.format(city=f"{EX}city/{city}"))
    elif form == "by label":
        rows = _post(client, server.url, BY_LABEL.format(label=f"City {city}"))
    elif form == "aggregate":
        rows = _post(client, server.url, AGGREGATE)
    elif server.name.startswith("kg"):
        r = client.get(
            f"{server.base}/queries/visits-to", params={"place": f"City {city}"}, headers=JSON
        )
        r.raise_for_status()
        rows = len(r.json()["results"]["bindings"])
    else:
        resolve, main = visits_to_texts(city)
        started = time.perf_counter()  # the texts are the service's work, not the peer's
        _post(client, server.url, resolve)
        rows = _post(client, server.url, main)
    return time.perf_counter() - started, rows


def latency_rounds(servers: list[Server], cities: int, rounds: int, slow_rounds: int) -> None:
    """Interleaved: each round asks every server the same questions, in turn.

    The aggregate every 5th round; rdflib-endpoint answers the first
    ``slow_rounds`` rounds, and ``visits-to`` not here (see :func:`rdflib_visits_to`). Row
    counts must agree between servers, or the run stops.
    """
    rng = random.Random(1)
    clients = {s.name: httpx.Client(timeout=600) for s in servers}
    for s in servers:  # warm-up
        for form in FORMS:
            if not (s.name.startswith("rdflib") and form == "visits-to"):
                timed(clients[s.name], s, form, 1)
    for i in range(rounds):
        city = rng.randrange(cities)
        for form in (*FORMS, "aggregate"):
            # The aggregate every 5th round (rdflib-endpoint: every one of its rounds).
            sparse = form == "aggregate" and i % 5 != 0
            counts = {}
            for s in servers:
                if s.name.startswith("rdflib"):
                    if i >= slow_rounds or form == "visits-to":
                        continue
                elif sparse:
                    continue
                seconds, counts[s.name] = timed(clients[s.name], s, form, city)
                s.latencies.setdefault(form, []).append(seconds)
            if len(set(counts.values())) > 1:
                raise RuntimeError(f"{form}, city {city}: the servers disagree: {counts}")


def rdflib_visits_to(server: Server, cities: int, limit_s: float) -> None:
    """rdflib-endpoint on ``visits-to``, once, waiting at most ``limit_s``; then stop it.

    Its evaluator joins the name lookup's VALUES by nested loops, so this can take hours;
    after giving up the server is stopped (it would go on computing).
    """
    try:
        with httpx.Client(timeout=limit_s) as c:
            seconds, _ = timed(c, server, "visits-to", random.Random(2).randrange(cities))
        server.latencies["visits-to"] = [seconds]
    except httpx.TimeoutException:
        server.gave_up["visits-to"] = limit_s
    server.stop()


def throughput(server: Server, cities: int, clients: int, seconds: float) -> float:
    """Selective queries (by IRI) per second with ``clients`` concurrent clients.

    The clients are made before the clock starts (making one takes tens of milliseconds).
    """
    pool = [httpx.Client(timeout=600) for _ in range(clients)]
    done = [0] * clients
    stop = 0.0

    def run(k: int) -> None:
        rng = random.Random(k)
        while time.monotonic() < stop:
            timed(pool[k], server, "by IRI", rng.randrange(cities))
            done[k] += 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    stop = started + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    for c in pool:
        c.close()
    return sum(done) / elapsed


def report(
    servers: list[Server], loads: list[Load], triples: int, memory: dict[str, float]
) -> None:
    """Print the figures side by side, with ratios to the Oxigraph server."""
    kg = servers[0]
    ref = next(s for s in servers if s.name.startswith("oxigraph"))
    rdf = next((s for s in servers if s.name.startswith("rdflib")), None)
    bulk = next(ld for ld in loads if ld.name == "pyoxigraph bulk_load")
    print(
        f"\n{triples:,} triples, one named graph; machine: {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end\n"
    )
    print(f"{'load path':<24} {'how':<40} {'s':>7} {'triples/s':>10} {'CPU s':>7} {'x bulk':>7}")
    for ld in loads:
        print(
            f"{ld.name:<24} {ld.how:<40} {ld.seconds:>7.1f} {triples / ld.seconds:>10,.0f} "
            f"{ld.cpu:>7.1f} {ld.seconds / bulk.seconds:>6.2f}x"
        )
    print(
        f"\n{'server':<20} {'query':<10} {'n':>4} {'median ms':>10} {'p95 ms':>9} "
        f"{'x oxigraph':>11} {'rdflib / kg':>12}"
    )
    for q in (*FORMS, "aggregate"):
        ref_median = median_p95_ms(ref.latencies[q])[0]
        kg_median = median_p95_ms(kg.latencies[q])[0]
        for s in servers:
            if q in s.gave_up:
                waited = s.gave_up[q] * 1000
                print(
                    f"{s.name:<20} {q:<10} {1:>4} {'> ' + f'{waited:,.0f}':>10} {'-':>9} "
                    f"{'-':>11} {'> ' + f'{waited / kg_median:,.0f}x':>12}"
                )
                continue
            if q not in s.latencies:
                continue
            med, p95 = median_p95_ms(s.latencies[q])
            vs_kg = f"{med / kg_median:,.1f}x" if s is rdf else ""
            print(
                f"{s.name:<20} {q:<10} {len(s.latencies[q]):>4} {med:>10.2f} {p95:>9.2f} "
                f"{med / ref_median:>10.2f}x {vs_kg:>12}"
            )
    print(
        f"\n{'server':<20} "
        + " ".join(f"{f'{c} clients':>12}" for c in sorted(ref.rps))
        + "   (selective queries by IRI /s)"
    )
    for s in servers:
        print(f"{s.name:<20} " + " ".join(f"{s.rps.get(c, 0):>12.1f}" for c in sorted(ref.rps)))
    print(f"\n{'server':<20} {'peak MB':>9}")
    for s in servers:
        print(f"{s.name:<20} {memory[s.name]:>9.0f}")
    sel = median_p95_ms(kg.latencies["by IRI"])[0] / median_p95_ms(ref.latencies["by IRI"])[0]
    agg = median_p95_ms(kg.latencies["aggregate"])[0] / median_p95_ms(ref.latencies["aggregate"])[0]
    post = kg.load
    assert post is not None
    print(
        f"\ntargets: selective (by IRI) {sel:.2f}x oxigraph (<= 1.5), aggregate {agg:.2f}x "
        f"(<= 1.3), load {triples / post.seconds:,.0f} triples/s by Graph Store POST (>= 150,000; "
        f"the engine's bulk loader alone: {triples / bulk.seconds:,.0f})"
    )
    if rdf:
        parts = []
        for q in FORMS:
            kg_median = median_p95_ms(kg.latencies[q])[0]
            if q in rdf.gave_up:
                parts.append(f"{q} > {rdf.gave_up[q] * 1000 / kg_median:,.0f}x")
            elif q in rdf.latencies:
                parts.append(f"{q} {median_p95_ms(rdf.latencies[q])[0] / kg_median:,.0f}x")
        print(
            "faster than rdflib-endpoint (>= 100 on the product's form, visits-to): "
            + ", ".join(parts)
        )


def main(argv: list[str] | None = None) -> int:
    """Generate, load, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--rdflib-rounds", type=int, default=5)
    parser.add_argument(
        "--rdflib-limit",
        type=float,
        default=120.0,
        help="seconds to wait for rdflib-endpoint on visits-to",
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput measurement")
    parser.add_argument("--no-rdflib", action="store_true", help="skip rdflib-endpoint (slow)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    servers: list[Server] = []
    try:
        data, quads = work / "visits.nt", work / "visits.nq"
        triples, cities = generate(data, args.triples)
        as_nquads(data, quads)
        print(f"generated {triples:,} triples in {data}", flush=True)
        loads = engine_loads(data, work)
        loads.append(kg_load(data, work))
        print("loading the service (Graph Store POST) ...", flush=True)
        shipped = shipped_data(work)
        servers.append(start_kg(data, work, work / "kg.log"))
        servers.append(start_oxigraph(data, shipped, work, work / "ox.log"))
        if not args.no_rdflib:
            print("starting rdflib-endpoint (it parses the file into memory) ...", flush=True)
            servers.append(start_rdflib_endpoint(quads, shipped, work / "rdflib.log"))
        loads += [s.load for s in servers if s.load]
        print("latency rounds ...", flush=True)
        latency_rounds(servers, cities, args.rounds, args.rdflib_rounds)
        for clients in (1, 8, 32):
            for s in servers:
                if not s.name.startswith("rdflib"):
                    s.rps[clients] = throughput(s, cities, clients, args.seconds)
        rdf = next((s for s in servers if s.name.startswith("rdflib")), None)
        memory: dict[str, float] = {}
        if rdf:
            rdf.rps[1] = throughput(rdf, cities, 1, args.seconds)
            memory[rdf.name] = rdf.peak_memory_mb()
            print(
                f"rdflib-endpoint on visits-to (at most {args.rdflib_limit:.0f} s) ...", flush=True
            )
            rdflib_visits_to(rdf, cities, args.rdflib_limit)
        memory.update({s.name: s.peak_memory_mb() for s in servers if s is not rdf})
        report(servers, loads, triples, memory)
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
