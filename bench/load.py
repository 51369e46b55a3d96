"""`make load`: 50 concurrent clients against the real service for 60 s, on loopback.

Prepares a store with the shipped data and the imported historyatstate records (kept in
var/load-store and reused while it is complete), starts `kg serve` on a free loopback port,
runs locust headless (bench/locustfile.py: named queries, SPARQL, page views, ingests)
twice, one minute each: ``cold``, the moment the service is up, then ``warm``, on the same
service after that first minute (see PHASES). For each it prints throughput, latency
percentiles per kind of request, and errors; the targets (0 errors, p99 of named queries
under 100 ms) are checked on the warm run, the cold one is printed beside it. The machine's
load average is printed too: other work on it disturbs the figures.

    python -m bench.load [--users 50] [--seconds 60] [--store var/load-store]
                         [--client fast|requests] [--records FILE]

It also prints the CPU seconds the clients and the service (with its worker processes) used:
on this 2-core machine they compete, and a heavier client leaves the service less.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import httpx

from bench.stats import percentile
from kg.extract.reader import ReaderError, read_record
from kg.settings import PROJECT_ROOT
from tests.conftest import SHARED, RunningService, children, cpu_seconds, task_cpu

TOKEN = "load-token"
RECORDS = SHARED / "data" / "historyatstate"
CORPUS = SHARED / "corpus" / "wikinews-2019-2020.jsonl"
DONE = "import-done"


def prepare(store: Path) -> None:
    """The shipped data plus the imported records, in ``store`` (once; reused after)."""
    if (store / DONE).exists():
        return
    if store.exists():
        shutil.rmtree(store)
    env = {**os.environ, "KG_SHARED_DIR": str(SHARED)}
    kg = [sys.executable, "-m", "kg.cli"]
    subprocess.run([*kg, "init", "--store", str(store)], env=env, check=True)
    subprocess.run(
        [*kg, "import", "historyatstate", str(RECORDS), "--store", str(store), "--quiet"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (store / DONE).write_text("ok\n")


def articles(n: int = 40) -> list[dict]:
    """Corpus articles the reader accepts (posting them is the ingest part of the load)."""
    out = []
    for line in CORPUS.read_text("utf-8").splitlines():
        record = json.loads(line)
        try:
            read_record(record)
        except ReaderError:
            continue
        out.append(record)
        if len(out) == n:
            break
    return out


# (kind, milliseconds, ok, when it started: epoch s, its Server-Timing header or "")
Record = tuple[str, float, bool, float, str]
TARGET_MS = 100.0
RAMP_S = 5.0  # the clients all start at once: the first seconds are one burst of 50 requests


def report(records: list[Record], seconds: float) -> bool:
    """Print the figures; True when the targets are met (over the whole run)."""
    groups = sorted({r[0] for r in records})
    print(
        f"{'kind':<10}{'requests':>9}{'errors':>8}{'req/s':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    start = min(r[3] for r in records)
    steady = [r for r in records if r[3] - start >= RAMP_S]
    lines = [(g, [r for r in records if g in ("all", r[0])]) for g in [*groups, "all"]]
    lines.append((f"named>{RAMP_S:g}s", [r for r in steady if r[0] == "named"]))
    for g, rows in lines:
        if not rows:  # a run no longer than the opening seconds has none after them
            continue
        times = [r[1] for r in rows]
        errors = sum(1 for r in rows if not r[2])
        print(
            f"{g:<10}{len(rows):>9}{errors:>8}{len(rows) / seconds:>8.1f}"
            f"{percentile(times, 50):>9.1f}{percentile(times, 95):>9.1f}"
            f"{percentile(times, 99):>9.1f}{max(times):>9.1f}"
        )
    print(f"(named>{RAMP_S:g}s: the named queries after the first {RAMP_S:g} s of the run)")
    named = [r[1] for r in records if r[0] == "named"]
    errors = sum(1 for r in records if not r[2])
    p99 = percentile(named, 99)
    print(
        f"targets: errors {errors} (0), named-query p99 {p99:.1f} ms (< {TARGET_MS:g} ms): "
        + ("met" if errors == 0 and p99 < TARGET_MS else "MISSED")
    )
    return errors == 0 and p99 < TARGET_MS


def parse_timing(header: str) -> dict[str, tuple[float, str]]:
    """A Server-Timing header as {step: (milliseconds, note)}.

    >>> parse_timing('bind;dur=1.5, worker;dur=8.0;desc="reopened the store"')
    {'bind': (1.5, ''), 'worker': (8.0, 'reopened the store')}
    """
    steps: dict[str, tuple[float, str]] = {}
    for item in filter(None, (part.strip() for part in header.split(","))):
        name, *params = item.split(";")
        fields = dict(p.split("=", 1) for p in params if "=" in p)
        steps[name] = (float(fields.get("dur", 0)), fields.get("desc", "").strip('"'))
    return steps


def where_time_went(records: list[Record]) -> None:
    """For the named queries over the target and for all of them: the median of each step the
    service reports (Server-Timing), the time outside its handler (the client's time less the
    handler's ``total``: the event loop, the GIL, the network), and how many were cache hits or
    found their worker reopening the store."""
    named = [r for r in records if r[0] == "named" and r[2]]
    print(f"where the named queries' time went (medians, ms; over {TARGET_MS:g} ms and all):")
    print(
        f"{'':<10}{'count':>7}{'cached':>8}{'reopen':>8}"
        f"{'wait':>7}{'worker':>8}{'total':>7}{'outside':>9}"
    )
    for label, rows in (("slow", [r for r in named if r[1] >= TARGET_MS]), ("all", named)):
        parsed = [(r[1], parse_timing(r[4])) for r in rows]
        computed = [(ms, t) for ms, t in parsed if "total" in t]

        def med(step: str, values: list = computed) -> float:
            found = [t[step][0] for _, t in values if step in t]
            return percentile(found, 50) if found else float("nan")

        outside = [ms - t["total"][0] for ms, t in computed]
        reopened = sum(1 for _, t in computed if t.get("worker", (0, ""))[1])
        print(
            f"{label:<10}{len(rows):>7}{len(parsed) - len(computed):>8}{reopened:>8}"
            f"{med('wait'):>7.1f}{med('worker'):>8.1f}{med('total'):>7.1f}"
            f"{(percentile(outside, 50) if outside else float('nan')):>9.1f}"
        )


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its living children (the service and its workers; a
    worker replaced during the run takes the seconds it used with it)."""
    return cpu_seconds(pid) + sum(cpu_seconds(child) for child in children(pid))


def cpu_by_part(pid: int) -> Counter[str]:
    """CPU seconds of the service's parts, by name (kg.procs.set_name): its page threads
    (``kg-page``), the rest of the service process (``service``: the event loop and the
    other threads) and each kind of worker process (``kg-named``, ``kg-sparql``...)."""
    parts: Counter[str] = Counter()
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        with contextlib.suppress(OSError, ValueError):
            name, seconds = task_cpu(stat)
            parts[name if name.startswith("kg-") else "service"] += seconds
    for child in children(pid):
        with contextlib.suppress(OSError, ValueError):
            name, seconds = task_cpu(Path(f"/proc/{child}/stat"))
            parts[name] += seconds
    return parts


def children_cpu_seconds() -> float:
    """CPU seconds of this process's finished children (locust, once it has ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--store", default=str(PROJECT_ROOT / "var" / "load-store"))
    parser.add_argument("--client", choices=("fast", "requests"), default="fast")
    parser.add_argument(
        "--records", type=Path, help="also write every request's record (FILE.cold.json ...)"
    )
    args = parser.parse_args()
    prepare(Path(args.store))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = work / "store"  # a copy: the ingests must not grow the prepared store
        shutil.copytree(args.store, store)
        (work / "articles.json").write_text(json.dumps(articles()), "utf-8")
        svc = RunningService(store, {"KG_API_TOKEN": TOKEN})
        try:
            quads = httpx.get(svc.url + "/health").json()["quads"]
            # Steady state: the ingest worker started and warmed up, the query workers too.
            warm = httpx.post(
                svc.url + "/articles",
                json=articles(1)[0],
                timeout=300,
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
            assert warm.status_code == 201, warm.text
            httpx.get(svc.url + "/queries/visits-to", params={"place": "Pyongyang"}, timeout=60)
            print(
                f"service on {svc.url}: {quads} quads; {args.users} clients for "
                f"{args.seconds} s, twice"
            )
            env = {
                **os.environ,
                "KG_LOAD_ARTICLES": str(work / "articles.json"),
                "KG_LOAD_TOKEN": TOKEN,
                "KG_LOAD_CLIENT": args.client,
            }
            runs = {}
            for phase in PHASES:
                out = work / f"records-{phase}.json"
                run_clients(svc, {**env, "KG_LOAD_OUT": str(out)}, args, phase)
                runs[phase] = [tuple(r) for r in json.loads(out.read_text())]
                if args.records:
                    shutil.copyfile(out, args.records.with_suffix(f".{phase}.json"))
            alive = svc.proc.poll() is None
        finally:
            svc.stop()
    met = {}
    for phase, records in runs.items():
        print(f"\n{phase}: {PHASES[phase]}")
        met[phase] = report(records, float(args.seconds))  # type: ignore[arg-type]
        where_time_went(records)  # type: ignore[arg-type]
    print(f"\nservice still up at the end: {'yes' if alive else 'NO'}")
    errors = sum(1 for records in runs.values() for r in records if not r[2])
    ok = met["warm"] and errors == 0 and alive
    print(
        "targets, on the warm run (no errors in either run, the service up): "
        + ("met" if ok else "MISSED")
    )
    return 0 if ok else 1


# Two measured runs, one after the other, on one service: the first starts the moment the
# service is up (empty answer cache, workers and RocksDB caches cold: the opening burst is
# 50 requests at once on all of that); the second finds the service as it is after a minute
# of the same load, as a running service is when a crowd arrives. The 50 clients start at
# once in both.
PHASES = {
    "cold": "the service just started (its first minute)",
    "warm": "the same service, after the first run (the targets are checked here)",
}


def run_clients(
    svc: RunningService, env: dict[str, str], args: argparse.Namespace, phase: str
) -> None:
    """One locust run against ``svc``, and what it cost the machine."""
    locust = Path(sys.executable).with_name("locust")
    service_cpu = tree_cpu_seconds(svc.proc.pid)
    parts_cpu = cpu_by_part(svc.proc.pid)
    clients_cpu = children_cpu_seconds()
    print(f"{phase} run; load average before: {os.getloadavg()[0]:.2f}")
    subprocess.run(
        [str(locust), "-f", str(PROJECT_ROOT / "bench" / "locustfile.py"), "--headless",
         "--users", str(args.users), "--spawn-rate", str(args.users),
         "--run-time", f"{args.seconds}s", "--host", svc.url, "--only-summary",
         "--stop-timeout", "30", "--exit-code-on-error", "0", "--loglevel", "WARNING"],
        env=env, check=True, timeout=args.seconds + 120,
    )  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.2f} (2 cores, shared)")
    print(
        f"CPU seconds over the run: clients ({args.client}) "
        f"{children_cpu_seconds() - clients_cpu:.1f}, service and its workers "
        f"{tree_cpu_seconds(svc.proc.pid) - service_cpu:.1f}"
    )
    parts = cpu_by_part(svc.proc.pid)
    parts.subtract(parts_cpu)
    print(
        "  of which: " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in parts.most_common())
    )


if __name__ == "__main__":
    sys.exit(main())
