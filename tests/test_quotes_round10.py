"""Attribution forms the seventh development set (bench/devset7) showed, on sentences written
here (people invented, bodies real): a profession before a name and a body after it
("Epidemiologist Ida Brun of the Karolinska Institute said"), a speaker behind two roles joined
by "and" or behind a body's capitalised title ("said study co-author and Royal Society Research
Fellow Jo Li"), a body's document named by its kind noun ("The Department issued a statement
that ...:"), "his Russian counterpart", "his wife said" (not the one "his" is), an untitled name
opening the sentence before a quote given to "she", "wrote to MPs" (people, no outlet), a
capital that speaks for its state ("Tehran said"), "the Saudi-led coalition" and "the royal
court".
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said

SPEAKERS = [
    # A profession before the name makes the body after "of" her affiliation.
    (
        "Epidemiologist Ingvild Brunvoll of Tromso Research said, in reply to the paper, "
        '"This strain spreads faster than anything we have measured."',
        "This strain spreads",
        "Ingvild Brunvoll",
    ),
    # ... and is no part of her name.
    (
        'Geochemist Oskar Lindqvist said, "The samples hold far more iron than we expected."',
        "The samples hold",
        "Oskar Lindqvist",
    ),
    # Two roles joined by "and", each one's noun last.
    (
        '"The ice shelf is thinning from below," said lead author and Leeds University '
        "glaciologist Maren Tolle.",
        "The ice shelf",
        "Maren Tolle",
    ),
    # A body's title, capitalised, between the body and the person.
    (
        '"Stripes confuse the flies as they land," said study co-author and Royal Society '
        "University Research Fellow Tobias Wren.",
        "Stripes confuse the",
        "Tobias Wren",
    ),
    # "The Department": the body named before, written with a capital.
    (
        "The Oregon Department of Corrections did not name the victim. The Department issued "
        'a statement that a guard had been hurt: "There was an attack on a guard on Friday."',
        "There was an",
        "Oregon Department of Corrections",
    ),
    # "the department issued a statement:" with no word between.
    (
        "The Oregon Department of Corrections did not name the victim. The department issued "
        'a statement: "There was an attack on a guard on Friday."',
        "There was an",
        "Oregon Department of Corrections",
    ),
    # "His Russian counterpart": the last person of that state named.
    (
        "Russian Foreign Minister Pavel Dorokhov met Secretary of State Ruth Calder in Sochi. "
        '"We covered a lot of ground," Calder said. His Russian counterpart said: "The talks '
        'were useful."',
        "The talks were",
        "Pavel Dorokhov",
    ),
    # An untitled name opening the sentence, then "she said".
    (
        'Hatice Demirel appeared before the panel on Friday. "I want justice for him," she said.',
        "I want justice",
        "Hatice Demirel",
    ),
    (
        "Yesterday Agnes Vantrel presented her report to the council. "
        '"The evidence points to a planned killing," she wrote.',
        "The evidence points",
        "Agnes Vantrel",
    ),
]

# Bodies and states that speak without a person: a capital for its state's government, a
# coalition a state leads, a monarch's court.
BODIES = [
    (
        'Iran denied any part in the attack. "We had nothing to do with this," Tehran said.',
        "We had nothing",
        "Iran",
    ),
    ('Tehran said it "had nothing to do with" the attack.', "had nothing to", "Tehran"),
    (
        'The Saudi-led coalition launched strikes. "The operation will go on until its goals '
        'are met," the coalition said.',
        "The operation will",
        "Saudi-led coalition",
    ),
    (
        'Sultan Faisal died on Friday. The royal court said: "His Majesty passed away after a '
        'long illness."',
        "His Majesty passed",
        "royal court",
    ),
]

# "the spokesman", "the general": the person last introduced with that word.
ROLES = [
    (
        "Foreign Ministry spokesman Abbas Tavani spoke on Monday. "
        '"The Americans must leave," the spokesman said.',
        "The Americans must",
        "Abbas Tavani",
    ),
    (
        "State Department spokeswoman Morgan Pryce spoke in Washington. "
        '"We will not allow this," the spokeswoman said.',
        "We will not",
        "Morgan Pryce",
    ),
    (
        'General Kenneth Marlow briefed reporters. "We are ready for any response," the '
        "general said.",
        "We are ready",
        "Kenneth Marlow",
    ),
]

GUARDS = [
    # "his wife said": not the one "his" stands for.
    (
        'Foreign Minister Pavel Dorokhov arrived on Monday. "We are proud of him," his wife said.',
        "We are proud",
        None,
    ),
    # "his counterpart" with no state names nobody.
    (
        "Foreign Minister Pavel Dorokhov met Secretary of State Ruth Calder. Calder thanked her "
        'counterpart. "We covered a lot of ground," her counterpart said.',
        "We covered a",
        None,
    ),
    # "..., adding Iran will pursue ... President X": no pair of joined roles leads to him.
    (
        'The prosecutor Anna Berg said the men must face "murder and terrorism charges", '
        "adding Iran will pursue the prosecution of President Donald Trump.",
        "murder and terrorism",
        "Anna Berg",
    ),
    # A capital's name is a person's when it opens a full name.
    (
        'Paris Hilton said she was "thrilled to be here."',
        "thrilled to be",
        "Paris Hilton",
    ),
    # With no spokesman named, "the spokesman" still speaks for the body that spoke.
    (
        'Human Rights Watch said it was shocked. "This is a disgrace," the spokesman said.',
        "This is a",
        "Human Rights Watch",
    ),
    # A storm opening the sentence is nobody who speaks.
    (
        'Hurricane Delia strengthened overnight. "It is a monster of a storm," she said.',
        "It is a",
        None,
    ),
]


@pytest.mark.parametrize(("body", "words", "speaker"), SPEAKERS + BODIES + ROLES + GUARDS)
def test_speaker(body: str, words: str, speaker: str | None) -> None:
    """The quote beginning with ``words`` goes to ``speaker``; None: to nobody."""
    got = said(body)
    assert (got[words][0] if words in got else None) == speaker, got


# The quote beginning with the words -> (speaker, medium): attributions whose medium is
# checked too ("published by the state news agency IRNA"; "on state TV" and "wrote to MPs"
# name no outlet).
SPEAKER_AND_MEDIUM = [
    (
        'The new law, as Senator Harlan Voss put it, "gives us the tools to act at last."',
        "gives us the",
        ("Harlan Voss", None),
    ),
    (
        "In remarks published by the state news agency IRNA, Foreign Minister Darius Kaveh "
        'said: "The sanctions must end now."',
        "The sanctions must",
        ("Darius Kaveh", "IRNA"),
    ),
    # A document of any kind opened in the sentence before.
    (
        "The sanctions took effect on Thursday.\n\nForeign Minister Darius Kaveh released a "
        'communiqué on Friday. The communiqué read in part:\n\n"Our country will not bow to '
        'pressure of any kind."',
        "Our country will",
        ("Darius Kaveh", None),
    ),
    (
        'President Arash Tavani said on state TV: "America made a big mistake."',
        "America made a",
        ("Arash Tavani", None),
    ),
    (
        'President Arash Tavani told Press TV: "America made a big mistake."',
        "America made a",
        ("Arash Tavani", "Press TV"),
    ),
    (
        'Prime Minister Tom Haskett wrote to MPs: "I want to be clear about this."',
        "I want to",
        ("Tom Haskett", None),
    ),
]


@pytest.mark.parametrize(("body", "words", "expected"), SPEAKER_AND_MEDIUM)
def test_speaker_and_medium(body: str, words: str, expected: tuple[str, str | None]) -> None:
    assert said(body)[words] == expected


def test_a_capital_speaks_for_its_state_with_the_states_qid() -> None:
    facts = facts_of('A tanker was hit.\n\n"We had nothing to do with this," Tehran said.')
    (statement,) = facts.statements
    speaker = facts.entity(statement.speaker)
    assert (speaker.label, speaker.type, speaker.wikidata) == ("Iran", "State", "Q794")


def test_an_affiliation_after_a_profession_is_not_a_person() -> None:
    facts = facts_of(
        'Immunologist Kristoff Aandal of Scripps Research said, "It spreads far more easily."'
    )
    people = {e.label for e in facts.entities if e.type == "Person"}
    assert people == {"Kristoff Aandal"}
