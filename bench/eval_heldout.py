"""Score the extractor on the held-out gold (bench/heldout/): figures only, never the misses.

The held-out articles are lines of ../shared/corpus/wikinews-2019-2020.jsonl, annotated blind
(bench/heldout/README.md). Printing what was missed would invite tuning rules on them, so this
prints precision, recall and F1 alone; rules are fixed against ../shared/articles (make eval).
Usage: python -m bench.eval_heldout [--shared DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.eval_extract import print_figures, run_set, score
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
    with tempfile.TemporaryDirectory() as tmp:
        pairs, _misses = run_set(args.shared, golds, Path(tmp))  # the misses stay unread
        result = score(args.shared / "articles", pairs)
    print_figures(f"held-out ({len(golds)})", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
