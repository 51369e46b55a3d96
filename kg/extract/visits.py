"""Visits: a leader travelling to a place abroad, one visit per destination.

Patterns: visit, arrive, land, touch down, fly/travel/go to, trip/tour/stopover, hold talks
in, and host/receive/welcome (the guest is the visitor). The visitor is the subject (or the
owner of "his visit"), the destinations are the places listed after the verb; a destination
in the visitor's own state is travel at home, not a visit. Dates come from the sentence,
resolved against the dateline; "for the first time in 24 years" adds the earlier visit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from kg.extract.dates import DateHit, find_dates, is_future
from kg.extract.entities import EntityTable, Mention
from kg.extract.reader import WIRE_RE
from kg.extract.segment import Sentence
from kg.link.places import Places
from kg.model import EntityType, Status

# Who takes part in a gathering set just before: "X signed the agreement there".
PARTAKE = re.compile(
    r"\b(?:sign(?:s|ed|ing)|join(?:s|ed|ing)|t(?:ake|ook|aking)\s+part|participat(?:e|es|ed|ing)|"
    r"(?:was|were)\s+(?:also\s+)?(?:among|present)|chair(?:s|ed|ing)|presid(?:ed|es|ing)\s+over|"
    r"opened|launched|addressed)\b"
    # "said at the summit": the gathering set before, where it was held.
    # "At the opening of the AU summit, X said": the part of a gathering named before it.
    r"|\b[Aa]t\s+the\s+(?:(?:opening|close|start|end|margins|sidelines)\s+of\s+the\s+)?"
    r"(?:[\w-]+\s+){0,3}(?:summit|meeting|conference|gathering|assembly)\b"
    r"(?!\s+(?:in|at|of)\b)"
)
TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "host",
        re.compile(
            r"\b(?:host(?:s|ed|ing)?|receiv(?:e|es|ed|ing)|welcom(?:e|es|ed|ing)|greet(?:s|ed|ing)?)"
            # "hosted a state banquet for X", "gave a dinner in honour of X": the guest after it.
            r"(?:\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}(?:dinner|banquet|lunch|luncheon|reception|"
            r"breakfast)\s+(?:for|in\s+honou?r\s+of))?\b"
        ),
    ),
    ("visit", re.compile(r"\bvisit(?:s|ed|ing)?\b(?:\s+(?:to|of)\b)?", re.I)),
    (
        "attend",
        re.compile(
            r"\b(?:was|were|is|are|been)\s+attended\s+by\b|\battend(?:s|ed|ing)?\b|"
            + PARTAKE.pattern
        ),
    ),
    (
        "arrive",
        re.compile(
            r"\b(?:arriv(?:e|es|ed|ing|al)|land(?:s|ed|ing)?|touch(?:es|ed|ing)?\s+down|"
            r"stop(?:s|ped|ping)?(?:\s+over)?|set(?:s|ting)?\s+foot|"
            # "leaders gathered in Niamey": a meeting's participants arrive there.
            r"gather(?:s|ed|ing)?|convened|assembled)\s+(?:in|at|on|here)\b"
        ),
    ),
    (
        "travel",
        re.compile(
            r"\b(?:fl(?:ew|ies|y|ying|own)|travel(?:l?ed|s|l?ing)?|went|goes|go|going|gone|head(?:s|ed)?"
            r"|came|comes|jet(?:s|ted)?)\s+"
            # "will travel from Jerusalem on to Ramallah": the place after "to" is the stop.
            r"(?:from\s+(?:[A-Z][\w.'’-]*\s+){1,3})?(?:on\s+|off\s+)?(?:to|into)\b"
            # "arrived after flying from the United States, where he met ...": a stop before.
            r"|\bafter\s+(?:flying|travell?ing|coming|arriving)\s+from\b"
            # "left for Moscow", "departed for Beijing", "is en route to Beijing".
            r"|\b(?:left|leaves|leaving|depart(?:ed|s|ing)?|set(?:s|ting)?\s+(?:off|out)|"
            # "leaves Tuesday for Israel": the day may come between.
            r"headed|heading|bound)\s+(?:(?:on\s+)?(?:[MTWFS]\w+day|today|tomorrow|tonight)\s+)?"
            r"for\b|\ben\s+route\s+to\b"
            # "before continuing on to Kuwait", "then moves on to Egypt": the next stops.
            r"|\b(?:continu(?:e|es|ed|ing)|mov(?:e|es|ed|ing)|proceed(?:s|ed|ing)?)\s+(?:on\s+)?to\b"
            # "crossed into North Korea", "crossed the border into Syria".
            r"|\bcross(?:es|ed|ing)?\s+(?:over\s+|the\s+border\s+)?into\b"
        ),
    ),
    (
        "meet",
        re.compile(
            r"\b(?:met|meets|meet|meeting|lunch(?:ed)?|dine[ds]?|dinner|breakfast|talks|"
            r"(?:news|press)\s+conference)\s+"
            r"(?:(?:today|yesterday|later|again|privately|separately|on\s+[A-Z]\w+)\s+)?with\b"
            # "met his Chinese counterpart Xi Jinping in Beijing": the object is the other.
            r"|\b(?:met|meets|meeting)\b(?!\s+with)"
        ),
    ),
    (
        "presence",
        re.compile(
            r"\b(?:is|are|was|were|has\s+been|had\s+been|will\s+be|remains|remained|stays|"
            r"stayed|staying)\s+(?:now\s+|currently\s+|already\s+|still\s+)?in\b"
            r"|\b[Ww]hile\s+in\b"
            r"|\b(?:is|are)\s+(?:due|expected)\s+in\b"  # "is due in Washington next week"
            # "X, in Nairobi for a summit, said": an apposition places the person.
            r"|(?<=\w),\s+in\b(?=\s+[A-Z][^,.;]{0,60},)"
            # "said in Riyadh": speaking in a place, in person.
            r"|\b(?:said|says|told\s+reporters|spoke|speaking)\s+in\b"
            # "told journalists in Panama", "reporters here in Prague": the press met there.
            r"|\b(?:told|telling|briefed)\s+(?:reporters|journalists|the\s+(?:press|media))"
            r"(?:\s+here)?\s+in\b|\b(?:reporters|journalists)\s+here\s+in\b"
            # "was scheduled to be in New York in March".
            r"|\b(?:scheduled|due|expected|set)\s+to\s+be\s+in\b"
            # "spent two days in Australia", "spending the weekend in Paris".
            r"|\bspen(?:t|ds?|ding)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}?"
            r"(?:days?|nights?|hours?|weeks?|weekend|morning|afternoon|evening)\s+in\b"
            # "Speaking from Jerusalem, X said", "X spoke from Jerusalem": there in person.
            r"|\b(?:[Ss]aid|[Ss]ays|[Ss]poke|[Ss]peaking|[Aa]ppeared|[Aa]ppearing)\s+from\b"
            r"|(?<=\w)\s+in\b"
        ),
    ),
    (
        "return",
        re.compile(
            r"\b(?:return(?:s|ed|ing)?|(?:is|was|were|are|just|came)\s+back)\s+(?:home\s+)?from\b"
        ),
    ),
    (
        "trip",
        re.compile(
            r"\b(?:trip|journey|tour|stopover|mission|talks|summit)s?\s+(?:abroad\s*,?\s+)?"
            r"(?:to|of|in|at)\b"
            # Speaking somewhere in person: "in his talk at ... Washington headquarters".
            r"|(?<!video )(?<!virtual )(?<!online )(?<!phone )(?<!televised )"
            r"\b(?:talk|speech|address|lecture|(?:news|press) conference|appearance)"
            r"\s+(?:at|in)\b"
            r"|\btour\s+(?:which|that)\s+include[sd]?\b"
            # "X's first foreign trip as president will take him to Tokyo".
            r"|\b(?:trip|journey|tour|visit)s?\s+(?:[\w-]+\s+){0,4}?(?:will\s+)?(?:take|took|takes)"
            r"\s+(?:him|her|them)\s+(?:first\s+)?to\b"
            # "Speaking in Riyadh, X said": said in person there.
            r"|\b(?:[Ss]peaking|[Tt]alking)\s+(?:in|at)\b"
        ),
    ),
    # "signed the deal at the summit in Niamey", "spoke at the General Assembly in New York":
    # taking part in a gathering held in a place.
    (
        "gathering",
        re.compile(
            # "On a press conference held in Riyadh, X said", "In a speech at the summit in".
            r"\b(?:[Aa]t|[Dd]uring|[Oo]n|[Ii]n|(?:[Oo]n|[Aa]long)\s+the\s+sidelines\s+of)\s+"
            # "the Shanghai Cooperation Organisation (SCO) summit": an acronym in brackets.
            r"(?:the|a|an|this\s+year's)\s+(?:[\w'’()-]+\s+){0,6}?(?:summit|conference|General\s+Assembly|[Aa]ssembly|meeting|"
            r"talks|forum|ceremony|funeral|inauguration|headquarters)"
            r"(?:\s+(?:held|taking\s+place|hosted))?\s+in\b"
        ),
    ),
    # "holding talks with the Taliban in Doha", "negotiating with them in Doha".
    (
        "talks",
        re.compile(
            r"\b(?:talks|negotiations|negotiating|negotiated|meetings)\b"
            r"(?:\s+with\s+[^,.;:\"“”]{1,50}?)?(?=\s+(?:in\s+[A-Z]|here\b))"
        ),
    ),
    # "In Beijing, X said", "From Jerusalem, X spoke": the place a sentence opens with is
    # where its speaker is.
    ("opening", re.compile(r"^\s*(?:In|From)\s+(?=[A-Z])")),
    # "toured a refugee camp in Jordan", "addressed the assembly in New York": being there.
    ("tour", re.compile(r"\btour(?:s|ed|ing)\b(?!\s+(?:of|to|operator|guide)\b)")),
    (
        "address",
        re.compile(
            r"(?:(?<!video )(?<!virtually )\baddress(?:es|ed|ing)|\blaid\s+(?:a\s+)?wreaths?)\b"
            r"(?=[^.;]{0,80}?\b(?:in|at)\s+[A-Z])"
        ),
    ),
]
NEGATION = re.compile(
    r"(?:\b(?:not|never|no|cancel+(?:ed|s)?|postpone[ds]?|call(?:ed)? off|refused)\b|"
    r"\b[a-z]+n[’']t\b)"  # "didn't go to Kenya", "won't travel"
    r"[^.]{0,25}$"
)
# Taking part from afar: "In a video address to a summit in Nairobi".
REMOTE = re.compile(
    r"\b(?:video|virtual|virtually|online|remote|remotely|televised|recorded|telephone|phone)\b"
    r"[^.;,]{0,40}$"
)
REMOTE_RULES = frozenset(["trip", "gathering", "attend", "address", "opening"])
DOUBT = re.compile(r"\b(?:may|might|could|possible|possibly|considering|invited)\b")
PRESENT = re.compile(
    r"\b(?:arrives|has arrived|have arrived|has landed|is visiting|are visiting|is in|"
    r"is spending|are spending|is staying|"
    r"are staying|lands|touches down|begins|"
    r"on a visit|currently|today)\b"
    # "is on her first official visit to Canberra"
    r"|\b(?:is|are)\s+on\s+(?:a|an|his|her|their)\s+(?:[\w-]+\s+){0,3}(?:visit|trip|tour)\b"
)
LIST_GAP = re.compile(
    r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+then\s+|\s+and\s+then\s+|"
    r"\s*,\s*then\s+|\s+before\s+|\s+via\s+)(?:the\s+)?(?:(?:capital|city)\s+)?$"
)
# A comma between a trigger and a place that still leads to it: "to the region, including".
LEAD_LIST = re.compile(
    r",\s*(?:including|notably|namely|especially|the\s+capital(?:\s+of)?|then|and)\s+(?:the\s+)?$"
)
# A common noun right after a place: the place only qualifies it ("the West Bank headquarters").
APPOSITION_NOUN = re.compile(
    r"\s+(?!(?:and|or|on|in|to|for|from|before|then|last|next|this|early|late|later|earlier)\b)"
    r"[a-z]+"
)
ENDING = re.compile(
    r"\b(?:end of|winding up|wrapping up|wrapped up|wound up|concluding|concluded|ended|ending)\s+"
    r"(?:an?|his|her|the|their)\s+(?:\w+\s+)?(?P<n>[\w-]+)-day\s+visit"
)
CANCELLED = re.compile(
    r"[^.;]{0,60}\b(?:was|were|has been|had been|is|are)\s+"
    r"(?:cancel+ed|postponed|called off|scrapped)\b"
    # "wanted to go to the Gaza Strip, but was not allowed": a trip refused.
    r"|[^.;]{0,60}\bbut\s+(?:was|were|is|are|had\s+been|has\s+been)\s+(?:not\s+allowed|"
    r"refused|denied|barred|prevented|blocked|turned\s+(?:away|back))\b"
)
# "wanted to go to Gaza", "hoped to visit Moscow": a wish in the past tells no trip.
WISHED = re.compile(r"\b(?:wanted|hoped|wished|had\s+hoped|would\s+have\s+liked)\s+to\s+$")
GUEST_GAP = re.compile(
    r"\s*(?:(?:the|his|her|a)\s+)?(?:[A-Z][\w.-]*\s+|[a-z]+\s+(?:minister|president)\s+)*"
)
SPEAKS_AFTER = re.compile(r",?\s+(?:said|says|told|tells|added|announced|declared|stated)\b")
SPEAKS_BEFORE = re.compile(
    r"[,”\"]\s*(?:said|says|added|told\s+reporters|declared|stated)\s+(?:[\w.'’-]+\s+){0,4}$"
)
RELATIVE = re.compile(r",?\s*who\s+(?:[a-z]+\s+){0,3}")
FUTURE_AFTER = re.compile(r"\b(?:next|later this|soon|upcoming|tomorrow)\b")
# "at 7:30 a.m. on Monday": the colon and the full stop of a clock time end no clause.
CLAUSE_END = re.compile(
    r";|(?<!\d):(?!\d)|\s(?:where|while|but|which|who|after|because|as)\s"
    # Nor does the stop of "Mrs." or "Dr.".
    r"|(?<![A-Z])(?<![ap]\.m)(?<!\bMrs)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)\.\s"
)


@dataclass
class FoundVisit:
    """A visit read from one sentence (entity keys, not yet ids)."""

    visitor: str
    destination: str
    hosts: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    before: str | None = None
    status: Status = Status.OCCURRED
    time_expression: str | None = None
    inferred: bool = False
    sentence: int = 0
    claim: tuple[int, int] = (0, 0)
    rule: str = ""
    confidence: float = 0.9


def find_visits(
    sents: list[Sentence],
    table: EntityTable,
    dateline: str | None,
    dateline_place: str | None = None,
    quoted: list[tuple[int, int]] | None = None,
) -> list[FoundVisit]:
    """Every visit the sentences state, merged per (visitor, destination).

    ``quoted`` are the spans inside quotation marks: triggers there are skipped.
    """
    quoted = quoted or []
    found: list[FoundVisit] = []
    places = [m for m in table.mentions if m.kind == "place"]
    places = sorted(
        places + _here(sents, table, dateline_place, quoted) + _seats(sents, table, quoted),
        key=lambda m: m.start,
    )
    last_destinations: list[str] = []
    fallback = _dateline_state(table, dateline_place)
    gathering: tuple[int, tuple[list[str], str | None]] | None = None  # sentence, scene
    named: dict[str, tuple[list[str], str | None]] = {}  # "summit" -> where and when it was
    for i, s in enumerate(sents):
        if i > 0:
            prev_scene = _scene(sents[i - 1], places, dateline)
            if prev_scene[0]:
                gathering = (i - 1, prev_scene)
                noun = MEETING_RE.search(sents[i - 1].text)
                named[noun.group(0).lower()] = prev_scene  # type: ignore[union-attr]
        scene = ([], None)
        if gathering and i - gathering[0] <= 6 and s.para - sents[gathering[0]].para <= 2:
            scene = gathering[1]  # a gathering set a few sentences before, near this paragraph
        people = table.in_sentence(i, ("person", "role", "pronoun", "pair"))
        # "the situation in Kenya", "a new government in Israel": a topic, not a place gone to.
        here = [
            m
            for m in places
            if m.sentence == i and not TOPIC_IN.search(s.text[: max(0, m.start - s.start)])
        ]
        taken_spans: list[tuple[int, int]] = []
        now: list[str] = []
        for rule, pattern in TRIGGERS:
            for m in pattern.finditer(s.text):
                t_start, t_end = s.start + m.start(), s.start + m.end()
                if any(a <= t_start < b for a, b in taken_spans):
                    continue
                if (
                    NEGATION.search(s.text[: m.start()])
                    or CANCELLED.match(s.text, m.end())
                    or WISHED.search(s.text[: m.start()])
                ):
                    continue
                inside = next(((a, b) for a, b in quoted if a <= t_start < b), None)
                if inside and rule not in QUOTED_RULES:
                    continue  # a speaker's own words: "we will visit" names no visitor
                if rule in REMOTE_RULES and REMOTE.search(s.text[: m.end()]):
                    continue
                where = scene
                if rule == "attend":
                    where = _scene_of(s, m, places, dateline, scene, named)
                visits = _read(
                    rule,
                    s,
                    i,
                    t_start,
                    t_end,
                    # '"President X will visit Moscow," the spokesman said': a visitor the
                    # quote names in full, and the place it names; not "we" or "he".
                    [p for p in people if p.kind == "person" and inside[0] <= p.start < inside[1]]
                    if inside
                    else people,
                    [p for p in here if inside[0] <= p.start < inside[1]] if inside else here,
                    table,
                    dateline,
                    [] if inside else last_destinations,
                    None if inside else fallback if i < 3 else None,
                    _unquoted(s, [q for q in quoted if q != inside]),
                    ([], None) if inside else where,
                )
                if visits and rule in ("visit", "travel", "arrive"):
                    visits += _gapped(s, i, t_end, visits, people, here, table, dateline)
                if visits and i > 0:
                    visits = [_dated_before(v, sents, i, table, dateline) for v in visits]
                if visits:
                    taken_spans.append((t_start, t_end))
                    found.extend(visits)
                    now.extend(v.destination for v in visits)
                elif rule in ("trip", "visit"):
                    now.extend(
                        _places_after(s, here, t_end, s.start + _clause_end(s.text, m.end()))
                    )
        # "The Duke welcomed X on a state visit to Britain": the host of one reading of the
        # sentence is not also a visitor in another to the same place.
        hosting = {(h, v.destination) for v in found if v.sentence == i for h in v.hosts}
        found = [v for v in found if v.sentence != i or (v.visitor, v.destination) not in hosting]
        last_destinations = now
    found += _delegations(sents, table, found)
    return _merge(_at_dateline_place(found, table, dateline, dateline_place), table)


def _dated_before(
    v: FoundVisit, sents: list[Sentence], i: int, table: EntityTable, dateline: str | None
) -> FoundVisit:
    """ "Bush said today the UN must act. '...,' Bush said at a news conference in Albania":
    an undated appearance takes the day the sentence before gives the same person, when that
    sentence, in the same paragraph, names one day and it is the dateline's."""
    if v.start or v.status != Status.OCCURRED or not dateline or v.rule not in DATED_BEFORE_RULES:
        return v
    prev = sents[i - 1]
    if prev.para != sents[i].para or not any(m.ref == v.visitor for m in table.in_sentence(i - 1)):
        return v
    days = {h.value for h in find_dates(prev.text, dateline) if h.value and not h.inferred}
    if days == {dateline[:10]}:
        return replace(v, start=dateline[:10], status=Status.ONGOING)
    return v


# Appearances in a place that a sentence may leave undated ("said at a news conference in X").
DATED_BEFORE_RULES = frozenset(["visit:trip", "visit:presence", "visit:gathering"])


ACCOMPANIED = re.compile(r"\b(?:accompanied|joined)\s+by\b")
PORTFOLIOS = re.compile(
    r"\s+(?:his|her|their|the)\s+(?P<list>[a-z]+(?:\s*,\s*[a-z]+)*(?:,?\s+and\s+[a-z]+)?)"
    r"\s+ministers\b"
)


def _delegations(
    sents: list[Sentence], table: EntityTable, found: list[FoundVisit]
) -> list[FoundVisit]:
    """Who travels with a visitor: "King Fahd will be accompanied by Foreign Minister X" or
    "by his trade, defence and oil ministers" (then "Saudi Oil Minister Hisham Nazer" named
    anywhere in the story is one of them)."""
    out: list[FoundVisit] = []
    for i, s in enumerate(sents):
        for m in ACCOMPANIED.finditer(s.text):
            people = table.in_sentence(i)
            at = s.start + m.start()
            lead = _visitors(s, at, s.start + m.end(), people)
            trips = [v for v in found if v.visitor in lead and v.sentence <= i and not v.inferred]
            if not trips:
                continue
            latest = max(v.sentence for v in trips)
            # The visit as merging will keep it: its first report.
            trips = [
                next(w for w in found if (w.visitor, w.destination, w.inferred) == key)
                for key in dict.fromkeys(
                    (v.visitor, v.destination, False) for v in trips if v.sentence == latest
                )
            ]
            home = table.get(trips[0].visitor).country
            end = s.start + _clause_end(s.text, m.end())
            named = [p.ref for p in people if s.start + m.end() <= p.start < end and p.ref]
            listed = PORTFOLIOS.match(s.text, m.end())
            if listed:
                words = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", listed["list"])
                offices = {f"{w} minister" for w in words if w}
                named += [
                    key
                    for key, info in table.infos.items()
                    if info.type == EntityType.LEADER
                    and info.country == home
                    and (info.office or "").lower() in offices
                ]
            for who in dict.fromkeys(named):
                if who in lead or table.get(who).type != EntityType.LEADER:
                    continue
                for v in trips:
                    if _at_home(table, who, v.destination):
                        continue
                    out.append(
                        FoundVisit(
                            visitor=who,
                            destination=v.destination,
                            start=v.start,
                            end=v.end,
                            before=v.before,
                            status=v.status,
                            time_expression=v.time_expression,
                            sentence=i,
                            claim=(at, s.start + m.end()),
                            rule="visit:accompanied",
                            confidence=0.7,
                        )
                    )
    return out


def _read(
    rule: str,
    s: Sentence,
    i: int,
    t_start: int,
    t_end: int,
    people: list[Mention],
    here: list[Mention],
    table: EntityTable,
    dateline: str | None,
    last_destinations: list[str],
    fallback: str | None,
    unquoted: str,
    scene: tuple[list[str], str | None] = ([], None),
) -> list[FoundVisit]:
    rel_end = t_end - s.start
    window_end = _clause_end(s.text, rel_end)
    hosts: list[str] = []
    if rule == "attend":
        # "The meeting was attended by A and B" / "A attended the summit in Athens": the
        # place is named here or where the previous sentence set the meeting.
        passive = "attended by" in s.text[t_start - s.start : t_end - s.start]
        if passive:
            visitors = [p.ref for p in people if p.start >= t_end]  # type: ignore[misc]
        else:
            visitors = _visitors(s, t_start, t_end, people)
        dests = [
            d
            for d in _places_after(s, here, t_end, s.start + window_end)
            if any(
                p.ref == d
                and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", s.text[: p.start - s.start][-16:])
                for p in here
            )
        ] or list(scene[0])
        dests = [d for d in dests if table.get(d).type != EntityType.STATE][:1] or dests[:1]
        hosts = []
    elif rule == "opening":
        visitors, dests = _opening(s, t_end, people, here)
    elif rule == "meet":
        visitors, hosts, dests = _meeting(s, t_start, t_end, window_end, people, here, table)
    elif rule == "presence":
        # "Mr Hu is in Brazil for five days", "officials with Shultz in Peking said": being
        # in a place abroad. Only for people whose home is known, and not for envoys posted
        # there ("the ambassador in Moscow").
        dests = [p.ref for p in here if t_end < p.start <= t_end + 5][:1]  # type: ignore[misc]
        adjacent = [
            p
            for p in people
            if p.end == t_start
            and p.kind == "person"
            and (
                re.search(r"\bwith\s+(?:\S+\s+){0,3}$", s.text[: p.start - s.start])
                or (dests and SPEAKS_AFTER.match(s.text, _end_of(here, dests[0]) - s.start))
                # '"...," said Saud al Faisal in Rome': the speaker where the words were said.
                or SPEAKS_BEFORE.search(s.text[: p.start - s.start])
            )
        ]
        if s.text[t_start - s.start : t_end - s.start].startswith(","):
            # "X, in Nairobi for a summit, said": the name right before the apposition.
            visitors = [p.ref for p in people if p.end == t_start and p.kind == "person"][:1]  # type: ignore[misc]
        elif s.text[t_start - s.start : t_end - s.start].split()[0] == "in":
            # "with Shultz in Peking", "Shultz in Peking said": not "marched against X in P".
            visitors = [adjacent[0].ref] if adjacent else []  # type: ignore[list-item]
        else:
            visitors = _visitors(s, t_start, t_end, people)
        visitors = [
            v
            for v in visitors
            if v
            and table.get(v).country
            and "ambassador" not in (table.get(v).office or "").lower()
        ]
    elif (
        rule == "host"
        and PASSIVE_BY.match(s.text, t_end - s.start)
        and re.search(r"\b(?:was|were|is|are|been|being)\s+$", s.text[: t_start - s.start])
    ):
        # "Scholz was welcomed by President Biden at the White House": the subject is the guest.
        visitors = _visitors(s, t_start, t_end, people)
        hosts = [
            p.ref  # type: ignore[misc]
            for p in people
            if t_end < p.start <= t_end + 60
            and p.ref
            and PASSIVE_BY.fullmatch(s.text[t_end - s.start : p.start - s.start])
        ][:1]
        dests = _places_after(s, here, t_end, s.start + window_end)
        if not dests and hosts and table.get(hosts[0]).country:
            dests = [table.place(table.get(hosts[0]).country, EntityType.STATE)]  # type: ignore[arg-type]
    elif rule == "host":
        guests = [
            p
            for p in people
            if t_end <= p.start <= t_end + 40
            and p.text.lower() not in ("his", "her")
            and GUEST_GAP.fullmatch(s.text[t_end - s.start : p.start - s.start])
            # "welcomed Li Wen's remarks": what a person said, not the person.
            and not p.text.endswith(("'s", "’s"))
            and not re.match(r"['’]s\b", s.text[p.end - s.start :])
        ]
        if not guests:
            return []
        visitors = [guests[0].ref]
        hosts = [p.ref for p in people if p.start < t_start][-1:]  # type: ignore[misc]
        home = table.get(guests[0].ref).country  # type: ignore[arg-type]
        # "welcomed President X of Chile in Jakarta": the guest's own state names whose
        # president, not where the welcome was.
        dests = [
            d
            for d in _places_after(s, here, t_end, s.start + window_end)
            if not (table.get(d).type == EntityType.STATE and table.get(d).label == home)
        ]
        if not dests and not hosts:
            # "Kenya welcomed X", "Canberra hosted X": the place is the host.
            dests = [
                p.ref  # type: ignore[misc]
                for p in here
                if p.ref and re.fullmatch(r"\s*", s.text[p.end - s.start : t_start - s.start])
            ][-1:]
        if not dests and hosts:
            host_country = table.get(hosts[0]).country
            if host_country:
                dests = [table.place(host_country, EntityType.STATE)]
    else:
        visitors = _visitors(s, t_start, t_end, people)
        dests = _places_after(s, here, t_end, s.start + window_end)
        if rule == "visit" and (of := _visit_of(s, t_start, t_end, people)):
            visitors = [of[0]]
            dests = _places_after(s, here, of[1], s.start + window_end)
        elif rule == "visit" and SAID_OF_VISIT.search(s.text[: t_start - s.start]):
            visitors = []  # "Haniya said the visit demonstrated ...": someone else's visit
        if rule == "trip":
            # "the Trump–Kim summit in Hanoi": the two named in the summit's name.
            visitors = _named_pair(s.text[: t_start - s.start], table) or visitors
        if not visitors and rule == "trip":
            visitors = _participants(s, t_start, t_end, window_end, people, table)
        if (
            not dests
            and rule == "visit"
            and last_destinations
            and re.match(r"\s*(?:in|on|during|last|this|\d)", s.text[rel_end:])
        ):
            dests = list(last_destinations)  # "King Faisal visited in 1967": the same place
        if not dests and rule in ("visit", "travel") and THE_COUNTRY.match(s.text, rel_end):
            # "the situation in Kenya ... sent Rice to visit the country": the state named last.
            states = [
                p.ref
                for p in table.in_sentence(i, ("place",))
                if p.end <= t_start and table.get(p.ref).type == EntityType.STATE  # type: ignore[arg-type]
            ]
            dests = states[-1:]
        home = {table.get(v).country for v in visitors if v}
        abroad = bool(fallback and home) and not any(
            h is None or Places.default().same_state(h, table.get(fallback).label) for h in home
        )
        if not dests and fallback and rule in ("visit", "arrive") and abroad:
            dests = [fallback]  # "LONDON - King Fahd begins a state visit on Tuesday"
        hosts = [
            p.ref
            for p in people
            if p.start > t_end
            and p.ref not in visitors  # type: ignore[misc]
            and (
                re.search(r"\b(?:with|by|meet|met)\s+$", s.text[: p.start - s.start][-30:])
                # "a visit to Ireland with Taoiseach X": a titled host, when X is of the
                # visited state (not "with Foreign Secretary Y" of the visitor's delegation).
                or (
                    HOST_TITLED.search(s.text[: p.start - s.start][-60:])
                    and _of_state(table, p.ref, dests)  # type: ignore[arg-type]
                )
            )
        ]
    # "a visit to Iraq, where he met leaders in Baghdad", "a talk at the United States think
    # tank's Washington office", "take him to Canada's capital, Ottawa": the cities of a
    # visited state named after the trigger.
    for m in here:
        info = table.get(m.ref)
        if (
            m.start >= t_end
            and info.type == EntityType.CITY
            and m.ref not in dests
            and any(
                table.get(d).type == EntityType.STATE and table.get(d).label == info.country
                for d in dests
            )
        ):
            dests.append(m.ref)  # type: ignore[arg-type]
    # "The two leaders held talks in Washington": the second of the pair goes too.
    for p in people:
        if (
            p.kind == "pair"
            and p.ref in visitors
            and p.other not in visitors
            and not any(q.ref == p.ref and q.kind != "pair" for q in people)
        ):
            visitors.insert(visitors.index(p.ref) + 1, p.other)
    # An ambassador lives at the post: the guide's visitors are leaders, ministers and envoys.
    visitors = [
        v
        for v in visitors
        if v
        and table.get(v).type == EntityType.LEADER
        and "ambassador" not in (table.get(v).office or "").lower()
    ]
    if not visitors or not dests:
        return []
    clause = unquoted[:window_end]
    # Future markers come before the verb ("will visit", "is to arrive") or name a time after
    # it ("next week", "soon"); what follows a past verb ("arrived for talks likely to ...")
    # is another clause's tense.
    # "will be in Washington": the tense may sit in the trigger itself.
    future = (
        is_future(unquoted[: (t_end if rule == "presence" else t_start) - s.start])
        or bool(FUTURE_AFTER.search(unquoted, t_end - s.start, window_end))
        # "the trip will take him to Tokyo", "leaves Tuesday for Israel": the tense inside
        # the trigger.
        or is_future(unquoted[t_start - s.start : t_end - s.start])
        # "has sent Secretary Rice to visit the country on Monday": she is on her way.
        or bool(SENT_AHEAD.search(unquoted[: t_start - s.start]))
        # "welcomed X to visit New Delhi", "invited X to come to Delhi": a visit asked for.
        or (
            rule == "host"
            and bool(
                re.match(r"[^,;.]{1,60}?\s+to\s+(?:visit|come\s+to)\b", unquoted[t_end - s.start :])
            )
        )
    )
    # "his first visit since he took power in June 1982": that date is before the visit.
    hits = [
        h
        for h in find_dates(unquoted, dateline, future)
        if h.inferred or not re.search(r"\bsince\b", unquoted[max(0, h.start - 40) : h.end])
    ]
    date = _nearest(hits, t_start - s.start, window_end)
    start_from_scene = scene[1] if date is None and rule == "attend" else None
    status = Status.PLANNED if future else Status.OCCURRED
    start = end = before = None
    if date is not None:
        start, end, before = date.value, date.end_value, date.before
        start = _first_day(s.text, start)
        if not date.inferred and start and dateline and len(start) == 10:
            if start > dateline[:10]:
                status = Status.PLANNED
            elif start == dateline[:10] and not future:
                status = Status.ONGOING
    elif start_from_scene:
        start = start_from_scene
    elif PRESENT.search(clause) and rule in ("arrive", "visit", "presence"):
        start, status = (dateline[:10] if dateline else None), Status.ONGOING
    elif ENDING.search(s.text) and dateline:
        start, status = _first_day(s.text, dateline[:10]), Status.ONGOING
    if rule == "return" and start and not future:
        start, end = None, start  # "returned from Moscow on Sunday": the day the visit ended
    confidence = 0.5 if DOUBT.search(clause) else 0.9
    out = []
    for visitor in visitors:
        for dest in dests:
            if _at_home(table, visitor, dest):
                continue  # travel inside one's own country
            if rule not in TRAVEL_RULES and not _abroad_known(table, visitor, dest):
                continue  # being somewhere is a visit only when home is known to be elsewhere
            if dest in visitors:
                continue
            here_hosts = [h for h in dict.fromkeys(hosts) if h != visitor]  # each host once
            if len(dests) > 1:
                # Several stops: each host at the stop in the host's own state.
                here_hosts = [h for h in here_hosts if _at_home(table, h, dest)] or here_hosts
            common = dict(
                visitor=visitor,
                destination=dest,
                hosts=here_hosts,
                sentence=i,
                claim=(t_start, t_end),
                rule=f"visit:{rule}",
            )
            if date is not None and date.inferred:
                # "for the first time in 24 years": this visit now, and the one back then.
                out.append(
                    FoundVisit(
                        **common, status=status, start=_today(hits, dateline), confidence=confidence
                    )
                )
                out.append(
                    FoundVisit(
                        **common,
                        status=Status.OCCURRED,
                        # "returned from X for the first time in 24 years": the earlier visit
                        # keeps its own year (the return's day moved to the end above).
                        start=date.value,
                        inferred=True,
                        time_expression=date.text,
                        confidence=0.7,
                    )
                )
                continue
            out.append(
                FoundVisit(
                    **common,
                    start=start,
                    end=end,
                    before=before,
                    status=status,
                    time_expression=date.text if date else None,
                    confidence=confidence,
                )
            )
    return out


GAPPED = re.compile(r"\s*,?\s+and\s+(?:(?:then\s+)?(?:[A-Z][\w.]*\s+)*)$")


def _gapped(
    s: Sentence,
    i: int,
    t_end: int,
    visits: list[FoundVisit],
    people: list[Mention],
    here: list[Mention],
    table: EntityTable,
    dateline: str | None,
) -> list[FoundVisit]:
    """The verb left out of a second clause: "King Faisal visited in 1967 and King Khaled in
    1981", "Putin went to Hanoi and Lavrov to Vientiane"."""
    out: list[FoundVisit] = []
    visitors = {v.visitor for v in visits}
    for p in people:
        if p.start < t_end or not p.ref or p.ref in visitors or p.kind != "person":
            continue
        left = s.text[: p.start - s.start]
        right = s.text[p.end - s.start :]
        if not GAPPED.search(left[-40:]) or not re.match(r"\s+(?:in|on|to|last)\b", right):
            continue
        if table.get(p.ref).type != EntityType.LEADER:
            continue
        tail_end = len(right)
        stop = re.search(r"\s(?:and|but|while|where)\s|[;.]", right)
        tail_end = stop.start() if stop else tail_end
        tail = right[:tail_end]
        dests = [m.ref for m in here if p.end < m.start <= p.end + 5 and m.ref]
        dests = dests or list(dict.fromkeys(v.destination for v in visits))
        hits = [h for h in find_dates(tail, dateline) if h.value or h.before]
        for dest in dests:
            if _at_home(table, p.ref, dest):
                continue
            out.append(
                FoundVisit(
                    visitor=p.ref,
                    destination=dest,
                    start=hits[0].value if hits else None,
                    before=hits[0].before if hits else None,
                    status=visits[0].status,
                    time_expression=hits[0].text if hits else None,
                    sentence=i,
                    claim=(p.start, p.end),
                    rule="visit:gapped",
                    confidence=0.8,
                )
            )
    return out


OPENING_GAP = re.compile(r"(?:\s+(?:on|last|this|early|late)\s+\w+)?\s*,\s+")
# The titles before a name: "US Secretary of State", "the French president".
OPENING_TITLES = re.compile(
    r"(?:(?:the|his|her)\s+)?(?:(?:[A-Z][\w.'’-]*|of|for|[a-z]+\s+(?:minister|president|"
    r"secretary))\s+)*"
)
SPEECH_VERB = re.compile(
    r",?\s+(?:(?:also|later|then|on\s+\w+)\s+)?(?:said|says|told|spoke|speaks|announced|added|"
    r"declared|stressed|warned|urged|called|delivered|addressed|insisted|pledged|promised)\b"
)


def _opening(
    s: Sentence, t_end: int, people: list[Mention], here: list[Mention]
) -> tuple[list[str], list[str]]:
    """ "In Beijing on Tuesday, French President X said ...": the place a sentence opens with
    and the speaker right after it (whether it is abroad for the speaker is checked later)."""
    place = next((m for m in here if m.start == t_end and m.ref), None)
    if place is None:
        return [], []
    gap = OPENING_GAP.match(s.text, place.end - s.start)
    if gap is None:
        return [], []
    who = next((p for p in people if p.start >= s.start + gap.end() and p.ref), None)
    if (
        who is None
        or not OPENING_TITLES.fullmatch(s.text[gap.end() : who.start - s.start])
        or not SPEECH_VERB.match(s.text, who.end - s.start)
    ):
        return [], []
    return [who.ref], [place.ref]  # type: ignore[list-item]


PAIR_BEFORE = re.compile(r"\b(?P<a>[A-Z][\w'’-]+)\s*[–—-]\s*(?P<b>[A-Z][\w'’-]+)\s+$")


def _named_pair(before: str, table: EntityTable) -> list[str]:
    """The two people a meeting is named after ("the Reyes–Kim summit"), each the one person
    of the article with that name, or nobody."""
    m = PAIR_BEFORE.search(before)
    if m is None:
        return []
    out = []
    for word in (m["a"], m["b"]):
        keys = [
            k
            for k, info in table.infos.items()
            if info.type in (EntityType.LEADER, EntityType.PERSON) and word in info.label.split()
        ]
        if len(keys) != 1:
            return []
        out.append(keys[0])
    return out


BETWEEN = re.compile(r"\b(?:between|of|with)\s+")
TITLE_GAP = (
    r"(?:(?:the|his|her)\s+)?(?:[A-Z][\w.]*\s+|[a-z]+\s+(?:minister|president|secretary)\s+)*"
)
NAME_GAPS = (re.compile(TITLE_GAP), re.compile(r"\s*(?:,|and|,\s*and)\s+" + TITLE_GAP))


def _participants(
    s: Sentence,
    t_start: int,
    t_end: int,
    window_end: int,
    people: list[Mention],
    table: EntityTable,
) -> list[str]:
    """ "a summit in Ottawa next month between President Reagan and Prime Minister Brian
    Mulroney": the leaders meeting there whose state is known (the host is dropped later,
    as travelling at home)."""
    if not re.match(r"(?:talks|summit|meeting)", s.text[t_start - s.start :]):
        return []
    m = BETWEEN.search(s.text, t_end - s.start, window_end)
    if m is None:
        return []
    out: list[str] = []
    pos = m.end()
    for p in people:
        if not s.start + m.end() <= p.start < s.start + window_end:
            continue
        if not NAME_GAPS[bool(out)].fullmatch(s.text[pos : p.start - s.start]):
            break
        pos = p.end - s.start
        if p.ref and p.ref not in out and table.get(p.ref).country:
            out.append(p.ref)
    return out


PASSIVE_BY = re.compile(
    r"\s+by\s+(?:(?:the|his|her|their)\s+)?(?:[A-Z][\w.'’-]*\s+|[a-z]+\s+(?:minister|president)\s+)*"
)
MEET_GAP = re.compile(
    # "a meeting between Prime Minister X and ...": the first of the two after "between".
    r"\s*(?:between\s+)?(?:(?:the|his|her|their|its|a)\s+)?(?:[A-Z][\w.'’-]*\s+)*"
    r"(?:(?:[a-z]+\s+)?(?:counterpart|minister|president|leader|premier|chancellor|king|"
    r"prime\s+minister|secretary\s+of\s+state)\s+)?(?:[A-Z][\w.'’-]*\s+)*"
)
LOCATIVE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")
DEMONYM_PLACE = re.compile(r"\b(?:in|at)\s+the\s+(?P<dem>[A-Z][a-z]+)\s+(?:[A-Z]|capital\b)")


def _meeting(
    s: Sentence,
    t_start: int,
    t_end: int,
    window_end: int,
    people: list[Mention],
    here: list[Mention],
    table: EntityTable,
) -> tuple[list[str], list[str], list[str]]:
    """Who travelled to a meeting of two leaders of different states, by where it was held.

    "Hu Jintao had lunch with the President of Brazil ... in the Brazilian Federal
    District": the meeting is in Brazil, so the Chinese leader visited. Held in the
    subject's own state, the other is the visitor; a place in neither state, both are.
    Without a place, nobody is known to have travelled.
    """
    after = [
        p
        for p in people
        if t_end <= p.start <= t_end + 100 and p.ref and p.text.lower() not in ("his", "her")
    ]
    if not s.text[t_start - s.start : t_end - s.start].rstrip().endswith("with"):
        # Without "with", the other is the object right after the verb.
        after = [
            p for p in after if MEET_GAP.fullmatch(s.text[t_end - s.start : p.start - s.start])
        ]
    subject = _visitors(s, t_start, t_end, people)
    if not after and len(subject) >= 2 and MET_IN.match(s.text, t_end - s.start):
        return _met_in(s, t_end, window_end, subject, here, table)
    end = s.start + window_end
    place = (
        next(
            (
                m.ref
                for m in here
                if after[0].end <= m.start < end
                and (m.text == "here" or LOCATIVE.search(s.text[: m.start - s.start][-16:]))
                and m.ref
            ),
            None,
        )
        if after
        else None
    )
    if after and not subject and place is not None and after[0].ref:
        # "The rebels met with X, a US envoy, in Qatar": no leader is the subject, so the
        # leader met there is the one who came, when his home is known to be elsewhere.
        other = after[0].ref
        home = table.get(other).country
        if home and not _at_home(table, other, place) and _abroad_known(table, other, place):
            return [other], [], [place]
        return [], [], []
    if not after or not subject:
        return [], [], []
    guest, host = subject[0], after[0].ref
    homes = table.get(guest).country, table.get(host).country  # type: ignore[arg-type]
    if homes[0] is None or homes[0] == homes[1]:
        return [], [], []
    state = None
    if place is None:
        state = next(
            (
                d
                for f in DEMONYM_PLACE.finditer(s.text, after[0].end - s.start, window_end)
                if (d := Places.default().demonym(f["dem"]))
            ),
            None,
        )
        if state is None and ON_TOUR.search(s.text):
            # "met with Israeli President Peres ... as part of a tour of the Middle East":
            # on a tour, meeting a leader is a visit to that leader's state.
            met = [
                p.ref
                for p in people
                if t_end <= p.start < s.start + window_end and p.kind == "person" and p.ref
            ]
            states = list(
                dict.fromkeys(c for r in met if (c := table.get(r).country) and c != homes[0])
            )
            if states:
                return (
                    [guest],
                    met,
                    [table.place(c, EntityType.STATE) for c in states],
                )
        if state is None:
            return [], [], []
        place = table.place(state, EntityType.STATE)
    info = table.get(place)
    state = info.label if info.type == EntityType.STATE else info.country
    same = Places.default().same_state
    # "meet with Trudeau and Mexican President Peña Nieto in Ottawa": the others met with
    # the first, who came from abroad to the meeting, came too.
    others = [
        p.ref
        for p in _joined(after[0], after[1:], s)
        if p.ref and table.get(p.ref).country and not same(state, table.get(p.ref).country)
    ]
    if homes[1] is None or same(state, homes[1]):
        # "X met Taoiseach Y in Dublin": the host's home unknown, the subject's is not here.
        if same(state, homes[0]):
            return others, [guest], [place]  # type: ignore[list-item]
        return [guest, *others], [host], [place]  # type: ignore[list-item]
    if same(state, homes[0]):
        return [host, *others], [guest], [place]  # type: ignore[list-item]
    return [guest, host, *others], [], [place]  # type: ignore[list-item]


MET_IN = re.compile(r"\s+(?:(?:on|last|this)\s+\w+\s+)?(?:in|at)\s")


def _met_in(
    s: Sentence,
    t_end: int,
    window_end: int,
    group: list[str],
    here: list[Mention],
    table: EntityTable,
) -> tuple[list[str], list[str], list[str]]:
    """ "Putin and Erdogan met in Sochi": who of the group is abroad there visits, hosted by
    who is at home; with nobody at home, all of them visit."""
    place = next((m.ref for m in here if t_end <= m.start < s.start + window_end and m.ref), None)
    homes = [table.get(g).country for g in group]
    if place is None or None in homes:
        return [], [], []
    info = table.get(place)
    state = info.label if info.type == EntityType.STATE else info.country
    same = Places.default().same_state
    hosts = [g for g, h in zip(group, homes, strict=True) if same(state, h)]
    guests = [g for g in group if g not in hosts]
    return guests, hosts, [place]


MEETING_RE = re.compile(r"\b(?:summit|meeting|conference|talks|session|forum)\b", re.I)
SCENE_REACH = 60  # characters between a meeting word and the place it was held in


def _scene(
    prev: Sentence, places: list[Mention], dateline: str | None, until: int | None = None
) -> tuple[list[str], str | None]:
    """Where and when the previous sentence set a meeting: "a summit, that time in Athens"
    (or this sentence, before ``until``: "met in Niamey for a summit where X signed")."""
    end = prev.end if until is None else until
    nouns = [
        (prev.start + m.start(), prev.start + m.end())
        for m in MEETING_RE.finditer(prev.text, 0, end - prev.start)
    ]
    if not nouns:
        return [], None
    # "a summit, that time in Athens", "met in Niamey, Niger, for a summit"; a place far from
    # any meeting word is another matter ("His appearance at the summit ... in Zimbabwe").
    keys = [
        p.ref
        for p in places
        if p.sentence >= 0
        and prev.start <= p.start < end
        and re.search(r"\b(?:in|at)\s+$", prev.text[: p.start - prev.start][-12:])
        and any(0 <= p.start - b <= SCENE_REACH or 0 <= a - p.end <= SCENE_REACH for a, b in nouns)
    ][:1]
    days = [h.value for h in find_dates(prev.text, dateline) if h.value and not h.inferred]
    return [k for k in keys if k], (days[0] if days else None)


def _scene_of(
    s: Sentence,
    trigger: re.Match[str],
    places: list[Mention],
    dateline: str | None,
    recent: tuple[list[str], str | None],
    named: dict[str, tuple[list[str], str | None]],
) -> tuple[list[str], str | None]:
    """The gathering someone takes part in: set earlier in this sentence ("met in Niamey for a
    summit where on Sunday X signed"), a few sentences before, or named again with "the"
    ("At the opening of the AU summit, X said": the summit placed earlier in the story)."""
    own = _scene(s, places, dateline, until=s.start + trigger.start())
    if own[0]:
        return own
    if recent[0]:
        return recent
    noun = MEETING_RE.search(trigger.group(0))
    if noun and re.search(r"\b[Tt]he\b", trigger.group(0)):
        return named.get(noun.group(0).lower(), recent)
    return recent


ON_TOUR = re.compile(
    r"\b(?:as\s+part\s+of|during|on)\s+(?:a|an|his|her|their)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:tour|trip|visit|swing)\b"
)
HOST_TITLED = re.compile(r"\b(?:with|by|meet|met)\s+" + TITLE_GAP + "$")


def _of_state(table: EntityTable, person: str, dests: list[str]) -> bool:
    """Whether the person is known to be of the state one of the destinations lies in."""
    return any(_at_home(table, person, d) for d in dests)


def _at_home(table: EntityTable, person: str, place: str) -> bool:
    """Whether a place lies in the person's own state (a successor state counts)."""
    home = table.get(person).country
    info = table.get(place)
    state = info.label if info.type == EntityType.STATE else info.country
    return bool(home) and Places.default().same_state(state, home)


# Triggers that may sit inside a quote when the quote names the visitor and the place.
QUOTED_RULES = frozenset(["visit", "arrive", "travel", "attend"])
# Verbs that say someone travelled; the others only place a person somewhere.
TRAVEL_RULES = frozenset(["visit", "arrive", "travel", "trip", "return", "host"])


def _abroad_known(table: EntityTable, person: str, place: str) -> bool:
    """Whether the text tells that a place is abroad for the person: the person's home state
    is known (by nationality, office or gazetteer) and the place's state too."""
    info = table.get(place)
    state = info.label if info.type == EntityType.STATE else info.country
    return bool(table.get(person).country) and bool(state)


def _end_of(mentions: list[Mention], key: str) -> int:
    """Where the first mention of ``key`` ends."""
    return next(m.end for m in mentions if m.ref == key)


def _unquoted(s: Sentence, quoted: list[tuple[int, int]]) -> str:
    """The sentence with quoted words blanked (same length): their dates are the speaker's."""
    chars = list(s.text)
    wire = WIRE_RE.match(s.text)
    if wire:  # "TOKYO, April 27 -" dates the story, not the visit
        chars[: wire.end()] = " " * wire.end()
    for a, b in quoted:
        for k in range(max(a, s.start), min(b, s.end)):
            chars[k - s.start] = " "
    return "".join(chars)


def _first_day(text: str, last: str | None) -> str | None:
    """The first day of an N-day visit whose end is dated ("end of a two-day visit yesterday")."""
    m = ENDING.search(text)
    if not m or not last or len(last) != 10:
        return last
    from datetime import date, timedelta

    from kg.extract.dates import NUMBERS

    raw = m["n"].lower()
    days = int(raw) if raw.isdigit() else NUMBERS.get(raw)
    if not days:
        return last
    return (date.fromisoformat(last) - timedelta(days=days - 1)).isoformat()


HERE = re.compile(r"\bhere\b")


def _here(
    sents: list[Sentence],
    table: EntityTable,
    dateline_place: str | None,
    quoted: list[tuple[int, int]],
) -> list[Mention]:
    """ "arrives here Tuesday" in a story filed from Washington: "here" is the dateline's city
    (outside quotes, where it is the speaker's place)."""
    if not dateline_place:
        return []
    city = Places.default().city(dateline_place)
    if city is None:
        return []
    if city.country:
        table.place(city.country, EntityType.STATE)
    key = table.place(city.label, EntityType.CITY, city.country, city.wikidata)
    return [
        Mention(s.start + m.start(), s.start + m.end(), "here", "place", key, i)
        for i, s in enumerate(sents)
        for m in HERE.finditer(s.text)
        if not any(a <= s.start + m.start() < b for a, b in quoted)
    ]


# Seats of government and of bodies that news copy names instead of their city: "met
# President Biden at the White House", "talks at the Kremlin", "visited Downing Street".
SEATS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:White\s+House|Oval\s+Office|Capitol\s+Hill)\b"), "Washington"),
    (re.compile(r"\bKremlin\b"), "Moscow"),
    (re.compile(r"\b(?:Downing\s+Street|Buckingham\s+Palace)\b"), "London"),
    (re.compile(r"\b(?:[ÉE]lys[ée]e(?:\s+Palace)?)\b"), "Paris"),
    (re.compile(r"\b(?:Great\s+Hall\s+of\s+the\s+People|Zhongnanhai)\b"), "Beijing"),
    (re.compile(r"\bBlue\s+House\b"), "Seoul"),
    (re.compile(r"\b(?:UN|U\.N\.|United\s+Nations)\s+headquarters\b"), "New York City"),
]


def _seats(
    sents: list[Sentence], table: EntityTable, quoted: list[tuple[int, int]]
) -> list[Mention]:
    """The city of a seat named in the text ("at the White House" is in Washington), outside
    quotes, as place mentions for the visit rules."""
    out: list[Mention] = []
    for pattern, label in SEATS:
        city = Places.default().city(label)
        if city is None:
            continue
        for i, s in enumerate(sents):
            for m in pattern.finditer(s.text):
                start = s.start + m.start()
                if any(a <= start < b for a, b in quoted):
                    continue
                if city.country:
                    table.place(city.country, EntityType.STATE)
                key = table.place(city.label, EntityType.CITY, city.country, city.wikidata)
                out.append(Mention(start, s.start + m.end(), m.group(0), "place", key, i))
    return out


def _dateline_state(table: EntityTable, place: str | None) -> str | None:
    """The state a wire story was filed from: the destination a lead sentence leaves implicit."""
    if not place:
        return None
    from kg.link.places import Places

    city = Places.default().city(place)
    return table.place(city.country, EntityType.STATE) if city and city.country else None


def _today(hits: list[DateHit], dateline: str | None) -> str | None:
    exact = [h for h in hits if not h.inferred and h.value and len(h.value) == 10]
    return exact[0].value if exact else None


def _clause_end(text: str, pos: int) -> int:
    m = CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


def _places_after(s: Sentence, here: list[Mention], start: int, end: int) -> list[str]:
    """The place named after a trigger, and the places listed with it ("A, B and C")."""
    cands = [m for m in here if start <= m.start < end]
    if not cands or cands[0].start - start > 60:
        return []
    lead = s.text[start - s.start : cands[0].start - s.start]
    if "," in lead and not LEAD_LIST.search(lead):
        return []  # "a mission to the Gulf, aimed at shoring up U.S. allies": another clause
    out = [cands[0]]
    for m in cands[1:]:
        gap = LIST_GAP.match(s.text[out[-1].end - s.start : m.start - s.start])
        if not gap:
            break
        # "Ramallah, the West Bank headquarters of ...": a description of the place before.
        if re.fullmatch(r"\s*,\s*the\s+", gap.group()) and APPOSITION_NOUN.match(
            s.text, m.end - s.start
        ):
            break
        out.append(m)
    keys: list[str] = []
    for m in out:
        if m.ref and m.ref not in keys:
            keys.append(m.ref)
    return keys


# Between two names of one subject: "A and Turkish President B", "A, Queen B and C".
GROUP_GAP = re.compile(
    # "Presidents A of Nigeria and B of Benin": each name with its state.
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?)?"
    r"\s*(?:,|and|,\s*and)\s*(?:(?:[A-Z][\w.'’-]*|(?:prime\s+|foreign\s+)?minister|president|premier|"
    r"leader|chancellor|king|queen|emir)\s+){0,4}"
)


TOPIC_IN = re.compile(
    r"\b(?:government|situation|crisis|crises|violence|conflict|war|fighting|unrest|"
    r"settlements?|rockets?|attacks?|elections?|tensions?|turmoil)\s+in\s+(?:the\s+)?$"
)
# "sent Secretary of State X to visit", "invited President X to travel": the object goes.
SENDS = re.compile(
    r"\b(?:sen[dt]s?|sending|dispatch(?:ed|es|ing)?|invit(?:e|es|ed|ing)|ask(?:s|ed|ing)?|"
    r"urg(?:e|es|ed|ing)|order(?:s|ed|ing)?)\s+(?:[\w.'’-]+\s+){0,5}$"
)
SENT_AHEAD = re.compile(
    r"\b(?:has|have|is|are)\s+(?:sent|sending|dispatched|dispatching)\s+(?:[\w.'’-]+\s+){1,6}to\s+$"
)
# "to visit the country": the state named before.
THE_COUNTRY = re.compile(r"\s+the\s+(?:country|nation)\b(?!['’])")
# A speaker's words on a visit: "X said the visit showed", "X welcomed this state visit".
SAID_OF_VISIT = re.compile(
    r"\b(?:said|says|stated|noted|added|welcomed|welcomes|praised|hailed|critici[sz]ed|"
    r"condemned|called)\s+(?:that\s+)?(?:the|this|that)\s+(?:[\w-]+\s+){0,2}$"
)
# A clause of its own begins right before a name: "when Hu visited", "after X arrived".
SUBORDINATE_SUBJECT = re.compile(r"\b(?:when|after|before|while|as|since|until|once)\s+$")


def _visitors(s: Sentence, t_start: int, t_end: int, people: list[Mention]) -> list[str]:
    before = [p for p in people if p.end <= t_start]
    after = [p for p in people if p.start >= t_end]
    text = s.text
    # "has sent Secretary Rice to visit Kenya": the one sent goes.
    if (
        before
        and re.fullmatch(r"\s+to\s+", text[before[-1].end - s.start : t_start - s.start])
        and SENDS.search(text[: before[-1].start - s.start])
    ):
        return [before[-1].ref]  # type: ignore[list-item]
    # "a visit by X", "the visit by French President X" (not "was welcomed by X": the host).
    if (
        after
        and re.fullmatch(r"\s+by\s+" + TITLE_GAP, text[t_end - s.start : after[0].start - s.start])
        and not re.search(r"\b(?:was|were|is|are|be|been|being)\s+$", text[: t_start - s.start])
    ):
        return [after[0].ref]  # type: ignore[list-item]
    if before:
        from kg.extract.entities import is_subject

        owner = before[-1]
        # "special envoy Shintaro Abe, who has just returned from Washington": the antecedent.
        if RELATIVE.fullmatch(text[owner.end - s.start : t_start - s.start]):
            return [owner.ref]  # type: ignore[list-item]
        # "President Trump's planned trip to Warsaw": the owner of the trip travels.
        if re.match(r"['’]s\s+(?:[\w-]+\s+){0,3}$", text[owner.end - s.start : t_start - s.start]):
            return [owner.ref]  # type: ignore[list-item]
        subjects = [p for p in before if is_subject(text, p, s.start)]
        last = subjects[0] if subjects else before[-1]
        if SUBORDINATE_SUBJECT.search(text[: owner.start - s.start]) and re.fullmatch(
            r"\s+(?:[a-z]+ly\s+|also\s+|first\s+|then\s+|had\s+|has\s+)?",
            text[owner.end - s.start : t_start - s.start],
        ):
            last = owner  # "raised by Paul Martin when Hu visited Ottawa": the clause's own
        group = [last]
        for p in reversed(before[: before.index(last)]):
            gap = text[p.end - s.start : group[0].start - s.start]
            if GROUP_GAP.fullmatch(gap):
                group.insert(0, p)
            else:
                break
        group += _joined(group[-1], before[before.index(last) + 1 :], s)
        return [p.ref for p in group]  # type: ignore[misc]
    # "Before visiting Israel, Mr Blair ...": the subject follows the opening clause (not
    # "In May, bishops attended a summit in Rome, overseen by X": the bishops went).
    clause = re.split(r",|\bthat\b", text[: t_start - s.start])[-1]  # "claimed that during"
    opening = re.fullmatch(
        r"\s*(?:(?i:before|after|while|when|since|upon|on|during|following|ahead of|prior to|"
        # "In an interview with reporters here in Prague, the President said".
        r"in)"
        r"\s+(?:[\w'’-]+\s+){0,3})?",
        clause,
    )
    if after and opening and "," in text[t_end - s.start : after[0].start - s.start]:
        # "On the sidelines of the summit in Bishkek, A of India and B of China held talks":
        # the subject may be a pair.
        group = [after[0], *_joined(after[0], after[1:], s)]
        return [p.ref for p in group]  # type: ignore[misc]
    return []


VISIT_OF_TO = re.compile(
    # "The visit of Chavez to Tehran", "of President X of Venezuela to Iran", "of X, the
    # Venezuelan leader, to Iran": from the visitor's name to the "to" of the destination.
    r"\s*(?:of\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s*|,[^,]{1,60},\s*)?to\b"
)


def _visit_of(
    s: Sentence, t_start: int, t_end: int, people: list[Mention]
) -> tuple[str, int] | None:
    """ "The visit of X to Y": the trigger took "of", so X is the visitor, not the place
    visited. The visitor's key and where the destination begins."""
    if not re.search(r"\bvisits?\s+of$", s.text[t_start - s.start : t_end - s.start]):
        return None
    after = next((p for p in people if p.start >= t_end and p.ref), None)
    if after is None or not re.fullmatch(
        r"\s+" + TITLE_GAP, s.text[t_end - s.start : after.start - s.start]
    ):
        return None
    to = VISIT_OF_TO.match(s.text, after.end - s.start)
    return (after.ref, s.start + to.end()) if to else None  # type: ignore[return-value]


def _joined(first: Mention, rest: list[Mention], s: Sentence) -> list[Mention]:
    """The people of ``rest`` that "and" joins to ``first`` in a row ("A of India and B of
    China"), up to the first that is not."""
    out: list[Mention] = []
    last = first
    for p in rest:
        gap = s.text[last.end - s.start : p.start - s.start]
        if not (GROUP_GAP.fullmatch(gap) and "and" in gap):
            break
        out.append(p)
        last = p
    return out


def _nearest(hits: list[DateHit], trigger: int, window_end: int) -> DateHit | None:
    useful = [h for h in hits if h.value or h.before]
    if not useful:
        return None
    inferred = [h for h in useful if h.inferred]
    if inferred:
        return inferred[0]
    after = [h for h in useful if trigger <= h.start < window_end]
    before = [h for h in useful if h.end <= trigger]
    if after:
        # "On Wednesday, X will visit Iran ... and report at the end of April": the day that
        # opens the sentence dates its verb, not a vaguer time later on.
        if (
            before
            and before[0].start <= 3
            and len(before[0].value or "") == 10
            and len(after[0].value or "") < 10
        ):
            return before[0]
        return after[0]
    return before[-1] if before else None


def _at_dateline_place(
    found: list[FoundVisit], table: EntityTable, dateline: str | None, place: str | None
) -> list[FoundVisit]:
    """A visit "to Argentina" in a story filed from BUENOS AIRES that day is to Buenos Aires."""
    if not place:
        return found
    from kg.link.places import Places

    city = Places.default().city(place)
    if city is None or not city.country:
        return found
    out = []
    for v in found:
        info = table.get(v.destination)
        today = v.start is None or _days_before(v.start, dateline) in range(0, 8)
        here = info.label == city.label or (
            info.type == EntityType.STATE and info.label == city.country
        )
        if here and today and v.status != Status.PLANNED and not v.inferred:
            key = table.place(city.label, EntityType.CITY, city.country, city.wikidata)
            v.destination = key
            v.start = v.start or (dateline[:10] if dateline and len(dateline) >= 10 else None)
            if v.start == (dateline or "")[:10]:
                v.status = Status.ONGOING
        out.append(v)
    return out


def _days_before(day: str, dateline: str | None) -> int:
    """How many days ``day`` lies before the dateline (-1 if unknown or after it)."""
    from datetime import date

    if not dateline or len(dateline) < 10 or len(day) != 10:
        return -1
    return (date.fromisoformat(dateline[:10]) - date.fromisoformat(day)).days


def _merge(found: list[FoundVisit], table: EntityTable) -> list[FoundVisit]:
    """One visit per (visitor, destination, inferred); a state folds into a city in it."""
    cities = {
        (v.visitor, table.get(v.destination).country)
        for v in found
        if table.get(v.destination).type != EntityType.STATE
    }
    merged: dict[tuple[str, str, bool], FoundVisit] = {}
    # An earlier visit inferred without any date says nothing the visit itself does not, and
    # would share its IRI (visitor, destination, no date).
    found = [v for v in found if not (v.inferred and v.start is None and v.before is None)]
    for v in found:
        info = table.get(v.destination)
        if info.type == EntityType.STATE and (v.visitor, info.label) in cities:
            city = next(
                w
                for w in found
                if w.visitor == v.visitor
                and table.get(w.destination).type != EntityType.STATE
                and table.get(w.destination).country == info.label
            )
            city.start = city.start or v.start
            continue
        key = (v.visitor, v.destination, v.inferred)
        if key not in merged:
            merged[key] = v
            continue
        have = merged[key]
        if have.start is None and v.start is not None:
            have.start, have.end, have.time_expression = v.start, v.end, v.time_expression
            if have.status == Status.PLANNED:
                # "is set to meet X in Hanoi ... arrived in Hanoi yesterday": the dated
                # report says what became of the plan.
                have.status = v.status
        if have.before is None:
            have.before = v.before
        for h in v.hosts:
            if h not in have.hosts:
                have.hosts.append(h)
    return list(merged.values())
