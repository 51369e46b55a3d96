"""Benchmark: ``kg link`` and ``kg check`` against the Wikidata-shaped test fixture, served by
the Oxigraph server on loopback behind a counting proxy, over the shipped data and then over
the shipped data plus every Office of the Historian record (when ../shared has them).

Prints, for each store: entities and visits decided, HTTP requests, time; the same for a
second run (answered from the cache); the time of ``kg check`` (reference facts and the
``conflicts`` query) and of the checks a page runs (conflicts and corroboration): cold
(the whole-store queries run, once per store generation) and warm (rows from the cache).

    make bench-link              # or: .venv/bin/python -m bench.link_wikidata
"""

from __future__ import annotations

import collections
import sys
import tempfile
import time
from pathlib import Path

from kg import enrich
from kg.ingest import import_historyatstate, load_shipped_data
from kg.link.wikidata import WikidataClient
from kg.queries import load_named_queries
from kg.service import graphread as gr
from kg.service import pages
from kg.service.checks import WholeStoreChecks
from kg.service.state import ServiceState
from kg.settings import PROJECT_ROOT, Settings
from kg.store import open_store
from kg.store.workers import ThreadRunner
from tests.wikidata_fixture import OxigraphServer, Proxy

TABLES = ("visits_made", "visits_hosted", "visits_in", "visits_out")


def run(label: str, settings: Settings, proxy: Proxy, records: Path | None) -> None:
    store = open_store(settings.store)
    load_shipped_data(store, settings)
    if records is not None:
        import_historyatstate(store, records, settings)
    print(f"\n{label}: {store.count()} quads in {len(store.graphs())} graphs")
    for attempt in ("first run", "second run"):
        before = len(proxy.requests)
        started = time.perf_counter()
        report = enrich.link(store, settings, WikidataClient.from_settings(settings))
        took = time.perf_counter() - started
        kinds = collections.Counter(d.status for d in report.decisions)
        print(
            f"  kg link, {attempt}: {len(report.decisions)} decided "
            f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}), "
            f"{len(proxy.requests) - before} requests, {report.cache_hits} cache hits, "
            f"{took:.2f} s"
        )
    started = time.perf_counter()
    ref = enrich.refresh_reference(store, settings, WikidataClient.from_settings(settings))
    found = enrich.conflicts(store, settings)
    print(
        f"  kg check: {ref.holdings} positions, {ref.events} events, {len(found)} conflicts, "
        f"{time.perf_counter() - started:.2f} s"
    )
    queries = load_named_queries(settings.queries_dir)
    started = time.perf_counter()
    enrich.conflicts(store, settings)
    print(f"  conflicts query alone: {time.perf_counter() - started:.3f} s")
    # As the service keeps them: computed once (single flight), then read from the snapshot.
    checks = WholeStoreChecks(store, queries, ThreadRunner(store.raw), refresh_s=0, timeout_s=600)
    state = ServiceState(settings, store, queries, checks=checks)
    for iri in ("person/vladimir-putin", "state/united-states"):
        for attempt in ("cold", "warm"):
            started = time.perf_counter()
            facts = gr.facts_about(store, settings.id_base + iri)
            pages.checks(state, settings.id_base + iri, {key: [] for key in TABLES})
            print(
                f"  page checks of {iri} ({len(facts)} facts), {attempt}: "
                f"{time.perf_counter() - started:.3f} s"
            )
    checks.close()
    store.close()


def main() -> int:
    shared = PROJECT_ROOT.parent / "shared"
    records = Path(sys.argv[1]) if len(sys.argv) > 1 else shared / "data" / "historyatstate"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        server = OxigraphServer(tmp)
        proxy = Proxy(server.endpoint)
        try:
            for label, folder, extra in (
                ("shipped data", "a", None),
                ("shipped data + historyatstate", "b", records if records.is_dir() else None),
            ):
                if folder == "b" and extra is None:
                    print(f"\n(no records at {records}: second store skipped)")
                    continue
                settings = Settings.from_env({}).with_(
                    store=str(tmp / folder / "store"),
                    shared_dir=shared,
                    wikidata_endpoint=proxy.endpoint,
                    wikidata_cache=str(tmp / folder / "cache.sqlite"),
                    link_review=str(tmp / folder / "review.json"),
                )
                run(label, settings, proxy, extra)
        finally:
            proxy.stop()
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
