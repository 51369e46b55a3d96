"""Measure the extractor on the annotated articles: precision, recall, F1, and the misses.

Runs `kg extract`'s code over ../shared/articles/*.txt, writes the JSON of each into a
temporary folder, scores it with the shared scorer (../shared/articles/score.py), then lists
what was missed and what was extra.  Usage: python bench/eval_extract.py [--shared DIR] [-v]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.extract.pipeline import extract
from kg.extract.reader import read_text
from kg.settings import Settings


def _label(pred: dict, ref: str | None) -> str:
    for e in pred["entities"]:
        if e["id"] == ref:
            return e["label"]
    return str(ref)


def _matches(names: list[str], label: str) -> bool:
    return any(n and n.lower() in label.lower() for n in names)


def score(articles: Path, pairs: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, str(articles / "score.py"), *pairs],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def report(gold: dict, pred: dict, name: str) -> list[str]:
    """Lines naming the gold items no prediction matches and predictions no gold item matches."""
    lines = []
    for g in gold["visits"]:
        hits = [
            p
            for p in pred["visits"]
            if _matches(g["visitor"], _label(pred, p["visitor"]))
            and _matches(g["destination"], _label(pred, p["destination"]))
        ]
        opt = " (optional)" if g.get("optional") else ""
        if not hits:
            lines.append(
                f"{name} MISSED visit{opt} {g['visitor'][0]} -> {g['destination']} {g['start']}"
            )
        elif g.get("start") and not any((p.get("start") or "")[:10] == g["start"] for p in hits):
            got = [p.get("start") for p in hits]
            lines.append(
                f"{name} WRONG DATE {g['visitor'][0]} -> {g['destination'][0]}: "
                f"gold {g['start']}, got {got}"
            )
    for p in pred["visits"]:
        vis, dest = _label(pred, p["visitor"]), _label(pred, p["destination"])
        if not any(
            _matches(g["visitor"], vis) and _matches(g["destination"], dest) for g in gold["visits"]
        ):
            lines.append(
                f"{name} EXTRA visit {vis} -> {dest} {p.get('start')} "
                f"[{p['evidence']['sentence'][:90]!r}]"
            )
    for g in gold["statements"]:
        if not any(
            " ".join(g["contains"].lower().split()) in " ".join(p["text"].lower().split())
            and _matches(g["speaker"], _label(pred, p["speaker"]))
            for p in pred["statements"]
        ):
            medium = f" medium {g['medium']}" if g.get("medium") else ""
            lines.append(f"{name} MISSED quote {g['speaker'][0]}: {g['contains']!r}{medium}")
    for p in pred["statements"]:
        same = [
            g
            for g in gold["statements"]
            if " ".join(g["contains"].lower().split()) in " ".join(p["text"].lower().split())
        ]
        who = _label(pred, p["speaker"])
        if not same:
            lines.append(f"{name} EXTRA quote {who}: {p['text'][:60]!r}")
        elif not any(_matches(g["speaker"], who) for g in same):
            lines.append(
                f"{name} WRONG SPEAKER {who} (gold {same[0]['speaker'][0]}): {p['text'][:50]!r}"
            )
        elif any(g.get("medium") for g in same) and not any(
            _matches(g["medium"], _label(pred, p.get("medium"))) for g in same
        ):
            lines.append(
                f"{name} WRONG MEDIUM {_label(pred, p.get('medium'))} "
                f"(gold {same[0]['medium']}): {p['text'][:50]!r}"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Settings.from_env().shared_dir)
    parser.add_argument("-q", "--quiet", action="store_true", help="figures only, no misses")
    args = parser.parse_args()
    articles = args.shared / "articles"
    golds = sorted((articles / "gold").glob("*.json"))
    if not golds:
        print(f"no gold files under {articles / 'gold'}", file=sys.stderr)
        return 2
    pairs: list[str] = []
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for gpath in golds:
            text = (articles / (gpath.stem + ".txt")).read_text("utf-8")
            facts = extract(read_text(text, source=f"shared:articles/{gpath.stem}.txt"))
            pred = json.loads(facts.model_dump_json())
            ppath = Path(tmp) / f"{gpath.stem}.json"
            ppath.write_text(json.dumps(pred), "utf-8")
            lines += report(json.loads(gpath.read_text("utf-8")), pred, gpath.stem)
            pairs += [str(gpath), str(ppath)]
        result = score(articles, pairs)
    print(f"{'':12} {'precision':>9} {'recall':>7} {'F1':>6}   counts   ({len(golds)} articles)")
    for kind, (p, r, f, counts) in result.items():
        print(f"{kind:12} {p:>9.3f} {r:>7.3f} {f:>6.3f}   {counts}")
    if not args.quiet:
        print()
        print("\n".join(lines) if lines else "no misses")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
