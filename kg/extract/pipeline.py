"""Article text in, :class:`kg.model.Facts` out: entities, visits and statements with evidence.

Offline and deterministic: the same text and dateline always give the same facts.

>>> from kg.extract.reader import read_text
>>> facts = extract(read_text(
...     "Monday, 4 March 2024\\n\\nSummit\\n\\nPresident Emmanuel Macron arrived in Rome "
...     "on Monday. \\"We are friends,\\" he said."))
>>> v = facts.visits[0]
>>> facts.entity(v.visitor).label, facts.entity(v.destination).label, v.start, v.status
('Emmanuel Macron', 'Rome', '2024-03-04', 'ongoing')
>>> peking = extract(read_text("Foreign Minister Sergei Lavrov arrived in Peking on Monday."))
>>> [(e.label, e.canonical, e.wikidata) for e in peking.entities if e.type == "City"]
[('Peking', 'Beijing', 'Q956')]
>>> facts.statements[0].text
'We are friends,'
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from kg import __version__
from kg.extract.entities import EntityTable, find_entities
from kg.extract.quotes import FoundStatement, Quote, find_quotes, find_statements
from kg.extract.reader import Document
from kg.extract.segment import Sentence, sentences
from kg.extract.visits import FoundVisit, find_visits
from kg.model import Article, Entity, EntityType, Evidence, Facts, Statement, Visit

EXTRACTOR = f"kg rule extractor {__version__}"


def article_key(doc: Document) -> str:
    """A stable key for the article's graph: from its source, else from its text.

    >>> article_key(Document(text="x", source="https://example.org/a/b.html"))
    'example-org-a-b-html'
    """
    if doc.source:
        slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"^\w+:/*", "", doc.source.lower())).strip("-")
        if 0 < len(slug) <= 80:
            return slug
        return slug[:60].strip("-") + "-" + hashlib.sha1(doc.source.encode()).hexdigest()[:12]
    return "sha1-" + hashlib.sha1(doc.text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def extract(
    doc: Document, data_dir: Path | None = None, skipped: list[tuple[Quote, str]] | None = None
) -> Facts:
    """The facts one article states, each with the sentence that states it.

    ``skipped``, when given, receives the quotes left without a statement and why
    (``kg.extract.quotes.find_statements``).
    """
    sents = sentences(doc.text, doc.body_start, data_dir)
    quoted = [(q.start, q.end) for q in find_quotes(doc.text, doc.body_start)]
    table = find_entities(sents, doc.dateline, data_dir, quoted)
    visits = find_visits(sents, table, doc.dateline, doc.dateline_place, quoted)
    statements = find_statements(doc.text, doc.body_start, sents, table, skipped)
    return _facts(doc, sents, table, visits, statements)


def _facts(
    doc: Document,
    sents: list[Sentence],
    table: EntityTable,
    visits: list[FoundVisit],
    statements: list[FoundStatement],
) -> Facts:
    ids: dict[str, str] = {}
    entities: list[Entity] = []

    def ref(key: str | None) -> str | None:
        if key is None:
            return None
        if key in ids:
            return ids[key]
        info = table.get(key)
        country = None
        if info.country and info.type in (EntityType.CITY, EntityType.PLACE):
            country = ref(table.place(info.country, EntityType.STATE))
        base = re.sub(r"[^a-z0-9]+", "-", info.label.lower()).strip("-") or "entity"
        ident = base
        n = 2
        while ident in ids.values():
            ident, n = f"{base}-{n}", n + 1
        ids[key] = ident
        # The article's own spelling is the label; the reference label is kept beside it.
        label = info.written_label()
        entities.append(
            Entity(
                id=ident,
                label=label,
                type=info.type,
                wikidata=info.wikidata,
                aliases=sorted((info.aliases | set(info.written) | {info.label}) - {label}),
                country=country,
                canonical=info.label if info.reference else None,
            )
        )
        return ident

    def evidence(index: int, claim: tuple[int, int], rule: str) -> Evidence:
        s = sents[index]
        return Evidence(
            sentence=doc.text[s.start : s.end],
            start=s.start,
            end=s.end,
            claim_start=max(s.start, min(claim[0], s.end)),
            claim_end=max(s.start, min(claim[1], s.end)),
            rule=rule,
        )

    out_visits = []
    for v in visits:
        visitor, dest = table.get(v.visitor), table.get(v.destination)
        host_state = dest.label if dest.type == EntityType.STATE else dest.country
        out_visits.append(
            Visit(
                visitor=ref(v.visitor),
                destination=ref(v.destination),
                host=[ref(h) for h in v.hosts],
                visiting_state=ref(table.place(visitor.country, EntityType.STATE))
                if visitor.country
                else None,
                host_state=ref(table.place(host_state, EntityType.STATE)) if host_state else None,
                start=v.start,
                end=v.end,
                before=v.before,
                status=v.status,
                time_expression=v.time_expression,
                date_inferred=v.inferred,
                evidence=evidence(v.sentence, v.claim, v.rule),
                confidence=v.confidence,
            )
        )
    out_statements = []
    for st in statements:
        q = st.quote
        out_statements.append(
            Statement(
                speaker=ref(st.speaker),
                text=q.text.strip(),
                medium=ref(st.medium),
                reported_by=ref(st.reported_by),
                date=_statement_date(doc),
                evidence=evidence(st.sentence, (q.start, q.end), st.rule),
                confidence=st.confidence,
            )
        )
    # Every entity the article names, also those no fact refers to.
    for m in table.mentions:
        if m.ref and m.kind in ("person", "place", "org"):
            ref(m.ref)
    article = Article(
        title=doc.title,
        dateline=doc.dateline,
        source=doc.source,
        key=article_key(doc),
        dateline_place=doc.dateline_place,
    )
    return Facts(article=article, entities=entities, visits=out_visits, statements=out_statements)


def _statement_date(doc: Document) -> str | None:
    # A quote is dated by its article only when nothing else is known; leave it open.
    return None
