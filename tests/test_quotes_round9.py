"""Attribution forms of campaign and wire copy, on sentences written here (people invented,
bodies and outlets real): a role that points back at how a person was described ("the
Democratic nominee", "the Vermont senator", "the former vice president", "the Utah
Republican"), a named spokesperson after "according to" or in apposition to "a spokesperson
for X", military ranks as titles, "the head of X, Name,", and Arabic surnames written with
and without their article ("el-Sisi", "El-Sisi", "Sisi").
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said

SPEAKERS = [
    # A role that the person's description before the name holds.
    (
        "Republican incumbent Dale Pruitt and Democratic nominee Marcy Olsen clashed on Tuesday. "
        'The Democratic nominee said Pruitt "does not have a plan for the economy."',
        "does not have",
        "Marcy Olsen",
    ),
    # ... or the apposition after it.
    (
        "Marcy Olsen, the Democratic challenger, spoke in Dayton. "
        '"We will win this state back," the challenger said.',
        "We will win",
        "Marcy Olsen",
    ),
    # A modifier that names no state ("Vermont") does not stop the role.
    (
        "Senator Harlan Voss endorsed the nominee on Monday. "
        '"We need a change in the White House," the Vermont senator said.',
        "We need a",
        "Harlan Voss",
    ),
    # A role the description writes another way.
    (
        "Representative Alma Reyes spoke at the convention. "
        '"This is a movement, not a campaign," the congresswoman said.',
        "This is a",
        "Alma Reyes",
    ),
    # "former" points at a past office, or at a description that says "former".
    (
        "Former first lady Nora Whitcomb spoke on Monday night. "
        '"He is clearly in over his head," the former first lady said.',
        "He is clearly",
        "Nora Whitcomb",
    ),
    # A party noun is a role, not a person called "Utah Republican".
    (
        "Republican Senator Glen Harker voted against the bill. "
        '"I will not vote for it," the Utah Republican said.',
        "I will not",
        "Glen Harker",
    ),
    # "the incumbent" is whoever holds an office now.
    (
        "Governor Ruth Calder visited Kenosha. "
        '"These are not acts of peaceful protest," the Republican incumbent said.',
        "These are not",
        "Ruth Calder",
    ),
    # A person named inside the quote is not who the role after it points at.
    (
        "Former Governor Eli Stroud campaigned for the nominee. "
        '"Governor Tom Haskett has shown no interest in doing the work," the former governor '
        "said.",
        "Governor Tom Haskett",
        "Eli Stroud",
    ),
    # "According to" a body's spokesman names the spokesman, not the body.
    (
        'According to Kremlin spokesman Ilya Vostrov, "the president has not yet decided on '
        'the matter."',
        "the president has",
        "Ilya Vostrov",
    ),
    # A body's unnamed spokesperson, then a name in apposition: the named one speaks.
    (
        '"The situation on the ground is very fluid," a spokesperson for the Pentagon, '
        "Lieutenant Colonel Ray Dunmore, told Al Jazeera.",
        "The situation on",
        "Ray Dunmore",
    ),
    # "The head of X, Name,": head is a title before "of".
    (
        "The head of the International Atomic Energy Agency, Paulo Ferrante, said Iran had "
        '"not provided the access we requested."',
        "not provided the",
        "Paulo Ferrante",
    ),
    # An Arabic article, capitalised at a sentence's start, is the same surname.
    (
        "Egyptian President Omar el-Sawy received the Sudanese leader on Sunday. El-Sawy told "
        'him Egypt "stands by Sudan and its people."',
        "stands by Sudan",
        "Omar el-Sawy",
    ),
    # ... and so is the surname without it.
    (
        "Sudanese leader Hassan al-Dirani arrived in Cairo on Sunday. Later, Dirani said Sudan "
        '"will never forget this support."',
        "will never forget",
        "Hassan al-Dirani",
    ),
]


def test_military_rank_is_a_title_not_a_name() -> None:
    facts = facts_of('Lieutenant Colonel Ray Dunmore said "the base was not damaged at all."')
    assert [facts.entity(s.speaker).label for s in facts.statements] == ["Ray Dunmore"]


# Precision guards: the role must fit the person it points at.
GUARDS = [
    # "the former president" is not the one in office.
    (
        "President Tom Haskett met former President Eli Stroud on Monday. "
        '"We will win Ohio again," the former president said.',
        "We will win",
        "Eli Stroud",
    ),
    # "the vice president" is not the president.
    (
        "President Tom Haskett and Vice President Ann Bellamy visited Ohio. "
        '"We will win Ohio again," the vice president said.',
        "We will win",
        "Ann Bellamy",
    ),
    # A description that does not hold the role word: the nearest person is not taken.
    (
        "Senator Harlan Voss met Mayor Ruth Calder in Dayton. "
        '"We will win Ohio again," the Democratic nominee said.',
        "We will win",
        None,
    ),
]


@pytest.mark.parametrize(("body", "words", "speaker"), SPEAKERS + GUARDS)
def test_speaker(body: str, words: str, speaker: str | None) -> None:
    """The quote beginning with ``words`` goes to ``speaker``; None: to nobody."""
    got = said(body)
    assert (got[words][0] if words in got else None) == speaker, got
