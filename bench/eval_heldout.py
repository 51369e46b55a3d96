"""Score the extractor on the held-out gold (bench/heldout/): figures only, never the misses.

The held-out articles are lines of ../shared/corpus/wikinews-2019-2020.jsonl, annotated blind
(bench/heldout/README.md). Printing what was missed would invite tuning rules on them, so this
prints precision, recall and F1, how many errors of each kind (missed quote, wrong speaker,
no or another medium, extra quote) there were, and the missed quotes counted by the reason the
extractor left them out and by coarse features of their sentences; never an item. Rules are
fixed against the development sets (make eval).
Usage: python -m bench.eval_heldout [--shared DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

from bench.eval_extract import Run, folded, print_figures, run_set, score
from kg.extract.quotes import SPEECH_RE, Quote, _sentence_of
from kg.extract.segment import Sentence, sentences
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
    runs: dict[str, Run] = {}
    with tempfile.TemporaryDirectory() as tmp:
        pairs, misses = run_set(args.shared, golds, Path(tmp), runs)  # the misses stay unread
        result = score(args.shared / "articles", pairs)
        kinds = error_kinds(misses)
        why = why_missed(golds, runs)
    print_figures(f"held-out ({len(golds)})", result)
    print("errors by kind (counts only):", ", ".join(f"{k} {n}" for k, n in kinds.items()))
    print("missed quotes by why (counts only):", ", ".join(f"{k} {n}" for k, n in why.items()))
    return 0


def why_missed(golds: list[Path], runs: dict[str, Run]) -> dict[str, int]:
    """Why each required statement that no prediction holds was missed: the reason the
    extractor gave for leaving its quote out ("no speaker", "speaker not known", "short",
    ...), or "quote not found" when no quoted span holds its words. Counts only: they say
    which stage loses the quotes, and nothing a rule could be fitted to."""
    why: dict[str, int] = {}
    for gpath in golds:
        gold = json.loads(gpath.read_text("utf-8"))
        doc, facts, skipped = runs[gpath.stem]
        sents = sentences(doc.text, doc.body_start)
        texts = [folded(s.text) for s in facts.statements]
        for g in gold.get("statements", []):
            words = folded(g["contains"])
            if g.get("optional") or any(words in t for t in texts):
                continue
            quote, reason = next(
                ((q, r) for q, r in skipped if words in folded(q.text)), (None, "quote not found")
            )
            # Whether the speaker is among the entities found says if names or rules failed.
            known = any(n.lower() in e.label.lower() for e in facts.entities for n in g["speaker"])
            reason += " (speaker found as an entity)" if known else " (speaker not an entity)"
            features = _where(doc.text, sents, quote, g["speaker"]) if quote is not None else []
            for key in (reason, *features):
                why[key] = why.get(key, 0) + 1
    return dict(sorted(why.items()))


def _where(text: str, sents: list[Sentence], quote: Quote, names: list[str]) -> list[str]:
    """Where a left-out quote stands, as coarse features of its sentence (the extractor's
    own sentences): whether the quote opens it, whether its words outside quotes hold a
    speech verb, whether it or the sentence before names the speaker, whether it holds
    another quote, whether the sentence before ends in a quote. Counted, never shown."""
    k = _sentence_of(sents, quote.start)
    if k is None:
        return ["  · outside every sentence"]
    s = sents[k]
    prev = sents[k - 1].text if k > 0 else ""
    own = re.sub(r'"[^"]*"|“[^”]*”', " ", text[s.start : s.end])  # the words outside quotes
    before = text[s.start : quote.start - 1]
    verb = SPEECH_RE.search(own)
    surnames = [n.split()[-1] for n in names if n]
    named = [own.find(n) for n in surnames if n in own]
    out = ["  · opens its sentence" if not before.strip(' "“') else "  · after words"]
    out.append("  · speech verb outside quotes" if verb else "  · no speech verb")
    out.append(
        "  · speaker named in sentence"
        if named
        else "  · speaker named the sentence before"
        if any(n in prev for n in surnames)
        else "  · speaker not named in the two"
    )
    if verb and named:
        # Both: which word stands between the name and the verb says which rule failed.
        out.append(
            "  · named, then the verb" if min(named) < verb.start() else "  · the verb, then named"
        )
    if len(re.findall(r'["“]', text[s.start : s.end])) > 2:
        out.append("  · another quote in its sentence")
    if prev.rstrip().endswith(('"', "”")):
        out.append("  · sentence before ends in a quote")
    if len(quote.text.split()) > 40:
        out.append("  · over 40 words")
    return out


def error_kinds(misses: list[str]) -> dict[str, int]:
    """How many misses of each kind, from the report's lines, without any of their text.

    A statement missed because no prediction holds its words is a quote not found or given no
    speaker; one whose words a prediction holds went to another speaker (or medium). Counts
    say which part of the extractor loses most, and nothing a rule could be fitted to.

    >>> error_kinds(["7 MISSED quote X: 'a b c'", "7 WRONG MEDIUM None (gold ['BBC']): 'a b'"])
    {'missed quote': 1, 'no medium': 1}
    >>> error_kinds(["7 EXTRA quote Ann Roe: 'immune'", "7 EXTRA quote Ann Roe: 'a b c'"])
    {'extra quote': 1, 'extra quote of one or two words': 1}
    """
    kinds: dict[str, int] = {}
    for line in misses:
        words = line.split()
        kind = " ".join(words[1:3]).lower() if len(words) > 2 else "other"
        if kind == "wrong medium":  # a medium missing, or another one given
            kind = "no medium" if words[3] == "None" else "other medium"
        if kind == "extra quote" and len(line.split(": ", 1)[-1].split()) <= 2:
            # No gold can hold a quote of one or two words (its spans have 3 to 8).
            kind = "extra quote of one or two words"
        kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items()))


if __name__ == "__main__":
    raise SystemExit(main())
