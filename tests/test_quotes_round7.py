"""Speakers the quote rules missed on a sixth fresh development set (bench/devset6), each
convention on sentences written here: a comma inside the closing mark leads to a long
attribution after it; a body or an owner before a person after the verb ("said UCL astronomer
X", "writes X's longtime partner Y") is no speaker; a person "at"/"of" a place of work ("Dr.
X at Saint Mary said"); "It ..., noting" is the body; "a student named X"; a quoted plan's
name that the sentence goes on about ('"X" calls for', '"X" is') is nobody's words.
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said

SPEAKERS = [
    # A comma inside the closing mark, then a name with a long affiliation before "told".
    (
        '"Bringing the horses home is going to heal us all," Linda Odell of the county '
        "tribal history and heritage preservation office told those gathered.",
        "Bringing the horses",
        "Linda Odell",
    ),
    # "said <body> <role> <person>": the body is the person's affiliation.
    (
        "A team from University College London (UCL) found water on the planet. "
        '"We now know there is water there," said UCL astronomer Laura Kemp.',
        "We now know",
        "Laura Kemp",
    ),
    # '"...," <body> head <person> told': the same before the verb.
    (
        "The ship vanished on Monday. "
        '"We will keep searching until we find it," the Northern Rescue Agency head Tomas '
        "Berg told reporters.",
        "We will keep",
        "Tomas Berg",
    ),
    # "writes <owner>'s longtime tag team partner <person>": the owner is whose partner.
    (
        "Wrestler Jon Tarr died on Saturday. "
        '"Heartbroken and numb," writes Tarr\'s longtime tag team partner Ardo Kell on '
        "Instagram.",
        "Heartbroken and numb,",
        "Ardo Kell",
    ),
    # "the EU's foreign policy chief, X, said": the owner of the office is no speaker.
    (
        '"We welcome the decision," the EU\'s foreign policy chief, Lars Vik, said in a statement.',
        "We welcome the",
        "Lars Vik",
    ),
    # "<body> President <person> said": an office's word between the body and the person.
    (
        '"Europe stands united with them," European Commission President Ursula von der '
        "Leyen said.",
        "Europe stands united",
        "Ursula von der Leyen",
    ),
    # "Dr. X at Saint Mary said": the words after "at" are where X works.
    (
        'Dr. Peter Hale at Saint Mary said, "We received many patients after the crash."',
        "We received many",
        "Peter Hale",
    ),
    # "X of Mercy Hospital said": the hospital is no second person.
    (
        'Jane Lowe of Mercy Hospital said, "We received many patients after the crash."',
        "We received many",
        "Jane Lowe",
    ),
    # "a university student named X said": a person introduced by a noun and "named".
    (
        'A university student named Lee said, "Even in the rain, people here never back down."',
        "Even in the",
        "Lee",
    ),
    # "It also thanked X for ..., noting": "it" is the body named before, not X.
    (
        "The World Health Organization paused its briefing to honour Boris Kolev. It also "
        'credited Kolev with the first vaccine, noting on Twitter "his work opened a new age '
        'of medicine".',
        "his work opened",
        "World Health Organization",
    ),
    # A surname with a capital inside, alone after the quote.
    (
        'Golfer Rory McTavish won the Open. "It feels unreal to lift this trophy," McTavish said.',
        "It feels unreal",
        "Rory McTavish",
    ),
    (
        'Sailor Aoife O\'Dwyer crossed the line first. "The last mile was the hardest," '
        "O'Dwyer said.",
        "The last mile",
        "Aoife O'Dwyer",
    ),
    # A person introduced by a profession noun mid-sentence, later by surname alone.
    (
        'On Monday, golfer Rory Kettering won the Open. "It feels unreal to lift this '
        'trophy," Kettering told reporters.',
        "It feels unreal",
        "Rory Kettering",
    ),
    (
        'That day, rapper Kanye Weston made an announcement. "I am running to win," Weston said.',
        "I am running",
        "Kanye Weston",
    ),
]


@pytest.mark.parametrize(("body", "first", "speaker"), SPEAKERS)
def test_speaker(body: str, first: str, speaker: str) -> None:
    got = said(body)
    assert first in got, got
    assert got[first][0] == speaker


def test_medium_of_body_noting_on_twitter() -> None:
    body = next(b for b, first, _ in SPEAKERS if first == "his work opened")
    got = said(body)
    assert got["his work opened"] == ("World Health Organization", "Twitter")


@pytest.mark.parametrize(
    "body",
    [
        # A comma inside the marks is needed for a long stretch before the verb.
        '"keep the heat on" the administration for the next three weeks while the talks '
        "go on in the capital, officials said.",
        # '"X" calls for': the plan's name is the subject, not words Roe said.
        'Senator Ann Roe spoke in Ohio on Monday. She introduced a plan called "Green Jobs '
        'Now" in May. "Green Jobs Now" calls for a new tax on coal.',
        # '"X" is ...' after a sentence in which someone spoke: still a name.
        'Senator Ann Roe spoke in Ohio on Monday. "Green Jobs Now" is a form of economic '
        "nationalism.",
    ],
)
def test_not_a_statement(body: str) -> None:
    facts = facts_of(body)
    texts = [s.text for s in facts.statements]
    assert not any("heat on" in t or "Green Jobs" in t for t in texts), texts


def test_it_without_a_named_body_is_not_the_name_in_its_clause() -> None:
    # No body is named before "It": the quote is not Kolev's.
    got = said(
        'Boris Kolev died on Friday. It also credited Kolev with the first walk, noting "his '
        'walk opened a new age".'
    )
    assert got.get("his walk opened", ("nobody", None))[0] != "Boris Kolev"


def test_acronym_first_then_name_in_brackets_is_a_body() -> None:
    # "ASW (Atlantic Stage Wrestling)": the acronym alone later names the body.
    got = said(
        "Tom Reid wrestled for ASW (Atlantic Stage Wrestling) for years. "
        '"Reid was loved by all of us here", reads an ASW press release.'
    )
    assert got["Reid was loved"][0] == "Atlantic Stage Wrestling"


def test_office_spelled_out_in_brackets_is_no_body() -> None:
    # "MP (Member of Parliament)": an office, so "One MP told" names nobody.
    facts = facts_of(
        "Speakers included Labour MP (Member of Parliament) Tom Watson. "
        'One MP told the BBC, "We know that many people wanted to stay in the union."'
    )
    assert not facts.statements, [facts.entity(s.speaker).label for s in facts.statements]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # "His wife Mary said": the wife speaks, though "Mary" is also a town's name.
        (
            'The sailor Walter Roe died at home on Friday. His wife Mary said "We thought he '
            'would sail forever."',
            "Mary",
        ),
        # "her son, Tom Reyes, said": the relative in commas after the kin noun.
        (
            'The actress Ann Reyes died on Monday. Her son, Tom Reyes, said "She loved the '
            'stage more than anything."',
            "Tom Reyes",
        ),
    ],
)
def test_relative_named_after_kin_noun(body: str, speaker: str) -> None:
    got = said(body)
    assert [v[0] for v in got.values()] == [speaker], got


def test_quote_after_a_sentence_naming_another_person() -> None:
    # The sentence between names coach Bill Ford alone: the quote standing alone is his.
    got = said(
        '"We played well in the second half," coach Tom Hill said. The home side got two '
        'yellow cards, leaving coach Bill Ford unimpressed. "One of them was a fair call, '
        'the other one probably not."'
    )
    assert got["One of them"][0] == "Bill Ford", got


def test_quote_after_a_sentence_naming_the_last_speaker_again() -> None:
    # The sentence between names the last speaker: the quote stays hers.
    got = said(
        '"We played well," coach Ann Hill said. Hill praised coach Bill Ford\'s side. "They '
        'were the better team today."'
    )
    assert got["They were the"][0] == "Ann Hill", got


@pytest.mark.parametrize(
    "body",
    [
        # A title after a determiner and a kind noun, though "read" is a speech verb.
        'Mayor Tom Lake read the novel "War and Peace in Our Time" as a boy.',
        # A plan's name used as a modifier after "the".
        'Mayor Tom Lake said the "Build a Better City" plan would start in May.',
        # An event's name in apposition after "his event,".
        'Ann Roe says her event, "Storm the Gates, They Cannot Stop Us", was only a joke.',
    ],
)
def test_title_case_name_after_a_determiner_is_no_statement(body: str) -> None:
    assert not facts_of(body).statements


def test_title_case_label_after_as_is_kept() -> None:
    # "referred to the vote as": the speaker's own label, not a title the text names.
    got = said('On Twitter, Mayor Tom Lake referred to the vote as "The Great Council Hoax".')
    assert got["The Great Council"][0] == "Tom Lake", got


def test_name_inside_another_quote_is_not_the_speaker() -> None:
    # Huber is named inside the first quote; the second span is the release's, not his.
    got = said(
        "Senator Jon Hubner died on Saturday. "
        '"Hubner was loved in every way", reads a press release from the league, "a '
        'fierce and captivating talent and a kind soul".'
    )
    assert "Jon Hubner" not in [v[0] for k, v in got.items() if k.startswith("a fierce")], got
