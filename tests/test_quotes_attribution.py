"""More ways news copy attributes a quote, each on sentences written here.

Conventions found missing on a fresh development set (bench/devset3): an apposition that names
someone else between the speaker and the verb, participles that speak for a person introduced
by affiliation, a quote that goes on after "further adding", the owner of a written statement,
and outlets named by "per" or by a platform account.
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import said


@pytest.mark.parametrize(
    ("body", "first_words", "speaker"),
    [
        # An apposition naming another person sits between the speaker and the verb.
        (
            "Mark Finn, 34, was convicted on Monday. "
            "Jane Doyle, a Dublin lawyer representing Finn, told reporters "
            '"We will appeal the ruling at once."',
            "We will appeal",
            "Jane Doyle",
        ),
        # A participle after a person named with where they are from.
        (
            "Republicans attacked the plan, with Tom Harte of Ohio calling it "
            '"a reckless waste of public money and time".',
            "a reckless waste",
            "Tom Harte",
        ),
        # The body a person is from may be quoted by name.
        (
            'Ruth Abel of "Safe Streets", a tenants\' charity, told the council '
            '"you have ignored us for years and years".',
            "you have ignored",
            "Ruth Abel",
        ),
        # "went on to add" introduces the same speaker again.
        (
            'Professor Lena Ortiz said, "The data are clear." Ortiz went on to add, '
            '"We need more stations in the north."',
            "We need more",
            "Lena Ortiz",
        ),
        # The owner of a written statement speaks its words: a name, or "its" for a body.
        (
            "The Harbour Authority of Leith issued a statement on Monday. Its statement also "
            'read "no ship will be turned away from the port".',
            "no ship will",
            "Harbour Authority of Leith",
        ),
        (
            "Governor Alan Price's statement also read \"the border crossings will stay open "
            'for trucks".',
            "the border crossings",
            "Alan Price",
        ),
    ],
)
def test_more_speakers(body: str, first_words: str, speaker: str) -> None:
    found = said(body)
    assert found[first_words][0] == speaker, found


def test_a_quote_that_goes_on_after_a_participle_keeps_its_speaker() -> None:
    body = (
        'Mayor Carl Jensen said, "The bridge will reopen in May. It will stay open," further '
        'adding, "The tolls will stay as they are for now."'
    )
    found = said(body)
    assert found["The bridge will"][0] == "Carl Jensen"
    assert found["The tolls will"][0] == "Carl Jensen"


def test_went_on_to_add_is_no_verb_after_other_infinitives() -> None:
    # "trying to add the question" adds words to a form; nobody says the quote.
    body = (
        'The ministry has been trying to add the question, "Where were you born?", to the '
        "census form."
    )
    assert said(body) == {}


@pytest.mark.parametrize(
    ("body", "medium"),
    [
        (
            '"Prices will not fall before the spring," said retail expert Anna Berg per ABC News.',
            "ABC News",
        ),
        (
            "In a statement posted to her Twitter account, Senator Mia Cole wrote, "
            '"We will not give up on this bill."',
            "Twitter",
        ),
        # An affiliation after "according to" names where the speaker works, not a medium.
        (
            'According to Leeds University economist Paul Grant, "prices will fall by the '
            'spring at the latest."',
            None,
        ),
    ],
)
def test_media_named_by_per_and_accounts(body: str, medium: str | None) -> None:
    (speaker_medium,) = said(body).values()
    assert speaker_medium[1] == medium, speaker_medium


def test_said_a_kinsman_in_apposition_names_him() -> None:
    # The boy's surname is the father's: the full name after "said his father," is a person.
    body = (
        'The boy, Alan Kurdi, drowned in 2015. "This day is very hard for me," said his '
        "father, Abdullah Kurdi, after the ceremony."
    )
    assert said(body)["This day is"][0] == "Abdullah Kurdi"


def test_commented_on_a_topic_to_an_outlet_is_the_medium_of_what_follows() -> None:
    told = (
        "Deputy Mayor Rosa Lind also commented on the flood to The Daily Courier. She said "
        '"The river has never been this high in my lifetime."'
    )
    plan = (
        "Rosa Lind commented on the plan to build a dam. She said "
        '"The river has never been this high in my lifetime."'
    )
    assert said(told)["The river has"] == ("Rosa Lind", "Daily Courier")
    assert said(plan)["The river has"] == ("Rosa Lind", None)


@pytest.mark.parametrize(
    ("body", "first_words", "speaker", "medium"),
    [
        # A one-word body that speaks through a participle after a denial.
        (
            "Wikinews contacted Arvex. Arvex did not release any figures, telling Wikinews "
            'the firm "regrets the delay to all of its customers".',
            "regrets the delay",
            "Arvex",
            "Wikinews",
        ),
        # An aside between a one-word body and its verb.
        (
            "Shoppers queued outside Kelmar stores on Sunday. Kelmar, in its March 8 media "
            'release, reported that "most stores are selling out within an hour".',
            "most stores are",
            "Kelmar",
            None,
        ),
    ],
)
def test_one_word_bodies_that_speak(
    body: str, first_words: str, speaker: str, medium: str | None
) -> None:
    assert said(body)[first_words] == (speaker, medium)


def test_he_after_two_clauses_is_the_subject_of_the_last() -> None:
    body = (
        "President Ivan Kral said the fire was a tragedy while Interior Minister Petr Hanak "
        'wrote that checks were ordered. He tweeted, "I want to express my sympathy to the '
        'families."'
    )
    one_clause = 'President Ivan Kral met Petr Hanak on Monday. He said, "I want to thank him."'
    assert said(body)["I want to"][0] == "Petr Hanak"
    assert said(one_clause)["I want to"][0] == "Ivan Kral"
