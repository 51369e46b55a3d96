"""People, states, places and bodies named in an article, and what each mention refers to.

People are found by their titles ("Prime Minister Keir Starmer", "the Greek prime minister
Kyriakos Mitsotakis", "King Fahd of Saudi Arabia"), by the gazetteer, by an apposition
("Alex Lagakos, deputy director of ...") or as the subject of a speech verb. Later mentions
resolve to them: the surname ("Putin", "Mr Putin"), the role ("the Russian leader", "the
president") and the pronoun ("he", "his": the subject of the sentence or of the last one).

>>> from kg.extract.segment import sentences
>>> text = "President Emmanuel Macron visited Rome. The French leader said he was pleased."
>>> table = find_entities(sentences(text, 0), "2024-01-01")
>>> [(m.text, table.get(m.ref).label) for m in table.mentions if m.kind != "place"][1:]
[('The French leader', 'Emmanuel Macron'), ('he', 'Emmanuel Macron')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import regex as re

from kg.extract.dates import MONTH_NAMES, MONTHS, WEEKDAY_NAMES
from kg.extract.gender import agrees, gender_of_title, given_name_gender
from kg.extract.segment import MILITARY_RANKS, Sentence, Span
from kg.link.gazetteer import Gazetteer, Person, norm
from kg.link.places import Places
from kg.model import EntityType
from kg.settings import PROJECT_ROOT

# Titles that are often part of how a person is named ("Prince Charles", "King Fahd").
ROYAL_TITLES = [
    "crown prince",
    "king",
    "queen",
    "prince",
    "princess",
    "emperor",
    "empress",
    "sheikh",
    "emir",
    "sultan",
    "pope",
]
LEADER_TITLES = [
    "vice president",
    "vice-president",
    "president-elect",
    "taoiseach",
    "tánaiste",
    "first minister",
    "pm",  # "PM Modi": South Asian and British copy abbreviates the prime minister
    "chief minister",
    "vice premier",
    "state counsellor",
    "special representative",
    "high representative",
    "grand duke",
    "president",
    "deputy prime minister",
    "prime minister",
    "premier",
    "chancellor",
    *ROYAL_TITLES,
    "secretary of state",
    "secretary-general",
    "director-general",
    "director general",
    "secretary general",
    "foreign secretary",
    "home secretary",
    "defence secretary",
    "defense secretary",
    "treasury secretary",
    "undersecretary",
    "under-secretary",
    "under secretary",
    "secretary",
    "foreign minister",
    "minister",
    "ambassador",
    "chief justice",
    "justice",
    "special envoy",
    "envoy",
    "leader",
    "monarch",
    "head of state",
    "governor",
    "mayor",
    "senator",
    "chairman",
    "general",
    "counterpart",
]
OTHER_TITLES = [
    "speaker",  # "House Speaker Nancy Pelosi": the chair of a parliament
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "director",
    "adviser",
    "advisor",
    "expert",
    "analyst",
    "editor",
    "correspondent",
    "professor",
    "prosecutor",
    "judge",
    "superintendent",
    "captain",
    "inspector",
    "commissioner",
    "assemblyman",
    "assemblywoman",
    "congressman",
    "congresswoman",
    "councillor",
    "councilor",
    "sheriff",
    "detective",
    "sergeant",
    "cleric",
    # Military ranks: "Lieutenant Colonel Jo Li" is Jo Li.
    "colonel",
    "lieutenant colonel",
    "lieutenant general",
    "major general",
    "brigadier general",
    "brigadier",
    "lieutenant",
    "rear admiral",
    "vice admiral",
    "coach",
    "executive",
    "broadcaster",
    "journalist",
    "activist",
    "lawyer",
    "attorney",
    "rapporteur",
    "researcher",
    "scientist",
    "economist",
    "historian",
    "author",
    "founder",
    "candidate",
    "nominee",
    "lawmaker",
    "legislator",
    "chairwoman",
    "chairperson",
    "fiancée",
    "fiancé",
    "wife",
    "husband",
    "widow",
    "son",
    "daughter",
    # Roles by which news copy introduces people who hold no office.
    "protester",
    "campaigner",
    "organiser",
    "organizer",
    "cardinal",
    "archbishop",
    "bishop",
    "admiral",
    "commandant",
    "commander",
    "officer",
    "representative",
    "member",
    "deputy",
    "physician",
    "doctor",
    "surgeon",
    "witness",
    "resident",
    "student",
    "priest",
    "reverend",
    "lecturer",
    "chief",
    "administrator",
    "businessman",
    "businesswoman",
]
HONORIFICS = [
    *["mr", "mrs", "ms", "dr", "sir", "lord", "lady", "mp"],
    # Military ranks, abbreviated: "Lt. Nate X", "Col. Ann Y".
    *[r.lower() for r in MILITARY_RANKS],
]
# Words of an office's body left before a name ("Director of National Intelligence John X").
BODY_WORDS = frozenset(
    [
        "National",
        "Intelligence",
        "Health",
        "Affairs",
        "Security",
        "Defence",
        "Defense",
        "Justice",
        "Education",
        "Trade",
        "Interior",
        "Finance",
        "Treasury",
        "Energy",
        "Environment",
        "Commerce",
        "Homeland",
        "State",
        "Foreign",
        "Public",
        "Economic",
        "Development",
        "International",
        "Human",
        "Services",
        "Transport",
        "Labour",
        "Labor",
        "Agriculture",
        "Culture",
        "Information",
        "Communications",
    ]
)
TITLE_RE = "|".join(sorted(LEADER_TITLES + OTHER_TITLES, key=len, reverse=True))
WORD = r"(?:\p{Lu}\.|(?:al-|el-|bin |ibn )?\p{Lu}[\p{L}'’]*(?:-\p{L}+)*)"
PARTICLE = r"(?:von|van|de|der|del|da|di|du|la|le|bin|ibn|al|el|dos|das|bin)"
NAME = rf"{WORD}(?:[ ]+(?:{PARTICLE}[ ]+){{0,2}}{WORD}){{0,3}}"
HONORIFICS_RE = "|".join(sorted(HONORIFICS, key=len, reverse=True))  # "mrs" before "mr"
TITLED = re.compile(
    rf"(?i:\b(?P<title>(?:{TITLE_RE})s?|{HONORIFICS_RE})\b\.?)"
    # "AU chairperson President X": the name begins after the last title, not at "President".
    rf"(?:,?[ ]+)(?!(?i:(?:{TITLE_RE}))[ ]+\p{{Lu}})(?P<name>{NAME})"
)
# "Presidents A of Nigeria and B of Benin": the names a plural title lists after the first.
PLURAL_NEXT = re.compile(
    rf"(?:[ ]+of[ ]+(?:the[ ]+)?\p{{Lu}}[\p{{L}}.]*(?:[ ]\p{{Lu}}\p{{L}}+)?)?"
    rf"(?:[ ]*,[ ]*(?:and[ ]+)?|[ ]+and[ ]+)(?P<name>{NAME})"
)
OF_STATE = re.compile(r"\s+of\s+(?:the\s+)?(\p{Lu}[\p{L}.]*(?:\s\p{Lu}\p{L}+)?)")
COUPLE = re.compile(
    r"\b(?P<title>President|Prime[ ]Minister|Governor|Senator|Chancellor)[ ]+and[ ]+"
    rf"(?:Mrs|Madame|Mme)\.?[ ]+(?P<name>{NAME})"
)


def _state_after(places: Places, text: str, pos: int) -> str | None:
    """The state that "of X" at ``pos`` names ("President X of Chile"), or None.

    >>> _state_after(Places.default(), "Ana Reyes of Chile said", 9)
    'Chile'
    >>> _state_after(Places.default(), "Ana Reyes of Acme said", 9) is None
    True
    """
    of = OF_STATE.match(text, pos)
    state = places.state(of.group(1)) if of else None
    return state.label if state else None


# "The Emir of Qatar, " before a titled name ("Sheikh Hamad"): whose office it is.
OFFICE_OF_BEFORE = re.compile(
    rf"(?i:\b(?P<title>{TITLE_RE}))[ ]+of[ ]+(?:the[ ]+)?"
    r"(?P<state>\p{Lu}[\p{L}.]*(?:[ ]\p{Lu}\p{L}+)?),[ ]+$"
)
# Words before a title that are not part of the office ("talks with Minister X").
FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "with",
        "by",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "then",
        "his",
        "her",
        "their",
        "its",
        "s",
        "sent",
        "him",
        "met",
        "meet",
        "said",
        "says",
        "told",
        "as",
        "from",
        "after",
        "before",
        "when",
        "while",
        "but",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "is",
        "was",
    ]
)
# Words that end the names of places and things ("Red Square", "Davis Cup"), not of bodies a
# person belongs to.
PLACE_WORDS = frozenset(
    [
        "Sea",
        "Ocean",
        "River",
        "Island",
        "Islands",
        "Mountains",
        "Valley",
        "Desert",
        "Bay",
        "Strait",
        "Canal",
        "Square",
        "Street",
        "St",
        "Road",
        "Avenue",
        "Park",
        "Station",
        "Airport",
        "Hall",
        "Palace",
        "Cup",
        "Games",
        "Olympics",
        "Prize",
        "Award",
    ]
)
ORG_WORDS = (
    frozenset(
        [
            "Rally",
            "Party",
            "Ministry",
            "Council",
            "Forum",
            "Institute",
            "Fund",
            "Bank",
            "Committee",
            "Agency",
            "Association",
            "Union",
            "University",
            "Times",
            "News",
            "Post",
            "Mail",
            "Journal",
            "Group",
            "Company",
            "Corporation",
            "Front",
            "Movement",
            "Army",
            "Force",
            "Forces",
            "Court",
            "Assembly",
            "Office",
            "Department",
            "Organization",
            "Organisation",
            "Alliance",
            "Federation",
            "League",
            "Society",
            "Foundation",
            "Centre",
            "Center",
            "Service",
            "Services",
            "Airlines",
            "Watch",
            "Rights",
            "Agreement",
            "Treaty",
            "Accord",
            "Conference",
            "Summit",
            "Report",
            "Act",
            "Bill",
            "Day",
            "War",
            # "the Secretary of the Public Chamber": a body, not a person named Chamber.
            "Chamber",
            "Parliament",
            "Senate",
            "Congress",
            "Commission",
            "Secretariat",
            "Cabinet",
            "Authority",
            "Bureau",
            "Tribunal",
            "Academy",
            "Coalition",
            "Administration",
            "Police",
            "Navy",
            "Programme",
        ]
    )
    | PLACE_WORDS
)
SUBJECT = re.compile(
    rf"(?P<name>\p{{Lu}}\p{{Ll}}+(?:[ ]+(?:{PARTICLE}[ ]+)?\p{{Lu}}[\p{{L}}'-]+){{1,2}})[ ]+"
    r"(?:said|says|told|visited|visits|arrived|arrives|touched|landed|flew|travell?ed|met|"
    r"meets|held|holds|will visit|is visiting|has visited|wrote|added|noted|announced|urged|"
    r"warned)\b"
)
# "Hatice Cengiz appeared before the panel. "...," she said.": an untitled name opening a
# sentence, before a verb, is a person when the next sentence gives a quote to "he" or "she".
OPENING_SUBJECT = re.compile(
    r"^(?:(?:Yesterday|Today|Earlier|Later|(?:On|Last|This)[ ]+\p{Lu}?\p{Ll}+),?[ ]+)?"
    # Storms, operations and landmarks open sentences with two capitalised words too.
    r"(?!(?:Hurricane|Typhoon|Cyclone|Storm|Tropical|Operation|Mount|Lake|Cape|Fort)\b)"
    rf"(?P<name>\p{{Lu}}\p{{Ll}}+(?:[ ]+(?:{PARTICLE}[ ]+)?\p{{Lu}}[\p{{L}}'-]+){{1,2}})[ ]+"
    r"(?:(?:also|later|then|again|first)[ ]+)?\p{Ll}+ed\b"
)
PRONOUN_QUOTE = re.compile(
    r"[\"”][ ]*,?[ ]+(?:he|she)[ ]+(?:\p{Ll}+[ ]+)?(?:said|told|added|wrote|says|noted)\b|"
    r"^(?:He|She)[ ]+(?:\p{Ll}+[ ]+)?(?:said|told|added|wrote|says|noted)\b[^\"“]{0,40}[\"“]"
)
APPOSITION = re.compile(
    rf"(?P<name>\p{{Lu}}\p{{L}}+(?:[ ]+(?:{PARTICLE}[ ]+)?\p{{Lu}}[\p{{L}}'-]+){{1,3}}),[ ]+"
    rf"(?:(?:the[ ]+|a[ ]+|an[ ]+)?(?:[\p{{L}}\d.'’-]+[ ]+){{0,3}}?(?i:(?P<title>{TITLE_RE}))\b|"
    rf"(?:from|of|at)[ ]+(?:the[ ]+)?\p{{Lu}}[^,]{{1,60}},[ ]+(?:said|says|told|added)|"
    # "Brett McGurk, who was Trump's envoy, ...": a relative clause on a person.
    r"who[ ]+(?:was|is|had|has|served|became|heads|led|leads|won|ran|said|told|wrote|"
    # "Kanye West, who announced a run": a relative clause in the past tense.
    r"\p{Ll}{3,}ed)\b)"
)
# Platforms on which people post ("on Twitter", "his official Twitter account"): no persons.
PLATFORM_NAMES = (
    "Twitter",
    "Facebook",
    "Instagram",
    "YouTube",
    "Weibo",
    "Telegram",
    "TikTok",
    "WeChat",
    "LinkedIn",
    "Reddit",
    "Truth Social",
    "Gab",
    "Parler",
    "Threads",
    "Snapchat",
    "WhatsApp",
    "Bluesky",
    "Mastodon",
)
SAYS = re.compile(
    rf"(?P<name>\p{{Lu}}\p{{L}}+(?:[ ]+(?:{PARTICLE}[ ]+)?\p{{Lu}}[\p{{L}}'-]+){{1,3}})"
    # "Tom Reyes (Democrat) said": a party or state in brackets after the name.
    r"(?:[ ]*\([^)]{1,40}\))?[ ]+"
    r"(?:(?:later|also|then|further|again)[ ]+)?"
    r"(?:said|says|told|added|wrote|writes|noted|argued|warned|stated|tweeted|commented|"
    r"(?:was|were)[ ]+quoted|"
    r"explained|stressed|remarked|claimed|insisted|replied|responded|continued|criticized|"
    r"criticised|urged|praised|posted|announced|asserted|acknowledged|admitted|declared|"
    r"emphasi[sz]ed|highlighted|underlined|recalled|recounted|revealed|"
    # "the Argentine Episcopal Conference called it": verbs that quote what is called.
    r"called|described|condemned|welcomed|denied|rejected|accused|demanded)\b"
)
# "Peter Roe of the campaign group ...": what comes after is where the person is from.
AFFILIATION_BEFORE = re.compile(
    r"\p{Lu}\p{Ll}+[ ]+(?:of|from|at)[ ]+(?:the[ ]+)?(?:[\p{Ll}-]+[ ]+){1,4}$"
)
# "Jane Roe at Saint Mary said", "Jo Ann Roe of Mercy Hospital said": after a person named
# with a common given name and "at", "of" or "from", the capitalised words are where she works.
PERSON_AT_BEFORE = re.compile(
    r"(?:(?P<role>\p{Lu}\p{Ll}+)[ ]+)?"
    r"(?P<person>\p{Lu}\p{Ll}+(?:[ ]+\p{Lu}\.)?[ ]+\p{Lu}[\p{L}'’-]+)[ ]+(?:at|of|from)[ ]+"
    r"(?:the[ ]+)?$"
)
BODY_HEAD_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted(ORG_WORDS)) + r")[ ]+(?:for|of|on|against)[ ]+(?:the[ ]+)?$"
)
# Verbs of speech after which, or before which, news copy names a speaker.
SAY_VERB = (
    r"(?:said|says|told|added|adds|wrote|writes|noted|argued|warned|stated|tweeted|commented|"
    r"explained|stressed|remarked|claimed|insisted|replied|responded|continued|criticized|"
    r"criticised|urged|praised|posted|announced|asserted|acknowledged|admitted|declared|"
    r"observed|reported|described|characterized|characterised|called|thanked|expressed|"
    r"recalled|suggested|concluded|emphasised|emphasized|asked|explained|confirmed|recounted|"
    r"spoke|speaks|reacted|talked)"
)
# "Ross Roe of Ohio calling the vote a coup", "Ann Roe, a lawyer, adding": a participle
# after a person introduced by affiliation or apposition speaks for them too.
SAY_OR_PARTICIPLE = (
    rf"(?:{SAY_VERB}|saying|telling|adding|calling|describing|remarking|commenting|writing|"
    r"noting|stating|explaining|arguing|warning)"
)
SPEAKER_NAME = (
    rf"(?P<name>\p{{Lu}}\p{{L}}+(?:[ ]+\p{{Lu}}\.){{0,2}}"  # "Wayne A. I. Frederick"
    rf"(?:[ ]+(?:{PARTICLE}[ ]+)?\p{{Lu}}[\p{{L}}'’-]+){{1,3}})"
)
NOT_IN_APPOSITION = r"[^,;:\"“”()]"
# "Jane Roe, the head of the agency, said"; "Ali Reza Raisi, speaking for the ministry, reported".
SPEAKER_APPOSITION = re.compile(
    rf"{SPEAKER_NAME},[ ]+(?=[a-z])(?!and\b|or\b|but\b){NOT_IN_APPOSITION}{{2,100}}?"
    rf"(?:[ ]*\([^)]{{0,100}}\))?,?[ ]+(?:(?:later|also|further|then)[ ]+)?{SAY_OR_PARTICIPLE}\b"
)
# "Steve Peers of the University of Essex, speaking to the BBC, said", "Regina Ip from the
# pro-Beijing camp said": where the speaker comes from, then the verb.
SPEAKER_OF = re.compile(
    # A body's name may be quoted: 'Ann Roe of "Safe Homes", a charity, told'.
    rf"{SPEAKER_NAME}[ ]+(?:of|from|at|with)[ ]+"
    rf"(?:[\"“][^\"“”]{{1,40}}[\"”]|{NOT_IN_APPOSITION}{{2,80}}?)"
    rf"(?:,[ ]+{NOT_IN_APPOSITION}{{2,60}},)?[ ]+(?:(?:later|also|further|then)[ ]+)?"
    rf"{SAY_OR_PARTICIPLE}\b"
)
# '"...," Weiss said', '"...," Weiss, a virologist, told reporters': one word before the verb.
# A surname alone: "Roe", "Lloyd-Roe", and with a capital inside ("McIlroy", "O'Neill",
# "DeSantis", "MacArthur").
ONE_NAME = r"(?:Mc|Mac|O['’]|D['’]|De|Di|Le|La)?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"
QUOTE_THEN_SURNAME = re.compile(
    r"(?:[,!?…]\]?\s*[\"”]|[\"”][ ]*[,—–])[ ]+(?P<one>" + ONE_NAME + ")"
    rf"(?:,[ ]+[^,\"“”]{{1,60}},)?[ ]+(?:(?:later|also|then)[ ]+)?{SAY_VERB}\b"
)
# "drafted by Alex Greenwich, who said on the floor": a relative clause that speaks.
WHO_SAID = re.compile(
    rf"{SPEAKER_NAME},?[ ]+who[ ]+(?:(?:later|also|then|had|has)[ ]+)?{SAY_VERB}\b"
)
# "According to Tom Reyes, ...": the source named after "according to" is a person.
ACCORDING_TO = re.compile(
    rf"\b[Aa]ccording[ ]+to[ ]+"
    # "according to Ashford College political scholar X": an affiliation, then the role.
    rf"(?:(?:\p{{Lu}}[\p{{L}}'’&.-]*[ ]+){{1,4}}(?=[\p{{Ll}}]))?"
    rf"(?:[\p{{Ll}}-]+[ ]+){{0,3}}{SPEAKER_NAME}"
)
# Role nouns after "X, a ..." or "X is a ...": "Anna Weiss, a virologist at Oxford".
ROLE_NOUNS = (
    r"[\p{Ll}-]*(?:ist|ian|man|woman|person|eer)|farmer|teacher|lawyer|doctor|nurse|worker|"
    r"member|leader|officer|resident|student|father|mother|owner|manager|founder|director|"
    r"professor|researcher|writer|driver|player|singer|actor|actress|voter|supporter|"
    r"protester|organi[sz]er|survivor|witness|victim|pilot|soldier|veteran|priest|mayor|"
    r"councillor|engineer|designer|producer|reporter|editor|commentator|analyst|lecturer|"
    r"campaigner|candidate|resident|official|adviser|advisor|consultant|partner|colleague|"
    r"friend|neighbo(?:u)?r|son|daughter|wife|husband|widow|brother|sister|judge|surgeon|"
    r"physician|executive|entrepreneur|investor|trader|banker|worker|employee|volunteer|"
    # Sport, arts and faith: "golfer Rory X", "wrestler Jon X", "cosmonaut Alexei X".
    r"golfer|wrestler|boxer|sprinter|runner|swimmer|skier|climber|jockey|cricketer|"
    r"footballer|striker|goalkeeper|midfielder|defender|quarterback|pitcher|bowler|racer|"
    r"skater|surfer|sailor|rower|coach|captain|astronaut|cosmonaut|explorer|inventor|"
    r"rapper|drummer|dancer|composer|conductor|songwriter|painter|sculptor|photographer|"
    r"filmmaker|broadcaster|presenter|playwright|poet|blogger|chef|comic|pastor|bishop|"
    r"rabbi|imam|cleric|monk|nun|billionaire|tycoon|magnate"
)
# A role noun alone, as a gap's last word: "said study co-author and Leeds glaciologist X".
ROLE_NOUN = re.compile(rf"(?:{ROLE_NOUNS}|fellow|author|co-author|scholar)")
PERSON_IS_ROLE = re.compile(
    rf"{SPEAKER_NAME}(?:,[ ]+|[ ]+(?:is|was)[ ]+)(?:(?:a|an)[ ]+(?:(?:former|retired|local|senior|"
    rf"junior|\d+-year-old|[\p{{Ll}}-]+)[ ]+){{0,2}}(?:{ROLE_NOUNS})\b"
    # "Akwasi Osei-Adjei is Ghana's foreign minister": a state's office.
    rf"|(?:the[ ]+)?\p{{Lu}}\p{{L}}+['’]s[ ]+(?:[\p{{Ll}}-]+[ ]+){{0,2}}(?i:{TITLE_RE})\b)"
)
# Professions that open a sentence before a name ("Actor Denzel X") and are no given names.
PROFESSIONS = frozenset(
    [
        "actor",
        "actress",
        "singer",
        "designer",
        "artist",
        "scientist",
        "author",
        "writer",
        "novelist",
        "poet",
        "producer",
        "filmmaker",
        "journalist",
        "economist",
        "professor",
        "lawyer",
        "activist",
        "researcher",
        "analyst",
        "chef",
        "comedian",
        "musician",
        "rapper",
        "photographer",
        "historian",
        "physicist",
        "biologist",
        "ecologist",
        "astronomer",
        "engineer",
        "architect",
        "entrepreneur",
        "businessman",
        "businesswoman",
    ]
)
# "virologist", "geochemist", "statistician": professions by their ending (not "-ist" alone:
# "Socialist", "Baptist" open names of parties and churches).
PROFESSION_ENDING = re.compile(r"\p{Ll}{2,}(?:ologist|ician|scientist|chemist|physicist|omist)")


def is_profession(word: str) -> bool:
    """Whether a word names a profession, as one that can stand before a name does.

    >>> is_profession("Immunologist"), is_profession("actor"), is_profession("Christian")
    (True, True, False)
    """
    return word.lower() in PROFESSIONS or PROFESSION_ENDING.fullmatch(word.lower()) is not None


# "designer Mary Quant", "ecologist Chip Taylor": a role noun written as a title before a
# full name (no office: the role is not kept as one).
# Not kin ("her brother Borna X"): a relative shares the surname of the one the story is about.
FALSE_TITLE = re.compile(
    r"(?<![\p{L}-])(?!(?:son|daughter|wife|husband|widow|brother|sister|father|mother|friend|"
    r"partner|colleague|neighbou?r)\b)"
    rf"(?:{ROLE_NOUNS})[ ]+{SPEAKER_NAME}"
)
# "Joanna Cherry of the Scottish National Party", "Sudesh Amman, 20,": a name with its
# party or body, or with its age, is a person's.
BODY_OF_PERSON = "|".join(sorted(ORG_WORDS - PLACE_WORDS))
PERSON_OF_BODY = re.compile(
    rf"{SPEAKER_NAME}(?:[ ]+(?:of|from)[ ]+(?:the[ ]+)?(?:\p{{Lu}}[\p{{L}}'’-]*[ ]+){{0,4}}"
    rf"(?:{BODY_OF_PERSON})\b|,[ ]+\d{{1,2}},)"
)
# "The mayor of London, Sadiq Khan, said": the role first, the name in commas.
ROLE_THEN_NAME = re.compile(
    # "The head of the IAEA, Rafael Grossi,": "head" is a title only before "of".
    rf"(?i:\b(?P<title>{TITLE_RE}|head(?=[ ]+of\b))\b){NOT_IN_APPOSITION}{{0,80}}?"
    rf"(?:[ ]*\([^)]{{0,100}}\))?,[ ]+{SPEAKER_NAME},"
)
# '"...," said Delfin Lorenzana', '"...," wrote student protester Joshua Wong': the speaker
# named after the verb that follows a quote, behind at most three words of role.
AFTER_QUOTE_SPEAKER = re.compile(
    rf"(?:[,!?…]\]?\s*[\"”]|[\"”][ ]*[,—–])[ ]+{SAY_VERB}[ ]+"
    # "said UCL astronomer X": role words, an acronym among them; "said his father, X";
    # "writes Roe's longtime tag team partner X": an owner, then up to four role words.
    rf"(?:\p{{Lu}}\p{{Ll}}+['’]s[ ]+(?:[a-z][\w-]*[ ]+){{1,4}}|"
    # "said EU commissioner for Home Affairs, X": a portfolio, then the name.
    rf"(?:\p{{Lu}}{{2,}}[ ]+)?(?:[a-z][\w-]*[ ]+){{1,2}}(?:for|of)[ ]+(?:the[ ]+)?"
    rf"(?:\p{{Lu}}[\p{{L}}-]*[ ]+){{0,2}}\p{{Lu}}[\p{{L}}-]*,[ ]+|"
    rf"(?:(?:[a-z][\w-]*,?|\p{{Lu}}{{2,}})[ ]+){{0,3}})"
    # "said study co-author and Royal Society Research Fellow X": a body's title, capitalised.
    r"(?:(?:\p{Lu}[\p{L}-]*[ ]+){0,4}"
    r"(?:Fellow|Lecturer|Researcher|Scientist|Director|Chair|Dean|Professor)[ ]+)?"
    # "said Lt. Nate X of the Navy": a rank, abbreviated.
    rf"(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sir|Dame|{'|'.join(MILITARY_RANKS)})\.?[ ]+)?"
    rf"(?:{SPEAKER_NAME}|(?P<one>{ONE_NAME})"
    r"(?=[,.;]|[ ]+(?:on|in|at|after|before|during|when|as|while|to|of)\b|$))"
)
ROLE = re.compile(
    r"\b(?:(?P<det>[Tt]he|[Hh]is|[Hh]er|[Tt]heir)[ ]+"
    r"(?:(?P<mod>\p{Lu}[\p{L}.]*(?:[ ]\p{Lu}\p{L}+)?)[ ]+)?"
    # "Iran's top diplomat": the state's possessive names whose office it is.
    r"|(?P<owner>\p{Lu}\p{L}+)['’]s[ ]+(?=(?:[a-z]+[ ]+)?(?:leader|president|prime minister|"
    r"premier|foreign minister|minister|diplomat|envoy)\b))"
    # "the President said", "the Prime Minister": copy outside the US capitalises the office.
    r"(?P<title>(?i:(?:[a-z]+[ ]+)?(?:leader|president|prime minister|premier|king|queen|"
    r"monarch|diplomat|"
    r"chancellor|foreign minister|minister|secretary of state|secretary|emperor|emir|sultan|envoy|"
    r"crown prince|prince|governor|mayor|senator|ambassador|secretary-general|"
    r"director-general|counterpart)))\b(?![ ]+\p{Lu})"
)
# Roles that describe a person named before without naming an office ROLE resolves: "the
# Democratic nominee", "the Vermont senator", "the former vice president", "the 44th
# president", "the Utah Republican". Resolved against the words the person was described by.
DESCRIBED = re.compile(
    r"\b[Tt]he[ ]+(?P<former>(?:former|then|outgoing|\d{1,2}(?:st|nd|rd|th))[ ]+)?"
    r"(?:(?P<mod>\p{Lu}\p{Ll}+(?:[ ]\p{Lu}\p{Ll}+)?)[ ]+)?"
    r"(?P<title>(?:[a-z-]+[ ]+){0,2}(?:nominee|candidate|challenger|incumbent|congresswoman|"
    r"congressman|lawmaker|first lady|running mate|senator|governor|president|mayor|"
    r"Republican|Democrat|[Pp]ope|[Pp]ontiff|monarch|commander|cleric|activist|politician|"
    r"dissident|campaigner|economist|lawyer|journalist|tycoon|billionaire|"
    # "the general said", not "the general election": a rank only before a verb or a stop.
    r"(?:general|admiral)(?=[ ]*[,.;]|[ ]+(?:said|says|told|added|wrote|warned|noted)\b)))"
    r"\b(?![ ]+\p{Lu}|-)"
)
# A role word that the description writes another way ("Representative X ... the
# congresswoman").
SAME_ROLE = {
    "congresswoman": "representative",
    "congressman": "representative",
    "pontiff": "pope",
    "premier": "prime minister",
}
# Nouns that describe a person without naming an office: "the Swedish activist" is the person
# just named, when no one named nearer fits the nationality.
GENERIC_ROLES = frozenset(
    [
        "activist",
        "politician",
        "cleric",
        "commander",
        "dissident",
        "campaigner",
        "economist",
        "lawyer",
        "journalist",
        "tycoon",
        "billionaire",
        "monarch",
    ]
)
ROYAL = frozenset(["king", "queen", "emperor", "empress", "sultan", "emir", "monarch"])
PARTY_WORDS = frozenset(["Democratic", "Republican", "Democrat", "Conservative", "Labour"])
COMPASS = frozenset(["West", "North", "South", "East"])
REGION_WORDS = frozenset(
    ["Far", "Near", "Wild", "Mid", "Deep", "Global", "Upper", "Lower", "Great", "Middle"]
)
# "the 38-year-old", "The 16-year-old activist": a person named before, by age.
AGE_ROLE = re.compile(
    rf"\b[Tt]he[ ]+\d{{1,3}}-year-old(?:[ ]+(?!{SAY_VERB}\b|was\b|is\b|has\b|had\b)\p{{Ll}}+)?\b"
)
# The state whose office a role is, written as its possessive right before it.
ROLE_OWNER = re.compile(r"\b(\p{Lu}\p{L}+)['’]s[ ]+$")
PRONOUN = re.compile(r"\b(?P<p>[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im)\b")
# Capitalised words that start sentences or name things other than people.
NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "From",
        "By",
        "With",
        "As",
        "To",
        "Of",
        "Into",
        "Like",
        "Unlike",
        "Against",
        "Toward",
        "Towards",
        "Through",
        "Via",
        "But",
        "And",
        "Or",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "During",
        "Since",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "His",
        "Her",
        "They",
        "Their",
        "We",
        "Our",
        "You",
        "I",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Sir",
        *WEEKDAY_NAMES,
        *MONTH_NAMES,
        "Reuters",
        "Today",
        "Yesterday",
        "Later",
        "Earlier",
        "Meanwhile",
        "However",
        "Also",
        "Both",
        "Some",
        "Many",
        "Most",
        "Several",
        "Last",
        "Next",
        "According",
        "Under",
        "Over",
        "Among",
        "Although",
        "Though",
        "Despite",
        "Following",
        "Speaking",
        "Asked",
        "Talks",
        "Officials",
        "Minister",
        "President",
        "Ministry",
        "Government",
        "Parliament",
        "Congress",
        "Senate",
        "Party",
        "Council",
        "Union",
        "Republic",
        "Kingdom",
        "State",
        "States",
        "Foreign",
        "Prime",
        "Secretary",
        "House",
        "White",
        "Commission",
        "Committee",
        "Bank",
        "Fund",
        "Eastern",
        "Western",
        "Northern",
        "Southern",
        "Central",
        "North",
        "South",
        "East",
        "West",
        "Middle",
        "Latin",
        "European",
        "Asian",
        "African",
        "Arab",
        "Gulf",
        "Atlantic",
        "Pacific",
        "Mediterranean",
        "Asia",
        "Europe",
        "Africa",
        "America",
        "New",
        "Old",
        "Christmas",
        "Easter",
        "God",
        "Islamic",
        "Catholic",
        "Christian",
        "Muslim",
        "Jewish",
        "Sunni",
        "Shia",
        "Shiite",
    ]
)
TIME_WORDS = frozenset(WEEKDAY_NAMES) | frozenset(MONTH_NAMES) | {m.title() for m in MONTHS}
# Letters after a name that are no part of it ("Judge Durham Hall QC").
NAME_SUFFIXES = frozenset(["QC", "KC", "MP", "MEP", "OBE", "CBE"])
# The article that opens an Arabic surname ("el-Sisi", "Al-Burhan").
ARABIC_ARTICLE = re.compile(r"^(?:al|el|Al|El)-(?=\p{Lu})")
# "Donald Trump Jr." is another person than Donald Trump: the suffix stays in the name.
GENERATION = re.compile(r"[ ]+(?:Jr|Sr)\.?(?![\p{L}])")
TITLE_OF = re.compile(rf"(?i:\b(?P<title>{TITLE_RE})\b)[ ]+(?P<prep>to|of|for)[ ]+(?:the[ ]+)?")
NAME_AFTER = re.compile(rf"[ ]+(?P<name>{NAME})")
TITLE_ONLY = re.compile(rf"(?i:(?:{TITLE_RE})(?:[ ]+(?:{TITLE_RE}))*)")
NON_LEADER_TITLES = frozenset(OTHER_TITLES + HONORIFICS)


@dataclass
class Mention:
    """A mention of an entity: absolute offsets, text, kind, the entity key it refers to."""

    start: int
    end: int
    text: str
    kind: str  # person | role | pronoun | place | org | pair
    ref: str | None = None
    sentence: int = 0
    # A "pair" mention ("the two leaders") also points at a second person.
    other: str | None = None


@dataclass
class Info:
    """What the article tells about one entity."""

    key: str
    label: str
    type: EntityType
    wikidata: str | None = None
    aliases: set[str] = field(default_factory=set)
    country: str | None = None  # state label, for cities and people (nationality)
    office: str | None = None
    reference: bool = False  # ``label`` is a reference label (gazetteer, country list)
    written: dict[str, int] = field(default_factory=dict)  # names as written -> how often
    gender: str | None = None  # "f" or "m" when the article shows it (kg.extract.gender)
    # Lower-case words the article and the gazetteer describe a person by ("democratic",
    # "nominee", "senator"), and the offices held before the dateline: what "the Democratic
    # nominee" and "the former vice president" point back at.
    roles: set[str] = field(default_factory=set)
    past_offices: set[str] = field(default_factory=set)

    def written_label(self) -> str:
        """The name as this article writes it, its fullest form; the reference label if unwritten.

        A person is named by the written form with the most words, or by the reference label
        when that only adds words to it ("Putin" -> "Vladimir Putin", but "Weizsaecker" stays
        as written); a place by its reference label if the text writes it, else by its most
        frequent written form ("Peking", "Britain").

        >>> Info("p", "Alan García", EntityType.LEADER, reference=True,
        ...      written={"Alan Garcia": 1, "Garcia": 4}).written_label()
        'Alan Garcia'
        >>> Info("p", "Vladimir Putin", EntityType.LEADER, reference=True,
        ...      written={"Putin": 2}).written_label()
        'Vladimir Putin'
        >>> Info("c", "Beijing", EntityType.CITY, reference=True,
        ...      written={"Peking": 1}).written_label()
        'Peking'
        """
        forms = list(self.written)
        if not forms:
            return self.label
        if self.type in (EntityType.LEADER, EntityType.PERSON):
            best = max(forms, key=lambda f: (len(f.split()), f == self.label, self.written[f]))
            if self.reference and set(best.split()) < set(self.label.split()):
                return self.label
            return best
        if self.label in forms:
            return self.label
        return max(forms, key=lambda f: (self.written[f], len(f)))


@dataclass
class EntityTable:
    """The entities of one article and every resolved mention, in text order."""

    infos: dict[str, Info] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)

    def get(self, key: str | None) -> Info:
        if key is None:
            raise KeyError(key)
        return self.infos[key]

    def in_sentence(
        self, index: int, kinds: tuple[str, ...] = ("person", "role", "pronoun")
    ) -> list[Mention]:
        """The resolved mentions of people in sentence ``index``."""
        return [m for m in self.mentions if m.sentence == index and m.kind in kinds and m.ref]

    def place(
        self, label: str, etype: EntityType, country: str | None = None, wikidata: str | None = None
    ) -> str:
        """The key of a state or place, added if new (and given its QID if it had none: a
        state first added as a city's country is named later). A state added with no QID
        takes the one the place data verifies (Tehran's country is Iran, Q794)."""
        if wikidata is None and etype == EntityType.STATE:
            known = Places.default().state(label)
            wikidata = known.wikidata if known is not None and known.label == label else None
        key = "place:" + norm(label)
        if key not in self.infos:
            self.infos[key] = Info(key, label, etype, wikidata, country=country, reference=True)
        elif wikidata and not self.infos[key].wikidata:
            self.infos[key].wikidata = wikidata
        return key

    def body(self, label: str, etype: EntityType) -> str:
        """The key of an organization or publication, added if new."""
        key = "org:" + norm(label)
        if key not in self.infos:
            self.infos[key] = Info(key, label, etype)
        return key


def _surname(name: str) -> str:
    """The key of a name's surname, without an Arabic article ("el-Sisi" and "Sisi" agree).

    >>> _surname("Abdel Fattah el-Sisi"), _surname("Sisi's"), _surname("Donald Trump Jr.")
    ('sisi', 'sisi', 'trump jr')
    """
    words = name.split()
    if len(words) > 1 and GENERATION.fullmatch(" " + words[-1]):
        return f"{_surname(' '.join(words[:-1]))} {norm(words[-1])}"  # "trump jr"
    return re.sub(r"^(?:al|el|ad|ash|as|an|ar)[ ](?=\w)", "", norm(words[-1])).removesuffix("'s")


class _People:
    """Clusters of person mentions keyed by surname, canonicalised through the gazetteer."""

    def __init__(self, table: EntityTable, gazetteer: Gazetteer, dateline: str | None) -> None:
        self.table = table
        self.gazetteer = gazetteer
        self.dateline = dateline
        self.by_surname: dict[str, str] = {}
        self.forms: dict[str, str] = {}  # surname as written -> key
        self.states: set[str] = set()  # states the article names

    def _by_surname(self, word: str, title: str | None) -> Person | None:
        """The one gazetteer person a bare surname ("Mr Hu", "President Lula") can mean: in
        an office of that title on the dateline or, undated, in an office of a state the
        article names. A royal's one name is a given name ("Prince Charles"): not looked up."""
        title = (title or "").lower()
        if title in ROYAL_TITLES:
            return None
        office_word = title.split()[-1] if title and title not in NON_LEADER_TITLES else None
        found = []
        for p in self.gazetteer.by_surname(word):
            tenures = [
                t for t in p.offices if office_word is None or office_word in t.office.lower()
            ]
            if self.dateline:
                ok = any(t.covers(self.dateline[:10]) for t in tenures)
            else:
                ok = any(t.of and _state_label(t.of) in self.states for t in tenures)
            if ok:
                found.append(p)
        return found[0] if len(found) == 1 else None

    def add(self, name: str, office: str | None, country: str | None) -> str:
        name = _clean_name(name)
        known = self.gazetteer.person(name, self.dateline)
        if known is None and len(name.split()) == 1 and (office or "").lower() in ("sir", "dame"):
            # "Sir Keir said" after "Sir Keir Starmer": a knight goes by the given name.
            knight = next(
                (
                    k
                    for k, i in self.table.infos.items()
                    if k.startswith("person:") and i.label.split()[:1] == [name] != i.label.split()
                ),
                None,
            )
            if knight is not None:
                return knight
        if known is None and len(name.split()) == 1:
            known = self._by_surname(name, office)
        surname = _surname(known.label if known else name)
        key = self.by_surname.get(surname) or self.by_surname.get(_surname(name))
        if key is not None and _other_given_name(self.table.infos[key].label, name, known):
            # "Michelle Obama" after "Barack Obama": the same surname, another person.
            key = None
            surname = f"{surname}:{norm(name.split()[0])}"
        honorific = (office or "").rstrip(".")
        said = gender_of_title(honorific) if honorific.lower() in HONORIFICS else None
        if said and len(name.split()) == 1 and (key is not None or known is not None):
            other = self.table.infos[key].gender if key else None
            other = other or given_name_gender(known.label if known else "")
            if other and other != said:
                # "Mrs Howard" after "John Howard": his wife, not the prime minister.
                known, key = None, self.by_surname.get(f"{surname}:{said}")
                name, surname = f"{honorific} {name}", f"{surname}:{said}"
        if key is None:
            key = "person:" + surname
            self.table.infos[key] = Info(key, name, EntityType.PERSON)
            self.by_surname[surname] = key
        self.by_surname.setdefault(_surname(name), key)
        words = name.split()
        if len(words) > 1 and GENERATION.fullmatch(" " + words[-1]):
            self.forms.setdefault(f"{words[-2]} {words[-1].rstrip('.')}", key)  # "Trump Jr"
        elif words:
            self.forms.setdefault(words[-1].removesuffix("'s"), key)
        # Family name first ("Hu Jintao", "Kim Jong Un", "Moon Jae-in"): the first word names
        # the person too (not "Ali" of "Ali Reza Raisi").
        if len(words) >= 2 and (
            (known is not None and len(words[0]) <= 3 and known.label.startswith(words[0]))
            or (len(words) == 3 and len(words[-1]) <= 3)
            or (len(words[0]) <= 3 and "-" in words[-1])
        ):
            self.by_surname.setdefault(norm(words[0]), key)
            self.forms.setdefault(words[0], key)
        info = self.table.infos[key]
        if known is not None:
            info.label, info.wikidata, info.reference = known.label, known.wikidata, True
            info.aliases.update(known.aliases)
            for t in known.offices:
                info.roles.update(t.office.lower().split())
                if self.dateline and t.end and t.end < self.dateline[:10]:
                    info.past_offices.add(t.office.lower())
                if t.of and (self.dateline is None or t.covers(self.dateline[:10])):
                    info.office = info.office or t.office
                    state = Places.default().state(t.of)
                    info.country = info.country or (state.label if state else None)
            # Out of office on the dateline: the state of the latest office is still home.
            for t in sorted(known.offices, key=lambda t: t.start or "", reverse=True):
                state = Places.default().state(t.of) if t.of else None
                if state is not None:
                    info.country = info.country or state.label
                    break
            info.type = EntityType.LEADER
        elif len(name.split()) > len(info.label.split()):
            info.aliases.add(info.label)
            info.label = name
        elif name != info.label:
            info.aliases.add(name)
        info.gender = (
            info.gender
            or (gender_of_title(office.split()[-1]) if office else None)
            or given_name_gender(info.label)
            or given_name_gender(name)
        )
        if office:
            info.roles.update(office.lower().split())
        if office and office.lower() not in NON_LEADER_TITLES:
            info.office = info.office or office
            if office.lower() not in OTHER_TITLES and not NO_OFFICE.search(office):
                info.type = EntityType.LEADER
        if country and not info.country:
            info.country = country
        # Offices of one state only: "Taoiseach X" is Irish.
        if office and not info.country:
            info.country = ONE_STATE_OFFICES.get(office.lower())
        return key


ONE_STATE_OFFICES = {"taoiseach": "Ireland", "tánaiste": "Ireland"}
# Titles whose portfolio or kind stands before them ("security minister", "opposition leader").
PORTFOLIO_TITLES = frozenset(
    ["minister", "secretary", "spokesman", "spokeswoman", "official", "leader", "chairman"]
)
# Leaders of no public office: "opposition leader", "rebel leader", "union leader".
NO_OFFICE = re.compile(
    r"(?i)\b(?:opposition|rebel|militia|union|protest|student|community|religious|spiritual|"
    r"cult|gang|tribal|separatist|insurgent|party)\s+(?:leader|chairman|chief)"
)


def _other_given_name(label: str, name: str, known: Person | None) -> bool:
    """Whether two full names share a surname but not the given name ("Barack Obama",
    "Michelle Obama"); initials and names the gazetteer joins are the same person."""
    a, b = label.split(), name.split()
    if len(a) < 2 or len(b) < 2 or known is not None:
        return False
    first_a, first_b = a[0].rstrip("."), b[0].rstrip(".")
    if len(first_a) == 1 or len(first_b) == 1 or first_a in ROYAL_TITLE_WORDS:
        return False
    return (
        first_a != first_b and not first_a.startswith(first_b) and not first_b.startswith(first_a)
    )


ROYAL_TITLE_WORDS = frozenset(w.title() for t in ROYAL_TITLES for w in t.split())


def _state_label(name: str) -> str | None:
    state = Places.default().state(name)
    return state.label if state else None


def _clean_name(name: str) -> str:
    name = name.strip().removesuffix("'s").removesuffix("’s")
    words = name.split()
    for i in range(len(words) - 1, -1, -1):
        if words[i].endswith(("'s", "’s")):  # "BBC's Paul Reynolds": the owner is no part
            words = words[i + 1 :]
            break
    while words and (words[-1] in NOT_NAMES or words[-1] in NAME_SUFFIXES):
        if (
            words[-1] in COMPASS
            and len(words) >= 2
            and words[-2] not in NOT_NAMES
            and words[-2] not in REGION_WORDS
        ):
            break  # "Kanye West": a compass word may be a surname (not "the Far East")
        words.pop()
    while len(words) > 2 and (
        words[0] in BODY_WORDS
        or words[0] in NOT_NAMES
        # "Actor Denzel X" opening a sentence: the role is no part of the name.
        or is_profession(words[0])
    ):
        words.pop(0)
    return " ".join(words)


TITLE_SET = frozenset(LEADER_TITLES + OTHER_TITLES)


def _plural_titled(
    s: Sentence,
    i: int,
    pos: int,
    office: str,
    country: str | None,
    people: _People,
    found: list[Mention],
) -> None:
    """The other names a plural title lists: "Presidents A of Nigeria and B of Benin", "Foreign
    Ministers A, B and C" (each with the state after "of", else the nationality before the
    title)."""
    places = Places.default()
    while m := PLURAL_NEXT.match(s.text, pos):
        name = _clean_name(m["name"])
        if not name or name in NOT_NAMES or places.place(name) or len(name.split()) < 2:
            break
        start = s.start + m.start("name")
        key = people.add(name, office, _state_after(places, s.text, m.end("name")) or country)
        found.append(Mention(start, start + len(name), name, "person", key, i))
        pos = m.end("name")


LIST_BEFORE = re.compile(r"(?P<item>\p{Lu}[\p{L}.]*(?:[ ]\p{Lu}[\p{L}.]*)?)[ ]*,[ ]*(?:and[ ]+)?$")
LIST_AFTER = re.compile(
    r"[ ]*(?:,[ ]*(?:and[ ]+)?|[ ]+and[ ]+)(?P<item>\p{Lu}\p{L}+(?:[ ]\p{Lu}\p{L}+)?)"
)


def _us_state_here(s: Sentence, span: Span, places: Places) -> bool:
    """Whether a state's name that is also a US state's ("Georgia") means the US state: listed
    next to another US state, or after a US city ("Atlanta, Georgia")."""
    if span.text not in places.us_states:
        return False
    before = LIST_BEFORE.search(s.text[: span.start - s.start])
    after = LIST_AFTER.match(s.text, span.end - s.start)
    for m in (before, after):
        if m is None:
            continue
        item = m["item"]
        city = places.city(item)
        if (item in places.us_states and item != span.text) or (
            city is not None and city.country == "United States"
        ):
            return True
    return False


def _nationality(places: Places, left: str) -> str | None:
    """The state named just before a title: "Greek", "West German", "Britain's", "U.S.";
    not one behind a comma ("in the Kyrgyz capital Bishkek, Prime Minister X of India")."""
    words = re.split(r"[,;:()]", left)[-1].split()[-3:]
    for n in (2, 1):
        if len(words) >= n:
            phrase = " ".join(words[-n:]).removesuffix("'s").removesuffix("’s")
            found = places.demonym(phrase) or (
                places.state(phrase).label if places.state(phrase) else None
            )
            if found:
                return found
    # "Russian opposition leader", "Syrian Kurdish commander", "a US peace envoy": a demonym
    # or a state's short name before a modifier.
    for w in reversed(words[:-1]):
        bare = w.removesuffix("'s")
        if w[:1].isupper() and (found := places.demonym(bare)):
            return found
        if bare.isupper() and len(bare) <= 4 and (state := places.state(bare)):
            return state.label
    return None


def find_entities(
    sents: list[Sentence],
    dateline: str | None,
    data_dir: Path | None = None,
    quoted: list[tuple[int, int]] | None = None,
) -> EntityTable:
    """Find and resolve every mention of a person, state, place or body in the sentences.

    ``quoted`` are the spans inside quotation marks: a person named in a quote is no
    antecedent for a pronoun outside it ('"I told Ann Roe ...," he wrote').
    """
    data_dir = data_dir or PROJECT_ROOT / "data"
    places = Places.default(data_dir)
    gazetteer = Gazetteer.load(data_dir)
    table = EntityTable()
    people = _People(table, gazetteer, dateline)
    found: list[Mention] = []

    # 1. Names of places and bodies from the entity ruler.
    for i, s in enumerate(sents):
        for span in s.names:
            if span.label in ("STATE", "CITY", "PLACE"):
                p = places.place(span.text)
                if p is None or (span.label == "CITY" and _inside_name(s, span)):
                    continue
                if p.type == EntityType.STATE and _us_state_here(s, span, places):
                    continue  # "stops in Pennsylvania, Georgia, Florida": the US state
                country = None
                if p.country:
                    country = p.country
                    table.place(p.country, EntityType.STATE)
                key = table.place(p.label, p.type, country, p.wikidata)
                found.append(Mention(span.start, span.end, span.text, "place", key, i))
            elif span.label in ("ORGANIZATION", "PUBLICATION"):
                given = re.search(
                    r"(?<![\p{L}-])(\p{Lu}\p{Ll}+)[ ]+$", s.text[: span.start - s.start]
                )
                if (
                    " " not in span.text
                    and given
                    and given_name_gender(f"{given.group(1)} {span.text}")
                ):
                    # "Michael Bloomberg", "Henry Ford": a given name before an outlet's or a
                    # company's one-word name makes it a person's surname.
                    name = f"{given.group(1)} {span.text}"
                    start = span.start - len(given.group(0))
                    key = people.add(name, None, None)
                    found.append(Mention(start, span.end, name, "person", key, i))
                    continue
                b = gazetteer.body(span.text)
                key = table.body(b.label if b else span.text, EntityType(span.label.title()))
                if b is not None:
                    table.infos[key].wikidata, table.infos[key].reference = b.wikidata, True
                found.append(Mention(span.start, span.end, span.text, "org", key, i))
            elif span.label == "PERSON":  # from a statistical model, when one is installed
                name = _clean_name(span.text)
                if len(name.split()) >= 2 and not places.place(name):
                    key = people.add(name, None, None)
                    start = span.start + span.text.find(name)
                    found.append(Mention(start, start + len(name), name, "person", key, i))
            elif span.label == "LEADER":
                if re.search(rf"\b(?:{PARTICLE})[ ]+$", s.text[: span.start - s.start]):
                    continue  # "Mohammad bin [Salman of Saudi Arabia]": inside a longer name
                end, text = span.end, span.text
                junior = GENERATION.match(s.text, span.end - s.start)
                if junior:  # "Donald Trump Jr.": the son, whom the gazetteer does not hold
                    end = s.start + junior.end()
                    text = s.text[span.start - s.start : junior.end()]
                key = people.add(text, None, None)
                found.append(Mention(span.start, end, text, "person", key, i))

    def taken(a: int, b: int) -> bool:
        return any(m.start < b and a < m.end for m in found)

    _body_names(sents, table, gazetteer, found, taken)
    _lower_case_bodies(sents, table, found)
    _acronyms(sents, table, places, found, taken)
    _governments(sents, table, places, found)

    for m in found:
        if m.kind == "place" and m.ref:
            info = table.get(m.ref)
            people.states.add(info.label if info.type == EntityType.STATE else info.country or "")

    def is_place_name(name: str) -> bool:
        return places.place(name) is not None or places.demonym(name) is not None

    def is_state_word(word: str) -> bool:
        # Cities are often given names too ("Vladimir"), so only states and demonyms count.
        return places.state(word) is not None or places.demonym(word) is not None

    # 2. Titled names, appositions and speakers.
    for i, s in enumerate(sents):
        prev: tuple[int, str | None] = (-1, None)  # end and nationality of the last titled name
        # "President and Mrs. Bush": the office holder (with a spouse) named by surname.
        couples: list[tuple[int, int]] = []
        for m in COUPLE.finditer(s.text):
            start, name = s.start + m.start(), _clean_name(m["name"])
            # The titles make a person of the name, even one a town bears ("Bush", Egypt).
            if name and not taken(start, s.start + m.end()):
                country = _nationality(places, s.text[: m.start()])
                country = country or _state_after(places, s.text, m.end())
                key = people.add(name, _office(m["title"]), country)
                found.append(Mention(start, s.start + m.end(), name, "person", key, i))
                couples.append((start, s.start + m.end()))
        for m in TITLED.finditer(s.text):
            name = _clean_name(m["name"])
            if (
                not name
                or any(a <= s.start + m.start() < b for a, b in couples)  # taken just above
                or name in NOT_NAMES
                # "President Bush": a town of Egypt, but a leader the gazetteer knows first.
                or (is_place_name(name) and not gazetteer.by_surname(name))
                # "the General Assembly", but "Sheriff Bill Brown": "Bill" is a given name too.
                or any(
                    w in ORG_WORDS and not (k == 0 and given_name_gender(name))
                    for k, w in enumerate(name.split())
                )
                or TITLE_ONLY.fullmatch(name)  # "the Lord Mayor"
                # "the broadcaster CNN", "the broadcaster TRT": a body's name or an acronym.
                or gazetteer.body(name) is not None
                or name in PLATFORM_NAMES
                or re.fullmatch(r"\p{Lu}{2,}", name)
            ):
                continue
            title = " ".join(m["title"].split())
            left = s.text[: m.start()]
            portfolio: list[str] = []
            if title.lower() in PORTFOLIO_TITLES:
                for w in reversed(left.split()[-2:]):
                    bare = re.sub(r"['’]s$", "", w)  # "Indonesia's security minister"
                    if w.lower() in FUNCTION_WORDS or places.demonym(bare) or places.state(bare):
                        break
                    portfolio.insert(0, w)
                left = left[: len(left.rstrip()) - len(" ".join(portfolio))]
            title = " ".join([*portfolio, title])
            country = _nationality(places, left)
            office_of = OFFICE_OF_BEFORE.search(left)
            if country is None and office_of and places.state(office_of["state"]):
                # "The Emir of Qatar, Sheikh Hamad": the office before the apposition.
                country = places.state(office_of["state"]).label  # type: ignore[union-attr]
                title = office_of["title"]
            if (
                country is None
                and prev[0] >= 0
                and re.fullmatch(r"\s*,?\s*and\s*", left[prev[0] :])
            ):
                # "Israeli prime minister X and energy minister Y": Y is Israeli too.
                country = prev[1]
            after = s.text[m.start("name") + len(name) :]
            country = country or _state_after(places, after, 0)
            start = s.start + m.start("name")
            prev = (m.start("name") + len(name), country)
            if title.lower() in ROYAL_TITLES and len(name.split()) == 1 and title[0].isupper():
                # "King Harald": a royal with one name is named with the title.
                start = s.start + m.start("title")
                name = s.text[m.start("title") : m.start("name") + len(name)]
            office = _office(title)
            plural = m["title"].lower().endswith("s") and m["title"].lower()[:-1] in TITLE_SET
            if plural:
                office = office[:-1]  # "Presidents A and B": each is a president
            key = people.add(name, office, country)
            # "Mrs Dana Holt", "Queen Rania", "spokeswoman X": the title shows the gender.
            table.infos[key].gender = table.infos[key].gender or gender_of_title(title.split()[-1])
            if not taken(start, start + len(name)):
                found.append(Mention(start, start + len(name), name, "person", key, i))
            if plural:
                _plural_titled(s, i, start + len(name) - s.start, office, country, people, found)
        # "Ambassador to the United Nations Nikki Haley", "President of Ukraine X": the
        # office's body or state stands between the title and the name.
        for m in TITLE_OF.finditer(s.text):
            body = next((b for b in found if b.start == s.start + m.end() and b.ref), None)
            if body is None:
                body = _place_before_name(s, i, m.end(), places, table)
            if body is None:
                # "Speaker of the House Nancy Pelosi": a body no list holds; the name starts
                # at the first known given name after it.
                run = re.match(
                    rf"(?:\p{{Lu}}\p{{L}}+[ ]+){{1,3}}?(?P<name>{SPEAKER_NAME})", s.text[m.end() :]
                )
                if run is None or not given_name_gender(run["name"]):
                    continue
                name, start = _clean_name(run["name"]), s.start + m.end() + run.start("name")
                if not is_place_name(name) and not taken(start, start + len(name)):
                    key = people.add(
                        name, _office(m["title"]), _nationality(places, s.text[: m.start()])
                    )
                    found.append(Mention(start, start + len(name), name, "person", key, i))
                continue
            after = NAME_AFTER.match(s.text, body.end - s.start)
            if after is None:
                continue
            name = _clean_name(after["name"])
            start = s.start + after.start("name")
            if len(name.split()) < 2 or is_place_name(name) or taken(start, start + len(name)):
                continue
            info = table.get(body.ref)
            # "President of Ukraine X" is Ukrainian; "US Ambassador to Germany X" and "US
            # Special Representative for Iran X" are from the state before the title.
            country = _nationality(places, s.text[: m.start()])
            if country is None and m["prep"] == "of":
                country = info.label if info.type == EntityType.STATE else None
            key = people.add(name, _office(m["title"]), country)
            found.append(Mention(start, start + len(name), name, "person", key, i))
        for pattern in (
            APPOSITION,
            SAYS,
            SUBJECT,
            SPEAKER_APPOSITION,
            SPEAKER_OF,
            ROLE_THEN_NAME,
            AFTER_QUOTE_SPEAKER,
            PERSON_OF_BODY,
            ACCORDING_TO,
            WHO_SAID,
            PERSON_IS_ROLE,
            QUOTE_THEN_SURNAME,
            FALSE_TITLE,
            OPENING_SUBJECT,
        ):
            if pattern is OPENING_SUBJECT and (
                i + 1 >= len(sents) or not PRONOUN_QUOTE.search(sents[i + 1].text)
            ):
                continue
            for m in pattern.finditer(s.text):
                if (
                    pattern in (SAYS, SUBJECT)
                    and (
                        AFFILIATION_BEFORE.search(s.text[: m.start("name")])
                        # "X of the Center for Food Safety said": the end of a body's name.
                        or BODY_HEAD_BEFORE.search(s.text[: m.start("name")])
                        or _person_at(s.text[: m.start("name")])
                    )
                ):
                    continue  # "X of victims' group Ending Clergy Abuse said": X speaks
                if pattern in (AFTER_QUOTE_SPEAKER, QUOTE_THEN_SURNAME) and m["one"]:
                    before = " ".join(x.text for x in sents[:i]) + " " + s.text[: m.start()]
                    _surname_speaker(
                        m, s, i, people, found, taken, gazetteer, is_place_name, before, sents
                    )
                    continue
                name = _clean_name(m["name"])
                words = name.split()
                while words and (words[0] in NOT_NAMES or is_state_word(words[0])):
                    words.pop(0)
                name = " ".join(words)
                if (
                    words
                    and words[-1].lower() in TITLE_SET
                    and NEXT_CAPITAL.match(s.text, m.end("name"))
                ):
                    continue  # "said Marin County Sheriff Dale Ortiz": an office before a name
                if pattern is SAYS and any(w in ORG_WORDS for w in m["name"].split()):
                    _speaking_body(m, s, i, table, gazetteer, found, taken, is_place_name)
                    continue
                if (
                    len(words) < 2
                    or is_place_name(name)
                    or any(
                        is_state_word(w)
                        # "Bill Gerstenmaier": a given name, though "Bill" names a law too.
                        or (w in ORG_WORDS and not (k == 0 and given_name_gender(name)))
                        # "Kanye West, who ...": a compass word may close a person's name.
                        or (w in NOT_NAMES and not (k == len(words) - 1 > 0 and w in COMPASS))
                        for k, w in enumerate(words)
                    )
                    or TITLE_ONLY.fullmatch(name)  # "the Crown Prince, who ..."
                    or words[-1] in PARTY_WORDS  # "the Utah Republican said": a role
                ):
                    continue
                start = s.start + m.start("name") + m["name"].find(name)
                if taken(start, start + len(name)):
                    continue
                office = m.groupdict().get("title")
                country = None
                if office:
                    if m.start("title") > m.start("name"):
                        # "Brian Hook, the US special envoy": the nationality before the title.
                        country = _nationality(places, s.text[m.end("name") : m.start("title")])
                    else:
                        # "The US special envoy, Zalmay Khalilzad,".
                        country = _nationality(places, s.text[: m.start("title")])
                    # "The president of Namibia, X,", "X, the president of Bolivia,".
                    of = re.match(
                        r"\s+(?:of|for)\s+(?:the\s+)?(\p{Lu}[\p{L}.]*(?:\s\p{Lu}\p{L}+)?)",
                        s.text[m.end("title") :],
                    )
                    state = places.state(of.group(1)) if of else None
                    country = country or (state.label if state else None)
                key = people.add(name, office, country)
                found.append(Mention(start, start + len(name), name, "person", key, i))

    _single_name_subjects(sents, table, people, gazetteer, found, taken, is_place_name)
    _introduced_names(sents, people, found, taken, is_place_name)

    # 3. Surnames of the people found, wherever they recur.
    if people.by_surname:
        surnames = sorted(
            {
                *people.forms,
                *(table.infos[k].label.split()[-1] for k in set(people.by_surname.values())),
            },
            key=len,
            reverse=True,
        )
        # "el-Sisi" is written "El-Sisi" at a sentence's start and "Sisi" alone.
        surnames = [
            *surnames,
            *(n[0].upper() + n[1:] for n in surnames if ARABIC_ARTICLE.match(n)),
            *(ARABIC_ARTICLE.sub("", n) for n in surnames if ARABIC_ARTICLE.match(n)),
        ]
        surnames.sort(key=len, reverse=True)
        alt = "|".join(re.escape(n) for n in dict.fromkeys(surnames) if n[:1].isupper())
        if alt:
            sur_re = re.compile(rf"\b(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?(?:{alt})\b(?:'s|’s)?")
            full_names: dict[str, list[tuple[int, str]]] = {}
            for f in sorted(found, key=lambda f: f.start):
                if f.kind == "person" and f.ref and len(f.text.split()) > 1:
                    full_names.setdefault(_surname(f.text), []).append((f.start, f.ref))
            for i, s in enumerate(sents):
                for m in sur_re.finditer(s.text):
                    start, end = s.start + m.start(), s.start + m.end()
                    word = m.group(0).split()[-1]
                    if GENERATION.fullmatch(" " + word):
                        word = " ".join(m.group(0).split()[-2:])  # "Trump Jr"
                    key = people.by_surname.get(_surname(word))
                    # "Tony Mendez ... Mendez ... his wife Jonna Mendez": the bare surname is
                    # the one named in full last before it.
                    key = next(
                        (k for at, k in reversed(full_names.get(_surname(word), [])) if at < start),
                        key,
                    )
                    if taken(start, end) and not (
                        # Only a person named in full ("Elizabeth Warren") claims the word.
                        key
                        and len(table.infos[key].label.split()) > 1
                        and _town_is_surname(found, table, s, m)
                    ):
                        continue
                    said = gender_of_title(m.group(0).split()[0]) if " " in m.group(0) else None
                    if key and said and table.infos[key].gender not in (None, said):
                        # "Mrs. Bush" after "George W. Bush": another person of that name.
                        key = people.add(word, m.group(0).split()[0].rstrip("."), None)
                    if key:
                        found.append(Mention(start, end, m.group(0), "person", key, i))

    _given_names_that_speak(sents, table, people, found, taken)
    _campaigns(found, table, sents)
    _national_bodies(found, table, sents, places)

    # 4. Roles and pronouns, resolved in text order against the people seen so far.
    for i, s in enumerate(sents):
        for m in DESCRIBED.finditer(s.text):
            start, end = s.start + m.start(), s.start + m.end()
            if _described_only(m, places) and not taken(start, end):
                found.append(Mention(start, end, m.group(0), "role", None, i))
        for m in ROLE.finditer(s.text):
            start = s.start + m.start()
            text = m.group(0)
            if m["owner"]:
                # "Iran's top diplomat": the role starts after the state, which keeps its mention.
                start, text = s.start + m.start("title"), m["title"]
            if taken(start, s.start + m.end()):
                continue
            found.append(Mention(start, s.start + m.end(), text, "role", None, i))
        for m in AGE_ROLE.finditer(s.text):
            start = s.start + m.start()
            if not taken(start, s.start + m.end()):
                found.append(Mention(start, s.start + m.end(), m.group(0), "role", None, i))
        for m in PRONOUN.finditer(s.text):
            start = s.start + m.start()
            found.append(Mention(start, s.start + m.end(), m.group(0), "pronoun", None, i))
    found.extend(_pairs(sents, found))
    found.sort(key=lambda m: m.start)
    _resolve(found, table, places, sents, quoted or [])
    found.extend(_spokesmen(found, table, sents))
    found.extend(_bodies_by_noun(found, table, sents))
    found.sort(key=lambda m: m.start)
    table.mentions = found
    for m in found:
        if m.ref and m.kind in ("person", "place", "org"):
            form = written_form(m.text, m.kind)
            written = table.infos[m.ref].written
            if form:
                written[form] = written.get(form, 0) + 1
    return table


# "The two leaders", "both presidents": two people named together just before.
PAIR = re.compile(
    r"\b(?:[Tt]he[ ]+two|[Bb]oth(?:[ ]+the)?)[ ]+(?:leaders|presidents|prime[ ]+ministers|"
    r"premiers|heads[ ]+of[ ]+(?:state|government)|foreign[ ]+ministers|ministers|men|women)\b"
)


def _pairs(sents: list[Sentence], found: list[Mention]) -> list[Mention]:
    """Mentions of two people at once ("The two leaders held talks in Washington"): the first
    two people named in the nearest of the three sentences before, when that sentence names
    two or more and lies in the same or the previous paragraph.

    >>> sents = [Sentence(0, 33, "President Ana Reyes met King Karl.", 0),
    ...          Sentence(34, 64, "The two leaders dined in Oslo.", 0)]
    >>> people = [Mention(10, 19, "Ana Reyes", "person", "p:a", 0),
    ...           Mention(29, 33, "Karl", "person", "p:k", 0)]
    >>> [(m.text, m.start, m.ref, m.other) for m in _pairs(sents, people)]
    [('The two leaders', 34, 'p:a', 'p:k')]
    """
    out: list[Mention] = []
    for i, s in enumerate(sents):
        for m in PAIR.finditer(s.text):
            for j in range(i - 1, max(i - 4, -1), -1):
                if s.para - sents[j].para > 1:
                    break
                named: list[str] = []
                for p in found:
                    if p.sentence == j and p.kind == "person" and p.ref and p.ref not in named:
                        named.append(p.ref)
                if len(named) >= 2:
                    start, end = s.start + m.start(), s.start + m.end()
                    out.append(Mention(start, end, m.group(0), "pair", named[0], i, named[1]))
                    break
    return out


NEXT_CAPITAL = re.compile(r"[ ]+\p{Lu}")
# "told Bloomberg", "according to Bloomberg": the outlet, even after "Michael Bloomberg".
MEDIA_BEFORE = re.compile(r"\b(?:told|tells|with|by|on|according[ ]+to)[ ]+$", re.I)
LOCATIVE = re.compile(r"\b(?:in|at|from|to|near|of|outside|around|into|towards?)[ ]+$", re.I)


def _town_is_surname(found: list[Mention], table: EntityTable, s: Sentence, m: re.Match) -> bool:
    """Whether a surname of a person the article names was taken for a town or an outlet of
    that name ("Warren commended Biden" after "Elizabeth Warren", "Bloomberg endorsed Biden"
    after "Michael Bloomberg"); if so that mention is dropped. A town after "in", "at",
    "from" ..., an outlet after "told", "according to" ... stays what it was."""
    start, end = s.start + m.start(), s.start + m.end()
    clash = [f for f in found if f.start < end and start < f.end]
    # "Dr. Livermore" after "David Livermore": the town's name is the word after the title.
    word = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+", "", m.group(0))
    at = start + len(m.group(0)) - len(word)
    if (
        len(clash) != 1
        or clash[0].kind not in ("place", "org")
        or clash[0].ref is None
        or table.get(clash[0].ref).type not in (EntityType.CITY, EntityType.PUBLICATION)
        or (clash[0].kind == "org" and MEDIA_BEFORE.search(s.text[: m.start()]))
        or (clash[0].start, clash[0].end) != (at, at + len(word.split("'")[0].split("’")[0]))
        or LOCATIVE.search(s.text[: m.start()])
    ):
        return False
    found.remove(clash[0])
    return True


CAPITALISED_RUN = re.compile(r"\p{Lu}[\p{L}.'’-]*(?:[ ]+\p{Lu}[\p{L}.'’-]*)+")


def _place_before_name(
    s: Sentence, i: int, at: int, places: Places, table: EntityTable
) -> Mention | None:
    """The place that opens a run of capitalised words right after "Mayor of": "Mayor of
    London Ann Roe" (the entity ruler leaves "London" out as part of a longer name).

    Only the first one to three words are tried, and two words must be left for the name.
    """
    run = CAPITALISED_RUN.match(s.text, at)
    if run is None:
        return None
    words = run.group(0).split()
    for k in range(min(3, len(words) - 2), 0, -1):
        p = places.place(" ".join(words[:k]))
        if p is None:
            continue
        text = " ".join(words[:k])
        key = table.place(p.label, p.type, p.country, p.wikidata)
        return Mention(s.start + at, s.start + at + len(text), text, "place", key, i)
    return None


STATE_NAME = r"\p{Lu}[\p{L}.]*(?:[ ]+(?:of[ ]+)?\p{Lu}[\p{L}.]*){0,3}"
# "the government of Samoa", "Burundi's government", "Iran said": a state that speaks is its
# government.
GOVERNMENT = re.compile(
    rf"\b(?:[Gg]overnment[ ]+of[ ]+(?:the[ ]+)?(?P<a>{STATE_NAME})|(?P<b>{STATE_NAME})['’]s[ ]+"
    rf"(?:\p{{Ll}}+[ ]+)?government\b)"
)
STATE_SPEAKS = re.compile(
    rf"^\s*(?:[^,\"“”]{{0,50}},[ ]+)?(?:[Tt]he[ ]+)?(?P<c>{STATE_NAME})[ ]+"
    r"(?:(?:has|had|also|later)[ ]+)?(?:said|says|announced|stated|warned|declared|tweeted)\b"
)


def _governments(
    sents: list[Sentence], table: EntityTable, places: Places, found: list[Mention]
) -> None:
    """A state's government as a body that can speak, named "government of <state>".

    >>> from kg.extract.segment import sentences
    >>> t = find_entities(sentences("Samoa's government said it was ready.", 0), None)
    >>> [(m.text, t.get(m.ref).label) for m in t.mentions]
    [("Samoa's government", 'government of Samoa')]
    """
    for i, s in enumerate(sents):
        hits = [(m, m["a"] or m["b"]) for m in GOVERNMENT.finditer(s.text)]
        at_start = STATE_SPEAKS.match(s.text)
        if at_start:
            hits.append((at_start, at_start["c"]))
        for m, name in hits:
            state = places.state(name.removeprefix("the "))
            if state is None and m.re is STATE_SPEAKS:
                state = places.capital_of(name)  # "Tehran said": its government speaks
            if state is None:
                continue
            group = "a" if m.re is GOVERNMENT and m["a"] else "b" if m.re is GOVERNMENT else "c"
            span = (m.start(), m.end()) if group != "c" else (m.start("c"), m.end("c"))
            if group == "b":
                span = (m.start("b"), m.end())
            start, end = s.start + span[0], s.start + span[1]
            inside = [x for x in found if x.start < end and start < x.end]
            if any(x.kind != "place" for x in inside):
                continue
            for x in inside:
                found.remove(x)
            key = table.body(f"government of {state.label}", EntityType.ORGANIZATION)
            found.append(Mention(start, end, s.text[span[0] : span[1]], "org", key, i))


BODY_HEADS = (
    r"Commission|Committee|Ministry|Council|Agency|Party|Union|Association|Federation|"
    r"Foundation|Institute|Organi[sz]ation|Court|League|Society|Authority|Board|Bureau|"
    r"Department|Fund|Corporation|Company|Coalition|Alliance|Police|Guard|Brigade|Navy"
)
CAP_WORD = r"\p{Lu}[\p{L}'’&-]*"
# "the Commission on Presidential Debates", "Foreign Ministry of Iraq", "Thai Raksa Chart
# Party": capitalised words closed by a body's head noun, and what it is of, on or for.
BODY_NAME = re.compile(
    rf"(?<![\p{{L}}'’-])(?:{CAP_WORD}[ ]+){{0,4}}(?:{BODY_HEADS})\b"
    rf"(?:[ ]+(?:of|on|for)[ ]+(?:the[ ]+)?{CAP_WORD}(?:[ ]+(?:and[ ]+)?{CAP_WORD}){{0,4}})?"
)


def _body_names(
    sents: list[Sentence],
    table: EntityTable,
    gazetteer: Gazetteer,
    found: list[Mention],
    taken: Callable[[int, int], bool],
) -> None:
    """Bodies no gazetteer lists, named by their head noun ("the Commission on Presidential
    Debates"); a head noun alone ("the Commission") names none.

    >>> from kg.extract.segment import sentences
    >>> t = find_entities(sentences("The Commission on Fair Fares met. The Party met.", 0), None)
    >>> [(m.text, t.get(m.ref).type.value) for m in t.mentions]
    [('Commission on Fair Fares', 'Organization')]
    """
    for i, s in enumerate(sents):
        for m in BODY_NAME.finditer(s.text):
            words = m.group(0).split()
            while words and words[0] in LEADING_WORDS:
                words.pop(0)
            if len(words) < 2:
                continue
            name = " ".join(words)
            start = s.start + m.start() + m.group(0).find(name)
            inside = [x for x in found if x.start < start + len(name) and start < x.end]
            if any(
                x.kind != "place" or not (start <= x.start and x.end <= start + len(name))
                for x in inside
            ):
                continue
            for x in inside:  # "Foreign Ministry of Iraq": the state is part of the name
                found.remove(x)
            known = gazetteer.body(name)
            key = table.body(known.label if known else name, EntityType.ORGANIZATION)
            if known is not None:
                table.infos[key].wikidata, table.infos[key].reference = known.wikidata, True
            found.append(Mention(start, start + len(name), name, "org", key, i))


# "the Saudi-led coalition", "the royal court": bodies that news copy writes in lower case.
LOWER_CASE_BODY = re.compile(
    r"\b[Tt]he[ ]+(?P<name>(?:\p{Lu}[\p{L}.]*-led[ ]+(?:military[ ]+)?coalition)|"
    r"(?i:royal[ ]+court))\b"
)


def _lower_case_bodies(sents: list[Sentence], table: EntityTable, found: list[Mention]) -> None:
    """Bodies written in lower case: a coalition that a state leads, a monarch's court.

    >>> from kg.extract.segment import sentences
    >>> t = find_entities(sentences("The Saudi-led coalition said it was ready.", 0), None)
    >>> [(m.text, t.get(m.ref).label) for m in t.mentions]
    [('Saudi-led coalition', 'Saudi-led coalition')]
    """
    for i, s in enumerate(sents):
        for m in LOWER_CASE_BODY.finditer(s.text):
            start, end = s.start + m.start("name"), s.start + m.end("name")
            inside = [x for x in found if x.start < end and start < x.end]
            if any(x.kind != "place" for x in inside):
                continue
            for x in inside:  # "Saudi" is part of the coalition's name
                found.remove(x)
            name = m["name"]
            label = "Royal Court" if name.lower().startswith("royal") else name
            key = table.body(label, EntityType.ORGANIZATION)
            found.append(Mention(start, end, name, "org", key, i))


# "Transport for London (TfL)", "British Transport Police (BTP)": a name and the acronym it
# is given in brackets.
ACRONYM_DEFINED = re.compile(
    rf"(?P<name>{CAP_WORD}(?:[ ]+(?:(?:of|for|and|the|on|de)[ ]+)*{CAP_WORD}){{1,6}})"
    r"[ ]+\((?P<abbr>\p{Lu}[\p{L}&]{1,7})\)"
)
# "AEW (All Elite Wrestling)": the acronym first, the name it spells in brackets.
ACRONYM_FIRST = re.compile(
    rf"(?<![\p{{L}}-])(?P<abbr>\p{{Lu}}[\p{{Lu}}&]{{1,6}})[ ]+\("
    rf"(?P<name>{CAP_WORD}(?:[ ]+(?:(?:of|for|and|the|on|de)[ ]+)*{CAP_WORD}){{1,6}})\)"
)
LEADING_THE = re.compile(r"^(?:The|A|An)[ ]+")


def _initials_match(name: str, abbr: str) -> bool:
    """Whether an acronym spells the name's initials: every word's ("TfL" of "Transport for
    London") or the capitalised words' ("USCG" of "United States Coast Guard").

    >>> _initials_match("Transport for London", "TfL"), _initials_match("Coast Guard", "CGX")
    (True, False)
    """
    words = name.split()
    every = "".join(w[0] for w in words)
    caps = "".join(w[0] for w in words if w[0].isupper())
    letters = abbr.replace("&", "")
    return every.lower() == letters.lower() or caps == "".join(c for c in letters if c.isupper())


def _acronyms(
    sents: list[Sentence],
    table: EntityTable,
    places: Places,
    found: list[Mention],
    taken: Callable[[int, int], bool],
) -> None:
    """A body named with its acronym in brackets (or its acronym first, the name in brackets:
    "AEW (All Elite Wrestling)"), and each use of the acronym alone: "An official from TfL
    said" after "Transport for London (TfL)" is that body's.

    >>> from kg.extract.segment import sentences
    >>> text = "Harbour Safety Board (HSB) staff left. An official from HSB said no."
    >>> t = find_entities(sentences(text, 0), None)
    >>> sorted({t.get(m.ref).label for m in t.mentions if m.kind == "org"})
    ['Harbour Safety Board']
    >>> t = find_entities(sentences("He joined HSB (Harbour Safety Board). HSB said no.", 0), None)
    >>> sorted({t.get(m.ref).label for m in t.mentions if m.kind == "org"})
    ['Harbour Safety Board']
    """
    defined: dict[str, str] = {}
    for i, s in enumerate(sents):
        for m in ACRONYM_DEFINED.finditer(s.text):
            name = LEADING_THE.sub("", m["name"])
            # Only the words that the acronym spells: "Yesterday Transport for London".
            words = name.split()
            while len(words) > 1 and not _initials_match(" ".join(words), m["abbr"]):
                words.pop(0)
            name = " ".join(words)
            if not _initials_match(name, m["abbr"]) or places.place(name) or m["abbr"] in NOT_NAMES:
                continue
            start = s.start + m.start("name") + m["name"].find(name)
            inside = [x for x in found if x.start < start + len(name) and start < x.end]
            if any(x.kind not in ("org", "place") for x in inside):
                continue
            same = next(
                (
                    x
                    for x in inside
                    if x.kind == "org" and (x.start, x.end) == (start, start + len(name))
                ),
                None,
            )
            if same is not None and same.ref:
                key = same.ref
            else:
                for x in inside:
                    found.remove(x)
                key = table.body(name, EntityType.ORGANIZATION)
                found.append(Mention(start, start + len(name), name, "org", key, i))
            defined[m["abbr"]] = key
        for m in ACRONYM_FIRST.finditer(s.text):
            name = m["name"]
            if (
                m["abbr"] in defined
                or m["abbr"] in NOT_NAMES
                or not _initials_match(name, m["abbr"])
                or places.place(name)
                or places.place(m["abbr"])
                # "MP (Member of Parliament)": an office spelled out, not a body.
                or m["abbr"].lower() in HONORIFICS
                or any(w.lower() in TITLE_SET for w in name.split())
            ):
                continue
            key = table.body(name, EntityType.ORGANIZATION)
            start = s.start + m.start("name")
            if not taken(start, start + len(name)):
                found.append(Mention(start, start + len(name), name, "org", key, i))
            defined[m["abbr"]] = key
    if not defined:
        return
    use = re.compile(r"(?<![\p{L}-])(?:" + "|".join(map(re.escape, defined)) + r")(?![\p{L}-])")
    for i, s in enumerate(sents):
        for m in use.finditer(s.text):
            start, end = s.start + m.start(), s.start + m.end()
            if not taken(start, end):
                found.append(Mention(start, end, m.group(0), "org", defined[m.group(0)], i))


def _mention_full_name(
    sents: list[Sentence],
    name: str,
    key: str,
    found: list[Mention],
    taken: Callable[[int, int], bool],
) -> None:
    """A mention of a person's full name where the article first writes it (so that the
    person is labelled by it)."""
    at = next((k for k, x in enumerate(sents) if name in x.text), None)
    if at is None:
        return
    start = sents[at].start + sents[at].text.index(name)
    if not taken(start, start + len(name)):
        found.append(Mention(start, start + len(name), name, "person", key, at))


def _word_starts(text: str, word: str) -> list[int]:
    """Where ``word`` occurs in ``text`` as a whole word (no letters either side)."""
    out, k = [], text.find(word)
    while k >= 0:
        end = k + len(word)
        if (k == 0 or not text[k - 1].isalpha()) and (end == len(text) or not text[end].isalpha()):
            out.append(k)
        k = text.find(word, k + 1)
    return out


def _has_word(text: str, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` as a whole word.

    >>> _has_word("the police said", "police"), _has_word("Policeman", "police")
    (True, False)
    """
    return bool(_word_starts(text, word))


# "Khan said", "Facebook further claimed": one capitalised word opening a sentence as the
# subject of a speech verb.
SINGLE_SUBJECT = re.compile(
    r"^\s*(?:(?:But|And|Meanwhile|However|Later|Earlier|Separately|Instead),?[ ]+)?"
    # "In a statement, Vázquez said", "Speaking to BBC Sport, Warholm said".
    # "During the broadcast, Downey said", "When interviewed by the BBC, Day said".
    r"(?:(?:In|Speaking|Writing|Talking|Asked|Responding|After|On|During|When|Following)"
    r"[^,\"“”]{1,60},[ ]+)?"
    r"(?P<one>" + ONE_NAME + r")(?:['’]s[ ]+(?:\p{Ll}+[ ]+)?statement)?"
    # "Acme, in its March 8 release, reported": an aside between the name and the verb.
    r"(?:,[ ]+(?:in|on|via|through)[ ]+[^,\"“”]{1,70},)?[ ]+"
    rf"(?:(?:later|also|then|further|again|has|had|have)[ ]+)?"
    rf"(?:{SAY_VERB}|released|issued|published|put[ ]+out|"
    # "Acme did not release any figures, telling Reuters": the participle says it.
    r"(?:did|does|would|will)[ ]+not[ ]+[^,\"“”]{1,80},[ ]+(?:telling|saying|adding|noting))\b"
)


def _single_name_subjects(
    sents: list[Sentence],
    table: EntityTable,
    people: _People,
    gazetteer: Gazetteer,
    found: list[Mention],
    taken: Callable[[int, int], bool],
    is_place_name: Callable[[str], bool],
) -> None:
    """A one-word subject that speaks and that the article writes capitalised inside
    sentences and never in lower case ("Khan said", "Facebook claimed"; not "Police said"):
    the surname of a person the article names in full somewhere ("Sadiq Khan"), else a body.

    >>> from kg.extract.segment import sentences
    >>> text = ("The fine was paid to Facebook by Meta. Facebook said it would appeal. "
    ...         "Critics of Jo Amwell disagree. Amwell said it was wrong. Police said no.")
    >>> t = find_entities(sentences(text, 0), None)
    >>> sorted({(t.get(m.ref).label, t.get(m.ref).type.value) for m in t.mentions if m.ref})
    [('Facebook', 'Organization'), ('Jo Amwell', 'Person')]
    """
    text = " ".join(s.text for s in sents)
    for i, s in enumerate(sents):
        m = SINGLE_SUBJECT.match(s.text)
        if m is None:
            continue
        word = m["one"]
        start = s.start + m.start("one")
        if is_place_name(word) and _given_name_before(text, word):
            # "Downey said" after "Robert Downey Jr.": a town's name that is a surname here.
            found[:] = [
                f
                for f in found
                if not (f.kind == "place" and f.start < start + len(word) and start < f.end)
            ]
        if (
            word in NOT_NAMES
            or word in TIME_WORDS
            or word in ORG_WORDS
            or TITLE_ONLY.fullmatch(word)
            or (is_place_name(word) and not _given_name_before(text, word))
            or taken(start, start + len(word))
            or _has_word(text, word.lower())
            or not any(
                text[k - 2 : k - 1].islower() or text[k - 2 : k - 1] in (",", ";")
                for k in _word_starts(text, word)
            )
        ):
            continue
        key = people.by_surname.get(_surname(word))
        if key is None:
            # "Tedros said" after "Tedros Adhanom Ghebreyesus": a given name that speaks.
            owners = {
                k
                for k in set(people.by_surname.values())
                if table.infos[k].label.split()[0] == word
            }
            key = next(iter(owners)) if len(owners) == 1 else None
        if key is None:
            full = re.search(
                rf"\b(?P<first>\p{{Lu}}\p{{Ll}}+(?:[ ]+\p{{Lu}}\.)?)[ ]+{re.escape(word)}\b", text
            )
            first = full["first"].split()[0] if full else ""
            if full and not (
                first in NOT_NAMES
                or first in ORG_WORDS
                or first in BODY_WORDS
                or Places.default().state(first) is not None  # a town may be a given name
                or Places.default().demonym(first) is not None
                or TITLE_ONLY.fullmatch(first)
            ):
                key = people.add(f"{full['first']} {word}", None, None)
                _mention_full_name(sents or [s], full.group(0), key, found, taken)
        if key is not None:
            found.append(Mention(start, start + len(word), word, "person", key, i))
            continue
        known = gazetteer.body(word)
        key = table.body(known.label if known else word, EntityType.ORGANIZATION)
        if known is not None:
            table.infos[key].wikidata, table.infos[key].reference = known.wikidata, True
        found.append(Mention(start, start + len(word), word, "org", key, i))


def _given_names_that_speak(
    sents: list[Sentence],
    table: EntityTable,
    people: _People,
    found: list[Mention],
    taken: Callable[[int, int], bool],
) -> None:
    """ "Tedros said" after "Tedros Adhanom Ghebreyesus": a first name that speaks, when one
    person of the article has it and nobody has it as a surname."""
    firsts: dict[str, set[str]] = {}
    for key in set(people.by_surname.values()):
        words = table.infos[key].label.split()
        if len(words) >= 2 and len(words[0]) >= 3 and "." not in words[0]:
            firsts.setdefault(words[0], set()).add(key)
    names = {
        w
        for w, keys in firsts.items()
        if len(keys) == 1 and w not in NOT_NAMES and _surname(w) not in people.by_surname
    }
    if not names:
        return
    for i, s in enumerate(sents):
        for m in GIVEN_SPEAKS.finditer(s.text):
            word = m["w"] or m["w2"]
            if word not in names:
                continue
            start = s.start + m.start("w" if m["w"] else "w2")
            end = start + len(word)
            if not taken(start, end):
                found.append(Mention(start, end, word, "person", next(iter(firsts[word])), i))


# "Fourteen-year-old Zoe", "the 28-year-old Ann Roe": an age before a name marks a person,
# often one named by a given name only.
AGED_NAME = re.compile(
    r"(?i:(?<![\p{L}-])(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)-year-old)[ ]+"
    r"(?P<name>\p{Lu}\p{Ll}+(?:[ ]+\p{Lu}[\p{L}'’-]+){0,2})(?![\p{L}'’-])"
)


# "a university student named Wong said": a person the text introduces by a noun and a name.
NAMED_PERSON = re.compile(
    r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother)[ ]+(?:[\p{Ll}-]+[ ]+){0,3}?"
    r"(?:man|woman|boy|girl|student|resident|protester|protestor|teacher|nurse|doctor|officer|"
    r"worker|driver|farmer|fisherman|survivor|witness|victim|mother|father|son|daughter|"
    r"activist|pupil|volunteer|passenger|shopkeeper|vendor|refugee|soldier|citizen|villager|"
    r"teenager|person|neighbou?r|friend)[ ]+(?:named|called)[ ]+"
    r"(?P<name>\p{Lu}\p{Ll}+(?:[ ]+\p{Lu}[\p{L}'’-]+){0,2})(?![\p{L}'’-])"
)
# "his wife Mary said", "her son, Tom Roe,": a relative named after the kin noun is a person,
# even when the name is also a town's ("Mary").
KIN_NAMED = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir)[ ]+(?:(?:late|former|eldest|youngest|elder|younger|older)[ ]+)?"
    r"(?:wife|husband|son|daughter|brother|sister|mother|father|widow|widower|fianc[eé]e?|"
    r"grandson|granddaughter|nephew|niece|stepson|stepdaughter),?[ ]+"
    r"(?P<name>\p{Lu}\p{Ll}+(?:[ ]+\p{Lu}[\p{L}'’-]+){0,2})(?![\p{L}'’-])"
)
# "agent Tony Mendez died": a common given name and a capitalised word, nothing capitalised
# around them.
GIVEN_PAIR = re.compile(
    r"(?<![\p{L}'’.-])(?<!\p{Lu}[\p{L}'’-]*[ ]+)"
    r"(?P<name>\p{Lu}\p{Ll}+[ ]+(?:\p{Lu}\.[ ]+)?\p{Lu}\p{Ll}[\p{L}'’-]*)(?![\p{L}'’-]|[ ]+\p{Lu})"
)


def _person_at(before: str) -> bool:
    """Whether the words before a name are a person's name with a given name and "at", "of"
    or "from" ("Dr. Jane Roe at "), so that the name is her affiliation, not a speaker.

    >>> _person_at("Dr. Jane Roe at "), _person_at("Bank of "), _person_at("Lake Tana of ")
    (True, False, False)
    >>> _person_at("Immunologist Kristoff Aandersen of ")
    True
    """
    m = PERSON_AT_BEFORE.search(before)
    if m is None:
        return False
    # "Immunologist Kristian Roe of ": a profession before the name says it is a person's.
    return given_name_gender(m["person"]) is not None or is_profession(m["role"] or "")


def _introduced_names(
    sents: list[Sentence],
    people: _People,
    found: list[Mention],
    taken: Callable[[int, int], bool],
    is_place_name: Callable[[str], bool],
) -> None:
    """People that no title or speech verb introduces: by their age ("Fifteen-year-old
    Robert, on the lower deck, said"), by a noun and "named" ("a student named Wong said"),
    or by a common given name and a surname ("Former agent Tony Mendez died"), so that a
    later bare surname is theirs.

    >>> from kg.extract.segment import sentences
    >>> text = "Nine-year-old Tomas said no. A 20-year-old Toyota. The agent Tony Mendez died."
    >>> t = find_entities(sentences(text + " The Christian Democratic Union met.", 0), None)
    >>> [(m.text, t.get(m.ref).label) for m in t.mentions if m.kind == "person"]
    [('Tomas', 'Tomas'), ('Tony Mendez', 'Tony Mendez')]
    """
    text = " ".join(s.text for s in sents)
    for i, s in enumerate(sents):
        for m in KIN_NAMED.finditer(s.text):
            words = _clean_name(m["name"]).split()
            if not words or any(w in NOT_NAMES or w in ORG_WORDS for w in words):
                continue
            start = s.start + m.start("name")
            name = " ".join(words)
            end = start + len(name)
            # A town's name the gazetteer saw in it ("his wife Mary"): the kin noun wins.
            places = [x for x in found if x.start < end and start < x.end and x.kind == "place"]
            if places and all(start <= x.start and x.end <= end for x in places):
                for x in places:
                    found.remove(x)
            if not taken(start, end):
                key = people.add(name, None, None)
                found.append(Mention(start, end, name, "person", key, i))
        for pattern in (AGED_NAME, NAMED_PERSON, GIVEN_PAIR):
            for m in pattern.finditer(s.text):
                name = _clean_name(m["name"])
                words = name.split()
                if (
                    not words
                    or any(
                        w in NOT_NAMES
                        or (w in ORG_WORDS and not _body_word_surname(pattern, words, w, text))
                        or w in PLACE_WORDS
                        for w in words
                    )
                    or is_place_name(name)
                    or (
                        pattern is GIVEN_PAIR
                        and (not given_name_gender(name) or is_place_name(words[-1]))
                    )
                    # One word after an age: a known given name, or one the sentence goes on
                    # to describe or to have speak ("Zoe, on the top deck, said"), not "a
                    # 20-year-old Toyota".
                    or (
                        len(words) == 1
                        and not given_name_gender(name)
                        and not re.match(rf"[ ]*(?:,|{SAY_VERB}\b)", s.text[m.end() :])
                    )
                ):
                    continue
                start = s.start + m.start("name")
                if not taken(start, start + len(name)):
                    key = people.add(name, None, None)
                    found.append(Mention(start, start + len(name), name, "person", key, i))


def _given_name_before(text: str, word: str) -> bool:
    """Whether the text writes the word after a common given name ("Robert Downey").

    >>> _given_name_before("with Robert Downey Jr. and others", "Downey")
    True
    >>> _given_name_before("a plant in Downey, California", "Downey")
    False
    """
    return any(
        given_name_gender(f"{m.group(1)} {word}")
        for m in re.finditer(rf"\b(\p{{Lu}}\p{{Ll}}+)[ ]+{re.escape(word)}\b", text)
    )


def _body_word_surname(pattern: re.Pattern[str], words: list[str], word: str, text: str) -> bool:
    """Whether a body word ends a person's name ("Doris Day", not "Victoria Day"): after a
    common given name, and the bare word speaks elsewhere ("Day said", '"...," said Day').

    >>> _body_word_surname(GIVEN_PAIR, ["Doris", "Day"], "Day", "and Day said no.")
    True
    >>> _body_word_surname(GIVEN_PAIR, ["Victoria", "Day"], "Day", "Victoria Day is a holiday.")
    False
    """
    if pattern is not GIVEN_PAIR or len(words) != 2 or word != words[-1] or word in NOT_NAMES:
        return False
    if not given_name_gender(" ".join(words)):
        return False
    w = re.escape(word)
    return bool(
        re.search(rf"(?<!\p{{Lu}}\p{{Ll}}+[ ])\b{w}(?:,[^,\"“”]{{1,40}},)?[ ]+{SAY_VERB}\b", text)
        or re.search(rf"\b{SAY_VERB}[ ]+{w}\b(?![ ]+\p{{Lu}})", text)
    )


# A capitalised word that speaks: "Tedros said", '"...," said Tedros'.
# A new clause with its own subject follows: "A said ..., while B wrote".
CLAUSE_THEN = re.compile(
    r"(?:,|\b)[ ]*(?:while|whereas|and|but)[ ]+(?:(?:the|[\p{Lu}][\p{L}.-]*)[ ]+){0,4}$"
)
GIVEN_SPEAKS = re.compile(
    rf"(?<![\p{{L}}-])(?P<w>\p{{Lu}}\p{{Ll}}+)"
    rf"(?=[ ]+(?:(?:later|also|then|further)[ ]+)?{SAY_VERB}\b)"
    rf"|[\"”][ ]+{SAY_VERB}[ ]+(?P<w2>\p{{Lu}}\p{{Ll}}+)\b"
)


CAMPAIGN = re.compile(r"[ ]+(?P<noun>campaign|camp|team|administration)\b")


# "Netanyahu's office said", "Zelensky's office quoted him": the office speaks for its holder.
OFFICE_SPEAKS = re.compile(
    r"[ ]+(?P<noun>office|press office|campaign|administration|government)[ ]+"
    rf"(?:(?:later|also|then|further|again|has|had)[ ]+)?(?:{SAY_VERB}|quoted|issued|released)\b"
)


def _campaigns(found: list[Mention], table: EntityTable, sents: list[Sentence]) -> None:
    """ "The Biden campaign said": a person's campaign or team speaks as a body; so does a
    person's office ("Netanyahu's office said"), named with the holder's label as found so far
    ("Netanyahu's office", "Emmanuel Macron's office"), so that the label names both."""
    for k, m in enumerate(found):
        if m.kind != "person" or not m.ref:
            continue
        s = sents[m.sentence]
        owner = re.match(r"['’]s", s.text[m.end - s.start :])  # "Emmanuel Macron's office"
        if m.text.endswith(("'s", "’s")) or owner:
            at = m.end - s.start + (owner.end() if owner else 0)
            office = OFFICE_SPEAKS.match(s.text, at)
            if office is not None:
                name = f"{table.get(m.ref).label}'s {office['noun']}"
                key = table.body(name, EntityType.ORGANIZATION)
                end = s.start + office.end("noun")
                text = s.text[m.start - s.start : end - s.start]
                found[k] = Mention(m.start, end, text, "org", key, m.sentence)
            continue
        after = CAMPAIGN.match(s.text, m.end - s.start)
        if after is None:
            continue
        name = f"{written_form(m.text, 'person')} {after['noun']}"
        key = table.body(name, EntityType.ORGANIZATION)
        found[k] = Mention(m.start, s.start + after.end(), name, "org", key, m.sentence)


# "the Chinese foreign ministry said", "Iran's defence ministry told": a state's body, written
# in lower case, that speaks.
NATIONAL_BODY = re.compile(
    r"\b(?:[Tt]he[ ]+)?(?P<name>(?P<state>\p{Lu}[\p{L}-]+(?:[ ]\p{Lu}[\p{L}-]+)?)(?:['’]s)?[ ]+"
    r"(?:(?:foreign|defen[cs]e|interior|justice|health|finance|economy|trade|energy|"
    r"foreign[ ]affairs|presidential|press)[ ]+)?"
    r"(?:ministry|government|embassy|presidency|military|army|navy|foreign[ ]office|"
    r"parliament|cabinet|armed[ ]forces|mission|consulate|judiciary|police|"
    r"presidential[ ]office|prime[ ]minister['’]s[ ]office|president['’]s[ ]office)"
    # "the US embassy in Baghdad": where the body sits is part of its name.
    r"(?:[ ]+(?:in|at|to)[ ]+(?:the[ ]+)?\p{Lu}[\p{L}-]+(?:[ ]\p{Lu}[\p{L}-]+)?)?)"
    # "The Egyptian cabinet, in an official statement, said": a phrase between commas.
    r"(?:,[ ]+[^,;:\"“”]{1,50},)?"
    # "... issued a statement": a body that puts out a document speaks in it.
    rf"[ ]+(?:(?:later|also|then|further|again|has|had)[ ]+)?(?:{SAY_VERB}|issued|released)\b"
)


def _national_bodies(
    found: list[Mention],
    table: EntityTable,
    sents: list[Sentence],
    places: Places,
) -> None:
    """A state's ministry, embassy or government that speaks, named in lower case ("the
    Chinese foreign ministry said"): a body labelled as written, less "the"."""
    for i, s in enumerate(sents):
        for m in NATIONAL_BODY.finditer(s.text):
            state = m["state"]
            if places.state(state) is None and places.demonym(state) is None:
                continue
            start, end = s.start + m.start("name"), s.start + m.end("name")
            if any(f.kind == "org" and f.start < end and start < f.end for f in found):
                continue  # "Iran's Foreign Ministry": a body already found by its name
            key = table.body(m["name"], EntityType.ORGANIZATION)
            # The state's own mention gives way to the body that holds it.
            found[:] = [f for f in found if not (start <= f.start and f.end <= end)]
            found.append(Mention(start, end, m["name"], "org", key, i))


# "the commission said", "the party informed the press": a body named before by its noun.
BODY_NOUN = re.compile(
    # "The Department said": some copy writes the noun with a capital.
    r"\b[Tt]he[ ]+(?P<noun>(?i:commission|committee|party|ministry|company|council|agency|court|"
    r"campaign|organi[sz]ation|union|federation|association|group|firm|board|embassy|palace|"
    r"department|government|office|league|foundation|institute|university|bank|fund|body|"
    r"coalition|cabinet))"
    # "The ministry's statement said", "The cabinet statement added".
    r"(?:(?:['’]s)?[ ]+(?:\p{Ll}+[ ]+)?statement)?[ ]+"
    rf"(?:(?:later|also|then|further|again|has|had)[ ]+)?(?:{SAY_VERB}|informed|"
    # "The department issued a statement": a body's document.
    r"(?:issued|released|published|put[ ]+out)[ ]+(?:a|an|its)[ ]+(?:\p{Ll}+[ ]+){0,2}?"
    r"(?:statement|release|letter|communiqu[ée]))\b"
)


def _bodies_by_noun(
    found: list[Mention], table: EntityTable, sents: list[Sentence]
) -> list[Mention]:
    """Definite nouns that stand for the last body named with that noun ("the commission"
    after "the Commission on Presidential Debates") when they speak."""
    bodies = [m for m in found if m.kind == "org" and m.ref]
    out: list[Mention] = []
    for i, s in enumerate(sents):
        for m in BODY_NOUN.finditer(s.text):
            start = s.start + m.start()
            noun = m["noun"].lower()
            earlier = [b for b in bodies if b.start < start]
            named = [
                b
                for b in earlier
                if noun in table.get(b.ref).label.lower().replace("-", " ").split()
                or (noun == "campaign" and table.get(b.ref).label.lower().endswith("campaign"))
            ]
            if not named and noun in KIND_NOUNS:
                # "The WHO issued guidance. The agency said": a noun for any kind of body
                # stands for the body named last, in the three sentences before.
                named = [
                    b
                    for b in earlier
                    if i - b.sentence <= 3
                    and table.get(b.ref).type == EntityType.ORGANIZATION
                    and b.kind == "org"
                ]
            if named:
                end = s.start + m.start("noun") + len(m["noun"])
                text = s.text[m.start() : m.end("noun")]
                out.append(Mention(start, end, text, "org", named[-1].ref, i))
    return out


# Nouns that name a kind of body, not one body's own name ("the agency", "the group").
KIND_NOUNS = frozenset(
    ["agency", "organisation", "organization", "group", "company", "firm", "department", "body"]
)


def _surname_speaker(
    m: re.Match[str],
    s: Sentence,
    i: int,
    people: _People,
    found: list[Mention],
    taken: Callable[[int, int], bool],
    gazetteer: Gazetteer,
    is_place_name: Callable[[str], bool],
    before: str = "",
    sents: list[Sentence] | None = None,
) -> None:
    """'"...," says Hammons': one capitalised word after the verb that follows a quote is a
    person's surname, unless it names a place, a body or a time, or is an acronym."""
    word = m["one"]
    start = s.start + m.start("one")
    if (
        word in NOT_NAMES
        or word in TIME_WORDS
        or word in ORG_WORDS
        or is_place_name(word)
        or gazetteer.body(word) is not None
        or TITLE_ONLY.fullmatch(word)
        or taken(start, start + len(word))
    ):
        return
    key = people.by_surname.get(_surname(word)) or people.add(word, None, None)
    found.append(Mention(start, start + len(word), word, "person", key, i))
    if " " not in people.table.get(key).label:
        # "Anna Weiss is a virologist. '...,' Weiss said": the full name written before.
        full = re.search(rf"\b\p{{Lu}}\p{{Ll}}+[ ]+{re.escape(word)}\b", before)
        if full and full.group(0).split()[0] not in NOT_NAMES:
            people.add(full.group(0), None, None)
            _mention_full_name(sents or [s], full.group(0), key, found, taken)


def written_form(text: str, kind: str) -> str:
    """A mention's text as a name: no honorific, possessive or leading "the".

    >>> written_form("Mr. Putin's", "person"), written_form("the Soviet Union", "place")
    ('Putin', 'Soviet Union')
    >>> written_form("President Putin", "person"), written_form("Prince Charles", "person")
    ('Putin', 'Prince Charles')
    >>> written_form("Fahd of Saudi Arabia", "person")
    'Fahd'
    """
    name = " ".join(text.split())
    name = re.sub(r"['’]s$", "", name)
    if kind == "person":
        # An office is no part of a name; a royal or religious title often is ("Prince Charles").
        name = OFFICE_PREFIX.sub("", name) or name
        # "Fahd of Saudi Arabia": the state is no part of the name.
        of = re.match(r"(?P<name>[^,]+?)\s+of\s+(?:the\s+)?(?P<state>\p{Lu}.*)$", name)
        if of and Places.default().state(of["state"]):
            name = of["name"]
    return name.removeprefix("the ")


OFFICE_PREFIX = re.compile(
    r"^(?i:(?:"
    + "|".join(
        t
        for t in sorted(LEADER_TITLES + OTHER_TITLES + HONORIFICS, key=len, reverse=True)
        if t not in ROYAL_TITLES
    )
    + r")\.?\s+)+"
)


def _speaking_body(
    m: re.Match[str],
    s: Sentence,
    i: int,
    table: EntityTable,
    gazetteer: Gazetteer,
    found: list[Mention],
    taken: Callable[[int, int], bool],
    is_place_name: Callable[[str], bool],
) -> None:
    """A body that speaks ("the Foreign Ministry said", "Human Rights Watch says")."""
    words = " ".join(m["name"].split()).removesuffix("'s").split()
    while words and words[0] in LEADING_WORDS:
        words.pop(0)
    name = " ".join(words)
    if len(words) < 2 or is_place_name(name):
        return
    start = s.start + m.start("name") + m["name"].find(name)
    if taken(start, start + len(name)):
        return
    known = gazetteer.body(name)
    key = table.body(known.label if known else name, EntityType.ORGANIZATION)
    if known is not None:
        table.infos[key].wikidata, table.infos[key].reference = known.wikidata, True
    found.append(Mention(start, start + len(name), name, "org", key, i))


# Words that open a sentence before a body's name ("Meanwhile the Foreign Office said").
LEADING_WORDS = frozenset(
    [
        "The",
        "A",
        "An",
        "But",
        "And",
        "In",
        "On",
        "At",
        "As",
        "When",
        "While",
        "After",
        "Before",
        "Meanwhile",
        "However",
        "Also",
        "Earlier",
        "Later",
        "Yesterday",
        "Today",
        "Now",
        "Then",
        *WEEKDAY_NAMES,
        *MONTH_NAMES,
    ]
)
SPOKESMAN = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir)[ ]+(?P<mod>(?:[\p{L}.'’-]+[ ]+){0,4}?)"
    r"(?:spokes(?:man|woman|person)|press secretary|(?P<official>official|representative))\b"
    r"(?P<for>[ ]+(?:for|of|at)[ ]+(?:the[ ]+)?)?(?![ ]+\p{Lu}\p{Ll})"
)
BODY_AFTER = re.compile(r"[ ]+(?:for|of|at|from)[ ]+(?:the[ ]+)?")
SPEECH_AFTER = re.compile(
    r"^(?:['’]s?)?[ ]+(?:\p{Ll}+[ ]+)?(?:said|says|told|added|announced|stated|confirmed|"
    r"denied|insisted|declared|warned|spokes(?:man|woman|person))\b"
)


def _spokesmen(found: list[Mention], table: EntityTable, sents: list[Sentence]) -> list[Mention]:
    """Unnamed spokesmen, who speak for a body: "a spokesman for X", "an X spokesman", or
    the body that was last said to speak ("Scotland Yard said ... said the spokesman").

    >>> from kg.extract.segment import sentences
    >>> text = "Human Rights Watch said it was shocked. Later a spokesman said it was sad."
    >>> table = find_entities(sentences(text, 0), None)
    >>> [(m.text, table.get(m.ref).label) for m in table.mentions if m.kind == "spokesman"]
    [('a spokesman', 'Human Rights Watch')]
    """
    bodies = [m for m in found if m.kind == "org" and m.ref]
    out: list[Mention] = []
    last: tuple[int, str] | None = None  # (sentence, body) that last spoke
    for i, s in enumerate(sents):
        here = [b for b in bodies if b.sentence == i]
        for m in SPOKESMAN.finditer(s.text):
            start, end = s.start + m.start(), s.start + m.end()
            ref = None
            if m[0][0] in "Tt" and m["mod"] and not m["official"]:
                # "the Kremlin spokesman said" after "Kremlin spokesman Dmitry Peskov": the
                # person the same words described, not the body.
                ref = _named_spokesman(found, table, i, start, m[0].lower().split()[1:])
            if ref is None and m["for"]:
                ref = next((b.ref for b in here if b.start == end), None)
            if ref is None:
                ref = next((b.ref for b in here if start <= b.start < start + len(m[0])), None)
            speakers = [
                b for b in here if b.end <= start and SPEECH_AFTER.match(s.text[b.end - s.start :])
            ]
            if ref is None:
                # "An official from TfL": the body named right after the word.
                tail = BODY_AFTER.match(s.text, m.end())
                at = s.start + tail.end() if tail else -1
                ref = next((b.ref for b in here if b.start == at), None)
            if ref is None and not m["official"] and not m["mod"] and m[0][0] in "Tt":
                # "the spokesman said" after "Foreign Ministry spokesman Abbas Mousavi": the
                # spokesman named last, in the sentences just before.
                ref = _named_spokesman(found, table, i, start, m[0].lower().split()[1:])
            if ref is None and not m["official"]:
                ref = _body_of_spokesman(m["mod"], table)
            if m["official"]:
                pass  # "a senior official said": someone of no body the text names
            elif ref is None and speakers:
                ref = speakers[-1].ref
            elif ref is None and last is not None and i - last[0] <= 4:
                ref = last[1]
            if ref is not None:
                out.append(Mention(start, end, m[0].strip(), "spokesman", ref, i))
                last = (i, ref)
        for b in here:
            if SPEECH_AFTER.match(s.text[b.end - s.start :]) and (last is None or last[0] <= i):
                last = (i, b.ref)  # type: ignore[assignment]
    return out


# How many sentences back "the spokesman" may find the spokesman named in full: an article
# names its body's spokesperson once and calls them "the spokesman" long after.
SPOKESMAN_REACH = 30


def _named_spokesman(
    found: list[Mention], table: EntityTable, i: int, start: int, noun: list[str]
) -> str | None:
    """The person named last, within SPOKESMAN_REACH sentences before ``start``, whom the words
    that describe them (``Info.roles``: "spokeswoman Morgan X", "press secretary Jo Y") call
    by ``noun``."""
    for p in sorted(found, key=lambda x: x.start, reverse=True):
        if p.kind != "person" or not p.ref or p.start >= start or i - p.sentence > SPOKESMAN_REACH:
            continue
        if set(noun) <= table.infos[p.ref].roles:
            return p.ref
    return None


def _body_of_spokesman(mod: str | None, table: EntityTable) -> str | None:
    """The body a spokesman's modifier names ("a Foreign Office spokesperson"), unless it
    only says whose nation ("a Russian spokesman") or is no name at all ("a senior one").

    >>> t = EntityTable()
    >>> _body_of_spokesman("Foreign Office ", t), _body_of_spokesman("Russian ", t)
    ('org:foreign office', None)
    """
    words = (mod or "").split()
    places = Places.default()
    if not words or not words[0][:1].isupper():
        return None
    if all(places.demonym(w) or places.state(w) for w in words if w[:1].isupper()):
        return None
    return table.body(" ".join(words), EntityType.ORGANIZATION)


def _inside_name(s: Sentence, span: Span) -> bool:
    """Whether a city name is part of a longer name ("Vladimir Putin", "Queen Elizabeth")."""
    before = s.text[: span.start - s.start].rstrip(" ")
    after = s.text[span.end - s.start :]
    prev_word = before.split()[-1] if before.split() else ""
    # "Hassan al-Dirani": a particle joined by a hyphen still continues the name.
    next_cap = re.match(rf"[ -](?:(?:{PARTICLE}|do)[ -])?\p{{Lu}}\p{{Ll}}", after) is not None
    prev_cap = (
        prev_word[:1].isupper()
        and len(before) == len(s.text[: span.start - s.start]) - 1
        and not prev_word.endswith((".", ",", "'s", "’s", ":"))
        and prev_word not in NOT_NAMES
    )
    return next_cap or prev_cap


def _office(title: str) -> str:
    words = title.split()
    return " ".join(words).strip() if words else title


def _described_only(m: re.Match[str], places: Places) -> bool:
    """Whether a DESCRIBED match is a role ROLE leaves alone: a title ROLE lacks, "former",
    or a modifier that names no state ("the Vermont senator", not "the Russian president").

    >>> p = Places.default()
    >>> [_described_only(DESCRIBED.match(t), p) for t in ("the Democratic nominee",
    ...     "the former president", "the Vermont senator", "the Russian president")]
    [True, True, True, False]
    """
    if m["former"] or m["title"].split()[-1] not in ("senator", "governor", "president", "mayor"):
        return True
    mod = m["mod"]
    return bool(mod) and not (places.demonym(mod) or places.state(mod))


def _descriptors(s: Sentence, m: Mention) -> set[str]:
    """Lower-case words that describe a person where the text names them in full: up to four
    words right before the name ("Democratic presidential nominee Joe Biden"), and an
    apposition after it ("Kamala Harris, the Democratic vice-presidential nominee,").

    >>> t = "Democratic challenger Jo Bell, the former Ohio governor, spoke."
    >>> s = Sentence(0, len(t), t, 0)
    >>> sorted(_descriptors(s, Mention(22, 29, "Jo Bell", "person", "p", 0)))
    ['challenger', 'democratic', 'former', 'governor', 'ohio']
    """
    words: list[str] = []
    for w in reversed(s.text[: m.start - s.start].split()[-4:]):
        if not re.fullmatch(r"[\p{L}-]+", w) or w.lower() in FUNCTION_WORDS:
            break
        words.append(w)
    after = re.match(
        r",[ ]+(?:the|a|an)[ ]+([\p{L}\- ]{3,60}?)(?:,|\.|$)", s.text[m.end - s.start :]
    )
    if after:
        words.extend(after.group(1).split())
    out = {w.lower() for w in words}
    return out | {part for w in out if "-" in w for part in w.split("-")}


def _described_person(
    dm: re.Match[str],
    m: Mention,
    seen: list[Mention],
    table: EntityTable,
    places: Places,
    inside: Callable[[Mention], bool],
) -> str | None:
    """The person of the last sentences whom the role's words describe, nearest first.

    "the former vice president" needs a past office (or the word "former" in the
    description); a modifier that names a state must match the person's; one that does not
    ("Vermont", "Democratic") is preferred when the description holds it.
    """
    title = dm["title"].lower()
    words = [SAME_ROLE.get(p, p) for w in title.split() for p in w.split("-")]
    mod = dm["mod"]
    country = None
    if mod:
        country = places.demonym(mod) or (places.state(mod).label if places.state(mod) else None)
    fitting: list[str] = []
    nearest: list[str] = []
    for prev in reversed(seen):
        if not prev.ref or m.sentence - prev.sentence > 6 or prev.ref in fitting:
            continue
        if inside(prev) and not inside(m):
            continue  # '"Donald Trump has ...," the 44th president said': not Trump
        info = table.infos[prev.ref]
        if info.type not in (EntityType.LEADER, EntityType.PERSON):
            continue
        # "the Libyan commander" may be one whose nationality is not known.
        unknown_ok = words[-1] in GENERIC_ROLES and info.country is None
        if country and info.country != country and not unknown_ok:
            continue
        if dm["former"] and not dm["former"][0].isdigit():
            was = any(
                re.search(rf"(?<!vice )(?<!vice-)\b{re.escape(title)}\b", o)
                for o in info.past_offices
            )
            if not was and not ("former" in info.roles and all(w in info.roles for w in words)):
                continue
        elif not all(
            w in info.roles
            or (w == "incumbent" and info.office)
            or (w == "monarch" and info.roles & ROYAL)
            for w in words
        ):
            if (
                words[-1] in GENERIC_ROLES
                and m.sentence - prev.sentence <= 2
                and not info.office  # the Pope is not "the cleric" named after him
                and not fitting
            ):
                nearest.append(prev.ref)  # "the Swedish activist": the person just named
            continue  # "the Republican incumbent": whoever holds an office now
        fitting.append(prev.ref)
    if mod and not country:
        fitting.sort(key=lambda r: mod.lower() not in table.infos[r].roles)  # stable: nearest
    if not fitting and nearest:
        return nearest[0]
    return fitting[0] if fitting else None


def _introduced_by_role(
    seen: list[Mention], table: EntityTable, country: str | None, title: str
) -> str | None:
    """Nobody of that nationality yet: the last person named whose nationality is unknown.

    News names a person, then the role ("Vladimir Putin touched down ... The Russian leader"):
    that fixes the person's nationality and office.
    """
    if not country or not seen:
        return None
    last = title.split()[-1]
    for p in reversed(seen[-3:]):
        info = table.infos[p.ref]  # type: ignore[index]
        if info.country is None and (info.office is None or last in info.office.lower()):
            info.country = country
            info.office = info.office or title
            info.type = EntityType.LEADER
            return p.ref
    return None


PREPOSITION = re.compile(
    r"\b(?:with|by|to|of|for|from|at|on|about|against|and|meet|met|meeting|between|like|"
    r"including|than|told|tell|asked|invited|hosted|received|welcomed)\s+"
    r"(?:(?:the|his|her|a)\s+)?(?:(?:\p{Lu}[\p{L}.-]*|[a-z]+\s+ministers?|ministers?|presidents?|"
    r"prime|secretary|secretaries|of|state|former|late)\s+)*$"
)


def is_subject(text: str, m: Mention, sentence_start: int) -> bool:
    """Whether a mention reads as a subject (not the object of "with", "by", "met" ...).

    >>> text = "talks with Prime Minister Paul Martin"
    >>> is_subject(text, Mention(26, 37, "Paul Martin", "person"), 0)
    False
    >>> text = "Secretary of State George Shultz said"
    >>> is_subject(text, Mention(19, 32, "George Shultz", "person"), 0)
    True
    """
    left = text[max(0, m.start - sentence_start - 60) : m.start - sentence_start]
    found = PREPOSITION.search(left)
    if found is not None and found.group(0).startswith("of"):
        # "Secretary of State George Shultz said": "of" inside the title.
        word = left[: found.start()].split()[-1:]
        if word and word[0].lower() in OFFICE_WORDS:
            return True
    # "Later on Tuesday Mitsotakis met ...": a day or month is no object's noun.
    return found is None or any(w in TIME_WORDS for w in found.group(0).split())


# "according to Roe", "according to ecologist Ann Roe of ...": the person the sentence cites.
SOURCE_BEFORE = re.compile(r"\b[Aa]ccording[ ]+to[ ]+(?:[a-z][\w-]*[ ]+){0,3}$")


OFFICE_WORDS = frozenset(
    ["secretary", "minister", "president", "head", "chairman", "leader", "director", "governor"]
)


OPENING = re.compile(
    r"\s*(?:During|On|In|At|After|Before|Ahead\s+of|Following|Upon|Since|Throughout|"
    r"At\s+the\s+(?:end|start|close|beginning)\s+of|On\s+the\s+(?:eve|last\s+day)\s+of|"
    # "Invited to speak at Columbia during his visit to New York, X said": a participle.
    r"[A-Z][a-z]{2,}(?:ed|ing)\s+(?:to|by|in|at|for|on|with|from)\b)"
    r"[^,]*$"
)
# A sentence that opens with a subordinate clause: "When challenged by X, he said".
FRONTED = re.compile(
    r"\s*(?:When|While|After|Before|As|Once|Though|Although|If|Asked|Challenged|Pressed|"
    r"Questioned)\b"
)
TITLE_GAP = re.compile(
    r",\s*(?:(?:the\s+)?(?:\p{Lu}[\p{L}.'’-]*|[a-z]+\s+minister|president|premier|"
    r"chancellor|king|queen|emir|leader)\s+)*"
)


# A sentence whose subject is a person left unnamed: "One of the victims ...", "A witness".
UNNAMED_SUBJECT = re.compile(
    r"\s*(?:(?:One|Another|Some|Two|Three)[ ]+of[ ]+(?:the|his|her|their)[ ]+[a-z]+|"
    r"(?:A|An|Another)[ ]+(?:[a-z-]+[ ]+){0,2}(?:woman|man|girl|boy|victim|witness|resident|"
    r"survivor|neighbou?r|passenger|student|worker|child|mother|father|teenager|protester|"
    r"relative|friend))\b(?![ ]+(?:of|from|for|at|with)[ ]+\p{Lu})"
)
SUBORDINATE_BEFORE = re.compile(
    r"(?:^|,)[^,]*\b(?:[Tt]hat|[Ww]hen|[Aa]fter|[Bb]efore|[Aa]s|[Ww]hile|[Ss]ince|[Bb]ecause|"
    r"[Aa]lthough|[Tt]hough|[Oo]nce|[Uu]ntil)[ ]+$"
)


def _cataphora(m: Mention, found: list[Mention], s: Sentence) -> str | None:
    """A possessive in an opening phrase points at the main clause's subject, named after
    the comma: "During his visit to Kenya, King Charles expressed ...".

    >>> from kg.extract.segment import sentences
    >>> text = "President Joe Biden spoke. During his visit to Kenya, King Charles was sorry."
    >>> table = find_entities(sentences(text, 0), None)
    >>> [(m.text, table.get(m.ref).written_label()) for m in table.mentions if m.kind == "pronoun"]
    [('his', 'King Charles')]
    """
    left = s.text[: m.start - s.start]
    if m.text.lower() in ("he", "she"):
        # "When he arrived, Roe said", "the same day that he dropped out, Roe endorsed": a
        # subject pronoun of a fronted clause, no person named before it in the sentence.
        if not SUBORDINATE_BEFORE.search(left) or any(
            p.kind == "person" and p.sentence == m.sentence and p.start < m.start for p in found
        ):
            return None
    elif m.text.lower() not in ("his", "her") or not OPENING.match(left):
        return None
    comma = s.text.find(",", m.end - s.start)
    if comma < 0:
        return None
    for p in found:
        if p.kind == "person" and p.sentence == m.sentence and p.start > s.start + comma:
            gap = s.text[comma : p.start - s.start]
            return p.ref if TITLE_GAP.fullmatch(gap) else None
    return None


def _resolve(
    found: list[Mention],
    table: EntityTable,
    places: Places,
    sents: list[Sentence],
    quoted: list[tuple[int, int]],
) -> None:
    """Point role and pronoun mentions at people, in text order."""

    def inside(m: Mention) -> bool:
        return any(a <= m.start < b for a, b in quoted)

    seen: list[Mention] = []  # resolved person mentions so far
    subject_of: dict[int, str] = {}  # sentence -> the subject: first person not an object
    last_subject_of: dict[int, str] = {}  # sentence -> the subject of a later clause
    for m in found:
        if m.kind == "person":
            seen.append(m)
            s = sents[m.sentence]
            if m.ref and len(m.text.split()) > 1:
                table.infos[m.ref].roles.update(_descriptors(s, m))
            if inside(m):
                continue  # words said: the one named there is not the sentence's subject
            if is_subject(s.text, m, s.start) or SOURCE_BEFORE.search(s.text[: m.start - s.start]):
                # "According to Roe, many ... . "...," he said": the source of a sentence's
                # claims is who a pronoun after it points at, like a subject.
                subject_of.setdefault(m.sentence, m.ref)  # type: ignore[arg-type]
                if m.ref != subject_of[m.sentence] and CLAUSE_THEN.search(
                    s.text[: m.start - s.start]
                ):
                    last_subject_of[m.sentence] = m.ref  # type: ignore[assignment]
            continue
        dm = DESCRIBED.fullmatch(m.text) if m.kind == "role" else None
        if dm and not _described_only(dm, places):
            dm = None
        if m.kind == "role" and (dm or AGE_ROLE.fullmatch(m.text)):
            if dm:
                m.ref = _described_person(dm, m, seen, table, places, inside)
            else:
                # "The 38-year-old said": the one person the last sentences named, if only one.
                near = {p.ref for p in seen if m.sentence - p.sentence <= 2 and p.ref}
                m.ref = near.pop() if len(near) == 1 else None
            if m.ref:
                seen.append(m)
                if not inside(m):
                    subject_of.setdefault(m.sentence, m.ref)
            else:
                m.kind = "other"
            continue
        if m.kind == "role":
            rm = ROLE.match(m.text)
            mod = rm["mod"] if rm else None
            title = (rm["title"] if rm else m.text).lower()
            owner = ROLE_OWNER.search(sents[m.sentence].text[: m.start - sents[m.sentence].start])
            if (
                mod
                and not (places.demonym(mod) or places.state(mod))
                and ROLE.fullmatch(f"the {mod.lower()} {title}")
            ):
                # "the Prime Minister": a capitalised office, not "Prime" as a state's word.
                title, mod = f"{mod.lower()} {title}", None
            mod = mod or (owner.group(1) if owner else None)
            of = OF_STATE.match(sents[m.sentence].text, m.end - sents[m.sentence].start)
            if of and not mod and not title.endswith(("counterpart", "diplomat")):
                # "The Emir of Qatar called for unity"; "the president of the company" is no
                # state's office, and nobody named so far.
                if not places.state(of.group(1)):
                    m.kind = "other"
                    continue
                mod = of.group(1)
            if title.endswith("diplomat"):
                if "top" not in title:
                    m.kind = "other"  # "a diplomat", "the senior diplomat": no office
                    continue
                title = "foreign minister"  # "the top diplomat": the minister abroad
            country = None
            if mod:
                country = places.demonym(mod) or (
                    places.state(mod).label if places.state(mod) else None
                )
                if country is None:
                    m.kind = "other"
                    continue
            if "counterpart" in title:
                # "his Russian counterpart": the last person of that state named; with no
                # state, whose counterpart it is says nothing of who.
                m.ref = next(
                    (
                        p.ref
                        for p in reversed(seen)
                        if country and table.infos[p.ref].country == country  # type: ignore[index]
                    ),
                    None,
                )
                if m.ref:
                    seen.append(m)
                    subject_of.setdefault(m.sentence, m.ref)
                else:
                    m.kind = "other"
                continue
            for prev in [*reversed(seen), None]:
                if prev is None:
                    m.ref = _introduced_by_role(seen, table, country, title)
                    break
                info = table.infos[prev.ref]  # type: ignore[index]
                if country and info.country != country:
                    continue
                last = title.split()[-1]
                office = (info.office or "").lower()
                if (
                    not country
                    # "the premier" is a premier, or a prime minister.
                    and (
                        not office
                        or (last not in office and SAME_ROLE.get(last, last) not in office)
                    )
                    and last != "leader"
                ):
                    continue
                if (
                    country
                    and office
                    and last not in office
                    and SAME_ROLE.get(last, last) not in office
                    and last != "leader"
                    and "leader" not in office
                ):
                    continue  # "Russia's special envoy" is not Russia's president
                if "elect" in (info.office or "").lower() and "elect" not in title:
                    continue  # "the president" is not the president-elect
                if info.type != EntityType.LEADER:
                    continue
                m.ref = prev.ref
                break
            if m.ref:
                seen.append(m)
                if not inside(m):  # '"Basically, the president has ...," he said': not him
                    subject_of.setdefault(m.sentence, m.ref)
            continue
        if m.kind == "pronoun":
            outside = not inside(m)
            # '"I told Ann Roe ...," he wrote': a name in the quote is not who "he" is.
            same = [
                p
                for p in seen
                if p.sentence == m.sentence and p.ref and not (outside and inside(p))
            ]
            if (
                not same
                and m.text.lower() in ("he", "she")
                and m.sentence > 0
                and m.sentence - 1 not in subject_of
                and UNNAMED_SUBJECT.match(sents[m.sentence - 1].text)
            ):
                # "One of the victims spoke out. She said ...": someone the text leaves
                # unnamed, not the last person it named.
                continue
            ahead = _cataphora(m, found, sents[m.sentence])
            if ahead is not None and agrees(m.text, table.infos[ahead].gender):
                m.ref = ahead  # "During his visit to Kenya, King Charles said ...": him
                continue
            # The subject of this sentence, the nearest person in it, the subjects of the
            # last sentences; then, for a pronoun whose gender rules those out, the nearest
            # earlier person of the pronoun's gender ("she" after "X met Mrs Y").
            order: list[str] = []
            # "When challenged by Bollinger, he stated": a subject pronoun is not the one
            # named after "by" or "with" before it; the last sentence's subject comes first.
            s_m = sents[m.sentence]
            object_only = (
                m.sentence not in subject_of
                and bool(same)
                and m.text.lower() in ("he", "she")
                and bool(FRONTED.match(s_m.text))
                and not is_subject(s_m.text, same[-1], s_m.start)
                # Not "Officials with Shultz said he was likely to go": a reported clause.
                and not re.search(
                    r"\b(?:said|says|told|that)\b",
                    s_m.text[same[-1].end - s_m.start : m.start - s_m.start],
                )
            )
            # "Bollinger introduced him": the object of a verb is not its subject.
            own_object = (
                m.text.lower() == "him"
                and bool(same)
                and subject_of.get(m.sentence) == same[-1].ref
                and bool(
                    re.fullmatch(
                        r"\s+(?:[a-z]+\s+){1,2}",
                        s_m.text[same[-1].end - s_m.start : m.start - s_m.start],
                    )
                )
            )
            if m.sentence in subject_of and not own_object:
                order.append(subject_of[m.sentence])
            elif same and not object_only and not own_object:
                order.append(same[-1].ref)  # type: ignore[arg-type]
            for j in range(m.sentence - 1, max(-1, m.sentence - 4), -1):
                if j in subject_of:
                    # "A said ... while B wrote ... He tweeted": the subject of the last clause.
                    order.append(last_subject_of.get(j, subject_of[j]))
                    break
            if object_only:
                order.append(same[-1].ref)  # type: ignore[arg-type]
            fitting = [r for r in order if agrees(m.text, table.infos[r].gender)]
            if order and not fitting:
                fitting = [
                    p.ref  # type: ignore[misc]
                    for p in reversed(seen)
                    if m.sentence - p.sentence <= 3
                    and not (outside and inside(p))
                    and table.infos[p.ref].gender is not None  # type: ignore[index]
                    and agrees(m.text, table.infos[p.ref].gender)  # type: ignore[index]
                ][:1]
            m.ref = fitting[0] if fitting else None
            info = table.infos[m.ref] if m.ref else None
            if info is not None and info.gender is None and m.ref == subject_of.get(m.sentence):
                # "Tulsi Gabbard secured ..., her first delegate": the pronoun shows the
                # gender of a name the given-name list does not know.
                info.gender = "f" if m.text.lower() in ("she", "her") else "m"
            if m.ref and m.text.lower() in ("he", "she") and outside:
                # Not a "he" inside words said: '"Putin agreed. Then he noted ...," he said'
                # is the speaker, not Putin.
                subject_of.setdefault(m.sentence, m.ref)


__all__ = ["EntityTable", "Info", "Mention", "find_entities"]
