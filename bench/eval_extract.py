"""Measure the extractor on the development sets: precision, recall, F1, and the misses.

Seven development sets: the 20 articles of ../shared/articles/*.txt (gold in its gold/), the
40 Wikinews articles of bench/devset, the 32 of bench/devset3, the 31 of bench/devset4, the
32 of bench/devset5, the 28 of bench/devset6 and the 31 of bench/devset7 (gold in their gold/,
texts are lines of ../shared/corpus/wikinews-2019-2020.jsonl). Runs `kg extract`'s code over
each article, writes the JSON into a temporary folder, scores each set and all together with the
shared scorer (../shared/articles/score.py), then lists what was missed and what was extra.
Usage: python -m bench.eval_extract [--shared DIR] [-q]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.extract.pipeline import extract
from kg.extract.quotes import Quote
from kg.extract.reader import Document, read_record, read_text
from kg.model import Facts
from kg.settings import PROJECT_ROOT, Settings

DEVSET = PROJECT_ROOT / "bench" / "devset" / "gold"
DEVSET3 = PROJECT_ROOT / "bench" / "devset3" / "gold"
DEVSET4 = PROJECT_ROOT / "bench" / "devset4" / "gold"
DEVSET5 = PROJECT_ROOT / "bench" / "devset5" / "gold"
DEVSET6 = PROJECT_ROOT / "bench" / "devset6" / "gold"
DEVSET7 = PROJECT_ROOT / "bench" / "devset7" / "gold"


def corpus_line(shared: Path, article: str) -> dict:
    """The JSON record a gold file's ``article`` field (``corpus/FILE.jsonl#N``) names.

    >>> corpus_line(Settings.from_env().shared_dir, "corpus/wikinews-2019-2020.jsonl#0")["dateline"]
    '2019-01-04'
    """
    name, _, line = article.partition("#")
    with (shared / name).open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh):
            if n == int(line):
                return json.loads(raw)
    raise ValueError(f"{article}: no such line")


def gold_document(shared: Path, gpath: Path) -> Document:
    """The article a gold file annotates: a ``NNN.txt`` beside its gold folder, or a corpus line."""
    gold = json.loads(gpath.read_text("utf-8"))
    where = gold.get("article") or ""
    if where.startswith("corpus/"):
        return read_record(corpus_line(shared, where), where=where)
    text = (gpath.parent.parent / (gpath.stem + ".txt")).read_text("utf-8")
    return read_text(text, source=f"shared:articles/{gpath.stem}.txt")


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
            folded(g["contains"]) in folded(p["text"])
            and _matches(g["speaker"], _label(pred, p["speaker"]))
            for p in pred["statements"]
        ):
            medium = f" medium {g['medium']}" if g.get("medium") else ""
            lines.append(f"{name} MISSED quote {g['speaker'][0]}: {g['contains']!r}{medium}")
    for p in pred["statements"]:
        same = [g for g in gold["statements"] if folded(g["contains"]) in folded(p["text"])]
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


def folded(text: str) -> str:
    """Case and spacing folded, as the shared scorer compares a gold ``contains`` with a text.

    >>> folded("  Our  House is\nburning ")
    'our house is burning'
    """
    return " ".join(text.lower().split())


# One article's run, kept when asked: its document, facts, and the quotes left out and why.
Run = tuple[Document, Facts, list[tuple[Quote, str]]]


def run_set(
    shared: Path, golds: list[Path], out: Path, runs: dict[str, Run] | None = None
) -> tuple[list[str], list[str]]:
    """Extract each gold file's article into ``out``: the scorer's GOLD PRED pairs, the misses.
    ``runs``, when given, receives each article's run by the gold file's stem."""
    pairs: list[str] = []
    lines: list[str] = []
    for gpath in golds:
        doc = gold_document(shared, gpath)
        skipped: list[tuple[Quote, str]] = []
        facts = extract(doc, skipped=skipped)
        if runs is not None:
            runs[gpath.stem] = (doc, facts, skipped)
        pred = json.loads(facts.model_dump_json())
        ppath = out / f"{gpath.stem}.json"
        ppath.write_text(json.dumps(pred), "utf-8")
        lines += report(json.loads(gpath.read_text("utf-8")), pred, gpath.stem)
        pairs += [str(gpath), str(ppath)]
    return pairs, lines


def print_figures(title: str, result: dict) -> None:
    """One table of P/R/F1 and counts per kind, headed by the set's name."""
    print(f"{title:12} {'precision':>9} {'recall':>7} {'F1':>6}   counts")
    for kind, (p, r, f, counts) in result.items():
        print(f"{kind:12} {p:>9.3f} {r:>7.3f} {f:>6.3f}   {counts}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Settings.from_env().shared_dir)
    parser.add_argument("-q", "--quiet", action="store_true", help="figures only, no misses")
    args = parser.parse_args()
    articles = args.shared / "articles"
    sets = {
        "articles": sorted((articles / "gold").glob("*.json")),
        "devset": sorted(DEVSET.glob("*.json")),
        "devset3": sorted(DEVSET3.glob("*.json")),
        "devset4": sorted(DEVSET4.glob("*.json")),
        "devset5": sorted(DEVSET5.glob("*.json")),
        "devset6": sorted(DEVSET6.glob("*.json")),
        "devset7": sorted(DEVSET7.glob("*.json")),
    }
    if not all(sets.values()):
        folders = (articles / "gold", DEVSET, DEVSET3, DEVSET4, DEVSET5, DEVSET6, DEVSET7)
        where = ", ".join(str(p) for p in folders)
        print(f"no gold files under one of {where}", file=sys.stderr)
        return 2
    every: list[str] = []
    misses: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, golds in sets.items():
            out = Path(tmp) / name
            out.mkdir()
            pairs, misses[name] = run_set(args.shared, golds, out)
            print_figures(f"{name} ({len(golds)})", score(articles, pairs))
            print()
            every += pairs
        print_figures(f"all ({len(every) // 2})", score(articles, every))
    if not args.quiet:
        for name, lines in misses.items():
            print(f"\n{name} misses:")
            print("\n".join(lines) if lines else "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
