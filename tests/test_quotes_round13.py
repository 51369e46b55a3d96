"""Attribution forms found in round thirteen, on sentences written here (people invented,
states real): a second quote after a semicolon goes on with the speaker of the first.
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said


def test_a_quote_after_a_semicolon_keeps_the_speaker_named_between() -> None:
    body = (
        "Kenyan minister Paul Odera dismissed the claims. "
        '"The people making these claims should come forward," said Odera; '
        '"I do not think rumours will take this country anywhere."'
    )
    got = said(body)
    assert {who for who, _ in got.values()} == {"Paul Odera"}
    assert len(got) == 2


def test_an_undersecretary_in_an_apposition_is_a_person_who_speaks() -> None:
    body = (
        "President Dan Ruiz of the United States approved the move on Monday. Jan Kowal, Polish "
        "Undersecretary of State for Defence, spoke of the exercises.\n\n"
        'Kowal also mentioned the border, which he called "aggressive actions in our vicinity".'
    )
    assert said(body) == {"aggressive actions in": ("Jan Kowal", None)}


@pytest.mark.parametrize(
    ("dateline", "label", "qid"),
    [("1990-06-01", "George H. W. Bush", "Q23505"), ("2008-01-09", "George W. Bush", "Q207")],
)
def test_a_name_two_leaders_share_goes_to_the_one_in_office(
    dateline: str, label: str, qid: str
) -> None:
    # "George Bush" is a name of both presidents; the dateline tells them apart, and the
    # fuller "George W. Bush" before it stays the same person.
    body = (
        "US President George Bush arrived in Moscow on Monday. George Bush said "
        '"we have come to talk about peace and trade."'
    )
    facts = facts_of(body, dateline)
    people = [e for e in facts.entities if "Bush" in e.label]
    assert [(e.label, e.wikidata) for e in people] == [(label, qid)]


def test_the_fuller_name_before_a_shared_one_keeps_its_person() -> None:
    body = (
        "US President George W. Bush arrived in Israel on Wednesday. Following talks with the "
        "Israeli prime minister, George Bush said he would help."
    )
    facts = facts_of(body, "2008-01-09")
    assert [e.label for e in facts.entities if "Bush" in e.label] == ["George W. Bush"]


def test_a_titled_surname_that_a_town_bears_is_the_leader_the_gazetteer_knows() -> None:
    # "Bush" is also a town in Egypt; with the title it is the president in office.
    facts = facts_of('President Bush said "we will keep working for peace."', "2008-01-05")
    assert [(e.label, e.wikidata) for e in facts.entities if e.type == "Leader"] == [
        ("George W. Bush", "Q207")
    ]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # "he" after "When challenged by X" is the last sentence's subject, not X.
        (
            "Chilean President Carlos Reyes spoke first. Kenyan President William Ruto answered. "
            'When challenged by Reyes on trade he stated that "we have no tariffs at all."',
            "William Ruto",
        ),
        # A reported clause keeps the nearest name: "Officials with X said he".
        (
            "Chilean President Carlos Reyes spoke first. Officials with Kenyan President William "
            'Ruto said he told them "we have no tariffs at all."',
            "William Ruto",
        ),
    ],
)
def test_a_pronoun_is_not_the_person_named_as_its_clause_object(body: str, speaker: str) -> None:
    assert [who for who, _ in said(body).values()] == [speaker]


def test_the_object_of_a_verb_is_not_its_subject() -> None:
    from kg.extract.entities import find_entities
    from kg.extract.segment import sentences

    text = (
        "Kenyan President William Ruto spoke at the university. Chilean President Carlos "
        "Reyes introduced him."
    )
    table = find_entities(sentences(text, 0), "2024-05-08")
    him = [m for m in table.mentions if m.text == "him"]
    assert [table.get(m.ref).label for m in him] == ["William Ruto"]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # An abbreviated rank ends no sentence and names no person.
        (
            '"It is a very complex place to work in," said Lt. Nate Olsen of the United States '
            "Navy when asked.",
            "Nate Olsen",
        ),
        ('"It is a very complex place to work in," said Col. Ann Brady of the Army.', "Ann Brady"),
        # A role and its portfolio before the name: "commissioner for Home Affairs, X".
        (
            '"The Commission regrets that travellers were refused entry," said EU commissioner '
            "for Home Affairs, Cecilia Lund.",
            "Cecilia Lund",
        ),
    ],
)
def test_ranks_and_portfolios_before_a_speaker(body: str, speaker: str) -> None:
    assert [who for who, _ in said(body).values()] == [speaker]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # The one met before "and told" is no speaker.
        (
            "Kenyan President William Ruto arrived on Saturday. Ruto met with Prime Minister "
            'Carlos Reyes on Saturday and told him that "Kenya will never pressure Chile."',
            "William Ruto",
        ),
        # Words reported after "noting that": the one noting speaks, not the one who wants.
        (
            "Ruto met Chilean President Carlos Reyes. Both men spoke of trade, with Reyes noting "
            'that Kenya and its leader William Ruto wants to "build two new ports in Mombasa".',
            "Carlos Reyes",
        ),
    ],
)
def test_the_speaker_is_not_the_one_met_or_reported(body: str, speaker: str) -> None:
    assert [who for who, _ in said(body).values()] == [speaker]


def test_al_outlets_in_lower_case_and_an_interview_named_after_the_quote() -> None:
    # "al-Jazeera" as copy writes it is the outlet, not "Jazeera".
    assert said(
        'French Foreign Minister Anne Roux told al-Jazeera that "it was a hostile act by them."'
    ) == {"it was a": ("Anne Roux", "al-Jazeera")}
    # The interview the next paragraph names is where the words before it were said.
    body = (
        "Kenyan President William Ruto will go to Israel next week.\n\n"
        '"It is to give them confidence and hope," he said.\n\n'
        "Mr. Ruto spoke Friday in an interview with al-Hurra, a satellite network."
    )
    assert said(body) == {"It is to": ("William Ruto", "al-Hurra")}


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # "His UK counterpart, X, said ... but agreed": X, not the one "his" is.
        (
            "Italian Foreign Minister Marco Bassi spoke first. His UK counterpart, John Hale, "
            'said "I do not think it marks a new phase" but agreed it was "important that we '
            'increase the pressure with sanctions".',
            "John Hale",
        ),
        # "predicts" reports words as "predicted" does.
        (
            "British Foreign Secretary John Hale spoke next. He predicts some nations "
            '"will be very active in arguing for a new resolution."',
            "John Hale",
        ),
    ],
)
def test_possessive_roles_and_present_reporting_verbs(body: str, speaker: str) -> None:
    assert {who for who, _ in said(body).values()} == {speaker}


@pytest.mark.parametrize(
    "body",
    [
        # A gerund after a preposition introduces no words: the prosecutors speak, unnamed.
        "The party leader, Tendai Moyo, appeared in court today. Prosecutors said they would "
        'charge him for proclaiming victory and for "publishing a document about a transition '
        'strategy".',
        # The named ones a group includes are not the group that speaks.
        "On Friday, forty African leaders, including former presidents Ana Diop and Paul "
        'Odera, criticized the government in an open letter, demanding an end to "intimidation, '
        'harassment and violence".',
    ],
)
def test_words_of_a_speaker_nobody_names(body: str) -> None:
    assert said(body) == {}


def test_pieces_of_one_speakers_words_joined_by_and_are_one_statement() -> None:
    body = (
        'Kenyan President William Ruto called for "free and fair elections" and "an end to '
        'violence" on Friday.'
    )
    facts = facts_of(body)
    assert [s.text for s in facts.statements] == ["free and fair elections … an end to violence"]
    # Two speakers keep two statements.
    two = said(
        'Kenyan President William Ruto called for "free and fair elections", and Chilean '
        'President Ana Reyes called for "an end to the violence".'
    )
    assert two == {"free and fair": ("William Ruto", None), "an end to": ("Ana Reyes", None)}


def test_a_minister_introduced_by_is_and_the_outlet_he_tells() -> None:
    body = (
        "Kofi Mensah is Ghana's foreign minister. He tells VOA reporter Jo Dale that President "
        "John Kufuor is concerned.\n\n"
        '"Basically, the president has been invited to Kenya," he said.'
    )
    # The office makes a person of the name; the role inside the quote is no subject of the
    # sentence; the outlet told is the medium.
    assert said(body) == {"Basically, the president": ("Kofi Mensah", "VOA")}
