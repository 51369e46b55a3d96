"""Attribution forms found in round eleven by sentences written here in the ways news copy
reports speech (people invented, bodies and states real): reporting verbs the rules did not
know ("termed", "likened", "revealed", "highlighted", "lashed out", "thinks"), and a
statement named after its quote ('"...," the statement said'), both after the release that
names its issuer and after a body that only "announced".
"""

from __future__ import annotations

import pytest

from tests.test_extract_speakers import facts_of, said

OPENING = "Foreign Minister Ama Owusu of Ghana spoke on Monday. "

# One verb of each family, before the quote, in the past or the -ing form.
VERBS = [
    'Owusu termed the deal "a model for the whole region to follow".',
    'Owusu likened the blockade to "a siege of a whole people".',
    'Owusu revealed that the talks were "close to a final text".',
    'Owusu reminded the donors that the camps were "running out of food".',
    'Owusu implored the council to "act before the rains come".',
    'Owusu speculated that the attack was "planned from across the border".',
    'Owusu highlighted the need for "a ceasefire that holds this time".',
    'Owusu voiced concern about "the growing number of refugees".',
    'Owusu summed up the talks as "hard but worth the effort".',
    'Owusu applauded the move as "a brave step by both leaders".',
    'Owusu lashed out at the rebels, calling them "bandits with no cause".',
    'Owusu praised the deal, highlighting "the courage of both delegations".',
    'Owusu thinks the plan is "doomed without more money from donors".',
    '"The talks will resume in the spring," Owusu revealed.',
]


@pytest.mark.parametrize("sentence", VERBS)
def test_a_reporting_verb_gives_the_quote_to_its_subject(sentence: str) -> None:
    got = said(OPENING + sentence)
    assert [speaker for speaker, _ in got.values()] == ["Ama Owusu"], got


# The quote beginning with the words -> its speaker, or None for nobody.
GUARDS = [
    # "proposed" before a noun is an adjective: the one who "called" it speaks, not its owner.
    (
        "Labour MP Tom Hadley called Prime Minister Ruth Ames's proposed Brexit deal "
        '"lousy and late" at the rally.',
        "lousy and late",
        "Tom Hadley",
    ),
    # "contests" is a plural noun here, not a verb: the label is nobody's words.
    (
        "Senator Ida Marsh dropped out after failing to win any of the state contests of "
        '"Super Tuesday in March".',
        "Super Tuesday in",
        None,
    ),
    # "an estimated" is an adjective: no speaker stands before it.
    (
        'An estimated 300 people joined what organisers called "the march of the decade".',
        "the march of",
        None,
    ),
]

QUOTED = [
    # '"...," ANI quoted X as stating': the one quoted speaks, the outlet does not.
    (
        'Foreign Secretary Vijay Rao of India spoke on Friday. "We expect it to act against '
        'the camps soon," ANI quoted Rao as stating.',
        "We expect it",
        "Vijay Rao",
    ),
    # A sentence closed by its attribution after a comma holds the speaker's words.
    (
        "President Ramon Cruz of the Philippines spoke on Sunday. China has shown interest in "
        'atolls that are "closer and closer to our coast" of late, with the nearest about 60 '
        "miles away, Cruz said.",
        "closer and closer",
        "Ramon Cruz",
    ),
    # ... but unnamed officials are nobody the rules know.
    (
        'Critics want to "keep the heat on the government" with rallies across the country '
        "this month, officials said.",
        "keep the heat",
        None,
    ),
]

PEOPLE = [
    # A "he" inside the words said is not the "he" who says them.
    (
        "Kremlin spokesman Dmitry Orlov spoke on Friday. Orlov dismissed the reports, saying: "
        '"Many fakes are being published."\n\n"President Putin supported the idea. At the '
        'same time, he noted that many nuances remain. We keep our contacts," he said.',
        "President Putin supported",
        "Dmitry Orlov",
    ),
    # "X greeted Y and called ...": Y is the object, X speaks.
    (
        "Chancellor Olaf Brandt of Germany welcomed French President Luc Moreau. Brandt "
        'greeted Moreau and called his visit "proof of the depth of our friendship".',
        "proof of the",
        "Olaf Brandt",
    ),
    # "the Kremlin spokesman", many sentences on: the person those words described.
    (
        "Kremlin spokesman Dmitry Orlov spoke on Friday. The talks went on. Many things "
        'happened. Then the Kremlin spokesman said: "The work is ongoing and we are hopeful."',
        "The work is",
        "Dmitry Orlov",
    ),
    # "Russia's special envoy" is not Russia's president.
    (
        "President Vladimir Putin spoke on Friday. Russia's special envoy said: \"The work "
        'goes on and on."',
        "The work goes",
        None,
    ),
    # "the head of X, Y, said" after the quote: the head, not the body.
    (
        '"We still have questions on this path that need answers," the head of the Russian '
        "Foreign Ministry, Sergei Lavrov, said as the talks opened.",
        "We still have",
        "Sergei Lavrov",
    ),
    # A body opening the clause right before the verb speaks, not a person in the phrase
    # before its comma; a body inside the person's apposition does not.
    (
        "Concerning the trip of the special envoy, Kirill Damirov, to Washington, the "
        'Kremlin said: "The work goes on."',
        "The work goes",
        "Kremlin",
    ),
    (
        'Ann Rowe, a spokeswoman for the Foreign Ministry, said: "The work goes on and on."',
        "The work goes",
        "Ann Rowe",
    ),
    # The office written with capitals, as copy outside the US writes it.
    (
        'Prime Minister Ana Reyes of Chile spoke on Monday. "We are ready for the talks," the '
        "Prime Minister said.",
        "We are ready",
        "Ana Reyes",
    ),
    (
        'Prime Minister Ana Reyes of Chile met President Li Wen of China. "We are ready for '
        'the talks," the Chinese President said.',
        "We are ready",
        "Li Wen",
    ),
    # A knight goes by "Sir" and the given name.
    (
        "Foreign Secretary Sir Alan Prewitt met the envoy in London. Later, Sir Alan said: "
        '"We have a real chance to reset ties with Europe."',
        "We have a",
        "Alan Prewitt",
    ),
]

DOCUMENTS = [
    # The release names the issuer; "the statement said" after the quote is read from it.
    (
        "The Norwegian Foreign Ministry released a statement on Friday. "
        '"We are ready for the talks in Oslo," the statement said.',
        "We are ready",
        "Norwegian Foreign Ministry",
    ),
    (
        "Prime Minister Erna Lund of Norway released a statement on Friday. "
        '"We are ready for the talks in Oslo," the statement added.',
        "We are ready",
        "Erna Lund",
    ),
    # No release named: the statement is the body's that spoke last.
    (
        "Foreign Minister Shah Qadri began a visit to Washington on Wednesday, the Foreign "
        'Ministry of Pakistan announced. "The minister will meet the UN leadership in New '
        'York," the statement said.',
        "The minister will",
        "Foreign Ministry of Pakistan",
    ),
]


def test_a_state_known_only_as_a_citys_country_has_its_qid() -> None:
    """Tehran's country is never named, yet the state links out (it had no QID before)."""
    facts = facts_of('Minister Darius Kaveh spoke in Tehran: "We are ready to talk."')
    states = {(e.label, e.wikidata) for e in facts.entities if e.type == "State"}
    assert states == {("Iran", "Q794")}


# Copy that quotes in other marks than straight or curly double ones.
OTHER_MARKS = [
    # Single curly marks as the only quote marks (British and many translated outlets).
    (
        "President Rosa Lemos of Brazil spoke in Brasília. \u2018I will make the trip in "
        "March,\u2019 Lemos told journalists. \u2018We need to talk face to face.\u2019",
        "We need to",
        "Rosa Lemos",
    ),
    # Straight single marks, the plural's apostrophe inside the quote.
    (
        "President Rosa Lemos of Brazil spoke in Brasília. 'The farmers' unions will be heard "
        "first,' Lemos said.",
        "The farmers' unions",
        "Rosa Lemos",
    ),
    # Two apostrophes as the mark, as old wire copy writes it.
    (
        "Spokesman Kenta Oda of Japan spoke on Monday. Oda said, ''I meant that the people "
        "may discuss it,'' at a briefing.",
        "I meant that",
        "Kenta Oda",
    ),
    # A curly quote closed by a straight mark.
    (
        "Press Secretary Dana Rusk spoke on Wednesday. \u201cWe are hopeful that they will "
        'do the right thing," Rusk said.',
        "We are hopeful",
        "Dana Rusk",
    ),
]


CASES = GUARDS + QUOTED + PEOPLE + DOCUMENTS + OTHER_MARKS


@pytest.mark.parametrize(("body", "words", "speaker"), CASES)
def test_speaker(body: str, words: str, speaker: str | None) -> None:
    """The quote beginning with ``words`` goes to ``speaker``; None: to nobody."""
    got = said(body)
    assert (got[words][0] if words in got else None) == speaker, got


def test_single_marks_inside_double_quotes_stay_inside() -> None:
    """With double marks in the text, single ones are quotes inside quotes: one statement."""
    facts = facts_of(
        'Minister Jo Ekland of Norway said: "They called it a \u2018fringe\u2019 deal, and '
        'they were wrong about it."'
    )
    assert [s.text for s in facts.statements] == [
        "They called it a \u2018fringe\u2019 deal, and they were wrong about it."
    ]
