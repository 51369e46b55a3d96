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


# Part two: verbs and documents.
SPEAKERS += [
    # A participle after the clause that names its subject, not the name nearest to it.
    (
        "Singer Dana Crowe held her first rally in Dayton, where she tearfully discussed her "
        'first child with her husband Mark Hale, screaming "I almost lost my daughter!"',
        "I almost lost",
        "Dana Crowe",
    ),
    # The one led to speak speaks.
    (
        'Senator Harlan Voss made a gaffe on Monday. Backlash led Voss to express "I should '
        'not have been so careless with my words."',
        "I should not",
        "Harlan Voss",
    ),
    # A tweet's words are its owner's.
    (
        "Governor Ruth Calder tweeted about the riots. Part of Calder's tweet included the "
        'statement, "when the looting starts, the curfew starts."',
        "when the looting",
        "Ruth Calder",
    ),
    # The kind of body before its name ("victim group") is no other speaker.
    (
        'Tom Iverly of victim group Ending Clergy Abuse said, "The church should change the '
        'law on reporting."',
        "The church should",
        "Tom Iverly",
    ),
    # Whoever signed or issued a document speaks its words; "the Pope" is the pope named.
    (
        'Pope Clement issued a decree on Thursday. The decree signed by the Pope read "The '
        'crimes of abuse harm the whole community."',
        "The crimes of",
        "Pope Clement",
    ),
    (
        'Pope Clement spoke on Sunday. "Peace is a duty for all of us," the pontiff said.',
        "Peace is a",
        "Pope Clement",
    ),
    # Speech verbs with a clause after them.
    (
        "Finance Minister Jo Arkwright spoke on Monday. Arkwright asserted that the government "
        '"has a plan for every household in the country."',
        "has a plan",
        "Jo Arkwright",
    ),
    (
        "Finance Minister Jo Arkwright spoke on Monday. Arkwright shot back that the "
        'opposition "has no plan for any household at all."',
        "has no plan",
        "Jo Arkwright",
    ),
    # A generation suffix names another person than the father.
    (
        "President Donald Trump's eldest son Donald Trump Jr. said at the convention that the "
        'rival was "the Loch Ness monster of the swamp."',
        "the Loch Ness",
        "Donald Trump Jr.",
    ),
]


@pytest.mark.parametrize(
    ("body", "medium"),
    [
        # An opening phrase names the outlet ("On CNN," but not "On Tuesday,").
        (
            'Senator Harlan Voss appeared on television. On CNN, Voss said he would "shut '
            'down the virus, not the country."',
            "CNN",
        ),
        (
            'Senator Harlan Voss appeared on television. On Tuesday, Voss said he would "shut '
            'down the virus, not the country."',
            None,
        ),
        (
            "Senator Harlan Voss appeared on television. During an appearance on Fox News, Voss "
            'said he would "shut down the virus, not the country."',
            "Fox News",
        ),
    ],
)
def test_medium_in_an_opening_phrase(body: str, medium: str | None) -> None:
    assert said(body)["shut down the"] == ("Harlan Voss", medium)


def test_the_one_who_oversees_a_summit_abroad_is_not_its_visitor() -> None:
    """'Bishops attended a summit in Rome, overseen by X': the bishops travelled, not X; but
    'during a trip to France, X refused' still makes X the visitor."""
    body = (
        "Pope Clement issued a decree. In February, bishops from around the world attended a "
        "summit in Rome, overseen by the Pope, on abuse."
    )
    assert facts_of(body, "2019-05-10").visits == []
    body = "A magazine claimed that during a 2018 trip to France, President Donald Trump refused."
    facts = facts_of(body, "2020-09-10")
    assert [
        (facts.entity(v.visitor).label, facts.entity(v.destination).label) for v in facts.visits
    ] == [("Donald Trump", "France")]


# Part three: documents and their issuers, and reactions that carry words.
SPEAKERS += [
    # A document read after its release: whoever released it speaks.
    (
        'Minister Jo Lund released a statement on Friday. "We are ready to help," it read.',
        "We are ready",
        "Jo Lund",
    ),
    (
        'Minister Jo Lund released a statement on Monday. It said: "Norway condemns the '
        'attack in the strongest terms."',
        "Norway condemns the",
        "Jo Lund",
    ),
    (
        'The Pentagon released a statement on Friday. "No troops were injured in the '
        'attack," read the statement.',
        "No troops were",
        "Pentagon",
    ),
    # A state's body that issues a statement is a body too.
    (
        "The Norwegian foreign ministry issued a statement. The statement read in part: "
        '"Norway condemns the attack in the strongest terms."',
        "Norway condemns the",
        "Norwegian foreign ministry",
    ),
    # "a statement from X:" holds X's words.
    (
        "King Harald spoke on Monday. The palace issued the following statement from the "
        'king: "Even though she gave up her title, she remains one of the family."',
        "Even though she",
        "King Harald",
    ),
    # Reactions, requests and beliefs that carry the words that follow.
    (
        'Foreign Minister Halvard Strand made clear that Norway "will not take part in any '
        'such operation."',
        "will not take",
        "Halvard Strand",
    ),
    (
        'Foreign Minister Halvard Strand believes the sanctions are "the only language the '
        'regime understands."',
        "the only language",
        "Halvard Strand",
    ),
    (
        'President Marcus Ebbe offered his "full support to the people of Lebanon in this '
        'difficult hour."',
        "full support to",
        "Marcus Ebbe",
    ),
    (
        'Speaker Nora Pell was directing six of the committees to "proceed with their '
        'investigations under one umbrella."',
        "proceed with their",
        "Nora Pell",
    ),
]


# Part four: words that carry no speech verb.
SPEAKERS += [
    (
        "Governor Ruth Calder reacted quickly. Calder's response on Twitter was blunt: "
        '"Fake news, as always."',
        "Fake news, as",
        "Ruth Calder",
    ),
    (
        "Foreign Minister Halvard Strand was asked whether Norway would send troops. His "
        'answer: "Not at this stage."',
        "Not at this",
        "Halvard Strand",
    ),
    (
        'Foreign Minister Halvard Strand took to Twitter to call the attack "a crime against '
        'humanity."',
        "a crime against",
        "Halvard Strand",
    ),
    (
        'For Foreign Minister Halvard Strand, the deal is "a betrayal of our allies."',
        "a betrayal of",
        "Halvard Strand",
    ),
    (
        'Foreign Minister Halvard Strand had a different view. For him, the deal was "a '
        'betrayal of our allies."',
        "a betrayal of",
        "Halvard Strand",
    ),
    (
        'Foreign Minister Halvard Strand sees the deal as "a betrayal of our allies."',
        "a betrayal of",
        "Halvard Strand",
    ),
    (
        'Foreign Minister Halvard Strand is "deeply worried about the situation in the north."',
        "deeply worried about",
        "Halvard Strand",
    ),
    (
        'Foreign Minister Halvard Strand felt "deeply betrayed by our closest allies."',
        "deeply betrayed by",
        "Halvard Strand",
    ),
    (
        'Foreign Minister Halvard Strand again pointed to the need for "a ceasefire and a '
        'return to talks."',
        "a ceasefire and",
        "Halvard Strand",
    ),
    # A sentence saying someone spoke, then a paragraph that is all quote.
    (
        'Foreign Minister Halvard Strand appeared before parliament on Monday. "This is a '
        'black day for Europe. We must act together."',
        "This is a",
        "Halvard Strand",
    ),
    (
        'Foreign Minister Halvard Strand went further. "Any attack on an ally is an attack on '
        'all of us."',
        "Any attack on",
        "Halvard Strand",
    ),
    # The subject a label describes, with the one who said it named after: the latter.
    (
        'Governor Ruth Calder and Senator Harlan Voss debated. Voss is "a puppet of the '
        'radical left," according to Calder.',
        "a puppet of",
        "Ruth Calder",
    ),
]


# Part five: roles that describe without an office, and bodies' heads.
SPEAKERS += [
    # A person noun points at the person just named, when the nationality does not rule
    # them out (the one named nearer is Russian).
    (
        "Commander Idris Kaber met President Vladimir Putin in Moscow. The Libyan commander "
        'said his forces "will continue the fight."',
        "will continue the",
        "Idris Kaber",
    ),
    (
        'Greta Lindholm spoke at the UN. The Swedish activist said: "How dare you ignore us!"',
        "How dare you",
        "Greta Lindholm",
    ),
    # ... or at the one it described ("Shia cleric X"), not the office holder named nearer.
    (
        "Pope Clement met Iraqi Shia cleric Ali al-Hakimi in Najaf. The cleric said Christians "
        'should "live in peace and security."',
        "live in peace",
        "Ali al-Hakimi",
    ),
    # "the monarch" is the king or queen named before.
    (
        "Queen Ingrid hosted the president at the palace. The monarch said the two nations "
        '"share a special bond."',
        "share a special",
        "Queen Ingrid",
    ),
    # A body's head, when no sentence names both the body and the person.
    (
        "Secretary-General Amadou Toure spoke to the council. The UN chief said the world was "
        '"on the edge of the abyss."',
        "on the edge",
        "Amadou Toure",
    ),
    # An office "of" a body no list holds: the name starts at a known given name.
    (
        'Speaker of the House Nancy Pell later said the talks were "productive but unfinished."',
        "productive but unfinished.",
        "Nancy Pell",
    ),
]


# Part six: a noun for a kind of body stands for the body named last; bodies that speak.
SPEAKERS += [
    # "the premier" is a prime minister too, and a premier still.
    (
        "Iraqi Prime Minister Adil Karimi condemned the strike. The caretaker premier "
        'described it as "an aggression against Iraq as a state."',
        "an aggression against",
        "Adil Karimi",
    ),
    (
        'Chinese Premier Wen Hao met the chancellor. The premier said China "will open its '
        'markets further."',
        "will open its",
        "Wen Hao",
    ),
    (
        'The World Health Organization issued new guidance. The agency said masks "should be '
        'worn in crowded places."',
        "should be worn",
        "World Health Organization",
    ),
    (
        'The Taliban claimed the attack. The group said its fighters had "killed dozens of '
        'foreign soldiers."',
        "killed dozens of",
        "Taliban",
    ),
    (
        'The Pentagon confirmed the strike. The department said it was "a decisive defensive '
        'action."',
        "a decisive defensive",
        "Pentagon",
    ),
    (
        'The UN Security Council met on Friday. The council said it was "deeply concerned by '
        'the escalation."',
        "deeply concerned by",
        "UN Security Council",  # a body is named as the article writes it
    ),
    (
        '"We have found traces of sarin at the site," the OPCW said on Tuesday.',
        "We have found",
        "OPCW",
    ),
]


def test_the_rest_of_a_quote_broken_by_a_document_attribution() -> None:
    """'"...," reads X's statement, "...": the second part is X's too."""
    facts = facts_of(
        '"Old rules may once have made sense," reads Judge Gray Miller\'s statement, "but men '
        'and women now stand in the same place."'
    )
    rest = [s for s in facts.statements if "men and women now stand" in s.text]
    assert [facts.entity(s.speaker).label for s in rest] == ["Gray Miller"]


def test_medium_of_the_sentence_that_announces_the_quote() -> None:
    body = (
        'Foreign Minister Halvard Strand spoke to NRK on Monday.\n\n"This is a black day for '
        'Europe. We must act together, and we must act now."'
    )
    assert said(body)["This is a"] == ("Halvard Strand", "NRK")


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
