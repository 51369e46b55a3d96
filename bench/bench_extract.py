"""Articles per second: extraction, and ingest (extract + map + SHACL + store), with peers.

Runs over the unannotated corpus (../shared/corpus/wikinews-2019-2020.jsonl, real articles)
and prints each stage's rate side by side with named peers, as ratios:
  - spaCy floor: the blank English tokenizer and sentencizer alone (what any spaCy-based
    extractor pays at least);
  - extract: `kg extract`'s pipeline, one process, and two worker processes (the 2 cores);
  - ingest: extract + mapping + the compiled shape check (kg.shape_check, as `kg ingest`
    does) + store, and the time of each step; and the same with pySHACL in its place.
Rates are also given for 500-word articles (the corpus rate times mean words / 500), and
per CPU second of this process (what other work on a shared machine does not take away;
wall-clock figures of a loaded machine are lower). Ingest runs `kg ingest`'s own code
(kg.ingest.ingest_many) into a temporary store, with one and with two worker processes.
Usage: python bench/bench_extract.py [--limit N] [--corpus FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from kg import shape_check
from kg.extract.pipeline import extract
from kg.extract.reader import Document, read_record
from kg.ingest import EXTRACTOR_PRODUCER, ingest_many
from kg.mapping import Minter, map_facts
from kg.settings import Settings
from kg.store import open_store
from kg.terms import graph_to_triples
from kg.validate import check


def load(corpus: Path, limit: int) -> list[Document]:
    docs = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    docs.append(read_record(json.loads(line)))
                except ValueError:
                    continue
            if len(docs) >= limit:
                break
    return docs


def _extract_count(docs: list[Document]) -> int:
    return sum(len(extract(d).visits) for d in docs)


def _warm() -> None:
    extract(read_record({"text": "President Joe Biden visited Ottawa on Monday."}))


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else float("inf")


class Clock:
    """Wall-clock and CPU time of this process, summed over the timed blocks."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def __enter__(self) -> Clock:
        self._w, self._c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall += time.perf_counter() - self._w
        self.cpu += time.process_time() - self._c


def ingest_rate(docs: list[Document], settings: Settings, workers: int) -> Clock:
    """`kg ingest` of the documents into a fresh temporary store."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "store"))
        run = settings.with_(ingest_workers=workers)
        clock = Clock()
        with clock:
            done = list(ingest_many(store, ((f"doc{i}", d) for i, d in enumerate(docs)), run))
        store.close()
    assert all(d.stored is not None for d in done), [d.error for d in done if d.error][:3]
    return clock


def main() -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=settings.shared_dir / "corpus" / "wikinews-2019-2020.jsonl"
    )
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    docs = load(args.corpus, args.limit)
    words = [len(d.body.split()) for d in docs]
    print(
        f"{len(docs)} articles from {args.corpus.name}: median {statistics.median(words):.0f} "
        f"words, mean {statistics.mean(words):.0f}"
    )
    import spacy

    extract(docs[0])  # build the gazetteer and the entity ruler once (not timed)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    floor = Clock()
    with floor:
        for _ in nlp.pipe(d.body for d in docs):
            pass
    one = Clock()
    with one:
        facts = [extract(d) for d in docs]
    with ProcessPoolExecutor(2, initializer=_warm) as pool:
        list(pool.map(_extract_count, [docs[:1], docs[1:2]]))
        t = time.perf_counter()
        list(pool.map(_extract_count, [docs[0::2], docs[1::2]]))
        two = rate(len(docs), time.perf_counter() - t)
    ingest_one = ingest_rate(docs, settings, 1)
    ingest_two = ingest_rate(docs, settings, 2)

    # Each step of an ingest, in CPU time, with pySHACL as the shape-checking peer.
    mint = Minter(settings.base_iri)
    steps = {name: Clock() for name in ("map", "shapes", "pySHACL", "store")}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "store"))
        for f in facts:
            with steps["map"]:
                sg = map_facts(f, mint, EXTRACTOR_PRODUCER)
            with steps["shapes"]:
                shape_check.check(sg.graph, settings.ontology_dir)
            with steps["pySHACL"]:
                check(sg.graph, settings.ontology_dir)
            with steps["store"]:
                store.replace_graph(sg.iri, graph_to_triples(sg.graph))
        store.close()
    cpu = {name: c.cpu / len(docs) for name, c in steps.items()}
    cpu["extract"] = one.cpu / len(docs)
    ingest_cpu = cpu["extract"] + cpu["map"] + cpu["shapes"] + cpu["store"]
    peer_cpu = ingest_cpu - cpu["shapes"] + cpu["pySHACL"]
    visits = sum(len(f.visits) for f in facts)
    quotes = sum(len(f.statements) for f in facts)
    per500 = statistics.mean(words) / 500  # a rate for 500-word articles: times this

    print(f"found {visits} visits and {quotes} statements")
    busy = os.getloadavg()
    print(
        f"load average during the run: {busy[0]:.1f} {busy[1]:.1f} {busy[2]:.1f} on "
        f"{os.cpu_count()} cores (other work on the machine lowers every wall-clock rate)\n"
    )
    n = len(docs)
    print(
        f"{'articles per second':44} {'wall':>7} {'500-word':>9} {'per CPU s':>10} "
        f"{'500-word':>9} {'vs spaCy floor':>15}"
    )
    rows: list[tuple[str, float, float | None]] = [
        ("spaCy floor: blank tokenizer + sentencizer", rate(n, floor.wall), rate(n, floor.cpu)),
        ("extract, 1 process", rate(n, one.wall), rate(n, one.cpu)),
        ("extract, 2 processes", two, None),
        ("ingest (kg ingest), 1 process", rate(n, ingest_one.wall), rate(n, ingest_one.cpu)),
        ("ingest (kg ingest), 2 workers + writer", rate(n, ingest_two.wall), None),
        ("ingest with pySHACL instead (the peer)", None, rate(1, peer_cpu)),  # type: ignore[list-item]
    ]
    base = rate(n, floor.cpu)
    for name, wall, per_cpu in rows:
        w = f"{wall:>7.1f} {wall * per500:>9.1f}" if wall else f"{'-':>7} {'-':>9}"
        c = f"{per_cpu:>10.1f} {per_cpu * per500:>9.1f}" if per_cpu else f"{'-':>10} {'-':>9}"
        # Like with like: per CPU second against the floor's, else wall against wall.
        ratio = f"{per_cpu / base if per_cpu else wall / rate(n, floor.wall):>14.2f}x"
        print(f"{name:44} {w} {c} {ratio}")
    print(
        "\nCPU time per article: "
        + ", ".join(f"{k} {1000 * v:.1f} ms" for k, v in cpu.items())
        + f"; pySHACL would be {100 * cpu['pySHACL'] / peer_cpu:.0f}% of an ingest, the "
        f"compiled shapes are {100 * cpu['shapes'] / ingest_cpu:.0f}%"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
