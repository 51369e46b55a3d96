"""Paragraphs and sentences of an article body, and the gazetteer names found in them.

spaCy's blank English pipeline does the work: a sentencizer, and an entity ruler holding every
state, city, leader and body name of the gazetteers. Wire copy is hard-wrapped, so a line
break inside a paragraph becomes a space first (same length: offsets stay true); a blank line
or an indented line starts a new paragraph.

>>> unwrap("one\\ntwo\\n\\n three")
'one two\\n\\n three'
>>> [(p.start, p.end) for p in paragraphs("one\\ntwo\\n\\nthree", 0)]
[(0, 7), (9, 14)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.link.gazetteer import Gazetteer
from kg.link.places import Places
from kg.settings import PROJECT_ROOT

PARA_BREAK = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]+\S)")


@dataclass
class Span:
    """A named thing found in a sentence: absolute offsets, text, label (STATE, CITY, ...)."""

    start: int
    end: int
    text: str
    label: str


@dataclass
class Sentence:
    """One sentence: absolute offsets, its text (line breaks unwrapped), its paragraph."""

    start: int
    end: int
    text: str
    para: int
    names: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str


def unwrap(text: str) -> str:
    """Line breaks inside a paragraph become spaces; the length does not change."""
    return re.sub(r"(?<=[^\n])\n(?=[^\s])", " ", text)


def paragraphs(text: str, start: int) -> list[Paragraph]:
    """The paragraphs of ``text[start:]`` with absolute offsets, unwrapped."""
    out = []
    pos = start
    for m in PARA_BREAK.finditer(text, start):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    result = []
    for s, e in out:
        chunk = text[s:e]
        stripped = chunk.rstrip()
        lead = len(chunk) - len(chunk.lstrip())
        if stripped.strip():
            result.append(
                Paragraph(s + lead, s + len(stripped), unwrap(text[s + lead : s + len(stripped)]))
            )
    return result


STATISTICAL_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg")


def statistical_model() -> str | None:
    """The installed statistical English model to use, if any (never required)."""
    import spacy

    return next((m for m in STATISTICAL_MODELS if spacy.util.is_package(m)), None)


@cache
def _nlp(data_dir: Path):  # type: ignore[no-untyped-def]
    import spacy

    model = statistical_model()
    if model is None:
        nlp = spacy.blank("en")
    else:
        # Only the named-entity recogniser: its PERSON spans add people no rule finds.
        nlp = spacy.load(
            model, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]
        )
    nlp.add_pipe("sentencizer", first=True)
    ruler_config = {"phrase_matcher_attr": "ORTH", "overwrite_ents": True}
    if model is None:
        ruler = nlp.add_pipe("entity_ruler", config=ruler_config)
    else:  # after the recogniser, so the gazetteers' names win over its guesses
        ruler = nlp.add_pipe("entity_ruler", config=ruler_config, after="ner")
    places = Places.default(data_dir)
    gazetteer = Gazetteer.load(data_dir)
    patterns = []
    for name, place in places.surface_forms().items():
        patterns.append({"label": place.type.upper(), "pattern": name})
    for person in gazetteer.people:
        for name in (person.label, *person.aliases):
            patterns.append({"label": "LEADER", "pattern": name})
    for body in gazetteer.bodies:
        if body.type.value in ("Organization", "Publication"):
            for name in (body.label, *body.aliases):
                patterns.append({"label": body.type.upper(), "pattern": name})
                if re.match(r"Al[- ]", name):
                    # "al-Jazeera": copy often writes the Arabic article in lower case.
                    patterns.append({"label": body.type.upper(), "pattern": "a" + name[1:]})
    ruler.add_patterns(patterns)
    return nlp


def nlp_for(data_dir: Path | None = None):  # type: ignore[no-untyped-def]
    """The shared spaCy pipeline for the project's data folder (built once per process)."""
    return _nlp((data_dir or PROJECT_ROOT / "data").resolve())


def sentences(text: str, body_start: int, data_dir: Path | None = None) -> list[Sentence]:
    """Split the body into sentences and find the gazetteer names in each."""
    nlp = nlp_for(data_dir)
    paras = paragraphs(text, body_start)
    out: list[Sentence] = []
    for i, (para, doc) in enumerate(zip(paras, nlp.pipe(p.text for p in paras), strict=True)):
        for sent in doc.sents:
            s_text = sent.text
            if not s_text.strip():
                continue
            s_start = para.start + sent.start_char
            names = [
                Span(para.start + e.start_char, para.start + e.end_char, e.text, e.label_)
                for e in sent.ents
            ]
            out.append(Sentence(s_start, s_start + len(s_text), s_text, i, names))
    return _merge_quote_splits(out)


OPENING_MARK_AT_END = re.compile(r"\s([\"“](?:\[(?:\.\.\.|…)\])?)$")


def _move_opening_marks(sents: list[Sentence]) -> list[Sentence]:
    """'... more time." "That is ...': the opening mark left at a sentence's end belongs to
    the next sentence of the paragraph."""
    out = list(sents)
    for k in range(len(out) - 1):
        s, n = out[k], out[k + 1]
        body = s.text.rstrip()
        # '... said Dr. Roe. "[...] Rather ...': an elided opening goes with the mark.
        mark = OPENING_MARK_AT_END.search(body)
        gap = n.start - (s.start + len(s.text))
        # A bare mark only when nothing separates the sentences (not a pull quote's closing
        # ' "' before a line break); one with an elision also across a space.
        if s.para == n.para and mark and (gap == 0 or (gap == 1 and len(mark.group(1)) > 1)):
            cut = mark.start(1)
            keep = s.text[:cut].rstrip()
            moved = s.text[cut:] + " " * gap
            names = [sp for sp in s.names if sp.end <= s.start + len(keep)]
            out[k] = Sentence(s.start, s.start + len(keep), keep, s.para, names)
            out[k + 1] = Sentence(s.start + cut, n.end, moved + n.text, n.para, n.names)
    return out


# Abbreviated military ranks ("Lt. Nate X"); entities takes them as honorifics too.
MILITARY_RANKS = ("Gen", "Col", "Lt", "Capt", "Maj", "Sgt", "Adm", "Cmdr", "Brig")
# Abbreviations of a rank or office that the sentencizer cuts after.
RANK_END = re.compile(
    r"\b(?:"
    + "|".join((*MILITARY_RANKS, "Cpl", "Gov", "Sen", "Rep", "Amb", "Pres", "Sec", "Prof", "Rev"))
    + r")\.$"
)


def _merge_quote_splits(sents: list[Sentence]) -> list[Sentence]:
    # The sentencizer cuts after '."' style endings correctly, but also before a lowercase
    # continuation ("... 'rules'. he said"); join a sentence starting in lowercase to the last.
    # "said Lt. Nate X": an abbreviated rank or office ends no sentence either. (Tokenizer
    # special cases would do it too, but they cost a tenth of the extraction time.)
    merged: list[Sentence] = []
    for s in _move_opening_marks(sents):
        first = s.text.lstrip()[:1]
        if (
            merged
            and merged[-1].para == s.para
            and (first.islower() or RANK_END.search(merged[-1].text))
        ):
            prev = merged[-1]
            gap = " " * (s.start - prev.end)
            merged[-1] = Sentence(
                prev.start, s.end, prev.text + gap + s.text, prev.para, prev.names + s.names
            )
        else:
            merged.append(s)
    return merged
