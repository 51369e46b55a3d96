"""Articles per second: extraction, and ingest (extract + map + SHACL + store), with peers.

Runs over the unannotated corpus (../shared/corpus/wikinews-2019-2020.jsonl, real articles)
and prints each stage's rate side by side with named peers, as ratios:
  - spaCy floor: the blank English tokenizer and sentencizer alone (what any spaCy-based
    extractor pays at least);
  - extract: `kg extract`'s pipeline, one process, and two worker processes (the 2 cores);
  - ingest: extract + mapping + pySHACL validation + store, and the share of each step;
    and the same with the project's compiled shape check (kg.shape_check) in pySHACL's place.
Usage: python bench/bench_extract.py [--limit N] [--corpus FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kg import shape_check
from kg.extract.pipeline import extract
from kg.extract.reader import Document, read_record
from kg.ingest import EXTRACTOR_PRODUCER
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


def _validated(docs: list[Document]) -> list[tuple[str, str]]:
    """Extract, map and validate in a worker; the graph goes back as N-Triples text."""
    settings = Settings.from_env()
    mint = Minter(settings.base_iri)
    out = []
    for d in docs:
        sg = map_facts(extract(d), mint, EXTRACTOR_PRODUCER)
        check(sg.graph, settings.ontology_dir)
        out.append((sg.iri, sg.graph.serialize(format="nt")))
    return out


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else float("inf")


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
    t = time.perf_counter()
    for _ in nlp.pipe(d.body for d in docs):
        pass
    floor = rate(len(docs), time.perf_counter() - t)

    t = time.perf_counter()
    facts = [extract(d) for d in docs]
    one = rate(len(docs), time.perf_counter() - t)

    halves = [docs[0::2], docs[1::2]]
    with ProcessPoolExecutor(2, initializer=_warm) as pool:
        list(pool.map(_extract_count, [docs[:1], docs[1:2]]))
        t = time.perf_counter()
        list(pool.map(_extract_count, halves))
        two = rate(len(docs), time.perf_counter() - t)
        # Ingest on both cores: workers extract, map and validate; one writer stores.
        list(pool.map(_validated, [docs[:1], docs[1:2]]))
        chunks = [docs[i : i + 10] for i in range(0, len(docs), 10)]
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(str(Path(tmp) / "store"))
            t = time.perf_counter()
            for batch in pool.map(_validated, chunks):
                for iri, nt in batch:
                    store.replace_graph(
                        iri, [q.triple for q in ox.parse(nt.encode(), ox.RdfFormat.N_TRIPLES)]
                    )
            ingest_two = rate(len(docs), time.perf_counter() - t)
            store.close()

    mint = Minter(settings.base_iri)
    t_map = t_shacl = t_store = t_compiled = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "store"))
        for f in facts:
            t0 = time.perf_counter()
            sg = map_facts(f, mint, EXTRACTOR_PRODUCER)
            t1 = time.perf_counter()
            check(sg.graph, settings.ontology_dir)
            t2 = time.perf_counter()
            assert shape_check.violations(sg.graph, settings.ontology_dir) == []
            t_compiled += time.perf_counter() - t2
            t2 = time.perf_counter()
            store.replace_graph(sg.iri, graph_to_triples(sg.graph))
            t3 = time.perf_counter()
            t_map, t_shacl, t_store = t_map + t1 - t0, t_shacl + t2 - t1, t_store + t3 - t2
        store.close()
    t_extract = len(docs) / one
    total = t_extract + t_map + t_shacl + t_store
    ingest = rate(len(docs), total)
    visits = sum(len(f.visits) for f in facts)
    quotes = sum(len(f.statements) for f in facts)

    print(f"found {visits} visits and {quotes} statements\n")
    print(f"{'stage':44} {'articles/s':>11} {'vs spaCy floor':>15}")
    for name, r in [
        ("spaCy floor: blank tokenizer + sentencizer", floor),
        ("extract, 1 process", one),
        ("extract, 2 processes", two),
        ("ingest (extract+map+SHACL+store), 1 process", ingest),
        ("ingest, 2 worker processes + 1 writer", ingest_two),
        ("ingest, compiled shape check instead", rate(len(docs), total - t_shacl + t_compiled)),
        ("ingest without SHACL (for comparison)", rate(len(docs), total - t_shacl)),
    ]:
        print(f"{name:44} {r:>11.1f} {r / floor:>14.2f}x")
    print(
        f"\ningest time per article: extract {1000 * t_extract / len(docs):.1f} ms, "
        f"map {1000 * t_map / len(docs):.1f} ms, SHACL {1000 * t_shacl / len(docs):.1f} ms, "
        f"store {1000 * t_store / len(docs):.1f} ms "
        f"(SHACL is {100 * t_shacl / total:.0f}% of ingest); kg.shape_check's compiled "
        f"shapes: {1000 * t_compiled / len(docs):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
