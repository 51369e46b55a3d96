"""Score the extractor on the held-out gold (bench/heldout/): figures only, never the misses.

The held-out articles are lines of ../shared/corpus/wikinews-2019-2020.jsonl, annotated blind
(bench/heldout/README.md). Printing what was missed would invite tuning rules on them, so this
prints precision, recall and F1, and how many errors of each kind (missed quote, wrong speaker,
no or another medium, extra quote) there were, never an item; rules are fixed against the
development sets (make eval).
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
        pairs, misses = run_set(args.shared, golds, Path(tmp))  # the misses stay unread
        result = score(args.shared / "articles", pairs)
        kinds = error_kinds(misses)
    print_figures(f"held-out ({len(golds)})", result)
    print("errors by kind (counts only):", ", ".join(f"{k} {n}" for k, n in kinds.items()))
    return 0


def error_kinds(misses: list[str]) -> dict[str, int]:
    """How many misses of each kind, from the report's lines, without any of their text.

    A statement missed because no prediction holds its words is a quote not found or given no
    speaker; one whose words a prediction holds went to another speaker (or medium). Counts
    say which part of the extractor loses most, and nothing a rule could be fitted to.

    >>> error_kinds(["7 MISSED quote X: 'a b c'", "7 WRONG MEDIUM None (gold ['BBC']): 'a b'"])
    {'missed quote': 1, 'no medium': 1}
    """
    kinds: dict[str, int] = {}
    for line in misses:
        words = line.split()
        kind = " ".join(words[1:3]).lower() if len(words) > 2 else "other"
        if kind == "wrong medium":  # a medium missing, or another one given
            kind = "no medium" if words[3] == "None" else "other medium"
        kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items()))


if __name__ == "__main__":
    raise SystemExit(main())
