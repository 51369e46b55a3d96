"""Manual links that win over everything: ``data/wikidata/overrides.json``.

Each entry names an entity by type and label (or alias) and gives its QID, or ``null`` for
"never link this one" (a namesake the reconciler keeps proposing). Overrides are applied when
a source is mapped (so a wrong gazetteer or extractor QID never reaches the store) and by
``kg link`` before the gazetteer and the online reconciliation.

>>> o = Overrides.from_records([{"label": "Jens Stoltenberg", "type": "Leader",
...                              "wikidata": "Q1"}, {"label": "Nowhere", "type": "City",
...                              "wikidata": None}])
>>> o.lookup("Person", "jens stoltenberg"), o.lookup("Place", "Nowhere"), o.lookup("City", "X")
(('Q1',), (None,), None)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kg.link.gazetteer import norm
from kg.model import QID_RE, Facts

OVERRIDES_FILE = "wikidata/overrides.json"
# Types that share an IRI space share overrides: a person is one entity whatever its role.
TYPE_GROUPS = {
    "Leader": "person",
    "Person": "person",
    "State": "state",
    "HistoricalState": "state",
    "City": "place",
    "Place": "place",
    "Organization": "org",
    "InternationalOrganization": "org",
    "Publication": "org",
}


class OverridesError(ValueError):
    """The overrides file is not valid; the message says where."""


@dataclass(frozen=True)
class Overrides:
    """QIDs by (type group, normalised name); ``None`` as the QID means "do not link"."""

    by_name: dict[tuple[str, str], str | None]

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]], where: str = "overrides") -> Overrides:
        """Check and index the entries (raises :class:`OverridesError`)."""
        table: dict[tuple[str, str], str | None] = {}
        for i, r in enumerate(records):
            etype, label, qid = r.get("type"), r.get("label"), r.get("wikidata")
            if etype not in TYPE_GROUPS:
                raise OverridesError(f"{where}: entry {i}: unknown type {etype!r}")
            if not isinstance(label, str) or not label.strip():
                raise OverridesError(f"{where}: entry {i}: no label")
            if qid is not None and not (isinstance(qid, str) and QID_RE.match(qid)):
                raise OverridesError(f"{where}: entry {i}: {qid!r} is not a QID or null")
            for name in (label, *(r.get("aliases") or ())):
                table[(TYPE_GROUPS[etype], norm(name))] = qid
        return cls(table)

    @classmethod
    def load(cls, data_dir: Path) -> Overrides:
        """The overrides file under ``data_dir`` (none: no overrides)."""
        return _load(data_dir.resolve())

    def lookup(self, etype: str, name: str) -> tuple[str | None] | None:
        """``(qid,)`` (``(None,)``: never link) when an override names it, else None."""
        key = (TYPE_GROUPS.get(etype, ""), norm(name))
        return (self.by_name[key],) if key in self.by_name else None

    def for_entity(self, etype: str, names: Iterable[str]) -> tuple[str | None] | None:
        """The override for the first of an entity's names that has one."""
        for n in names:
            found = self.lookup(etype, n)
            if found is not None:
                return found
        return None

    def apply(self, facts: Facts) -> Facts:
        """The facts with every overridden entity's QID replaced (the rest unchanged)."""
        if not self.by_name:
            return facts
        changed = False
        entities = []
        for e in facts.entities:
            found = self.for_entity(str(e.type), [e.label, *e.aliases])
            if found is not None and found[0] != e.wikidata:
                e = e.model_copy(update={"wikidata": found[0]})
                changed = True
            entities.append(e)
        return facts.model_copy(update={"entities": entities}) if changed else facts


@cache
def _load(data_dir: Path) -> Overrides:
    path = data_dir / OVERRIDES_FILE
    if not path.exists():
        return Overrides({})
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise OverridesError(f"{path}: not valid JSON: {exc}") from exc
    return Overrides.from_records(doc.get("entities") or (), str(path))
