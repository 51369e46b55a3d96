"""Speakers the quote rules missed on a fourth fresh development set (bench/devset4), each
convention on sentences written here: an office before the name after the verb, "Mayor of
<city> <name>", a long affiliation before the verb after a quote, a second predicate of the
subject's clause, and a surname that is also a town's name.
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said


@pytest.mark.parametrize(
    ("body", "first_words", "speaker"),
    [
        # The speaker after the verb behind a capitalised office ("County Sheriff"): the
        # office is not a person, the name after it is, and "Bill" is a given name here.
        (
            '"The river has never been this high," said Marin County Sheriff Bill Ortiz.',
            "The river has",
            "Bill Ortiz",
        ),
        # The quote goes on in the next sentence: the same speaker.
        (
            '"The river has never been this high," said Marin County Sheriff Dale Ortiz. '
            '"We had to move everyone out before dawn."',
            "We had to",
            "Dale Ortiz",
        ),
        # "Mayor of <city> <name>": the city is part of the office, not of the name.
        (
            '"We owe the volunteers everything," tweeted Mayor of Toronto Ana Lopez.',
            "We owe the",
            "Ana Lopez",
        ),
        (
            'The Mayor of London Ana Lopez said: "The bridge reopens on Friday morning."',
            "The bridge reopens",
            "Ana Lopez",
        ),
        # A long affiliation and role between the quote's comma and the verb.
        (
            'Lena Ortiz told reporters, "He was released early." "There is a pattern here", '
            "Leeds Metropolitan University criminology professor Ruth Keane told the press.",
            "There is a",
            "Ruth Keane",
        ),
        # "X thanked Y for ... and said": the subject of the clause speaks, not its object.
        (
            "Senator Ana Roth backed Governor Piet Vos on Monday. In a message to voters, Roth "
            'thanked Vos for his help with the plan and said she was "glad to support him '
            'as leader of the party".',
            "glad to support",
            "Ana Roth",
        ),
        # A surname that is also a town's name ("Warren") names the person the article
        # introduced, unless a preposition makes it a place.
        (
            "Senator Elizabeth Warren spoke on Monday. Warren said the plan was "
            '"a gift to the richest families in the country".',
            "a gift to",
            "Elizabeth Warren",
        ),
    ],
)
def test_speaker(body: str, first_words: str, speaker: str) -> None:
    found = said(body)
    assert found.get(first_words, (None,))[0] == speaker, found


def test_a_long_subject_only_after_a_comma() -> None:
    """Without a comma after the quote, the words that follow go on with the sentence: a
    name some 70 characters on, before "said", is not the quote's speaker."""
    body = (
        "Senator Mara Olsen met the visitors. Olsen urged them to "
        '"keep the pressure on" the regional administration to release the funds, '
        "local officials in the northern provinces said."
    )
    assert said(body).get("keep the pressure", (None,))[0] == "Mara Olsen"


def test_a_town_after_a_preposition_stays_a_town() -> None:
    body = (
        'Senator Elizabeth Warren said "the factory will stay open for years". '
        "Workers in Warren cheered the news."
    )
    facts = facts_of(body)
    assert [facts.entity(s.speaker).label for s in facts.statements] == ["Elizabeth Warren"]
    assert any(e.label == "Warren" and e.type == "City" for e in facts.entities)
