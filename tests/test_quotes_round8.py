"""Attribution forms of diplomatic wire copy, on sentences written here: a state's body in
lower case ("the Danish defence ministry said"), one-word government bodies ("the Pentagon
said"), a leader's office, a state that speaks ("Norway said"), the head of a body ("the UN
chief"), a state's "top diplomat", an outlet that reports after the quote, a name inside the quote
that is no antecedent for the pronoun after it; and the medium forms "in an interview with
X, the ... minister, Y,", "told a briefing that ...", "X magazine", "the German newspaper
Y", "his official Twitter account", "in a Facebook post", "on CNN's <programme>", "as
reported by X", "was quoted as saying by X" and "the Fars news agency quoted".
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said

SPEAKERS = [
    # A state's ministry in lower case, named by its demonym.
    (
        '"We are studying the proposal with great care," the Danish defence ministry said.',
        "We are studying",
        "Danish defence ministry",
    ),
    # ... or by the state's possessive.
    (
        'Norway\'s foreign ministry said the strike was "a grave breach of international law."',
        "a grave breach",
        "Norway's foreign ministry",
    ),
    # Where the body sits is part of its name.
    (
        'The US embassy in Oslo said it "strongly condemns the attack on the compound."',
        "strongly condemns the",
        "US embassy in Oslo",
    ),
    # A government body that speaks in one word.
    (
        '"This is a dangerous escalation by the regime," the Pentagon said on Tuesday.',
        "This is a",
        "Pentagon",
    ),
    # A leader's office speaks for its holder.
    (
        "Prime Minister Erik Holmgaard met the envoy on Monday. Holmgaard's office said the "
        'meeting had been "frank and productive on both sides."',
        "frank and productive",
        "Holmgaard's office",
    ),
    # ... named after its holder's title and full name.
    (
        "Finnish President Aino Kallas's office said Finland \"condemns the offensive in the "
        'strongest terms."',
        "condemns the offensive",
        "Aino Kallas's office",
    ),
    # A body that calls something a name, then says more.
    (
        'In a statement, the Finnish Episcopal Conference called the bill "untimely" and said '
        'that "the defence of life is not a religious issue."',
        "the defence of",
        "Finnish Episcopal Conference",
    ),
    # A state speaks as a whole, after the quote or opening the clause before it ...
    (
        '"We will answer any aggression with full force," Norway said in a statement.',
        "We will answer",
        "Norway",
    ),
    (
        'Talks ended on Monday. Denmark said the offer was "a step in the right direction."',
        "a step in",
        "Denmark",
    ),
    # ... but not when a person of it speaks.
    (
        'In Oslo, Prime Minister Erik Holmgaard said Norway "will never accept the sanctions."',
        "will never accept",
        "Erik Holmgaard",
    ),
    # "the UN chief": the head of the body, named before with it.
    (
        'UN Secretary-General Ana Reyes spoke on Monday. "I am deeply alarmed by the '
        'escalation," the UN chief said.',
        "I am deeply",
        "Ana Reyes",
    ),
    # "Norway's top diplomat": the state's foreign minister.
    (
        "Norwegian Foreign Minister Erik Holmgaard spoke on Monday. Norway's top diplomat said "
        'the sanctions were "a mistake for the whole region."',
        "a mistake for",
        "Erik Holmgaard",
    ),
    # A relative clause in the past tense after a name makes a person, whose surname may be
    # a compass word.
    (
        "Rapper Dario West, who announced a run in July, held a rally. During the rally, West "
        'said the election was "a contest between the past and the future."',
        "a contest between",
        "Dario West",
    ),
    # An unnamed spokesperson of a body named before the noun speaks for the body ...
    (
        '"We are deeply disappointed by this decision," a Foreign Office spokesperson said.',
        "We are deeply",
        "Foreign Office",
    ),
    # ... unless the modifier only says whose nation.
    (
        'Envoy Lars Holm spoke on Monday. "We are deeply disappointed," a Russian spokesman said.',
        None,
        None,
    ),
    # A state's presidential office and its judiciary, in lower case.
    (
        'The Finnish presidential office said the talks were "constructive and frank."',
        "constructive and frank.",
        "Finnish presidential office",
    ),
    (
        'The Iranian judiciary said it had issued "arrest warrants for 36 people."',
        "arrest warrants for",
        "Iranian judiciary",
    ),
    # "dismissed X as": the judgement is the speaker's words.
    (
        'Envoy Brian Halloway dismissed the warrant as "a stunt that no one takes seriously."',
        "a stunt that",
        "Brian Halloway",
    ),
    # A participle's phrase between the subject and the verb describes the subject.
    (
        "President Ana Reyes, responding to Prime Minister Erik Holm's comments, said the "
        'country "will stand by its allies."',
        "will stand by",
        "Ana Reyes",
    ),
    # A quote in a clause that opens with its own speaker: the name after it speaks next.
    (
        'After Prime Minister Erik Holm said the alliance was "brain dead and useless," '
        'President Ana Reyes replied that it was "alive and well today."',
        "brain dead and",
        "Erik Holm",
    ),
    (
        'After Prime Minister Erik Holm said the alliance was "brain dead and useless," '
        'President Ana Reyes replied that it was "alive and well today."',
        "alive and well",
        "Ana Reyes",
    ),
    # "It read in part:" after a released statement: whoever released it.
    (
        "Schools will close.\n\nPrime Minister Erik Holm released a statement on Monday. It "
        "read in part:\n\n"
        '"The government has decided to close all schools for two weeks."',
        "The government has",
        "Erik Holm",
    ),
    # A paragraph all quote after a paragraph whose last sentence has someone speak.
    (
        "Talks stalled.\n\nForeign Minister Lena Berg spoke to reporters in Oslo on Monday.\n\n"
        '"There is no military solution to this conflict."',
        "There is no",
        "Lena Berg",
    ),
    # ... but not after a sentence where nobody speaks.
    (
        "Talks stalled.\n\nForeign Minister Lena Berg arrived in Oslo on Monday.\n\n"
        '"There is no military solution to this conflict."',
        None,
        None,
    ),
    # "according to" a person after the quote names the speaker (an outlet only reports).
    (
        '"There is no military solution to this conflict," according to Foreign Minister '
        "Lena Berg.",
        "There is no",
        "Lena Berg",
    ),
    # An attribution split off as a sentence of its own.
    (
        'Speaker Nina Pell met Senator Tom Marsh on Friday. "The people deserve the truth, '
        'and the constitution demands a trial." Pell said.',
        "The people deserve",
        "Nina Pell",
    ),
    # A role of three words between the verb and the name.
    (
        '"These prizes tell us something about our place in the universe," said selection '
        "committee member Ulf Danner.",
        "These prizes tell",
        "Ulf Danner",
    ),
    # A pull quote signed with a dash.
    (
        'Divisional manager Aparna Rao opened the event.\n\n"More women in technical fields '
        'has been a big change." — Aparna Rao, divisional railway manager',
        "More women in",
        "Aparna Rao",
    ),
    # What is launched or named is a name, not words said.
    (
        'Norway launched "Operation Northern Shield" on Monday, Prime Minister Erik Holm '
        "announced.",
        None,
        None,
    ),
    # Words quoted from a document are the document's.
    (
        'Under the constitution, the president "shall be elected for a term of five years," '
        "Senator Lisa Grant explained.",
        None,
        None,
    ),
    # "The 38-year-old" is the one person the last sentences named ...
    (
        "Activist Maria Kolsen spoke on Monday. The 38-year-old said the protests would "
        '"continue until the very end."',
        "continue until the",
        "Maria Kolsen",
    ),
    # ... and nobody when two were named.
    (
        "Activist Maria Kolsen met editor Tom Feld on Monday. The 38-year-old said the protests "
        'would "continue until the very end."',
        None,
        None,
    ),
    # The agent of "was told by", and the owner of "In X's words".
    (
        'Prime Minister Erik Holm was told by President Ana Reyes that the country "will '
        'stand by its allies."',
        "will stand by",
        "Ana Reyes",
    ),
    (
        "President Ana Reyes met Prime Minister Erik Holm in Oslo on Monday. In Holm's words, "
        'the talks were "open and productive."',
        "open and productive.",
        "Erik Holm",
    ),
    # An outlet that reports after the quote is not the one whose words they are.
    (
        'President Ilse Varga spoke on Friday. Varga said the country "will not bow to '
        'pressure from anyone," the Baltic News Agency reported.',
        "will not bow",
        "Ilse Varga",
    ),
    # A name inside the quote is no antecedent for the pronoun after it.
    (
        'Prime Minister Jan Holt announced the dismissal on Twitter. "I told John Miller last '
        'night that his services are no longer needed," he wrote.',
        "I told John",
        "Jan Holt",
    ),
    # A body's name right before the person's: the person speaks.
    (
        '"The authorities chose to suppress the protests unlawfully," Nordic director of '
        "Amnesty International Mei Larsen said in a statement.",
        "The authorities chose",
        "Mei Larsen",
    ),
    # "exclaimed" attributes like "said".
    (
        'Paul Dorn tried to interrupt. "Mr. Dorn, I am speaking now," Senator Ana Lindqvist '
        "exclaimed.",
        "Mr. Dorn, I",
        "Ana Lindqvist",
    ),
]


@pytest.mark.parametrize(("body", "first", "speaker"), SPEAKERS)
def test_speaker(body: str, first: str | None, speaker: str | None) -> None:
    if first is None:
        assert said(body) == {}  # nobody named: no statement
    else:
        assert said(body)[first][0] == speaker


MEDIA = [
    # An apposition after the outlet describes the next person, not the outlet.
    (
        "In an interview with the BBC, the Saudi foreign minister, Adel al-Rashidi, said the "
        'kingdom "will respond with all the force it needs."',
        "will respond with",
        "BBC",
    ),
    # A clause after "told": the name in it is no listener.
    (
        'Foreign ministry spokesman Li Wenbo told a regular briefing that the US should "stop '
        'interfering in our internal affairs."',
        "stop interfering in",
        None,
    ),
    # A name that an outlet's noun follows is the outlet, though "Foreign" opens offices.
    (
        'Commander Idris Nuri wrote in Foreign Policy magazine: "We do not trust their '
        'promises anymore."',
        "We do not",
        "Foreign Policy",
    ),
    # The demonym before the noun says whose paper it is; its name follows.
    (
        'Minister Karl Brandt told the German newspaper Die Welt that the sanctions were "a '
        'step in the wrong direction."',
        "a step in",
        "Die Welt",
    ),
    (
        'Minister Reza Tavana posted on his official Twitter account that "the blockade has '
        'failed completely."',
        "the blockade has",
        "Twitter",
    ),
    (
        'In a Facebook post, Prime Minister Ivo Marek wrote that he was "feeling well and '
        'working from home."',
        "feeling well and",
        "Facebook",
    ),
    # The owner of a programme is the outlet.
    (
        "Speaking on CNN's State of the Union, Secretary Tom Reeve said the strike \"saved "
        'many lives."',
        "saved many lives.",
        "CNN",
    ),
    # "as reported by X" and "quoted as saying by X" name the outlet, as "according to" does.
    (
        "President Ilse Varga spoke on Friday. As reported by the Daily Planet, Varga said the "
        'country "will not bow to pressure from anyone."',
        "will not bow",
        "Daily Planet",
    ),
    (
        'President Ilse Varga spoke on Friday. "We will not bow to pressure," Varga was quoted '
        "as saying by the Daily Planet.",
        "We will not",
        "Daily Planet",
    ),
    # An outlet named like a province, made an outlet by its noun.
    (
        "Minister Reza Tavana spoke on Friday. The semi-official Fars news agency quoted Tavana "
        'as saying the US "will regret this adventure."',
        "will regret this",
        "Fars",
    ),
    # "State television" is what kind of outlet, not its name.
    (
        "President Ali Navid spoke on Friday. State television quoted Navid as saying that "
        '"the nation will not forget this crime."',
        "the nation will",
        None,
    ),
    # A programme's owner with a plural possessive, a name joined by "&", a state's outlet.
    (
        'Senator Lisa Grant told ABC News\' This Week that the plan was "dead on arrival."',
        "dead on arrival.",
        "ABC News",
    ),
    (
        'Senator Lisa Grant told Fox & Friends that the plan was "dead on arrival."',
        "dead on arrival.",
        "Fox & Friends",
    ),
    (
        'Senator Lisa Grant told Russia\'s RIA Novosti that the plan was "dead on arrival."',
        "dead on arrival.",
        "RIA Novosti",
    ),
    (
        "Senator Lisa Grant told Germany's Der Spiegel magazine that the plan was \"dead on "
        'arrival."',
        "dead on arrival.",
        "Der Spiegel",
    ),
    # People told, then where they were: no outlet.
    (
        'President Ana Reyes spoke on Monday. "It was a perfect call," she told reporters at '
        "the White House.",
        "It was a",
        None,
    ),
    # A small word inside an outlet's name.
    (
        "Minister Karl Brandt said in an interview with the newspaper Bild am Sonntag that "
        '"Europe must speak with one voice."',
        "Europe must speak",
        "Bild am Sonntag",
    ),
    # An acronym after "the broadcaster" is the outlet, not a person's name.
    (
        '"We have received no request for a meeting," spokesman Emre Tan told the broadcaster CNN.',
        "We have received",
        "CNN",
    ),
]


@pytest.mark.parametrize(("body", "first", "medium"), MEDIA)
def test_medium(body: str, first: str, medium: str | None) -> None:
    assert said(body)[first][1] == medium


def test_outlet_that_reports_after_the_quote_is_its_reporter() -> None:
    facts = facts_of(
        'President Ilse Varga spoke on Friday. Varga said the country "will not bow to '
        'pressure from anyone," the Baltic News Agency reported.'
    )
    (statement,) = facts.statements
    assert facts.entity(statement.speaker).label == "Ilse Varga"
    assert statement.reported_by is not None
    assert facts.entity(statement.reported_by).label == "Baltic News Agency"
