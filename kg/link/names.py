"""Name canonicalisation shared by the importers and the extractor: titles, people, states.

One entity must get one IRI whatever the source, and the mapping mints IRIs from the
canonical label. These helpers turn a name as written ("President Vladimir Putin",
"Prime Minster Mackenzie King ", "U.S.S.R.") into the parts the rest of the flow needs:
the office title, the person's name, the state's canonical label. They read the project
gazetteer (historical states, leaders' canonical names) when it has an answer, and
country_converter otherwise. Pure functions over strings; lookups are cached.

>>> split_title("Prime Minster Mackenzie King ")
('Prime Minister', 'Mackenzie King')
>>> split_people("King Abdullah and Crown Prince Hussein")
(('King', 'Abdullah'), ('Crown Prince', 'Hussein'))
>>> split_people("Premier and Prince Sihanouk")
(('Premier', 'Sihanouk'),)
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.link.gazetteer import Gazetteer, norm
from kg.model import EntityType

# Office titles as they open a name, longest first so "Prime Minister" wins over "Minister".
TITLES: tuple[str, ...] = tuple(
    sorted(
        {
            "President",
            "President-elect",
            "President-designate",
            "Vice President",
            "Prime Minister",
            "Deputy Prime Minister",
            "Chancellor",
            "Chancellor-elect",
            "Federal Chancellor",
            "Premier",
            "Vice Premier",
            "King",
            "Queen",
            "Emperor",
            "Empress",
            "Prince",
            "Crown Prince",
            "Princess",
            "Grand Duke",
            "Grand Duchess",
            "Sultan",
            "Amir",
            "Emir",
            "Shah",
            "Pope",
            "Chairman",
            "General Secretary",
            "First Secretary",
            "Secretary General",
            "Governor General",
            "Regent",
            "Chief of State",
            "Head of State",
            "Chairman of the Presidency",
            "Taoiseach",
            "Foreign Minister",
            "Foreign Secretary",
            "Defense Minister",
            "Minister",
            "Junta Member",
            "General",
            "Lieutenant General",
            "Brigadier General",
            "Comandante",
            "Supreme Leader",
            "Secretary of State",
            "Secretary",
            "Sheikh",
            "Crown Princess",
        },
        key=lambda t: (-len(t), t),
    )
)
# Words that qualify a title without changing the office's name.
QUALIFIERS = ("Acting", "Interim", "Provisional")
# Honorifics that are part of no name: "Amir Sheikh Tamim" is Tamim.
HONORIFICS = ("Sheikh", "Sheik", "Haji")
# Misspellings seen in the records, fixed before parsing.
TYPOS = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"\bMinster\b", "Minister"),
        (r"\bPresdent\b", "President"),
        (r"-\s+(elect|designate)\b", r"-\1"),
        (r"(?i)\b(President|Chancellor)-Elect\b", r"\1-elect"),
    )
)
_TITLE_RE = re.compile(
    r"^(?:(?:"
    + "|".join(QUALIFIERS)
    + r")\s+)?("
    + "|".join(re.escape(t) for t in TITLES)
    + r")\b",
    re.IGNORECASE,
)
_PEOPLE_SPLIT_RE = re.compile(
    r"\s+(?:and|&)\s+|,\s+(?=(?:"
    + "|".join(QUALIFIERS)
    + r"\s+)?(?:"
    + "|".join(re.escape(t) for t in TITLES)
    + r")\b)"
)
NOT_FOUND = "\x00not-found"
_CANON_TITLE = {t.lower(): t for t in TITLES}


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """Whitespace folded (no-break spaces too), ends stripped, known typos fixed.

    >>> clean("  President- elect\\u00a0Ernesto  Zedillo ")
    'President-elect Ernesto Zedillo'
    """
    text = " ".join(text.replace("\u00a0", " ").split())
    for pattern, repl in TYPOS:
        text = pattern.sub(repl, text)
    return text


def split_title(text: str) -> tuple[str | None, str]:
    """The office title a name opens with (canonical case) and the name after it.

    Honorifics after the title are dropped; a name without a title gives ``None``.

    >>> split_title("Acting President Goodluck Jonathan")
    ('President', 'Goodluck Jonathan')
    >>> split_title("Amir Sheikh Tamim bin Hamad Al Thani")
    ('Amir', 'Tamim bin Hamad Al Thani')
    >>> split_title("Valdas Adamkus")
    (None, 'Valdas Adamkus')
    """
    text = clean(text)
    title = None
    m = _TITLE_RE.match(text)
    if m:
        title = _CANON_TITLE[m.group(1).lower()]
        text = text[m.end() :].strip()
    words = text.split()
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    return title, " ".join(words)


@lru_cache(maxsize=16384)
def split_people(text: str) -> tuple[tuple[str | None, str], ...]:
    """The people a name field names, as (title, name) pairs.

    "A and B", "A & B" and "A, B" are two people when both parts carry a name; a part that
    is only a title ("Premier and Prince Sihanouk") belongs to the next person. A comma
    before a suffix ("Aquino, 3rd", "Whipps, Jr.") does not split.

    >>> split_people("President Anwar Sadat, Prime Minister Mustafa Khalil")
    (('President', 'Anwar Sadat'), ('Prime Minister', 'Mustafa Khalil'))
    >>> split_people("President Benigno S. Aquino, 3rd")
    (('President', 'Benigno S. Aquino, 3rd'),)
    """
    text = clean(text)
    parts = _PEOPLE_SPLIT_RE.split(text)
    people: list[tuple[str | None, str]] = []
    pending: str | None = None
    for part in parts:
        title, name = split_title(part)
        if not name:
            pending = pending or title
            continue
        people.append((pending or title, name))
        pending = None
    return tuple(people)


def office_name(title: str | None) -> str | None:
    """The office a title names, as the ontology labels offices ("President-elect" is none).

    >>> office_name("President"), office_name("President-elect"), office_name(None)
    ('President', None, None)
    """
    if title is None or title.endswith(("-elect", "-designate")):
        return None
    return title


@lru_cache(maxsize=65536)
def surname_key(name: str) -> str:
    """The last name word, for matching "President Putin" to "Vladimir Putin".

    >>> surname_key("Vladimir V. Putin"), surname_key("Benigno S. Aquino, 3rd")
    ('putin', 'aquino')
    """
    name = re.sub(r",?\s+(Jr\.?|Sr\.?|[0-9](st|nd|rd|th)|II|III|IV)$", "", clean(name))
    words = norm(name).split()
    return words[-1] if words else ""


def without_initials(name: str) -> str:
    """The name without middle initials: "Michael R. Pompeo" -> "Michael Pompeo".

    >>> without_initials("Henry A. Kissinger")
    'Henry Kissinger'
    """
    words = clean(name).split()
    kept = [
        w
        for i, w in enumerate(words)
        if not (0 < i < len(words) - 1 and re.fullmatch(r"[A-Z]\.", w))
    ]
    return " ".join(kept)


def person_label(name: str, gazetteer: Gazetteer) -> tuple[str, str | None]:
    """The canonical label of a person and their QID: the gazetteer's when it knows the name
    (as written, or without middle initials), else the name as written, cleaned.

    >>> person_label(" Kim  Jong-un", Gazetteer([], []))
    ('Kim Jong-un', None)
    """
    name = clean(name)
    for candidate in (name, without_initials(name)):
        p = gazetteer.person(candidate)
        if p is not None:
            return p.label, p.wikidata
    return name, None


@dataclass(frozen=True)
class StateName:
    """A state resolved from a name: its canonical label, type, QID and ISO 3166 code."""

    label: str
    type: EntityType
    wikidata: str | None = None
    iso2: str | None = None


@cache
def _converter():  # type: ignore[no-untyped-def]
    import country_converter as coco

    # country_converter warns on every name it does not know; unknown names are expected here.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return coco.CountryConverter()


@cache
def country_short_name(name: str) -> str | None:
    """country_converter's short name for a country name or code, or None if it knows none.

    >>> country_short_name("Korea, South"), country_short_name("U.S.S.R.")
    ('South Korea', None)
    """
    if not name.strip():
        return None
    found = _converter().convert(name, to="name_short", not_found=NOT_FOUND)
    if isinstance(found, list) or found == NOT_FOUND:
        return None
    return str(found)


@cache
def iso2(label: str) -> str | None:
    """The ISO 3166 alpha-2 code of a current state's label (None for historical ones)."""
    found = _converter().convert(label, to="ISO2", not_found=NOT_FOUND)
    return None if isinstance(found, list) or found == NOT_FOUND else str(found)


def outer(label: str) -> str:
    """A label without its parenthetical: "Siam (Thailand)" -> "Siam".

    >>> outer("France (Provisional Government)")
    'France'
    """
    return re.sub(r"\s*\(.*?\)\s*", " ", label).strip() or label


def resolve_state(label: str, gazetteer: Gazetteer, code: str | None = None) -> StateName:
    """The state a name (and optionally a code such as the records' ``russia``) stands for.

    Order: the gazetteer by the name (it knows historical states: the Soviet Union for
    "U.S.S.R."), then country_converter by the code, by the name, by the name without its
    parenthetical; a name nobody knows stays a state of that name.

    >>> resolve_state("Korea, South", Gazetteer([], [])).label
    'South Korea'
    >>> resolve_state("U.S.S.R.", Gazetteer([], []), "russia").label
    'Russia'
    """
    label = clean(label)
    for name in (label, outer(label)):
        body = gazetteer.body(name)
        if body is not None and body.type in (EntityType.STATE, EntityType.HISTORICAL_STATE):
            return StateName(body.label, body.type, body.wikidata, iso2(body.label))
    for name in (code.replace("-", " ") if code else "", label, outer(label)):
        short = country_short_name(name)
        if short:
            body = gazetteer.body(short)
            if body is not None and body.type in (EntityType.STATE, EntityType.HISTORICAL_STATE):
                return StateName(body.label, body.type, body.wikidata, iso2(short))
            return StateName(short, EntityType.STATE, None, iso2(short))
    return StateName(outer(label), EntityType.STATE)


# Demonyms country_converter does not read (it reads "Japanese", "Israeli", "Iraqi" itself).
DEMONYMS = {
    "British": "United Kingdom",
    "French": "France",
    "Chinese": "China",
    "Dutch": "Netherlands",
    "Turkish": "Turkey",
    "Saudi": "Saudi Arabia",
    "German": "Germany",
    "Canadian": "Canada",
    "Spanish": "Spain",
    "Greek": "Greece",
    "Polish": "Poland",
    "Norwegian": "Norway",
    "Danish": "Denmark",
    "Finnish": "Finland",
    "Irish": "Ireland",
    "Belgian": "Belgium",
    "Thai": "Thailand",
    "Filipino": "Philippines",
    "Emirati": "United Arab Emirates",
    "Hungarian": "Hungary",
    "Burmese": "Myanmar",
    "Laotian": "Laos",
    "Moroccan": "Morocco",
    "Montenegrin": "Montenegro",
    "Sri Lankan": "Sri Lanka",
    "Maltese": "Malta",
    "Cypriot": "Cyprus",
    "Honduran": "Honduras",
    "Salvadoran": "El Salvador",
    "Malian": "Mali",
    "Mozambican": "Mozambique",
    "Ivorian": "Cote d'Ivoire",
    "New Zealand": "New Zealand",
    "South Korean": "South Korea",
    "Soviet": "Russia",
    "Swedish": "Sweden",
}


def state_of_adjective(adjective: str, gazetteer: Gazetteer) -> StateName | None:
    """The state a nationality adjective names ("Saudi" -> Saudi Arabia), or None.

    >>> state_of_adjective("Israeli", Gazetteer([], [])).label
    'Israel'
    >>> state_of_adjective("Senior", Gazetteer([], [])) is None
    True
    """
    adjective = clean(adjective)
    name = DEMONYMS.get(adjective) or country_short_name(adjective)
    return resolve_state(name, gazetteer) if name else None
