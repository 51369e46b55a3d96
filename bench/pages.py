"""`make bench-pages`: what each page and named query costs on the load store, one at a time.

Starts `kg serve` on a copy of the load store (bench/load.py prepares it: the shipped data
plus all imported Office of the Historian records), then for every URL of the table asks it
once right after a write (a one-triple SPARQL update: the store's generation moves on, so
whatever is cached per generation is stale) and then warm (the median of five requests in a
row). One client, sequential: these are the service's own costs, not queueing. The machine's
load average is printed too: other work on it disturbs the figures.

    python -m bench.pages [--store var/load-store] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.load import TOKEN, prepare
from kg.settings import PROJECT_ROOT
from tests.conftest import RunningService

PAGES = [
    "/",
    "/id/person/vladimir-putin",
    "/id/person/kim-jong-un",
    "/id/visit/vladimir-putin/pyongyang/2024-11-06",
    "/id/state/russia",
    "/id/state/united-states",
    "/search?q=Putin",
    "/timeline?leader=Vladimir%20Putin",
    "/network",
    "/queries/visits-to?place=Pyongyang",
    "/queries/visits-to?place=Canada",
    "/queries/visits-by?leader=Vladimir%20Putin",
    "/queries/visits-between?from=Russia&to=China",
    "/queries/statements-by?speaker=Kim%20Jong%20Un",
]
WRITE = "INSERT DATA { GRAPH <urn:bench:scratch> { <urn:bench:s> <urn:bench:p> %d } }"


def timed(client: httpx.Client, url: str) -> tuple[float, int]:
    """Milliseconds and status of one GET."""
    started = time.perf_counter()
    status = client.get(url, headers={"Accept": "text/html, text/csv;q=0.9"}).status_code
    return (time.perf_counter() - started) * 1000, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(PROJECT_ROOT / "var" / "load-store"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    prepare(Path(args.store))
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        shutil.copytree(args.store, store)
        # No named-query cache: "warm" means the store's caches, as before it existed.
        svc = RunningService(store, {"KG_API_TOKEN": TOKEN, "KG_NAMED_CACHE_ENTRIES": "0"})
        try:
            client = httpx.Client(base_url=svc.url, timeout=300)
            writes = 0

            def write() -> None:
                nonlocal writes
                writes += 1
                r = client.post(
                    "/sparql",
                    data={"update": WRITE % writes},
                    headers={"Authorization": f"Bearer {TOKEN}"},
                )
                assert r.status_code == 204, r.text

            for url in PAGES:  # the first request of each warms what starts lazily
                client.get(url)
            print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores, shared)")
            print(f"{'request':<48}{'status':>7}{'after write ms':>16}{'warm ms':>10}")
            for url in PAGES:
                write()
                after, status = timed(client, url)
                warm = statistics.median(timed(client, url)[0] for _ in range(args.repeat))
                print(f"{url:<48}{status:>7}{after:>16.1f}{warm:>10.1f}")
            print(f"load average after: {os.getloadavg()[0]:.2f}")
        finally:
            svc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
