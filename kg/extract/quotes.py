"""Direct quotations and who said them, where, and who reports it.

A quote is a span in straight or curly double quotes. One running over several paragraphs has
no closing mark at a paragraph's end and reopens at the next: it stays one chain with one
speaker. The speaker comes from a speech verb after the quote ('"...," he said', '"...,"
said X'), before it ('X said: "..."', 'X called it "..."'), or, for a quote standing alone,
from the sentence before. The medium comes from "wrote in X", "told X", "in an interview with
X"; who reports it from "as X reports", "according to X", "X reported".

>>> text = 'He said: "We will go."\\n\\n\\u201cIt is fine,\\u201d she said.'
>>> [q.text for q in find_quotes(text, 0)]
['We will go.', 'It is fine,']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.extract.dates import WEEKDAY_NAMES
from kg.extract.entities import (
    LEADER_TITLES,
    NOT_NAMES,
    OTHER_TITLES,
    PLATFORM_NAMES,
    ROLE_NOUN,
    EntityTable,
    Mention,
)
from kg.extract.segment import Sentence
from kg.link.places import Places
from kg.model import EntityType

OPEN = {'"': '"', "“": "”", "„": "“"}
# Verbs of wanting and thinking: in SPEECH, but they yield to a reporting verb before them.
WEAK_VERBS = (
    r"wants|wanted|believes|believed|hopes|hoped|fears|feared|sees|saw|considers|considered|"
    r"regards|regarded|views|viewed"
)
SPEECH = (
    r"(?:said|says|say|told|tells|wrote|writes|noted|notes|added|adds|asked|asks|stated|"
    r"declared|announced|insisted|argued|warned|explained|remarked|commented|stressed|urged|"
    r"replied|continued|described|describing|called|calling|quoted|recalled|acknowledged|"
    r"admitted|conceded|suggested|promised|vowed|pledged|claimed|expressed|hailed|labelled|"
    r"labeled|dubbed|tweeted|posted|concluded|observed|emphasised|emphasized|reiterated|"
    r"complained|predicted|predicts|cautioned|insists|argues|warns|explains|describes|calls|"
    r"underlined|underlines|pointed out|points out|reaffirmed|reasserted|denounced|indicated|"
    r"confirmed|accused|criticised|criticized|praised|thanked|telling|saying|adding|"
    r"[Aa]ccording to|assured|assures|reassured|maintained|maintains|contended|countered|"
    r"responded|answered|joked|quipped|boasted|lamented|charged|alleged|noting|stressing|"
    r"exclaimed|retorted|mused|asserted|affirmed|elaborated|threatened|denied|clarified|"
    r"summari[sz]ed|wondered|pleaded|urging|vowing|promising|asserting|"
    r"(?:shot|fired)[ ]back|screaming|shouting|yelling|exclaiming|proclaiming|screamed|"
    r"shouted|yelled|proclaimed|offered|made(?:[ ]it)?[ ]clear|blamed|questioned|"
    + WEAK_VERBS
    + r"|"
    # Reactions and requests that carry the reactor's words ("agreed, "..."", "directed the
    # committees to "..."").
    r"agreed|disagreed|echoed|mocked|ridiculed|scoffed|chided|blasted|lambasted|"
    r"congratulated|apologi[sz]ed|refused|encouraged|requested|advised|instructed|directed|"
    r"directing|ordered|defended|reacted|(?:pushed|hit)[ ](?:back|out)|signall?ed|"
    r"pointed[ ]to|"
    # "took to Twitter to call the attack": the base form after "to".
    r"(?<=to )(?:call|describe|warn|urge|declare|demand|condemn|praise|critici[sz]e|blame)|"
    # "led Biden to express": the one led to speak speaks.
    r"(?<=\bto )express|"
    # "dismissed the warrant as", "slammed the move as": a judgement in the speaker's words.
    r"dismissed|rejected|condemned|slammed|branded|decried|derided|lauded|welcomed|"
    r"warning|declaring|announcing|writing|characterized|characterised|referred|concurred|"
    r"attacked|insisting|accusing|stating|informed|observing|read|reads|demanded|appealed|"
    r"tweeting|posting|recommended|reported|recounted|remarking|commenting|explaining|arguing|"
    # "talked of Munk's \"countless discoveries\"": speaking of something in words quoted.
    r"talked of|spoke of|speaks of|talks of|speaking of|talking of|"
    # "as X put it, "..."": the words are X's.
    r"put[ ]it|puts[ ]it|reasoned|"
    # More reporting verbs of news copy: labels ("termed it", "likened it to", "summed up the
    # talks as"), disclosures, appeals, guesses, rebuttals, emphasis, praise and rebuke. Only
    # the past and the -ing form (and "thinks"), never after a determiner: "contests", "the
    # proposed deal" and "an estimated 300" are nouns and adjectives.
    r"(?<!the )(?<!\ba )(?<!\ban )(?<!['’]s )(?<!\bits )(?<!\bhis )(?<!\bher )(?<!\btheir )"
    r"(?:(?:term|tout|liken|reveal|disclos|mention|hint|repeat|restat|remind|implor|begg?|"
    r"invit|propos|challeng|speculat|regrett?|reckon|estimat|opin|refut|rebutt?|contest|"
    r"highlight|underscor|voic|flagg?|applaud|commend|celebrat|rebuk|scold|chastis|"
    r"castigat|censur|reprimand|extoll?|salut|confid)(?:e?d|ing)|thinks|thought)|"
    r"swore|swearing|summed[ ]up|summing[ ]up|lashed[ ]out|railed|"
    # "went on to add", "went on to say": the base form after "to".
    r"(?<=on to )(?:add|say|note|tell|explain|stress|warn|write))"
)
# A transitive verb right before a name makes the name its object ("greeted Macron").
OBJECT_BEFORE = re.compile(
    # "greeted Macron", "met with Prime Minister Olmert": the one met is no speaker.
    r"\b(?:[a-z]{3,}ed|met|meets|with)\s+"
    r"(?:(?:[A-Z][\w.-]*|the|his|her|their|its|[a-z]+-[a-z]+)\s+){0,4}$"
)
WEAK_VERB = re.compile(WEAK_VERBS)
GERUND_AFTER = re.compile(r"\b(?:for|of|by|about|without|against|from)\s+$")
PASSIVE_RE = re.compile(r"\b(?:be|been|being|was|were|is|are)\s+$")
# "so-called" marks a scare quote, not a speaker.
SPEECH_RE = re.compile(rf"(?<!so-)\b{SPEECH}\b")
INVERTED = re.compile(
    r"\s*(?:Said|Says|Remarked|Added|Wrote|Noted|Explained|Commented|Observed|Declared|"
    r"Continued|Recalled|Concluded|Tweeted)\s+"
)
# After a quote, a comma or dash leads to its speaker; a semicolon to another clause. Right
# after a comma or dash the subject may carry a long affiliation and role ('"...", Leeds City
# University criminology professor Ann Roe told the press'): up to 90 characters then.
AFTER_WHO_VERB = re.compile(
    rf"^(?:[\s.!?]*[,—–-][\s,—–-]*(?P<long>)|[\s,.!?—–-]*)"
    rf"(?![\s,]*(?:while|and|but|as|when|whereas|after|before|because)\b)"
    rf"(?P<who>[^;:\"“”]{{1,90}}?)\s+{SPEECH}\b"
)
UNKNOWN = "quote:unknown"
# "his counterpart said", "His wife said": a noun after these names the speaker, not them.
POSSESSIVES = frozenset(["his", "her", "their"])
REPORTED_VERB = re.compile(r"\s+(?:reported|reports)")
DASH_WHO = re.compile(r"[\s.,]*[—–]\s*[\u200b\u200c\u200d]*\s*")
# A subordinate clause that opens the sentence with its own speech verb before the quote.
SUBORDINATE_SAYS = re.compile(
    rf"\s*(?:After|When|While|As|Although|Though|Because|Since|Before|If|Even though)\s"
    rf"[^,;\"“”]*\b{SPEECH}\b"
)
# "X, who ..., said" and "X, a lawyer representing Y, told": the clause between describes X.
RELATIVE_TO_VERB = re.compile(
    # "X, responding to Y's comments, said": a participle's phrase describes X too.
    r"\s*,\s*(?:who|a|an|another|the|his|her|their|its|responding|reacting|referring|"
    r"speaking|commenting|writing|replying|asked|addressing|standing|sitting)\s+"
    r"[^,;\"“”]{1,80},\s*"
    r"(?:(?:also|later|then|further)\s+)?"
)
NAMED_SUBJECT = re.compile(r"(?:the\s+)?(?:[A-Z][\w.'’-]*\s*){1,4}|the(?:\s+[a-z]+){1,3}")
GAP_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "of",
        "by",
        "on",
        "from",
        "at",
        "for",
        "and",
        "former",
        "then",
        "acting",
        "outgoing",
        "incoming",
        "deputy",
        "senior",
        "chief",
    ]
)
STRANGER_AFTER = re.compile(
    r"(?:(?:the|a|an|former|then)\s+)?(?:[a-z-]+\s+){0,3}[A-Z][a-z]+\s+[A-Z]"
)
AFTER_VERB_WHO = re.compile(rf"^[\s,.;:!?—–-]*{SPEECH}\s+")
# Platforms on which people post: "on Twitter", "via Instagram" name the medium.
PLATFORMS = "|".join(PLATFORM_NAMES)
PLATFORM_WORD = re.compile(PLATFORMS)
MEDIUM_RE = re.compile(
    rf"(?:\b(?:on|via|through|to)(?=\s+(?:{PLATFORMS})\b)|"
    # "posted to her Twitter account", "on its Facebook page".
    rf"\b(?:to|on|in)\s+(?:his|her|its|their|the)(?:\s+(?:official|personal|verified|own))?"
    rf"(?=\s+(?:{PLATFORMS})\b)|"
    # "In a Facebook post", "in an Instagram video": the platform names the medium.
    rf"\b[Ii]n\s+(?:an?|his|her|its|their|the)(?=\s+(?:{PLATFORMS})\s+(?:post|video|message|"
    r"tweet|statement|story|live|livestream|broadcast|thread|update|address)\b)|"
    # "as reported by X", "remarks carried by X", "was quoted as saying by X": the outlet
    # that carries the words, as "according to X" does.
    r"\b(?:reported|carried|published|broadcast|aired|released|quoted\s+as\s+saying)\s+by"
    # "published by the state news agency IRNA": the kind of outlet may come first.
    r"(?=\s+(?:the\s+)?(?:[a-z]+\s+){0,3}[A-Z])|"
    # '"...," said X per ABC News': "per" names the outlet as "according to" does.
    r"\bper(?=\s+(?:the\s+)?[A-Z])|"
    r"(?i:\b(?:wrote\s+in|writing\s+in|told|telling|according\s+to|interviewed\s+by|"
    r"(?:speaking|spoke|speaks)\s+(?:to|with|on)|(?:said|wrote|posted|announced)\s+on|"
    r"in\s+(?:an?|his|her|their|the)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:(?:interview|article|op-ed|letter|column|broadcast|post)\s+(?:with|to|for|in|on)|"
    # A speech is given somewhere: "a speech in Ohio" names no medium, "a talk at X" may.
    r"(?:speech|address|talk|remarks|lecture)\s+(?:to|at|before|on))|"
    r"[Ii]n\s+(?:(?:his|her|their|the)\s+)?(?:remarks|comments|statements?)\s+to)))\s+|"
    # "said on Voice of America's programme", "commented ... to The EastAfrican".
    # "commented on the death to The EastAfrican": the topic may come between.
    # "explained to Wikinews", "described Day to the BBC": the listener is the outlet.
    r"\b(?:speaking|spoke|said|commented|wrote|talking|explained|described|confirmed)"
    r"(?:\s+(?:on|about)(?:\s+[\w'’-]+){1,5}?|\s+[A-Z][\w'’-]+)?"
    r"\s+to\s+(?=[A-Z]|the\s+[A-Z])|"
    # "quoted by Tass", "in a BBC interview", "Tass quoted X as saying" (the outlet is found
    # after "quoted by", before "interview", and for the last, by _quoted_by).
    r"\bquoted\s+by\s+(?:the\s+)?|"
    r"\b[Ii]n\s+(?:an?|his|her|their|the)\s+(?=[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*)*\s+"
    r"(?:interview|broadcast|op-ed|column|article|podcast|programme|program|show)\b)|"
    r"\b(?:spoke|speaking|said|appeared)\s+on\s+(?=[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*)*['’]s\s)|"
    # "On CNN, Biden said", "During an appearance on Fox News,": an opening phrase names it
    # (only an outlet's name passes, not "On Tuesday,").
    r"\bOn\s+(?=[A-Z][\w&.'’-]*(?:\s[A-Z][\w&.'’-]*)*,)|\bappearance\s+on\s+"
)
ROLE_THEN_CAPS = re.compile(r"(?:[a-z][\w-]*\s+){1,3}[A-Z]")
# A name: capitalised words, numbers, "&" and the small words of outlets' names inside it
# ("BBC Radio 4", "Fox & Friends", "Bild am Sonntag", "Corriere della Sera").
CAPS_RE = re.compile(
    # "al-Jazeera": the Arabic article, in lower case, belongs to the name.
    r"(?:\b(?<!-)al-)?[A-Z][\w'’&.-]*(?:\s(?:[A-Z]|\d+\b|&\s[A-Z]|(?:am|della|del|di|de|der)\s[A-Z])"
    r"[\w'’&.-]*)*\s?"
)
REPORTER_RE = re.compile(
    r"(?:\bas\s+(?:the\s+)?(?P<a>(?:[A-Z][\w'’&.-]*\s?){1,4})\s+reports?\b|"
    r"(?P<b>$^)?"
    r"(?P<c>(?:[A-Z][\w'’&.-]*\s?){1,4})\s+(?:reported|reports)\b)"
)
# The nouns of outlets, once: what print calls itself, and the wider sets built on it.
PRINT_NOUNS = ("newspaper", "daily", "weekly", "magazine")
# "the party paper, the Rodong Sinmun": nouns that a paper's name stands in apposition to.
APPOSITION_NOUNS = ("paper", *PRINT_NOUNS, "outlet", "broadcaster")
APPOSITION_RE = re.compile(
    rf"(?:{'|'.join((*APPOSITION_NOUNS, 'channel', 'agency', 'network', 'station'))})?"
    r",\s+the\s+(?P<name>(?:[A-Z][\w'’&.-]*\s?){1,4})"
)
QUOTE_MARK = re.compile(r'["“”]')
OF_NAME = re.compile(r"of\s+(?:the\s+)?(?P<name>[A-Z][\w'’&.-]*(?:\s[A-Z][\w'’&.-]*)*)")
# Who, not where, a name after "told" is ("told host X", "told X radio host Y").
PERSON_NOUNS = frozenset(
    [
        "host",
        "anchor",
        "reporter",
        "reporters",
        "journalist",
        "journalists",
        "interviewer",
        "presenter",
        "correspondent",
        "editor",
        "columnist",
        "commentator",
        # "told visiting U.S. senators": people, not an outlet.
        "senators",
        "officials",
        "lawmakers",
        "legislators",
        "diplomats",
        "leaders",
        "delegates",
        "members",
        "students",
        "supporters",
        "ministers",
        "voters",
        "soldiers",
        "troops",
        "businessmen",
        "investors",
        "executives",
        "congressmen",
        "residents",
        "workers",
    ]
)
PERSON_NOUN_AFTER = re.compile(
    r"(?:(?:radio|television|tv|talk|show|news)\s+)*(?:" + "|".join(sorted(PERSON_NOUNS)) + r")\b",
    re.I,
)
# Words that open a clause: a name after them is no longer the one the trigger names.
CLAUSE_WORDS = frozenset(
    ["that", "which", "who", "whether", "if", "because", "when", "while", "and", "but"]
)
# Kinds of media written with a capital, which name no outlet ("on state TV").
MEDIA_KINDS = frozenset(["TV", "Radio", "Television", "Internet", "Web"])
# "Foreign Policy magazine": the noun after an outlet's name.
OUTLET_NOUN_TAIL = re.compile(rf"\s+(?:{'|'.join((*PRINT_NOUNS, 'journal'))})$")
OUTLET_NOUN_AFTER = re.compile(
    rf"(?:{'|'.join(PRINT_NOUNS)}|journal|news\s+agency|radio|television|TV|channel|website)\b"
)
TITLE_WORDS = frozenset(
    w for t in LEADER_TITLES + OTHER_TITLES for w in t.split() if w not in ("of", "state")
)


def _is_role_word(word: str) -> bool:
    """Whether a word names a role a person holds ("Fellow", "glaciologist", "minister").

    >>> _is_role_word("Fellow"), _is_role_word("glaciologist"), _is_role_word("pursue")
    (True, True, False)
    """
    w = word.lower()
    return w in TITLE_WORDS or ROLE_NOUN.fullmatch(w) is not None


NOT_MEDIA = frozenset(
    [
        "He",
        "She",
        "They",
        "It",
        "We",
        "I",
        "His",
        "Her",
        "The",
        "A",
        "On",
        "In",
        "At",
        "There",
        "What",
        "Nobody",
        "People",
        "This",
        "That",
        "These",
        "Those",
        "If",
        "When",
        "Why",
        "How",
        "Who",
        "Everyone",
        "Everybody",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        *WEEKDAY_NAMES,
    ]
)


@dataclass
class Quote:
    """A quoted span: offsets of its content (marks excluded) and the chain it belongs to."""

    start: int
    end: int
    text: str
    chain: int


@dataclass
class FoundStatement:
    speaker: str
    quote: Quote
    sentence: int
    medium: str | None = None
    reported_by: str | None = None
    confidence: float = 0.9
    rule: str = ""


def find_quotes(text: str, body_start: int) -> list[Quote]:
    """Every quoted span of the body, across paragraphs when a quote reopens."""
    quotes: list[Quote] = []
    i, n = body_start, len(text)
    chain = 0
    while i < n:
        c = text[i]
        if c in OPEN and _opens(text, i):
            close = OPEN[c]
            j = i + 1
            while j < n:
                if (
                    text[j] == '"'
                    and close == '"'
                    and j + 1 < n
                    and text[j - 1].isspace()
                    and not text[j + 1].isspace()
                ):
                    break  # a straight quote that opens again: the last one was never closed
                # „...“ (German) and „...” (Hungarian, Polish) both close.
                if text[j] == close or (close in ('"', "“") and text[j] == "”"):
                    break
                if (
                    close == "”"
                    and text[j] == '"'
                    and not text[j - 1].isspace()
                    and (j + 1 == n or not text[j + 1].isalnum())
                ):
                    break  # '“...," Roe said': web copy may close a curly quote straight
                if text[j] == "\n" and re.match(r"\n[ \t]*\n|\n[ \t]+", text[j:]):
                    break  # paragraph end with the quote still open
                j += 1
            content = text[i + 1 : j]
            if content.strip():
                quotes.append(Quote(i + 1, j, content, chain))
            if j < n and text[j] == '"' and text[j - 1].isspace():
                i = j  # reopened without closing: same chain
                continue
            if j < n and text[j] in ('"', "”", "“"):
                chain += 1
                i = j + 1
                continue
            # Open at the paragraph's end: it continues if the next paragraph opens a quote.
            k = j
            while k < n and text[k].isspace():
                k += 1
            if k < n and text[k] in OPEN:
                i = k  # same chain
                continue
            chain += 1
            i = j
            continue
        i += 1
    return quotes


def _opens(text: str, i: int) -> bool:
    # A straight quote opens after a space, a line start or an opening bracket.
    if text[i] != '"':
        return True
    return i == 0 or text[i - 1] in " \n\t([—–-:"


def find_statements(
    text: str,
    body_start: int,
    sents: list[Sentence],
    table: EntityTable,
    skipped: list[tuple[Quote, str]] | None = None,
) -> list[FoundStatement]:
    """Attribute each quote to a speaker (skipping those with none and bare scare quotes).

    ``skipped``, when given, receives each quote left out and why ("no speaker", "speaker
    not known", "title", "document", "short", "not a speaker"): what ``kg extract
    --explain`` prints, and what ``make eval-heldout`` counts.
    """
    skip = skipped.append if skipped is not None else lambda _: None
    quotes = find_quotes(text, body_start)
    interviews = _interviews(sents, table)
    out: list[FoundStatement] = []
    chain_speaker: dict[int, str] = {}
    last_speaker: tuple[int, str] | None = None  # (sentence index, speaker)
    medium_of: dict[str, tuple[int, str]] = {}  # speaker -> (paragraph, medium key)
    reporter_of: tuple[int, str] | None = None  # (paragraph, reporter key)
    for q in quotes:
        idx = _sentence_of(sents, q.start)
        if idx is None:
            continue
        s = sents[idx]
        end_idx = _sentence_of(sents, max(q.start, q.end - 1)) or idx
        e = sents[end_idx]
        before = text[s.start : q.start - 1].replace("\n", " ")
        after = text[q.end + 1 : e.end].replace("\n", " ")
        if NAMED_THING.search(before):
            skip((q, "title"))
            continue  # 'a song called "Day after Day,"': a title, not words said
        if UNDER_DOCUMENT.search(before):
            skip((q, "document"))
            continue  # 'Under the constitution, the president "shall be elected"': a text
        speaker, rule = _speaker(q, s, e, before, after, table, quotes)
        if rule == UNKNOWN:
            last_speaker = None
            skip((q, "speaker not known"))
            continue  # a speaker is named, but not one the rules know: not the last one
        if speaker is None and q.chain in chain_speaker:
            speaker, rule = chain_speaker[q.chain], "quote:continued"
        if speaker is None and (DOCUMENT_AFTER.match(after) or DOCUMENT_BEFORE.match(before)):
            # 'X released a statement. "...," it read': the document's issuer speaks.
            release = _release_before(sents, idx)
            speaker = _issuer(sents, release, table) if release is not None else None
            if release is None and not ISSUED.search(s.text):
                # With no release named, the statement is the body's that spoke last
                # ('..., the ministry announced. "...," the statement said').
                speaker = _last_body(table, idx, last_speaker, q.start)
            rule = "quote:document" if speaker else rule
        if speaker is None and out and out[-1].sentence == idx:
            # '"...," reads Judge Roe's statement, "...": the rest of a quote that an
            # attribution breaks, in the same sentence ('"...," said Ruto; "..."' too).
            gap = text[out[-1].quote.end + 1 : q.start - 1]
            if len(gap) <= 80 and SPEECH_RE.search(gap) and gap.rstrip().endswith((",", ":", ";")):
                speaker, rule = out[-1].speaker, "quote:continued"
        if speaker is None and (
            rule == "quote:its" or IT_SAID_AFTER.match(after) or IT_SAID_BEFORE.search(before)
        ):
            # '"...," it said', 'It added: "..."': the body that spoke last.
            speaker = _last_body(table, idx, last_speaker, q.start)
            rule = "quote:it" if speaker else rule
        if speaker is None and not after.strip(' "”'):
            # '"... a trial." Pelosi said.': the attribution split off as a sentence of its own.
            speaker = _said_next(sents, end_idx, table)
            rule = "quote:after" if speaker else rule
        recent = last_speaker is not None and idx - last_speaker[0] <= 2
        if speaker is None and last_speaker and idx - last_speaker[0] <= 1:
            # '"...," further remarking, "..."': a participle after a quote goes on with
            # the words of the one who said it.
            tail = re.split(r'["“”]', before)
            if len(tail) > 1 and GOES_ON.fullmatch(tail[-1]):
                speaker, rule = last_speaker[1], "quote:goes-on"
        if (
            speaker is None
            and not before.strip()
            and idx > 0
            and (
                sents[idx - 1].para == s.para
                # 'X tweeted:' closing a paragraph, the quote set apart as the next one; or
                # 'X spoke to reporters on Monday.' closing it, the paragraph all quote.
                or (
                    s.para - sents[idx - 1].para == 1
                    and (
                        sents[idx - 1].text.rstrip().endswith(":")
                        or _paragraph_is_quote(text, s, q, quotes)
                    )
                )
            )
            and not (last_speaker and last_speaker[0] == idx - 1)
            and not _quote_is_a_name(q.text, after)
        ):
            # 'McGurk also criticized the decision via Twitter. "The statement ..."'
            speaker = _announcer(sents[idx - 1], idx - 1, table) or _agent_of(sents[idx - 1], table)
            if speaker is None and idx > 1 and DOCUMENT_READ.match(sents[idx - 1].text):
                # 'X released a statement. It read in part: "..."': whoever released it.
                speaker = _announcer(sents[idx - 2], idx - 2, table)
            rule = "quote:previous" if speaker else rule
        if (
            speaker is None
            and recent
            and not before.strip()
            and not _quote_is_a_name(q.text, after)
        ):
            speaker, rule = last_speaker[1], "quote:previous"  # type: ignore[index]
            other = _other_named_before(sents, idx, speaker, quotes, table)
            if other is not None:
                speaker = other
        words = len(q.text.split())
        if speaker is None or (_is_title(q.text) and TITLE_BEFORE.search(before)):
            skip((q, "no speaker" if speaker is None else "title"))
            continue  # 'read the novel "War and Peace"', 'his event, "Storm the Gates"'
        # One or two words: a scare quote, or a piece of a longer quote ('"However," he
        # said, "..."'), or a bare "No," which says little; kept only as what a reported
        # clause says something was ('said Putin was "dependent" on').
        if words <= 2 and not (_attributed(before, after) and not _is_utterance(q.text)):
            skip((q, "short"))
            continue
        if table.get(speaker).type not in (
            EntityType.LEADER,
            EntityType.PERSON,
            EntityType.ORGANIZATION,
            EntityType.STATE,
        ):
            skip((q, "not a speaker"))
            continue
        chain_speaker[q.chain] = speaker
        last_speaker = (end_idx, speaker)
        scope = s.text + " " + (e.text if e is not s else "")
        if idx > 0 and sents[idx - 1].para == s.para:
            scope = sents[idx - 1].text + " " + scope  # the scene is often set just before
        # The attribution around the quotes: their own words say nothing of the medium.
        own = _blank_quotes(s, quotes) + " " + (_blank_quotes(e, quotes) if e is not s else "")
        # 'X told MSNBC "...", while Y noted "..." on Twitter': with other quotes in the
        # sentence, the words between this quote's neighbours name its medium first.
        medium = _body(
            MEDIUM_RE,
            _between_quotes(text, q, s, e, quotes),
            table,
            EntityType.PUBLICATION,
            speaker,
        )
        if medium is None:
            medium = _body(MEDIUM_RE, own, table, EntityType.PUBLICATION, speaker)
        if medium is not None and table.get(medium).label == table.get(speaker).label:
            medium = None  # an organisation quoted in its own statement
        if (
            medium is None
            and idx > 0
            and (sents[idx - 1].text.rstrip().endswith(":") or rule == "quote:previous")
        ):
            # 'X responded on Twitter:' introducing the quote: the medium is named there.
            medium = _body(MEDIUM_RE, sents[idx - 1].text, table, EntityType.PUBLICATION, speaker)
            if medium is not None and table.get(medium).label == table.get(speaker).label:
                medium = None  # "A statement released by the White House read:"
        if medium is None:
            medium = _told_earlier(sents, idx, speaker, table)
        if medium is None:
            medium = _quoted_by(own, table)
        if medium is None:
            medium = _document(sents, idx, speaker, table)
        if medium is None:
            # The interview named before, or in the paragraph right after ('"...," he said.
            # / Mr. Bush spoke Friday in an interview with al-Hurra.').
            medium = next(
                (w for at, who, w in interviews if speaker in who and -1 <= s.para - at <= 10),
                None,
            )
        if medium:
            medium_of[speaker] = (s.para, medium)
        elif speaker in medium_of and s.para - medium_of[speaker][0] <= 1:
            medium = medium_of[speaker][1]
        reporter = _reporter(scope, table)
        if reporter:
            reporter_of = (s.para, reporter)
        elif reporter_of and reporter_of[0] == s.para:
            reporter = reporter_of[1]
        out.append(
            FoundStatement(
                speaker, q, idx, medium, reporter, 0.6 if rule == "quote:previous" else 0.9, rule
            )
        )
    return _join_broken(text, out)


# '"Three months ago," he said, "I entered the race"': only an attribution between two quotes.
BROKEN_BY = re.compile(
    rf"[\s,—–-]*(?:[\w.'’-]+\s+){{0,4}}?{SPEECH}(?:\s+[\w'’-]+){{0,3}}?[\s,:—–-]*"
)


def _join_broken(text: str, found: list[FoundStatement]) -> list[FoundStatement]:
    """One statement for a quote that an attribution breaks in one sentence ('"Three months
    ago," he said, "I entered the race"'): the first part ends with a comma, the words
    between are only the speaker and the verb, and both parts have the same speaker.

    >>> t = '"Years ago," he said, "we began." Then "no," she said, "never."'
    >>> q = find_quotes(t, 0)
    >>> out = _join_broken(t, [FoundStatement("a", q[0], 0), FoundStatement("a", q[1], 0),
    ...     FoundStatement("b", q[2], 1), FoundStatement("c", q[3], 1)])
    >>> [f.quote.text for f in out]
    ['Years ago, we began.', 'no,', 'never.']
    """
    out: list[FoundStatement] = []
    for f in found:
        prev = out[-1] if out else None
        if prev is None or prev.speaker != f.speaker or prev.sentence != f.sentence:
            out.append(f)
            continue
        gap = text[prev.quote.end + 1 : f.quote.start - 1]
        if prev.quote.text.rstrip().endswith(",") and BROKEN_BY.fullmatch(gap):
            out[-1] = _joined_pieces(prev, f, " ")
        elif SPANS_JOINED.fullmatch(gap):
            # 'called for "free and fair elections" and "an end to violence"': one statement
            # of two pieces, the words left out between them marked.
            out[-1] = _joined_pieces(prev, f, " … ")
        else:
            out.append(f)
    return out


def _joined_pieces(prev: FoundStatement, f: FoundStatement, sep: str) -> FoundStatement:
    """One statement of two quoted pieces of the same speaker, ``sep`` between their words."""
    q = Quote(
        prev.quote.start,
        f.quote.end,
        f"{prev.quote.text.strip()}{sep}{f.quote.text.strip()}",
        f.quote.chain,
    )
    return replace(
        prev,
        quote=q,
        medium=prev.medium or f.medium,
        reported_by=prev.reported_by or f.reported_by,
        confidence=max(prev.confidence, f.confidence),
    )


SPANS_JOINED = re.compile(r"\s*(?:,|and|or|,\s*and|as\s+well\s+as)\s*")


# "provided Wikinews with his plan", "after inquiry from the Tribune", "spoke to the BBC": the
# people of that sentence answer that outlet, in the paragraphs that follow too.
INTERVIEW_RE = re.compile(
    r"\b(?:(?:inquir(?:y|ies)|questions?|requests?)\s+(?:from|by)|provided|proposed\s+to|"
    r"(?:spoke|speaking|talked|talking)\s+(?:to|with)|told|tells|responded\s+to|answered|"
    r"in\s+(?:an?\s+)?(?:e-?mail|interview|statement|remarks)\s+(?:to|with)|"
    # "had his first full interview since his inauguration, on Al Arabiya television".
    r"interview\b[^.;:\"“”]{0,50}?\s+(?:on|with|to))\s+(?:the\s+)?$",
    re.I,
)


def _interviews(sents: list[Sentence], table: EntityTable) -> list[tuple[int, set[str], str]]:
    """(paragraph, people, outlet) for each sentence whose people address a known outlet."""
    out = []
    for i, s in enumerate(sents):
        outlets = [
            m
            for m in table.mentions
            if m.sentence == i
            and m.kind == "org"
            and m.ref
            and table.get(m.ref).type == EntityType.PUBLICATION
            and INTERVIEW_RE.search(s.text[max(0, m.start - s.start - 70) : m.start - s.start])
        ]
        if not outlets:
            continue
        people = {
            m.ref
            for m in table.mentions
            if m.sentence == i and m.ref and m.kind in ("person", "role", "pronoun")
        }
        out.append((s.para, people, outlets[0].ref))  # type: ignore[arg-type]
    return out


GOES_ON = re.compile(
    rf"[\s,.;—–-]*(?:and\s+)?(?:(?:further|also|then|later|before|again)\s+)?{SPEECH}[\s,:]*"
)
IT_SAID_AFTER = re.compile(rf"^[\s,.!?—–-]*it\s+(?:also\s+|later\s+)?{SPEECH}\b")
IT_SAID_BEFORE = re.compile(rf"\b[Ii]t\s+(?:also\s+|later\s+|further\s+)?{SPEECH}[^\"“”]{{0,40}}$")


def _last_body(
    table: EntityTable, idx: int, last_speaker: tuple[int, str] | None, until: int
) -> str | None:
    """The organisation an "it" that speaks refers to: the last speaker if a body, else the
    last body named in this or the two sentences before, before ``until`` (the quote's start:
    a body named in the words said is not who says them)."""
    if last_speaker and last_speaker[1].startswith("org:") and idx - last_speaker[0] <= 3:
        return last_speaker[1]
    bodies = [
        m.ref
        for m in table.mentions
        if m.kind == "org"
        and m.ref
        and idx - 2 <= m.sentence <= idx
        and m.start < until
        and table.get(m.ref).type == EntityType.ORGANIZATION
    ]
    return bodies[-1] if bodies else None


def _other_named_before(
    sents: list[Sentence], idx: int, last: str, quotes: list[Quote], table: EntityTable
) -> str | None:
    """The one person the sentence right before a quote that stands alone names, when that
    sentence has no quote of its own and does not name the last speaker ('..., leaving coach
    Ann Roe unimpressed. "One of them was fair."'): the quote turns to that person."""
    if idx == 0 or sents[idx - 1].para != sents[idx].para:
        return None
    prev = sents[idx - 1]
    if any(prev.start <= q.start < prev.end for q in quotes):
        return None
    named = {
        m.ref
        for m in table.mentions
        if m.sentence == idx - 1 and m.ref and m.kind in ("person", "role", "pronoun")
    }
    if last in named or len(named) != 1:
        return None
    return next(iter(named))


def _quote_is_a_name(text: str, after: str) -> bool:
    """Whether a quote opening a sentence is a name the sentence goes on about ('"Build Back
    Better" calls for ...'), not words said ('"We will win," it said').

    >>> _quote_is_a_name("Build Back Better", " is a plan for higher taxes.")
    True
    >>> _quote_is_a_name("We will win,", " it said."), _quote_is_a_name("We will win.", "")
    (False, False)
    >>> _quote_is_a_name("Green Jobs Now", " calls for a new tax.")
    True
    """
    if text.rstrip()[-1:] in (",", ".", "!", "?", "…", ":", ";"):
        return False
    first = re.match(r"\s+([a-z]+)\b", after)
    # '"Green Jobs Now" calls for a tax': a plan that demands, the quote its subject.
    demands = re.match(r"\s*calls?\s+(?:for|on)\b", after)
    return (
        bool(first)
        and first.group(1) not in ("it", "he", "she", "they", "we")
        and (demands is not None or not SPEECH_RE.match(after.lstrip()))
    )


# A sentence closed by its attribution after a comma: "..., Marcos said on Sunday."
TAIL_SAID = re.compile(
    r",\s+(?P<who>[^,;:\"“”]{1,40}?)\s+(?:said|says|added|told\s+\w+)"
    r"(?:\s+(?:on|late|early)\s+\w+|\s+\w+day)?\s*[.!]?\s*$"
)
AS_SAYING = r"(?:saying|stating|telling|adding|writing|noting)"
QUOTED_AS_SAYING = re.compile(
    r"\b(?P<outlet>[A-Z][\w&.'’-]*(?:\s[A-Z][\w&.'’-]*){0,3})"
    r"(?:\s+(?P<noun>news\s+agency|agency|newspaper|daily|television|TV|broadcaster|channel|"
    r"website))?"
    rf"\s+quoted\s+[^;:]{{1,80}}?\s+as\s+{AS_SAYING}\b"
)
# '"...," ANI quoted Rao as stating': the quoted one named between "quoted" and "as".
QUOTED_AFTER = re.compile(
    rf"^[\s,.!?—–-]*[^;:\"“”]{{1,60}}?\s+quoted\s+(?P<who>[^;:\"“”]{{1,60}}?)\s+as\s+"
    rf"{AS_SAYING}\b"
)


def _quoted_by(text: str, table: EntityTable) -> str | None:
    """The outlet that quotes someone: "the news agency Tass quoted X as saying" names Tass,
    and so does "the Fars news agency quoted X", though Fars is a province too."""
    m = QUOTED_AS_SAYING.search(text)
    if m is None:
        return None
    if m["noun"]:
        name = _outlet_name(m["outlet"])
    else:
        name = _without_person(_clean_body_name(m["outlet"]), table)
    return table.body(name, EntityType.PUBLICATION) if name else None


# Words that open an outlet's description, not its name ("State television", "National radio").
GENERIC_OUTLET_WORDS = frozenset(["State", "National", "Local", "Official", "Public", "Federal"])


def _outlet_name(raw: str) -> str | None:
    """The name before an outlet's noun ("Foreign Policy" of "Foreign Policy magazine"),
    unless it only says whose or what kind the outlet is.

    >>> _outlet_name("Foreign Policy "), _outlet_name("German "), _outlet_name("State ")
    ('Foreign Policy', None, None)
    >>> _outlet_name("Germany's Der Spiegel ")
    'Der Spiegel'
    """
    owner = re.match(r"\s*(\S+)['’]s\s+", raw)
    if owner and Places.default().state(owner.group(1)):
        raw = raw[owner.end() :]  # "Germany's Der Spiegel magazine": whose paper
    name = _clean_body_name(raw)
    words = (name or "").split()
    if not words or all(_is_demonym(w) or w in GENERIC_OUTLET_WORDS for w in words):
        return None
    return name


def _between_quotes(text: str, q: Quote, s: Sentence, e: Sentence, quotes: list[Quote]) -> str:
    """The attribution of one quote among several in its sentence: from the end of the quote
    before it to the start of the next one (empty when it is the sentence's only quote).

    >>> t = 'A told CNN "x y z," while B wrote "u v w" on Facebook.'
    >>> qs = find_quotes(t, 0)
    >>> _between_quotes(t, qs[1], Sentence(0, len(t), t, 0), Sentence(0, len(t), t, 0), qs)
    '" while B wrote " " on Facebook.'
    """
    others = [o for o in quotes if o is not q and s.start <= o.start and o.end <= e.end]
    if not others:
        return ""
    start = max([s.start] + [o.end for o in others if o.end <= q.start])
    end = min([e.end] + [o.start - 1 for o in others if o.start > q.end])
    return text[start : q.start] + " " + text[q.end : end]


def _blank_quotes(s: Sentence, quotes: list[Quote]) -> str:
    """The sentence's text with the words inside its quotes blanked (same length)."""
    chars = list(s.text)
    for q in quotes:
        for k in range(max(q.start, s.start), min(q.end, s.end)):
            chars[k - s.start] = " "
    return "".join(chars)


# Short words a title leaves in lower case ("War and Peace in Our Time").
TITLE_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "nor",
        "but",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "as",
        "into",
        "than",
        "via",
    ]
)


# A determiner and up to two words (and a comma) right before a quote: it is named there.
TITLE_BEFORE = re.compile(
    r"(?:\b(?:[Aa]n?|[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur|[Mm]y)|[A-Z][\w-]*['’]s)"
    # Not "referred to the vote as": a label then, which the speaker gives.
    r"(?:\s+(?!(?:as|to|of|that|was|is|were|are|be|by)\b)[\w-]+){0,2},?\s*$"
    # 'Turkey launched "Operation Peace Spring"': what is launched or named is a name.
    r"|\b(?:launched|launching|unveiled|unveiling|began|begun|started|code-?named|named|"
    r"titled|entitled)\s*$"
)


def _is_title(text: str) -> bool:
    """Whether a quote reads as a title or a name, not words said: two or more words, every
    one capitalised but the small ones, and no closing punctuation of its own ("War and
    Peace in Our Time", "Storm Area 51, They Can't Stop All of Us").

    >>> _is_title("War and Peace in Our Time"), _is_title("Build Back Better")
    (True, True)
    >>> _is_title("We Will Win."), _is_title("We will win"), _is_title("NATO")
    (False, False, False)
    """
    if text.rstrip()[-1:] in (".", ",", "!", "?", "…", ";", ":"):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    big = [w for w in words if w[0].isupper()]
    return len(big) >= 2 and all(w[0].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words)


def _is_utterance(text: str) -> bool:
    """Whether a short quote reads as words said ('No,', 'Never!'), not a name or a term
    ('COVID-19'): it carries its own punctuation."""
    return text.rstrip()[-1:] in (",", ".", "!", "?", "…")


# Verbs that put a label on something ('called it a "mess"', 'described it as "odd"'): a
# short quote after them is the writer's scare quote of a label, not a statement.
LABELLING = frozenset(
    [
        "called",
        "calling",
        "describes",
        "described",
        "describing",
        "labelled",
        "labeled",
        "dubbed",
        "calls",
        "characterized",
        "characterised",
        "branded",
        "termed",
        "referred",
        "attacked",
        "denounced",
        "accused",
        "accusing",
    ]
)
# A short quote after an article or "as" is a label ('denounced it as a "disgrace"').
# Words that may follow a quoted phrase that is said ('"dependent" on', '"mobility" between').
AFTER_SAID_PHRASE = frozenset(
    [
        "on",
        "in",
        "of",
        "to",
        "for",
        "with",
        "between",
        "from",
        "by",
        "at",
        "as",
        "against",
        "about",
        "over",
        "and",
        "or",
        "but",
        "than",
        "that",
        "which",
        "who",
        "while",
        "because",
        "if",
        "when",
    ]
)
NOT_MODIFIERS = AFTER_SAID_PHRASE | frozenset(
    ["was", "is", "were", "are", "be", "been", "being", "had", "has", "have", "it", "they"]
)


def _label_before(near: str) -> bool:
    """Whether a short quote follows "as", or an article and at most two modifiers ('as
    "odd"', 'the Hungarian "outward investment"'), not a clause ('the court was "fair"').

    >>> _label_before("fits the Hungarian "), _label_before("the court was ")
    (True, False)
    """
    words = near.lower().split()[-3:]
    if words[-1:] == ["as"]:
        return True
    for k, w in enumerate(words):
        if w in ("a", "an", "the") and not any(x in NOT_MODIFIERS for x in words[k + 1 :]):
            return True
    return False


def _attributed(before: str, after: str = "") -> bool:
    """Whether a reporting verb before a short quote says someone said it ('Stoltenberg
    said it showed Putin was "dependent" on'), with no other quote in between; not a label
    ('called it a "mess"') nor a word that qualifies a noun ('was in a "serious" condition').

    >>> _attributed('Stoltenberg said it showed Putin was ', ' on his friends.')
    True
    >>> _attributed('He said he was in a ', ' condition'), _attributed('Biden called Trump a ')
    (False, False)
    """
    near = before[-60:]
    verbs = list(SPEECH_RE.finditer(near))
    if not verbs or '"' in near[verbs[-1].end() :] or verbs[-1].group(0) in LABELLING:
        return False
    if _label_before(near):
        return False
    following = re.match(r"\s*([a-z]+)\b", after)
    if following is None:
        return not re.match(r"\s*[(\[]", after)  # '"disarmed" (in Hungarian: ...)': a gloss
    return following.group(1) in AFTER_SAID_PHRASE


def _told_earlier(sents: list[Sentence], idx: int, speaker: str, table: EntityTable) -> str | None:
    """The medium the speaker addressed earlier in the paragraph ("..., he told the BBC.")."""
    s = sents[idx]
    for j in range(idx - 1, -1, -1):
        prev = sents[j]
        if prev.para != s.para:
            break
        mine = [m for m in table.mentions if m.sentence == j and m.ref == speaker]
        for m in MEDIUM_RE.finditer(prev.text):
            at = prev.start + m.start()
            # "..., he told the BBC", "In his interview with CNN": the speaker addresses it.
            if any(at - 40 <= p.end <= prev.start + m.end() for p in mine):
                found = _body(
                    MEDIUM_RE, prev.text[m.start() :], table, EntityType.PUBLICATION, speaker
                )
                if found is not None:
                    return found
    return None


def _sentence_of(sents: list[Sentence], pos: int) -> int | None:
    for i, s in enumerate(sents):
        if s.start <= pos < s.end:
            return i
    return None


def _speaker(
    q: Quote,
    s: Sentence,
    e: Sentence,
    before: str,
    after: str,
    table: EntityTable,
    quotes: list[Quote],
) -> tuple[str | None, str]:
    # A name inside another quote of the sentence is a word said, not who says this one
    # ('"Roe was loved", reads a press release, "a fierce talent"').
    others = [o for o in quotes if o is not q and s.start <= o.start and o.end <= e.end]
    people = [m for m in _may_speak(table) if not any(o.start <= m.start < o.end for o in others)]
    # After: '"...," he said' / '"...," said X'
    after_start = q.end + 1
    dash = DASH_WHO.match(after)
    if dash:
        # '"..." — Aparna Roe, railway manager': a pull quote signed with a dash.
        at = after_start + dash.end()
        who = _mention_in(people, at, at + 40)
        if (
            who is not None
            and who.kind in ("person", "org")
            and re.fullmatch(r"(?:[A-Z][\w.-]*\s+){0,3}", text_between(e, at, who.start))
        ):
            return who.ref, "quote:after"
    quoted = QUOTED_AFTER.match(after)
    if quoted:
        # '"...," ANI quoted Rao as stating': the one quoted speaks; the outlet is the medium.
        who = _mention_in(
            people, after_start + quoted.start("who"), after_start + quoted.end("who")
        )
        if who is not None and who.kind != "org":
            return who.ref, "quote:after"
    m = AFTER_WHO_VERB.match(after)
    if m and SUBORDINATE_SAYS.match(before):
        # 'After X said it was "...," Y replied that ...': the quote is in the clause before,
        # whose own speaker said it; the name after it opens the main clause.
        m = None
    # A comma inside the closing mark ('"...," Ann Roe of the county water office said')
    # leads to the speaker as one after it does.
    comma_inside = re.search(r",\]?\s*$", q.text) is not None
    if m and m["long"] is None and len(m["who"]) > 60 and not comma_inside:
        m = None  # '"keep the heat on" the administration to ..., officials said': no speaker
        tail = TAIL_SAID.search(after)
        who = (
            _mention_in(people, after_start + tail.start("who"), after_start + tail.end("who"))
            if tail and not before.strip(' "“').endswith(":")
            else None
        )
        if who is not None and who.kind in ("person", "pronoun") and not SPEECH_RE.search(before):
            # 'atolls that are "closer and closer" to the coast, ..., Marcos said.': the whole
            # sentence is the words of the one its closing attribution names.
            return who.ref, "quote:after"
    if m and REPORTED_VERB.fullmatch(after[m.end("who") : m.end()]):
        # '"...," the Anadolu Agency reported': the outlet that carries the words, whose
        # speaker is named before the quote; it is the medium, found by the medium rules.
        m = None
    if m:
        who = _mention_in(people, after_start + m.start("who"), after_start + m.end("who"))
        if (
            who is not None
            and who.kind == "pronoun"
            and who.text.lower() in POSSESSIVES
            and who.end < after_start + m.end("who")
        ):
            # '"...," his counterpart said': the one the noun names, not whose he is.
            who = _mention_in(people, who.end, after_start + m.end("who"))
            if who is None:
                return None, UNKNOWN
        if who:
            head = _head_of_body(who, e, table)
            if head is not None:
                return head, "quote:after"
            return _person_behind(who, people, e, after_start + m.end("who")).ref, "quote:after"
        state = _state_named(m["who"], after_start + m.start("who"), table)
        if state is not None:
            return state, "quote:state"  # '"...," China said': the state speaks
        if DOCUMENT_AFTER.match(after):
            return None, ""  # '"...," the statement said': its issuer, found by the caller
        if NAMED_SUBJECT.fullmatch(m["who"]):
            return None, UNKNOWN  # '"...," Cengiz said': someone the rules do not know
        if re.match(r"\s*(?:a|an|one|another)\s", m["who"]):
            return None, UNKNOWN  # '"...," a Russian spokesman said': someone unnamed
    m = AFTER_VERB_WHO.match(after) if not SUBORDINATE_SAYS.match(before) else None
    if m and "according" in m.group(0):
        # '"...," according to NBC': the source that reports it, not who said it; but
        # '"...," according to Foreign Minister X' names the one whose words they are.
        named = _mention_in(
            [p for p in people if p.ref.startswith("person:") and p.kind == "person"],  # type: ignore[union-attr]
            after_start + m.end(),
            after_start + min(len(after), m.end() + 60),
        )
        if named is not None and _names_lead_to(after[m.end() : named.start - after_start]):
            return named.ref, "quote:after"
        m = None
    if m:
        who = _mention_in(
            people, after_start + m.end(), after_start + min(len(after), m.end() + 60)
        )
        if who is not None and who.kind == "pronoun" and who.text.lower() in ("his", "her"):
            # '"...," said his father, Abdullah Roe': the relative named after the noun.
            named = _mention_in(
                [p for p in people if p.kind != "pronoun"],
                who.end,
                after_start + min(len(after), m.end() + 60),
            )
            gap = after[who.end - after_start : named.start - after_start] if named else ""
            if named is not None and re.fullmatch(r"\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?,\s*", gap):
                who = named
        if who is not None:
            # The person behind a body may stand further on, behind her long title.
            who = _person_behind(who, people, e, after_start + min(len(after), m.end() + 90))
        # 'said Caloundra coach Geoff Ingram', not '..., adding Iran will pursue Trump'.
        if who and _names_lead_to(after[m.end() : who.start - after_start]):
            return who.ref, "quote:after"
        if who is None and STRANGER_AFTER.match(after, m.end()):
            return None, UNKNOWN  # '"...," tweeted former executive Ken Gude': not known
        if who is None and re.match(r"(?:a|an|one|another)\s+[a-z]", after[m.end() :]):
            return None, UNKNOWN  # '"...," said a protester': someone unnamed
    # 'Remarked scientist Tierra Curry, "..."', 'Said the minister, "..."': the verb opens the
    # sentence and the speaker follows it.
    inverted = INVERTED.match(before)
    if inverted:
        # The name right before the quote, not the body of an affiliation before it.
        at = s.start + inverted.end()
        named = next(
            (
                p
                for p in people
                if at <= p.start < q.start
                and re.fullmatch(r"[\s,:]*", text_between(s, p.end, q.start - 1))
            ),
            None,
        )
        if named and _names_lead_to(text_between(s, at, named.start)):
            return named.ref, "quote:before"
    # "X was described by the CBCP as \"...\"": the agent of a passive labelling verb speaks;
    # so does the one who told ("Y was told by X that \"...\""), or whose words they are ("In
    # X's words, the talks were \"...\"").
    agent = (
        BY_AGENT.search(before)
        or TOLD_BY.search(before)
        or IN_WORDS.search(before)
        or SIGNED_BY.search(before)
        or FROM_AGENT.search(before)
    )
    if agent:
        named = _mention_in(people, s.start + agent.start("agent"), s.start + agent.end("agent"))
        if named is not None:
            return named.ref, "quote:by"
    # "Roe's statement read:", "Her letter said": the owner of the words speaks.
    reply = OWNED_REPLY.search(before)
    if reply:
        at = s.start + (reply.start("own") if reply["own"] else reply.start())
        owner = next(
            (p for p in reversed(people) if s.start <= p.start <= at and p.end <= at + 3), None
        )
        if owner is not None and re.fullmatch(
            r"\s*(?:['’]s)?\s*", text_between(s, owner.end, at + (0 if reply["own"] else 2))
        ):
            return owner.ref, "quote:owner"
    doc = OWNED_WORDS.search(before)
    if doc:
        at = s.start + doc.start()
        owner = next((p for p in reversed(people) if s.start <= p.start and p.end <= at + 2), None)
        owned = text_between(s, owner.end, at + 2) if owner is not None else ""
        if owner is not None and re.fullmatch(r"\s*(?:['’]s)?\s*", owned):
            return owner.ref, "quote:owner"
        if doc["own"] and doc["own"].lower() in ("its", "their"):
            return None, "quote:its"
    # Before: 'X said: "..."', 'X called it "..."'
    # "the king would be told ...": a passive speech verb names the listener, not the speaker.
    # "was directing" is no passive: an -ing form after "was" still has its subject speak.
    verbs = [
        v
        for v in SPEECH_RE.finditer(before)
        if (v.group(0).endswith("ing") or not PASSIVE_RE.search(before[: v.start()]))
        # "charged him for proclaiming victory": a gerund after a preposition says nothing.
        and not (v.group(0).endswith("ing") and GERUND_AFTER.search(before[: v.start()]))
    ]
    if verbs:
        v = verbs[-1]
        if WEAK_VERB.fullmatch(v.group(0)):
            # "with Peres noting that Iran and its leader X wants to \"...\"": the words
            # are reported by the one who noted them, not said by the one who wants.
            v = next(
                (
                    w
                    for w in reversed(verbs[:-1])
                    if not WEAK_VERB.fullmatch(w.group(0))
                    and re.search(r"\bthat\b", before[w.end() : v.start()])
                ),
                v,
            )
        v_abs = s.start + v.start()
        # "described Trump's conduct as": an owner is no speaker.
        cands = [
            p for p in people if s.start <= p.start < v_abs and not p.text.endswith(("'s", "’s"))
        ]
        persons = [p for p in cands if p.ref.startswith("person:")]  # type: ignore[union-attr]
        lead = before[: v.start()].rstrip()
        if cands and (
            (v.group(0).endswith("ing") and lead.endswith(","))
            or re.search(r",\s*(?:and|but)$", lead)
            # "X commended Y for his work and said": a second predicate of X's clause.
            or (
                re.search(r"\s(?:and|but)(?:\s+(?:also|then|later))?$", lead)
                and (
                    len(re.findall(r"\b[a-z]+\b", text_between(s, cands[-1].end, v_abs))) >= 3
                    # "Steinmeier greeted Macron and called his visit": Macron is the object.
                    or (
                        len(cands) > 1
                        and OBJECT_BEFORE.search(text_between(s, s.start, cands[-1].start))
                    )
                )
            )
        ):
            # ", accusing the president of", "said ..., and described it as": the speaker is
            # the subject of the clause.
            from kg.extract.entities import is_subject

            if v.group(0).endswith("ing") and re.match(r"\s*It\s", s.text):
                # 'It also thanked Roe for ..., noting "..."': the body that "it" is speaks,
                # not the name in its clause.
                return None, "quote:its"
            # "His UK counterpart, William Hague, said ... but agreed": not the one "his" is.
            subject = next(
                (
                    c
                    for c in cands
                    if is_subject(s.text, c, s.start)
                    and not (c.kind == "pronoun" and c.text.lower() in POSSESSIVES)
                ),
                None,
            )
            if subject is not None:
                return subject.ref, "quote:before"
            if v.group(0).endswith("ing") and lead.endswith(","):
                # "..., demanding \"...\"" with no subject named: see below.
                return None, UNKNOWN
        if cands and lead.endswith(",") and re.search(r"\bincluding\b", lead):
            from kg.extract.entities import is_subject

            if not any(is_subject(s.text, c, s.start) for c in cands):
                # "forty leaders, including X and Y, criticized": the clause's subject is
                # named by no one; those it includes are not it.
                return None, UNKNOWN
        if persons or cands:
            last = (persons or cands)[-1]
            if (
                persons
                and cands[-1].kind == "org"
                and cands[-1].start > persons[-1].end
                and "," in text_between(s, persons[-1].end, cands[-1].start)
                and re.fullmatch(
                    r"\s*(?:[a-z]+ly\s+|also\s+|then\s+)?", text_between(s, cands[-1].end, v_abs)
                )
                and re.search(r"(?:^|,)\s*(?:the\s+)?$", text_between(s, s.start, cands[-1].start))
            ):
                # "Concerning Kirill Roe's trip, the Kremlin said": the body that opens the
                # clause right before the verb, not a person in the phrase before its comma.
                last = cands[-1]
            # "Actor X, who paid for Y's studies, stated": the antecedent of the relative
            # clause speaks, not a name inside it.
            last = next(
                (
                    c
                    for c in (persons or cands)
                    if c.end <= last.start
                    and RELATIVE_TO_VERB.fullmatch(text_between(s, c.end, v_abs))
                ),
                last,
            )
            # "His Russian counterpart": the role that opens with the pronoun, not the pronoun.
            last = next((c for c in cands if c.start == last.start and c.end > last.end), last)
            # "Smith called it odd; Miller said ...": another clause, another speaker.
            between = text_between(s, last.end, v_abs)
            if (
                last.kind == "pronoun"
                and last.text.lower() in POSSESSIVES
                # The pronoun opens the clause, its noun right after ("during his message
                # to the parliament, X offered" is no such subject).
                and re.search(r"(?:^|[.;,]\s*)$", text_between(s, s.start, last.start))
                and re.fullmatch(r"\s+(?:[A-Z][a-z]+\s+)?[a-z]+\s*", between)
            ):
                return None, UNKNOWN  # 'His wife said: "..."': the wife, not the one "his" is
            named = re.search(r"\s([A-Z][a-z]+)\s*$", between)
            if re.match(
                # "X of victim group Ending Clergy Abuse said": the kind of body may come first.
                r"\s*(?:of|from|for|at)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}[A-Z][\w\s.'’-]*$",
                between,
            ):
                # "X of Saudi Arabia said", "X at Saint Mary said": where X is from or works,
                # not another speaker.
                named = None
            if named and named.group(1) not in NOT_NAMES:
                at = last.end + named.start(1)
                if any(o.start <= at < o.end for o in table.mentions) or PLATFORM_WORD.fullmatch(
                    named.group(1)
                ):
                    named = None  # "el-Sisi of Egypt said", "posted on Facebook saying"
            if ";" in between or (named and named.group(1) not in NOT_NAMES):
                return None, UNKNOWN
            head = _head_of_body(last, s, table)
            if head is not None:
                return head, "quote:before"
            group = persons if last in persons else cands
            return _first_of_group(last, group, s), "quote:before"
        subject = STATE_SUBJECT.search(before[: v.start()])
        if not cands and subject:
            # 'China said it "will never accept" the sanctions': the state speaks.
            state = _state_named(subject["state"], s.start + subject.start("state"), table)
            if state is not None:
                return state, "quote:state"
        if v.group(0).lower() == "according to" and not re.search(
            r"(?<![A-Z])[.;]\s", before[v.end() :]
        ):
            # "According to Observer editor Keni Lesa, the movement could 'hammer home'".
            named = _mention_in(people, s.start + v.end(), s.start + v.end() + 60)
            person = next(
                (
                    p
                    for p in people
                    if s.start + v.end() <= p.start < s.start + v.end() + 60
                    and table.get(p.ref).type in (EntityType.LEADER, EntityType.PERSON)
                ),
                None,
            )
            if person is not None and _names_lead_to(
                text_between(s, s.start + v.end(), person.start)
            ):
                named = person  # "According to Kremlin spokesman X": X, not the Kremlin
            if named and _names_lead_to(text_between(s, s.start + v.end(), named.start)):
                return named.ref, "quote:before"
        cands = [p for p in people if s.start + v.end() <= p.start < s.start + v.end() + 3]
        # 'said Foreign Minister X: "..."': the speaker follows the verb right before the quote.
        if cands and len(text_between(s, cands[0].end, q.start).strip(' ,:"“')) == 0:
            return cands[0].ref, "quote:before"
    # 'Senator Lindsey Graham spoke on Fox News, "..."', 'Edwards addressed the public:
    # "..."': a subject that communicates introduces the quote (with no speech verb, no
    # other quote before it in the sentence).
    if (
        not verbs
        and before.rstrip().endswith((",", ":"))
        and not QUOTE_MARK.search(before)
        and (before.rstrip().endswith(":") or COMMUNICATES.search(before))
    ):
        from kg.extract.entities import is_subject

        subjects = [
            p
            for p in people
            if s.start <= p.start < q.start
            and (p.ref.startswith("person:") or before.rstrip().endswith(":"))  # type: ignore[union-attr]
            and not p.text.endswith(("'s", "’s"))
            and is_subject(s.text, p, s.start)
        ]
        if subjects:
            return subjects[-1].ref, "quote:introduced"
    if not verbs and not QUOTE_MARK.search(before) and not SPEECH_RE.search(after):
        # "For Halvard Strand, the deal is "..."", "For him, ...": whose view the words are.
        whose = re.match(r"\s*For\s+", before)
        if whose:
            at = s.start + whose.end()
            named = next(
                (
                    p
                    for p in people
                    if p.start >= at
                    and p.kind != "org"
                    # "For Foreign Minister X,": an office's words may stand before the name.
                    and re.fullmatch(r"(?:[A-Z][\w-]*\s+){0,3}", text_between(s, at, p.start))
                ),
                None,
            )
            if named is not None and re.match(r"\s*,", s.text[named.end - s.start :]):
                return named.ref, "quote:view"
        # "Halvard Strand is "deeply worried ..."", "X felt "...": the subject's own words
        # describe the subject.
        state = re.match(
            r"(?P<who>.*?)\s+(?:is|was|felt|feels|remains|remained|seemed|seems)\s+"
            r"(?:(?:very|so|still|also|now|not)\s+)?$",
            before,
        )
        if state:
            named = next(
                (p for p in people if s.start <= p.start and p.end == s.start + state.end("who")),
                None,
            )
            if (
                named is not None
                and named.kind in ("person", "pronoun", "role")
                and re.fullmatch(
                    r"\s*(?:[A-Z][\w.'’-]*\s+){0,4}", text_between(s, s.start, named.start)
                )
            ):
                return named.ref, "quote:state-of"
    return None, ""


# A state that opens its clause right before the speech verb ("China said", "Iran has warned").
STATE_SUBJECT = re.compile(
    r"(?:^|[.;]\s+|,\s+(?:and|but)\s+|^(?:But|And|However|Meanwhile|Earlier|Later),?\s+)"
    r"(?P<state>(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})"
    r"\s+(?:(?:has|had|also|later|then|again|further)\s+)*$"
)


def _state_named(words: str, at: int, table: EntityTable) -> str | None:
    """The state that ``words`` (at offset ``at``) name and nothing else ("China", "the US"),
    or whose capital they name ("Tehran")."""
    bare = re.sub(r"^\s*(?:the\s+)?", "", words)
    start = at + len(words) - len(bare)
    for m in table.mentions:
        if m.kind != "place" or not m.ref or m.start != start:
            continue
        if m.end - m.start != len(bare.rstrip()):
            continue
        info = table.get(m.ref)
        if info.type == EntityType.STATE:
            return m.ref
        state = Places.default().capital_of(info.label) if info.type == EntityType.CITY else None
        if state is not None:
            # "Tehran said", "Beijing warned": the capital speaks for its state's government.
            return table.place(state.label, EntityType.STATE, wikidata=state.wikidata)
    return None


# "Under the constitution, ...": the words quoted after it are the document's.
UNDER_DOCUMENT = re.compile(
    r"\b(?:[Uu]nder|[Aa]ccording\s+to)\s+the\s+(?:(?:new|country's|nation's|[A-Z][\w-]*)\s+)?"
    r"(?:constitution|law|treaty|agreement|charter|statute|act|rules|resolution|accord|"
    r"deal|bill|decree|regulations?)\b[^\"“”]*$"
)


# "a song called", "the film entitled", "a campaign named": what follows is a title.
NAMED_THING = re.compile(
    r"\b(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?[a-z][\w-]*\s+"
    r"(?:called|named|titled|entitled|nicknamed|dubbed)\s*$"
)
BY_AGENT = re.compile(
    r"\b(?:described|called|characteri[sz]ed|labell?ed|branded|dubbed|hailed|praised)\s+by\s+"
    r"(?P<agent>[^,;:\"“”]{1,60}?)\s+as\s+(?:(?:a|an|the)\s+)?$"
)
TOLD_BY = re.compile(
    r"\b(?:told|informed|assured|warned|reminded)\s+by\s+(?P<agent>[^,;:\"“”]{1,60}?)"
    r"(?:\s+that\b|\s*:)[^\"“”]*$"
)
# "The palace issued the following statement from the king:": whose words the document holds.
FROM_AGENT = re.compile(
    r"\b(?:statement|message|letter|note|words|remarks)\s+from\s+"
    r"(?P<agent>[^,;:\"“”]{1,60}?)(?:\s+(?:read|reads|said|says|stated))?\s*[:,]?\s*$"
)
# "The decree signed by the Pope read", "a statement issued by the ministry said": the one
# who signed or issued the document speaks.
SIGNED_BY = re.compile(
    r"\b(?:statement|letter|decree|memo|message|note|order|declaration|communiqu[ée]|release)"
    r"\s+(?:signed|issued|released|sent|written|posted|published)\s+by\s+"
    r"(?P<agent>[^,;:\"“”]{1,60}?)\s+(?:read|reads|said|says|stated|states|declared)[\s,:]*$"
)
IN_WORDS = re.compile(r"\b[Ii]n\s+(?P<agent>[^,;:\"“”]{1,50}?)['’]s?\s+(?:own\s+)?words,[^\"“”]*$")
# "Trump's response on Twitter was blunt:", "His answer:": the owner's words follow the colon.
OWNED_REPLY = re.compile(
    r"(?:['’]s|\b(?P<own>[Hh]is|[Hh]er))\s+(?:(?:first|only|short|brief|official)\s+)?"
    r"(?:response|reaction|reply|answer|message|verdict|assessment|warning|advice|words)"
    r"(?:\s+(?:to|on|for|in|via)\s+[^:;\"“”]{1,40}?)?(?:\s+(?:was|is|came)(?:\s+[\w-]+){0,2})?"
    r"\s*:\s*$"
)
# The words of a written statement and who owns them, right before the quote.
OWNED_WORDS = re.compile(
    r"(?:['’]s|\b(?P<own>[Hh]is|[Hh]er|[Ii]ts|[Tt]heir))\s+(?:(?:own|official|written|"
    r"joint|full|latest|formal)\s+)?(?:statement|letter|tweet|post|message|proclamation|"
    r"announcement|press release|release|decree|memo|note|speech)\s+(?:(?:also|further|"
    r"then|had|has)\s+)?(?:read|reads|said|says|stated|states|added|adds|declared|"
    # "Part of Trump's tweet included the statement,": the owner's words.
    r"(?:included|contained)(?:\s+the\s+(?:statement|words|line|phrase|message))?)"
    r"(?:\s+in\s+part)?[\s,:]*$"
)
COMMUNICATES = re.compile(
    # SPEECH already holds "responded", "tweeted", "criticized", "defended" and the like.
    rf"{SPEECH}|\b(?:spoke|speaks|addressed|proposed|opposed|released|issued|gave\s+(?:a|an|his|her)\s+(?:\w+\s+)?(?:speech|address|"
    r"interview)|delivered|appeared\s+(?:before|on)|went\s+further|struck\s+an?\s+\w+\s+tone)\b|"
    r":\s*$"
)


# The nouns of documents that speak for whoever issued them.
DOCUMENTS = r"(?:statement|letter|message|communiqu[ée]|note|press\s+release|release|declaration)"
# A sentence that only opens a document's words: "It read in part:", "The post said:".
DOCUMENT_READ = re.compile(
    rf"\s*(?:It|The\s+(?:{DOCUMENTS}|post))\s+(?:read|reads|said|says|stated|states)"
    r"(?:\s+in\s+part)?\s*:\s*$"
)
# "X released a statement on Friday.": the sentence that makes X a document's issuer.
ISSUED = re.compile(
    r"\b(?:released|issued|published|posted|put\s+out|sent|signed|read\s+out)\s+"
    rf"(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){{0,2}}?{DOCUMENTS}\b"
)
# The document speaking where the quote stands: '"...," read the statement', '"...," it
# read', 'The statement read in part: "..."', 'It said: "..."'.
DOCUMENT_AFTER = re.compile(
    rf"^[\s,.!?;—–-]*(?:(?:read|reads|said|says|stated|states|added|continued)\s+the\s+"
    rf"{DOCUMENTS}|(?:it|the\s+{DOCUMENTS})\s+(?:also\s+)?(?:read|reads|said|says|stated|"
    r"states|added|continued))\b"
)
DOCUMENT_BEFORE = re.compile(
    rf"^\s*(?:It|The\s+{DOCUMENTS})\s+(?:also\s+)?(?:read|reads|said|says|stated|states|added)"
    r"(?:\s+in\s+part)?\s*[:,]?\s*$"
)


def _release_before(sents: list[Sentence], idx: int) -> int | None:
    """The nearest of the three sentences before ``idx`` that says someone released, issued
    or posted a statement, or None."""
    return next(
        (j for j in range(idx - 1, max(-1, idx - 4), -1) if ISSUED.search(sents[j].text)), None
    )


def _issuer(sents: list[Sentence], j: int, table: EntityTable) -> str | None:
    """Who released the document a quote is read from: the subject of sentence ``j``, the
    one that says the release (``_release_before``).

    >>> from kg.extract.entities import find_entities
    >>> from kg.extract.segment import sentences
    >>> t = 'Minister Jo Lund released a statement on Friday. "We are ready," it read.'
    >>> sents = sentences(t, 0)
    >>> table = find_entities(sents, None)
    >>> table.get(_issuer(sents, _release_before(sents, 1), table)).label
    'Jo Lund'
    """
    return _subject_of(sents[j], j, table, ("person", "role", "pronoun", "spokesman", "org"))


# A sentence that is only an attribution: "Pelosi said.", "said the minister."
SAID_ALONE = re.compile(
    rf"\s*(?:(?P<who>[^\s\"“”].{{0,60}}?)\s+(?:{SPEECH})|(?:{SPEECH})\s+(?P<who2>.{{1,60}}?))"
    r"[.!]?\s*$"
)


def _may_speak(table: EntityTable) -> list[Mention]:
    """The mentions that may be a quote's speaker: people, their roles and pronouns, bodies
    and their spokesmen, resolved to a person or a body."""
    return [
        m
        for m in table.mentions
        if m.ref
        and m.kind in ("person", "role", "pronoun", "org", "spokesman")
        and m.ref.startswith(("person:", "org:"))
    ]


def _said_next(sents: list[Sentence], idx: int, table: EntityTable) -> str | None:
    """The speaker that the sentence after ``idx`` names and does nothing else with, in the
    same paragraph ('"...." Pelosi said.')."""
    if idx + 1 >= len(sents) or sents[idx + 1].para != sents[idx].para:
        return None
    nxt = sents[idx + 1]
    m = SAID_ALONE.fullmatch(nxt.text)
    if m is None:
        return None
    group = "who" if m["who"] is not None else "who2"
    start, end = nxt.start + m.start(group), nxt.start + m.end(group)
    who = [p for p in _may_speak(table) if start <= p.start < end]
    return who[0].ref if len(who) == 1 else None


def _paragraph_is_quote(text: str, s: Sentence, q: Quote, quotes: list[Quote]) -> bool:
    """Whether the quote's paragraph holds nothing but quoted words (marks and spaces aside)."""
    end = text.find("\n", q.end)
    para_end = len(text) if end < 0 else end
    rest = text[s.start : para_end]
    for o in quotes:
        if s.start <= o.start and o.end <= para_end:
            rest = rest.replace(o.text, "")
    return not rest.strip(' "“”\n')


def _agent_of(prev: Sentence, table: EntityTable) -> str | None:
    """Who issued the document that the sentence before a quote opens: "A statement released
    by the White House read:" (the quote set apart as the next paragraph)."""
    agent = SIGNED_BY.search(prev.text) or FROM_AGENT.search(prev.text)
    if agent is None:
        return None
    named = _mention_in(
        _may_speak(table), prev.start + agent.start("agent"), prev.start + agent.end("agent")
    )
    return named.ref if named is not None else None


def _announcer(prev: Sentence, j: int, table: EntityTable) -> str | None:
    """The subject of the sentence before a quote that stands alone, when that sentence says
    the subject spoke or wrote (or ends with a colon)."""
    if not COMMUNICATES.search(prev.text):
        return None
    return _subject_of(prev, j, table, ("person", "role", "pronoun", "spokesman"))


def _subject_of(s: Sentence, j: int, table: EntityTable, kinds: tuple[str, ...]) -> str | None:
    """The first mention of one of ``kinds`` that is a subject of sentence ``j``."""
    from kg.extract.entities import is_subject

    return next(
        (
            m.ref
            for m in table.mentions
            if m.sentence == j and m.ref and m.kind in kinds and is_subject(s.text, m, s.start)
        ),
        None,
    )


# The last word of a role that may take two words before it ("selection committee member").
ROLE_HEADS = frozenset(
    [
        "member",
        "chair",
        "chairman",
        "chairwoman",
        "head",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "officer",
        "official",
        "leader",
        "president",
        "secretary",
    ]
)


def _names_lead_to(gap: str) -> bool:
    """Whether words between a speech verb and a name only describe the speaker ("said
    study co-author Professor", "said University of California's chancellor,"), not a new
    clause ("..., adding Iran will pursue the prosecution of").

    >>> _names_lead_to("Roe's longtime tag team partner ")
    True
    >>> _names_lead_to("Iran will pursue the prosecution of ")
    False
    >>> _names_lead_to("lead author and Leeds University glaciologist ")
    True
    """
    if re.fullmatch(r"\s*(?:the\s+)?[A-Z][\w-]*['’]s(?:\s+[a-z][\w-]*){1,4}\s*", gap):
        return True  # "writes Roe's longtime tag team partner": whose partner speaks
    words = [w.strip(",") for w in gap.split()]
    content = [w for w in words if w[:1].islower() and w not in GAP_FUNCTION_WORDS]
    if len(content) == 3 and content[-1] in ROLE_HEADS:
        return len(gap) <= 80  # "said selection committee member X": one role of three words
    joined = words.index("and") if "and" in words else 0
    if (
        # "said study co-author and Cambridge glaciologist": two roles joined, each one's noun
        # last ("..., adding Iran will pursue the case of President" has no such pair).
        0 < joined < len(words) - 1
        and len(content) <= 4
        and _is_role_word(words[joined - 1])
        and _is_role_word(words[-1])
        and not any(w in CLAUSE_WORDS - {"and"} for w in words)
    ):
        return len(gap) <= 80
    return len(content) <= 2 and len(gap) <= 80


# "the UN chief", "the WHO's head": the person at the head of the body named before.
HEAD_NOUN = re.compile(
    r"(?:['’]s)?\s+(?:top\s+)?(?:chief|head|boss|leader|director|chairman|chairwoman|chair|"
    r"secretary-general|secretary general|director-general|director general)\b"
)


def _head_of_body(who: Mention, s: Sentence, table: EntityTable) -> str | None:
    """The person a body's head noun stands for ("the UN chief said" after "UN Secretary-General
    X"): the last person named, within five sentences before, in a sentence that names the
    same body; None if ``who`` is no body followed by such a noun, or nobody fits."""
    if who.kind != "org" or not HEAD_NOUN.match(s.text, who.end - s.start):
        return None
    with_body = {m.sentence for m in table.mentions if m.ref == who.ref and m.start < who.start}
    heads = [
        m
        for m in table.mentions
        if m.kind == "person"
        and m.ref
        and m.start < who.start
        and m.sentence in with_body
        and who.sentence - m.sentence <= 5
    ]
    if not heads:
        # "Secretary-General X spoke. The UN chief said": no sentence names both, but the
        # last person named holds the office of a body's head.
        heads = [
            m
            for m in table.mentions
            if m.kind == "person"
            and m.ref
            and m.start < who.start
            and who.sentence - m.sentence <= 3
            and HEAD_OFFICE.search(table.get(m.ref).office or "")
        ]
    return heads[-1].ref if heads else None


HEAD_OFFICE = re.compile(
    r"(?i)\b(?:secretary[- ]general|director[- ]general|chief|head|chair(?:man|woman|person)?|"
    r"president|director)\b"
)


def _first_of_group(last: Mention, cands: list[Mention], s: Sentence) -> str | None:
    """ "Garcia and President de la Madrid said": the first of a coordinated subject."""
    return _group(last, cands, s)[0].ref


def _group(last: Mention, cands: list[Mention], s: Sentence) -> list[Mention]:
    """The coordinated subject ending with ``last`` ("A, B and President C")."""
    group = [last]
    for p in reversed(cands[: cands.index(last)]):
        gap = s.text[p.end - s.start : group[0].start - s.start]
        if re.fullmatch(r"\s*(?:,\s*)?and\s+(?:[A-Z]\w+\s+){0,3}?", gap):
            group.insert(0, p)
        else:
            break
    return group


DOCUMENT_RE = re.compile(
    r"\b(?:issued|released|signed|published|adopted|put out|agreed|approved)\s+"
    r"(?:a|an|the|their|its|his|her)\s+(?P<doc>(?:(?:joint|final|written|official|formal)\s+)?"
    r"(?:declaration|statement|communiqu[eé]|memorandum|resolution|manifesto))\b"
)


def _document(sents: list[Sentence], idx: int, speaker: str, table: EntityTable) -> str | None:
    """A document the speaker issued that the quote is from ("issued a joint declaration
    calling it ..."): a publication named by its kind and its authors."""
    s = sents[idx]
    for j in (idx, idx - 1):
        if j < 0 or sents[j].para != s.para:
            continue
        here = sents[j]
        m = DOCUMENT_RE.search(here.text)
        if m is None:
            continue
        at = here.start + m.start()
        people = [
            p
            for p in table.mentions
            if p.sentence == j and p.end <= at and p.ref and p.ref.startswith("person:")
        ]
        if not people:
            continue
        authors = [p.ref for p in _group(people[-1], people, here)]
        if speaker not in authors:
            continue
        names = list(dict.fromkeys(table.get(a).written_label() for a in authors))
        label = f"{' '.join(m['doc'].split())} of {' and '.join(names)}"
        return table.body(label, EntityType.PUBLICATION)
    return None


def text_between(s: Sentence, start: int, end: int) -> str:
    """The sentence's text between two absolute offsets."""
    return s.text[max(0, start - s.start) : max(0, end - s.start)]


# "the head of", "the chief of the": a role of a body, whose holder the apposition names.
HEAD_OF_BEFORE = re.compile(
    r"\b(?:head|chief|leader|director|chair(?:man|woman|person)?|president|secretary)\s+of\s+"
    r"(?:the\s+)?$"
)


PORTFOLIO_GAP = re.compile(
    r"\s(?P<role>[a-z]+)\s(?:for|of)\s(?:the\s)?(?:[A-Z][\w-]*\s){0,2}[A-Z][\w-]*,\s"
)


def _person_behind(who: Mention, people: list[Mention], s: Sentence, end: int) -> Mention:
    """The person a body or an owner leads to ("said MIT astronomer Ann Roe", "the Navy
    agency head Ann Roe told", "writes Roe's longtime partner Jo Li", "the EU's foreign
    policy chief, Jo Li, said", "Commission President Jo Li said", "director of Amnesty
    International Jo Li said"): the person named after
    it, before ``end``, behind one to four role words (lowercase, or an office's); else
    ``who``."""
    if who.kind not in ("org", "spokesman") and not who.text.endswith(("'s", "’s")):
        return who
    named = _mention_in(
        [p for p in people if p.ref.startswith("person:")],  # type: ignore[union-attr]
        who.end,
        end,
    )
    if named is None:
        return who
    if who.kind == "spokesman":
        # "a spokesperson for the Pentagon, Lt Col Jo Li,": the body's name, then hers.
        body = next(
            (p for p in people if p.kind == "org" and who.start < p.start <= who.end + 2 < p.end),
            None,
        )
        gap = text_between(s, body.end, named.start) if body is not None else ";"
        if not gap.startswith(",") or any(w.lower() not in TITLE_WORDS for w in gap[1:].split()):
            return who
        return named
    gap = text_between(s, who.end, named.start)
    if re.fullmatch(r",\s+", gap) and HEAD_OF_BEFORE.search(text_between(s, s.start, who.start)):
        return named  # '"...," the head of the Russian Foreign Ministry, Sergei Lavrov, said'
    owned = re.match(r"['’]s\b", gap)
    words = gap[owned.end() if owned else 0 :].replace(",", " ").split()
    if (
        re.fullmatch(r"(?:['’]s)?\s[^;:()\"“”]*", gap)
        # "director of Amnesty International Jo Li said": the body's name right before hers.
        and len(words) <= 4
        and all(w[:1].islower() or w.lower() in TITLE_WORDS for w in words)
    ):
        return named
    if re.fullmatch(r"\s(?:[A-Z][\w-]*\s){1,4}", gap) and _is_role_word(words[-1]):
        return named  # "said Royal Society University Research Fellow Jo Li": her title
    # "said EU commissioner for Home Affairs, Jo Li": a role, then its portfolio.
    portfolio = PORTFOLIO_GAP.fullmatch(gap)
    if portfolio and _is_role_word(portfolio["role"]):
        return named
    return who


def _mention_in(people: list[Mention], start: int, end: int) -> Mention | None:
    for p in people:
        if start <= p.start < end:
            return p
    return None


def _body(
    pattern: re.Pattern[str], scope: str, table: EntityTable, etype: EntityType, speaker: str
) -> str | None:
    for m in pattern.finditer(scope):
        # The first name after the trigger that is not a person, a place or an office,
        # within 80 characters and before any quotation mark (a quote's words are no medium).
        end = min(len(scope), m.end() + 80)
        mark = QUOTE_MARK.search(scope, m.end(), end)
        end = mark.start() if mark else end
        skip_to = 0
        for c in CAPS_RE.finditer(scope, m.end(), end):
            if c.start() < skip_to:
                continue
            lead = scope[m.end() : c.start()].split()
            if any(w.lower().strip(",") in PERSON_NOUNS for w in lead) or PERSON_NOUN_AFTER.match(
                scope, c.end()
            ):
                # "told host Mika Brzezinski", "told American radio host X": a person;
                # "told reporters at the White House": people, then where they were.
                break
            if any(w.lower().strip(",") in CLAUSE_WORDS for w in lead):
                break  # "told a briefing that the US should": a clause, no more the listener
            if re.fullmatch(r"[A-Z]{2,}s", c.group(0).strip()):
                break  # "wrote to MPs", "told MEPs": people, not an outlet
            if c.group(0).strip() in MEDIA_KINDS:
                break  # "said on state TV": a kind of medium, not one outlet
            if OUTLET_NOUN_AFTER.match(scope, c.end()):
                # "wrote in Foreign Policy magazine": a name the noun makes an outlet, though
                # one of its words opens an office ("Foreign Minister").
                name = _outlet_name(c.group(0))
                if name:
                    return table.body(name, etype)
                continue  # "the German newspaper Die Welt": the name comes after the noun
            if m.group(0).lower().startswith("according") and ROLE_THEN_CAPS.match(scope, c.end()):
                break  # "according to Rutgers University scholar Ann Roe": her affiliation
            raw = c.group(0)
            owned = re.search(r"['’]s\b|(?<=s)['’](?=\s)", raw)
            paper = APPOSITION_RE.match(scope, c.end())
            # "the Workers' Party paper, the Rodong Sinmun": the paper's name in apposition
            # wins over its owner, found below.
            if owned and not (paper and paper.group(0).startswith(APPOSITION_NOUNS)):
                # "on CNN's State of the Union", "ABC News' This Week": the owner of the
                # programme is the outlet; "Russia's RIA Novosti": a state owns no programme,
                # and the outlet is the name after it.
                name = _without_person(_clean_body_name(raw[: owned.start()].strip()), table)
                if name is None:
                    after = OUTLET_NOUN_TAIL.sub("", raw[owned.end() :].strip())
                    name = _without_person(_clean_body_name(after), table)
                if name:
                    return table.body(name, etype)
            if any(w.lower() in TITLE_WORDS for w in raw.split()):
                # "by US Secretary of State Mike Pompeo": an office and its holder.
                of = OF_NAME.match(scope, c.end())
                skip_to = of.end() if of else c.end()
                continue
            of = OF_NAME.match(scope, c.end())
            if of:
                # "Star of Mysore" is one name; "Martin Smith of PBS" a person of an outlet.
                raw = f"{raw.strip()} of {of['name']}" if len(raw.split()) == 1 else of["name"]
            # "wrote in the party paper, the Rodong Sinmun": the name in apposition.
            appo = APPOSITION_RE.match(scope, c.end())
            name = _without_person(_clean_body_name(appo.group("name")), table) if appo else None
            # "with the BBC, the Saudi foreign minister, X,": an apposition that names no
            # outlet describes the next person, and the name before it is the outlet.
            name = name or _without_person(_clean_body_name(raw), table)
            if name:
                return table.body(name, etype)
            if scope[c.end() :][:1] in ".;":
                break
        appo = APPOSITION_RE.search(scope, m.end(), end)
        if appo:
            name = _without_person(_clean_body_name(appo.group("name")), table)
            if name:
                return table.body(name, etype)
    return None


def _without_person(name: str | None, table: EntityTable) -> str | None:
    """The name, less a person's name it runs into ("MSNBC Cummings"); None if it names a
    person, a place or an office."""
    if name and " of " in name:  # "Star of Mysore": a place may close the name
        head = name.split(" of ")[0]
        return None if _without_person(head, table) is None else name
    words = (name or "").split()
    while len(words) > 1 and _names_person_or_place(" ".join(words), table):
        words.pop()
    name = " ".join(words)
    if not name or _names_person_or_place(name, table):
        return None
    if any(w.lower() in TITLE_WORDS for w in words) or all(_is_demonym(w) for w in words):
        return None
    return name


def _is_demonym(word: str) -> bool:
    return Places.default().demonym(word) is not None


def _names_person_or_place(name: str, table: EntityTable) -> bool:
    last = name.split()[-1].lower()
    return any(
        info.type not in (EntityType.ORGANIZATION, EntityType.PUBLICATION)
        and (last in info.label.lower().split() or name.lower() == info.label.lower())
        for info in table.infos.values()
    )


def _clean_body_name(raw: str | None) -> str | None:
    if not raw:
        return None
    name = re.split(r"(?<=[a-z]{2})\.\s", raw.strip())[0]  # "Watford. He": a sentence ends
    name = name.rstrip(".,")
    if "'s" in name or "’s" in name:  # "the BBC's political editor": the owner
        name = re.split(r"['’]s\b", name)[0]
    words = name.split()
    while words and words[0] in NOT_MEDIA:
        words.pop(0)
    name = " ".join(words)
    return name if name and name[0].isupper() else None


def _reporter(scope: str, table: EntityTable) -> str | None:
    m = REPORTER_RE.search(scope)
    if not m:
        return None
    name = _clean_body_name(m.group("a") or m.group("b") or m.group("c"))
    if not name or name.split()[-1] in ("He", "She", "They"):
        return None
    return table.body(name, EntityType.PUBLICATION)
