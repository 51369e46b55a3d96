"""Benchmark: importing every Office of the Historian record (target: under 20 s on 2 cores).

Prints the time of a full ``import_historyatstate`` into a fresh store (the shipped data
loaded first, as ``kg import`` does), split by stage, next to its peers: the same import on
one worker process, a second run over the filled store (idempotent: nothing written), and
SHACL validation by pySHACL against the compiled checks the import uses.

    make bench-import            # or: .venv/bin/python bench/import_historyatstate.py [DIR]
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from kg import shape_check, validate
from kg.importers import historyatstate
from kg.ingest import HISTORYATSTATE_PRODUCER, import_historyatstate, load_shipped_data
from kg.link.gazetteer import Gazetteer
from kg.mapping import Minter, map_facts
from kg.settings import Settings
from kg.store import open_store

TARGET_S = 20.0


def cpu_s() -> float:
    """CPU seconds of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def full_import(directory: Path, settings: Settings) -> tuple[float, float, float, int]:
    """Wall and CPU seconds of a first and a second import into a fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        s = settings.with_(store=str(Path(tmp) / "store"))
        store = open_store(s.store)
        load_shipped_data(store, s)
        t0, c0 = time.perf_counter(), cpu_s()
        report = import_historyatstate(store, directory, s)
        first, cpu = time.perf_counter() - t0, cpu_s() - c0
        t0 = time.perf_counter()
        again = import_historyatstate(store, directory, s)
        second = time.perf_counter() - t0
        assert again.unchanged == report.files and not again.written
        store.close()
    return first, cpu, second, sum(w.triples for w in report.written)


def main() -> None:
    directory = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else (Settings.from_env().shared_dir / "data" / "historyatstate")
    )
    settings = Settings.from_env()
    print(f"records: {directory}   machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")

    t0 = time.perf_counter()
    read = historyatstate.import_dir(directory, Gazetteer.load(settings.data_dir))
    t_read = time.perf_counter() - t0
    mint = Minter(settings.base_iri)
    t0 = time.perf_counter()
    graphs = [map_facts(f.facts, mint, HISTORYATSTATE_PRODUCER).graph for f in read.files]
    t_map = time.perf_counter() - t0
    triples = sum(len(g) for g in graphs)
    t0 = time.perf_counter()
    for g in graphs:
        shape_check.check(g, settings.ontology_dir)
    t_check = time.perf_counter() - t0
    # pySHACL on every 6th file (it takes over a minute on all), per triple.
    sample = graphs[::6]
    sample_triples = sum(len(g) for g in sample)
    t0 = time.perf_counter()
    for g in sample:
        validate.check(g, settings.ontology_dir)
    t_pyshacl = (time.perf_counter() - t0) / sample_triples * triples

    two, two_cpu, again, stored = full_import(directory, settings.with_(import_workers=2))
    one, one_cpu, _, _ = full_import(directory, settings.with_(import_workers=1))

    print(
        f"{read.records} records -> {read.visits} visits in {len(read.files)} graphs, "
        f"{triples} triples ({stored} stored)"
    )
    print("\nstages (one process):")
    print(f"  read and interpret XML      {t_read:6.2f} s")
    print(f"  map to RDF                  {t_map:6.2f} s")
    print(f"  SHACL, compiled checks      {t_check:6.2f} s")
    print(
        f"  SHACL, pySHACL (estimated)  {t_pyshacl:6.2f} s   "
        f"{t_pyshacl / t_check:5.1f}x the compiled checks "
        f"(measured on {len(sample)} files, {sample_triples} triples)"
    )
    print("\nfull import (kg import historyatstate), wall clock:")
    print(
        f"  2 workers                   {two:6.2f} s   (CPU {two_cpu:.1f} s)   "
        f"{two / TARGET_S:4.2f}x the {TARGET_S:.0f} s target"
    )
    print(
        f"  1 worker                    {one:6.2f} s   (CPU {one_cpu:.1f} s)   "
        f"{one / two:4.2f}x 2 workers"
    )
    print(f"  second run, nothing written {again:6.2f} s   {again / two:4.2f}x the first")


if __name__ == "__main__":
    main()
