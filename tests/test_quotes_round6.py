"""Speakers and media the quote rules missed on a fifth fresh development set (bench/devset5),
each convention on sentences written here: a pronoun after "according to X" points at X; the
end of a body's name is no person ("X of the Center for Food Safety said"); a surname that is
a body word ("Day") or a town ("Downey", "Dr. Livermore") after a given name; an opening
"During ..." phrase or a long aside before a one-word speaker; the agent of "described by X
as"; "talked of"; media after "explained to" and "described X to"; titles after "a song
called"; an elided opening ('"[...] Rather') that starts the next sentence.
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said

SPEAKERS = [
    # "According to X, ..." then '"...," he told the press': he is X, not the man quoted before.
    (
        'Doctor Paul Abara said: "The trial went well for everyone." Officer Tim Holt said: '
        '"We kept the roads open all week." According to Abara, many patients stay home. '
        '"Now that they can be cured," he told the press, "they will come in."',
        "Now that they",
        "Paul Abara",
    ),
    # A short source sentence ending with "according to X".
    (
        '"We trained hard this month," coach Dale Myers said. Fitness was the key according '
        'to Jarrod Kidd. "We have been working on our legs," he said.',
        "We have been",
        "Jarrod Kidd",
    ),
    # "X of the Center for Food Safety said": the words after "Center for" end the body's
    # name; they are no second speaker.
    (
        'George Kimball of the Center for Water Safety said "the count is only a short '
        'reprieve for the river".',
        "the count is",
        "George Kimball",
    ),
    # A surname that is a body word ("Day"), after a common given name, spoken by itself.
    (
        "The singer Doris Day died on Monday at her home. "
        '"I always wanted a quiet life," Day said in 1990.',
        "I always wanted",
        "Doris Day",
    ),
    # A surname that is also a town's name, with an opening "During ..." phrase.
    (
        "Guests included Susan Kerr, Robert Downey Jr. and Mark Oyelaran. "
        'During the broadcast, Downey said of the actor, "He was a kind and humble man."',
        "He was a",
        "Robert Downey",
    ),
    # A one-word speaker with a long aside before the verb ('X, on radio ..., said').
    (
        "SpaceX launched NASA astronauts Bob Behnken and Doug Hurley in a Crew Dragon. "
        'Hurley, on radio following the long ride up to low Earth orbit, said, "It was '
        'incredible."',
        "It was incredible.",
        "Doug Hurley",
    ),
    # The agent of a passive labelling verb speaks: "was described by the X as".
    (
        "The Catholic Bishops' Conference of the Philippines (CBCP) announced the death. "
        'Bishop Ramos was described by the CBCP as "a strong voice for the forests and '
        'rivers."',
        "a strong voice",
        "Catholic Bishops' Conference of the Philippines",
    ),
    # "Dr. X" for a surname that is also a town's name; an elided opening ('"[...] Rather')
    # starts the next sentence, which goes on with the same speaker.
    (
        "Professor David Livermore of the University of East Anglia led the study. "
        '"The strains were quite different in food," said Dr. Livermore. "[...] Rather, the '
        'likeliest route is from person to person."',
        "The strains were",
        "David Livermore",
    ),
    (
        "Professor David Livermore of the University of East Anglia led the study. "
        '"The strains were quite different in food," said Dr. Livermore. "[...] Rather, the '
        'likeliest route is from person to person."',
        "[...] Rather, the",
        "David Livermore",
    ),
    # "talked of": speaking of something in words quoted.
    (
        "Chancellor Pradeep Khosla spoke at the service. Khosla talked of Munk's "
        '"countless discoveries that changed the university".',
        "countless discoveries that",
        "Pradeep Khosla",
    ),
]


@pytest.mark.parametrize(("body", "first_words", "speaker"), SPEAKERS)
def test_speaker(body: str, first_words: str, speaker: str) -> None:
    found = said(body)
    assert found.get(first_words, (None,))[0] == speaker, found


def test_a_town_stays_a_town_without_a_given_name_before_it() -> None:
    """'Downey said' is a person only where a given name is written before the word."""
    body = 'The plant in Downey closed. Officials in Downey said "it will not reopen soon".'
    facts = facts_of(body)
    assert not any(e.label == "Downey" and e.type == "Person" for e in facts.entities)


@pytest.mark.parametrize(
    ("body", "first_words", "medium"),
    [
        (
            "Dr. Tristan Holt of University College London explained to Wikinews that crews "
            'turn transponders off "in sea areas where piracy is a risk".',
            "in sea areas",
            "Wikinews",
        ),
        (
            "Designer Mary Quant praised Hepburn. "
            'She described Hepburn to the BBC in 2002: "She was all '
            'woman, as well as being the girl next door."',
            "She was all",
            "BBC",
        ),
    ],
)
def test_medium(body: str, first_words: str, medium: str) -> None:
    assert said(body)[first_words][1] == medium


def test_a_title_after_called_is_no_statement() -> None:
    """'a song called "Day after Day,"' names a song; the quote after it is still said."""
    body = (
        "Designer Mary Quant praised the singer. Her name was taken from a song called "
        '"Day after Day," Quant said, "and it fitted her well."'
    )
    texts = [s.text for s in facts_of(body).statements]
    assert not any(t.startswith("Day after Day") for t in texts), texts
