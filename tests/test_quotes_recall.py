"""Speakers the quote rules missed on a fourth fresh development set (bench/devset4), each
convention on sentences written here: an office before the name after the verb, "Mayor of
<city> <name>", a long affiliation before the verb after a quote, a second predicate of the
subject's clause, a surname that is also a town's or an outlet's name, bodies named by an
acronym, people introduced by age or by a common given name, pronouns that point ahead or
show a gender, the medium beside each quote, and a quote broken by its attribution.
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said

FIRST_ROUND = [
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
]


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


SECOND_ROUND = [
    # A body named with its acronym, then an official "from" the acronym.
    (
        "Riders were told to walk by Harbour Ferry Services (HFS) on Monday. "
        'An official from HFS stated: "We are working with the coastguard on this."',
        "We are working",
        "Harbour Ferry Services",
    ),
    # An age before a name marks a person, even one named by a given name only.
    (
        "Fourteen-year-old Zoya, on the top deck when it happened, said the roof fell in "
        'and "everyone started to shout at once".',
        "everyone started to",
        "Zoya",
    ),
    (
        'Fifteen-year-old Robert, on the lower deck, said "I thought we had hit the wall".',
        "I thought we",
        "Robert",
    ),
    # A given name before an outlet's one-word name: a person of that surname, who is
    # then the subject that "he" refers to.
    (
        "Two candidates, Senator Ann Roe and Michael Bloomberg, ended their campaigns. "
        "On Wednesday, the day that he dropped out, Bloomberg endorsed his former rival. "
        '"Three months ago," he said, "I entered the race to win it."',
        "Three months ago,",
        "Michael Bloomberg",
    ),
    # "her" shows the gender of an unknown given name: "he" is then someone else.
    (
        "Governor Michael Stead won the vote in Ohio. "
        "Representative Okalani Garban secured the last seat, her first of the year. "
        '"We are not done yet," he said.',
        "We are not",
        "Michael Stead",
    ),
]


NAMES = [
    # A common given name and a surname, with no title or speech verb: still a person, and
    # a bare surname later is the one named in full last before it, not a relative named
    # later on.
    (
        "Former agent Tony Marek died on Saturday. Marek once told reporters he was "
        '"a painter before anything else". His wife Jonna Marek said "he was always kind".',
        "a painter before",
        "Tony Marek",
    ),
    (
        "Former agent Tony Marek died on Saturday. His wife Jonna Marek said "
        '"he was always kind to everyone".',
        "he was always",
        "Jonna Marek",
    ),
    # "said his father, X": the relative named after the noun, not the one "his" is.
    (
        "A charity named its ship after Alan Sarif, a boy who drowned. Sarif and his mother "
        'died at sea. "This day is very hard for me," said his father, Omar Sarif, on Sunday.',
        "This day is",
        "Omar Sarif",
    ),
]


@pytest.mark.parametrize(("body", "first_words", "speaker"), FIRST_ROUND + SECOND_ROUND + NAMES)
def test_speaker(body: str, first_words: str, speaker: str) -> None:
    found = said(body)
    assert found.get(first_words, (None,))[0] == speaker, found


def test_an_official_of_no_named_body_is_nobody() -> None:
    """'A senior official said' names no body: the quote is not given to the last one."""
    body = (
        'The Harbour Board said on Monday "the port will open again soon". '
        'A senior official said "nobody knows when the port will open again".'
    )
    found = said(body)
    assert found.get("the port will", (None,))[0] == "Harbour Board"
    assert "nobody knows when" not in found, found


def test_each_quote_of_a_sentence_has_the_medium_named_beside_it() -> None:
    body = (
        "Senator Ann Roe died on Monday. Senator Piet Vos told MSNBC Roe "
        '"was a very good colleague," while Governor Tim Holt praised her "courage and '
        'kindness" on Twitter.'
    )
    found = said(body)
    assert found["was a very"] == ("Piet Vos", "MSNBC")
    assert found["courage and kindness"] == ("Tim Holt", "Twitter")


def test_a_video_posted_to_a_platform_names_the_medium() -> None:
    body = (
        "Senator Ana Roth backed Governor Piet Vos. In a video posted to Twitter, Roth said "
        'she was "proud to endorse Piet Vos as the leader".'
    )
    assert said(body)["proud to endorse"] == ("Ana Roth", "Twitter")


def test_a_quote_broken_by_its_attribution_is_one_statement() -> None:
    body = (
        'Senator Ana Roth spoke on Monday. "Three months ago," she said, "I entered the race." '
        '"No," said Governor Piet Vos. "Never," Roth replied.'
    )
    facts = facts_of(body)
    got = [(facts.entity(s.speaker).label, s.text) for s in facts.statements]
    assert ("Ana Roth", "Three months ago, I entered the race.") in got, got
    assert not any(text == "Three months ago," for _, text in got)


def test_she_after_an_unnamed_subject_is_nobody_named() -> None:
    """'One of the victims ... She said "..."': not the prosecutor named before."""
    body = (
        'Prosecutor Kama Mellor said the men were "cruel and without any remorse". '
        "One of the victims decided to speak in public. "
        'She said she wanted to show others "there is no shame in speaking up".'
    )
    found = said(body)
    assert found["cruel and without"][0] == "Kama Mellor"
    assert found.get("there is no", (None,))[0] != "Kama Mellor", found
