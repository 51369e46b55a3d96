"""Score the extractor on the held-out gold (bench/heldout/): figures only, never the misses.

The held-out articles are lines of ../shared/corpus/wikinews-2019-2020.jsonl, annotated blind
(bench/heldout/README.md). Printing what was missed would invite tuning rules on them, so this
prints precision, recall and F1 alone; rules are fixed against ../shared/articles (make eval).
Usage: python -m bench.eval_heldout [--shared DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench.eval_extract import corpus_line, score
from kg.extract.pipeline import extract
from kg.extract.reader import read_record
from kg.settings import PROJECT_ROOT, Settings

GOLD = PROJECT_ROOT / "bench" / "heldout" / "gold"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Settings.from_env().shared_dir)
    args = parser.parse_args()
    golds = sorted(GOLD.glob("*.json"))
    if not golds:
        print(f"no gold files under {GOLD}", file=sys.stderr)
        return 2
    pairs: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for gpath in golds:
            gold = json.loads(gpath.read_text("utf-8"))
            record = corpus_line(args.shared, gold["article"])
            facts = extract(read_record(record, where=gold["article"]))
            ppath = Path(tmp) / gpath.name
            ppath.write_text(facts.model_dump_json(), "utf-8")
            pairs += [str(gpath), str(ppath)]
        result = score(args.shared / "articles", pairs)
    print(
        f"held-out     {'precision':>9} {'recall':>7} {'F1':>6}   counts   ({len(golds)} articles)"
    )
    for kind, (p, r, f, counts) in result.items():
        print(f"{kind:12} {p:>9.3f} {r:>7.3f} {f:>6.3f}   {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
