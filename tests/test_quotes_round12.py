"""Attribution and naming forms found in round twelve, on sentences written here (people
invented, bodies and states real): a document whose issuer the sentence before its quote names
('A statement released by the White House read:' and the quote set apart), "speaking of",
a wife named by her title after her husband, the office of a state before a titled name, and
body words that end no person's name.
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said


def test_a_document_issued_by_a_body_named_before_the_quote_paragraph() -> None:
    body = (
        "President Dan Ruiz of the United States spoke on Monday.\n\n"
        "A statement released by the White House read:\n\n"
        '"We welcome the Queen to the United States for a state visit."'
    )
    # The issuer speaks; it is not also the medium of its own statement.
    assert said(body) == {"We welcome the": ("White House", None)}


def test_speaking_of_gives_the_words_to_the_subject() -> None:
    body = (
        "President Mary Doyle of Ireland opened the park. Doyle drew a parallel with the "
        'famine, speaking of a "moral obligation to those who still go hungry".'
    )
    assert [who for who, _ in said(body).values()] == ["Mary Doyle"]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # "Mrs Lund" after "John Lund": his wife, not the prime minister.
        (
            "Prime Minister John Lund of Denmark spoke on Monday. Mrs Lund said: "
            '"We are happy to be here today."',
            "Lund",
        ),
        # "Mr Lund" is still the prime minister.
        (
            "Prime Minister John Lund of Denmark spoke on Monday. Mr Lund said: "
            '"We are happy to be here today."',
            "John Lund",
        ),
    ],
)
def test_an_honorific_of_the_other_gender_is_another_person(body: str, speaker: str) -> None:
    f = facts_of(body)
    assert [f.entity(s.speaker).label for s in f.statements] == [speaker]
    if speaker == "Lund":
        assert f.statements[0].speaker != "john-lund"


def test_president_and_mrs_is_the_president() -> None:
    body = (
        "King Harald of Norway welcomed President and Mrs. Ruiz of the United States on a "
        "state visit to Norway in May 2003."
    )
    f = facts_of(body)
    got = {(f.entity(v.visitor).label, f.entity(v.destination).label) for v in f.visits}
    assert got == {("Ruiz", "Norway")}


def test_the_office_of_a_state_before_a_titled_name_gives_state_and_office() -> None:
    body = (
        "The Emir of Qatar, Sheikh Hamad bin Jassim al-Kuwari, arrived on Monday. He met "
        "students. The Qatari leader pledged aid. Much of the city lay in ruins. The Emir of "
        'Qatar called for unity. He asked, "Why are you staying divided?"'
    )
    f = facts_of(body)
    # "He" four sentences on is the emir, through "the Emir of Qatar" of his state.
    assert [f.entity(s.speaker).label for s in f.statements] == ["Hamad bin Jassim al-Kuwari"]


def test_a_body_word_ends_no_persons_name() -> None:
    body = (
        "In an interview, Russia's Secretary of the Public Chamber, President of the Kurchatov "
        'Institute, and a leading scientist, Oleg Ivanov said: "The plan is sound." "It will '
        'work," he said.'
    )
    assert [who for who, _ in said(body).values()] == ["Oleg Ivanov", "Oleg Ivanov"]


def test_a_national_body_with_a_phrase_between_commas_and_its_statement() -> None:
    body = (
        "Egypt recalled its envoy on Friday. The Egyptian cabinet, in an official statement, "
        'said it held Israel "responsible for the incident on the border". The cabinet '
        'statement also added that "Egypt will take every precaution to secure its border."'
    )
    assert [who for who, _ in said(body).values()] == ["Egyptian cabinet", "Egyptian cabinet"]


def test_an_interview_on_an_outlet_names_the_medium_of_the_words_after_it() -> None:
    body = (
        "President Dan Ruiz of the United States had his first full interview since taking "
        "office, on Al Arabiya television.\n\n"
        '"We cannot tell either side what is best for them," Ruiz said.'
    )
    assert said(body) == {"We cannot tell": ("Dan Ruiz", "Al Arabiya")}
