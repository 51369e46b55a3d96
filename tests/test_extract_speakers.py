"""Who said a quote, and where: the ways news copy attributes quotes, on sentences written here.

Each case is a convention of wire and web news writing (speakers that no gazetteer knows,
introduced by role or affiliation; the speaker after the verb; bodies that speak; platforms and
outlets as media), not a sentence of any corpus article.
"""

from __future__ import annotations

import pytest

from kg.extract.pipeline import extract
from kg.extract.reader import read_text
from kg.model import Facts


def facts_of(body: str, dateline: str = "2024-05-08") -> Facts:
    return extract(read_text(body, dateline=dateline))


def said(body: str) -> dict[str, tuple[str, str | None]]:
    """Each quote's first words -> (speaker label, medium label)."""
    facts = facts_of(body)
    out = {}
    for s in facts.statements:
        medium = facts.entity(s.medium).label if s.medium else None
        out[" ".join(s.text.split()[:3])] = (facts.entity(s.speaker).label, medium)
    return out


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # Apposition between the name and the verb.
        (
            'Marta Kowalczyk, the head of the regional water board, said, "We have no '
            'reserves left for August."',
            "Marta Kowalczyk",
        ),
        (
            'Tomas Eriksen, speaking for the city council, told reporters, "The bridge stays '
            'closed until spring."',
            "Tomas Eriksen",
        ),
        (
            'Rana Haddad, 34, said: "I lost everything in one night and nobody came."',
            "Rana Haddad",
        ),
        # Where the speaker comes from, then the verb.
        (
            'Priya Raman of the Institute for Fiscal Studies said, "These numbers do not add '
            'up at all."',
            "Priya Raman",
        ),
        (
            "Owen Gatlin from the dockworkers' union warned, \"The strike will spread to "
            'every port."',
            "Owen Gatlin",
        ),
        # The role first, the name in commas.
        (
            'The mayor of Lyon, Camille Brunet, tweeted, "Our thoughts are with the families '
            'tonight."',
            "Camille Brunet",
        ),
        # The speaker after the verb, with an apposition or a role in front.
        (
            '"We will rebuild every school that was lost," said Ines Valdez, the education '
            "minister.",
            "Ines Valdez",
        ),
        (
            '"Nobody listened to the residents," wrote housing campaigner Liam Doherty.',
            "Liam Doherty",
        ),
        # A plural title before a list of names.
        (
            "Candidates Mara Olsen of the Green Party and Piet Vos of the Farmers Party "
            'debated on Monday. Olsen said, "The subsidies must go to small farms."',
            "Mara Olsen",
        ),
    ],
)
def test_speakers_no_gazetteer_knows(body: str, speaker: str) -> None:
    got = said(body)
    assert len(got) == 1, got
    assert next(iter(got.values()))[0] == speaker


def test_a_surname_after_a_later_verb_is_the_person_named_before() -> None:
    body = (
        "Hanna Lindqvist of the Left Party spoke at the rally on Monday. "
        '"The reform takes from the poorest first," says Lindqvist, "and gives to the richest."'
    )
    facts = facts_of(body)
    # The two parts, broken only by "says Lindqvist", are one statement of hers.
    assert [(facts.entity(s.speaker).label, s.text) for s in facts.statements] == [
        ("Hanna Lindqvist", "The reform takes from the poorest first, and gives to the richest.")
    ]


def test_a_one_word_subject_is_a_body_unless_a_person_has_that_surname() -> None:
    body = (
        "The regulator fined Zentrix on Monday. Zentrix said in a statement, "
        '"We will appeal this decision in every court." Its rival was praised by Omar Belkadi. '
        'Belkadi said, "The market needed a clear signal."'
    )
    facts = facts_of(body)
    kinds = {facts.entity(s.speaker).label: facts.entity(s.speaker).type for s in facts.statements}
    assert kinds == {"Zentrix": "Organization", "Omar Belkadi": "Person"}


def test_police_said_names_no_speaker() -> None:
    # A common noun opening a sentence is capitalised, but the article writes it in lower case.
    body = 'The police arrived late. Police said, "The area is now safe for everyone."'
    assert said(body) == {}


def test_a_campaign_and_a_body_named_by_its_noun_speak() -> None:
    body = (
        'The Commission on Maritime Safety met on Tuesday. The commission said, "Every ferry '
        'will be inspected before June." Later the Okafor campaign said, "The governor ignored '
        'the warnings for years." Governor Ana Okafor did not comment.'
    )
    got = said(body)
    assert got["Every ferry will"][0] == "Commission on Maritime Safety"
    assert got["The governor ignored"][0] == "Okafor campaign"


@pytest.mark.parametrize(
    ("body", "medium"),
    [
        (
            'Senator Joan Pike wrote on Twitter, "The vote is a disgrace to this chamber."',
            "Twitter",
        ),
        (
            'Senator Joan Pike attacked the bill via Instagram: "The vote is a disgrace to '
            'this chamber."',
            "Instagram",
        ),
        (
            'In remarks to the Gazette, Senator Joan Pike said, "The vote is a disgrace to '
            'this chamber."',
            "Gazette",
        ),
        (
            'Senator Joan Pike, speaking to Radio Nord, said, "The vote is a disgrace to this '
            'chamber."',
            "Radio Nord",
        ),
    ],
)
def test_platforms_and_outlets_are_media(body: str, medium: str) -> None:
    ((speaker, got),) = said(body).values()
    assert speaker == "Joan Pike"
    assert got == medium


def test_a_topic_after_commented_on_is_no_medium() -> None:
    body = 'Senator Joan Pike commented on the Baltic Energy Pact, calling it "a bad deal for us".'
    ((_, medium),) = said(body).values()
    assert medium is None


@pytest.mark.parametrize(
    "body",
    [
        'Minister Joan Pike called the plan a "betrayal" of voters.',
        'Minister Joan Pike denounced the ruling as a "national disgrace".',
        'Minister Joan Pike said the flood was a "serious" threat.',
    ],
)
def test_short_labels_are_scare_quotes(body: str) -> None:
    assert said(body) == {}


def test_a_short_quote_that_is_said_stays() -> None:
    body = 'Minister Joan Pike said the ruling showed the court was "independent" of the state.'
    assert list(said(body)) == ["independent"]


def test_a_participle_speaks_for_the_subject_of_its_clause() -> None:
    body = (
        "Minister Joan Pike criticised the governor's plan on Monday, accusing Governor Ana "
        'Okafor of "ignoring every warning from the coast guard."'
    )
    ((speaker, _),) = said(body).values()
    assert speaker == "Joan Pike"


def test_she_does_not_resolve_to_a_man() -> None:
    body = (
        'Governor Tom Reyes met Senator Joan Pike on Monday. She said, "The bridge must be '
        'rebuilt before winter."'
    )
    ((speaker, _),) = said(body).values()
    assert speaker == "Joan Pike"


def test_gender_from_titles_and_roles() -> None:
    body = (
        'Mrs Dana Holt met Mr Ivo Brandt in the capital. He said, "We agreed on every point of '
        'the plan."'
    )
    ((speaker, _),) = said(body).values()
    assert speaker == "Ivo Brandt"


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ('According to Tom Reyes, "we are not going anywhere soon."', "Tom Reyes"),
        (
            'According to harbour master Tom Reyes, the port could "stay closed for weeks to '
            'come."',
            "Tom Reyes",
        ),
        ('Tom Reyes (Independent) said, "We are not going anywhere soon."', "Tom Reyes"),
        ('Tom Reyes, 54, a farmer from Ohio, said, "We are not going anywhere soon."', "Tom Reyes"),
        (
            'Anna Weiss is a virologist. "It will cost every family a fortune," Weiss said.',
            "Anna Weiss",
        ),
        (
            'Anna Weiss is a virologist. "It will cost every family a fortune," she said.',
            "Anna Weiss",
        ),
        (
            'The bill was drafted by Alex Moor, who said on the floor, "It follows decades of '
            'work by many people."',
            "Alex Moor",
        ),
        (
            "Daniel Kiprono won in Berlin. "
            '"They are among the best people in the world," said Kiprono after the race.',
            "Daniel Kiprono",
        ),
    ],
)
def test_more_ways_of_naming_a_speaker(body: str, speaker: str) -> None:
    got = said(body)
    assert [s for s, _ in got.values()] == [speaker]


def test_according_to_after_a_quote_is_the_source_not_the_speaker() -> None:
    body = 'Senator Joan Pike called the ruling "a breach of every promise made," according to CNN.'
    ((speaker, medium),) = said(body).values()
    assert (speaker, medium) == ("Joan Pike", "CNN")


def test_it_said_speaks_for_the_last_body() -> None:
    body = (
        'The Commission on Fair Fares warned travellers on Monday. "Prices will rise for every '
        'route," it said. It added: "We regret the change very much."'
    )
    assert {s for s, _ in said(body).values()} == {"Commission on Fair Fares"}


def test_a_given_name_that_speaks_is_the_person_of_that_name() -> None:
    body = (
        'Health Director-General Tedla Haile Mariam spoke on Monday. Tedla said, "We are '
        'worried by the spread in the north."'
    )
    ((speaker, _),) = said(body).values()
    assert "Tedla" in speaker


def test_an_outlet_given_the_answers_is_their_medium_in_later_paragraphs() -> None:
    body = (
        "After an inquiry from Wikinews, candidates Mara Olsen of the Green Party and Piet Vos "
        "of the Farmers Party answered.\n\nThe vote is in June.\n\n"
        'Olsen said, "The subsidies must go to small farms first."'
    )
    ((speaker, medium),) = said(body).values()
    assert (speaker, medium) == ("Mara Olsen", "Wikinews")


def test_said_a_protester_is_nobody_named() -> None:
    body = (
        'Student leader Joshua Wong spoke first. "We will stay out all night," said a protester '
        'who gave no name. "Nobody can make us leave the square."'
    )
    got = said(body)
    assert "Joshua Wong" not in {s for s, _ in got.values()}


def test_a_quote_set_apart_after_a_colon_belongs_to_who_introduced_it() -> None:
    body = (
        "The vote was held on Monday.\n\nSenator Joan Pike responded on Twitter:\n\n"
        '"The vote is a disgrace to this chamber and to the state."\n\nThe bill passed.'
    )
    assert said(body) == {"The vote is": ("Joan Pike", "Twitter")}


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ('Iran said, "The sanctions are a form of economic terrorism."', "Iran"),
        (
            'The government of Samoa tweeted: "The ministry has vaccinated many thousands."',
            "government of Samoa",
        ),
        (
            'Senator Joan Pike posted a video on Facebook saying "we will not accept this '
            'ruling in any form."',
            "Joan Pike",
        ),
    ],
)
def test_governments_and_platform_posts(body: str, speaker: str) -> None:
    got = said("The news broke on Monday.\n\n" + body)
    assert [s for s, _ in got.values()] == [speaker]


def test_wire_copy_quotes_in_backticks() -> None:
    body = (
        "Secretary of State Andrew Colby said on Tuesday, ``We will not negotiate with anyone "
        "under threat.'' ``Never,'' he added, ``not under any pressure at all.''"
    )
    got = said(body)
    assert {k: s for k, (s, _) in got.items()} == {
        "We will not": "Andrew Colby",
        "not under any": "Andrew Colby",
    }


@pytest.mark.parametrize(
    ("body", "medium"),
    [
        (
            'Soviet leader Mikhail Orlov was quoted by Tass as saying "the arms race must end '
            'in this century."',
            "Tass",
        ),
        (
            'The official news agency Tass quoted Soviet leader Mikhail Orlov as saying "the '
            'arms race must end in this century."',
            "Tass",
        ),
        (
            'Prime Minister Ann Holt said in a BBC interview: "We will not give in to threats '
            'of any kind."',
            "BBC",
        ),
        # People told are no outlet.
        (
            'Soviet leader Mikhail Orlov told visiting U.S. senators that "the arms race must '
            'end in this century."',
            None,
        ),
    ],
)
def test_outlets_that_quote_and_people_that_are_told(body: str, medium: str | None) -> None:
    ((_, got),) = said(body).values()
    assert got == medium


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # The verb opens the sentence, the speaker (behind an affiliation) follows.
        (
            'Remarked Harbour Trust scientist Dana Holt, "The reef came back faster than we '
            'had hoped."',
            "Dana Holt",
        ),
        ('Said Mayor Tom Reyes, "We will rebuild every house on the river."', "Tom Reyes"),
        # "According to" an affiliation with capitals, then the role and the name.
        (
            'According to Ashford College political scholar Mira Patel, "Turnout will '
            'fall below half this year."',
            "Mira Patel",
        ),
        # A given name that is also a word of bodies ("Bill").
        (
            'Bill Hartley of the port authority spoke of the delays: "Ships wait three days '
            'to unload."',
            "Bill Hartley",
        ),
        # A subject that emphasized, recounted or revealed something speaks.
        (
            'At the panel, designer Leah Stone emphasized the need for rest, saying "nobody '
            'draws well after midnight."',
            "Leah Stone",
        ),
        (
            'Co-author Ravi Nair recounted, "We ran the test forty times before it held."',
            "Ravi Nair",
        ),
    ],
)
def test_round_three_speakers(body: str, speaker: str) -> None:
    assert [label for label, _ in said(body).values()] == [speaker]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # A profession written as a title before a full name.
        (
            "The award went to the show. Fashion designer Nora Vale described it to the press: "
            '"It was the best night of the year for all of us."',
            "Nora Vale",
        ),
        # The antecedent of a relative clause speaks, not a name inside the clause.
        (
            'Actor Tom Reyes, who paid for Dana Holt to attend the school, stated "She was a '
            'gentle soul and a brilliant artist."',
            "Tom Reyes",
        ),
    ],
)
def test_professions_and_relative_clauses(body: str, speaker: str) -> None:
    assert [label for label, _ in said(body).values()] == [speaker]
