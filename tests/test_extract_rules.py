"""Each rule family on sentences written here: dates, names, visits, quotes."""

from __future__ import annotations

import pytest

from kg.extract.dates import find_dates, parse_date_line
from kg.extract.pipeline import extract
from kg.extract.reader import read_text
from kg.model import Facts


def facts_of(body: str, dateline: str = "2024-05-08") -> Facts:
    return extract(read_text(body, dateline=dateline))


def label(facts: Facts, ref: str | None) -> str | None:
    return facts.entity(ref).label if ref else None


def visits(facts: Facts) -> set[tuple[str | None, str | None, str | None, str]]:
    return {
        (label(facts, v.visitor), label(facts, v.destination), v.start, v.status)
        for v in facts.visits
    }


# --- dates (2024-05-08 is a Wednesday) ---------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("He arrived on Monday.", "2024-05-06"),
        ("He arrived on Wednesday.", "2024-05-08"),
        ("He will arrive on Monday.", "2024-05-13"),
        ("He left yesterday.", "2024-05-07"),
        ("He left last Tuesday.", "2024-04-30"),
        ("He came on 3 May.", "2024-05-03"),
        ("He came on May 3, 2021.", "2021-05-03"),
        ("He came in December.", "2023-12"),
        ("He came last month.", "2024-04"),
        ("They met on March 20 last year.", "2023-03-20"),
        ("He came in 1999.", "1999"),
        ("He returned for the first time in 24 years.", "2000"),
    ],
)
def test_dates_resolve_against_the_dateline(sentence: str, expected: str) -> None:
    hits = [h for h in find_dates(sentence, "2024-05-08") if h.value]
    assert [h.value for h in hits] == [expected]


def test_date_ranges() -> None:
    (hit,) = find_dates("The visit runs from 3 to 6 May.", "2024-04-30")
    assert (hit.value, hit.end_value) == ("2024-05-03", "2024-05-06")
    (hit,) = find_dates("Talks ran June 10-12, 2019.", "2024-04-30")
    assert (hit.value, hit.end_value) == ("2019-06-10", "2019-06-12")


def test_no_dates_without_a_dateline_for_relative_expressions() -> None:
    assert [h.value for h in find_dates("He arrived on Monday.", None)] == [None]


def test_date_lines() -> None:
    assert parse_date_line("Wednesday, 06 November 2024") == "2024-11-06"
    assert parse_date_line("Friday, January 4, 2019") == "2019-01-04"
    assert parse_date_line("The president spoke on Friday, January 4, 2019 about it") is None


# --- names ----------------------------------------------------------------------------------


def test_titled_names_and_later_mentions() -> None:
    f = facts_of(
        "Prime Minister Keir Starmer flew to Washington on Monday. "
        'Starmer said: "We are close allies."'
    )
    assert visits(f) == {("Keir Starmer", "Washington", "2024-05-06", "occurred")}
    assert [label(f, s.speaker) for s in f.statements] == ["Keir Starmer"]


def test_role_and_pronoun_resolve_to_the_person() -> None:
    f = facts_of(
        "Russian President Vladimir Putin met officials in Moscow on Tuesday. "
        'The Russian leader then travelled to Hanoi. "It was useful," he said.'
    )
    assert ("Vladimir Putin", "Hanoi", None, "occurred") in visits(f)
    assert label(f, f.statements[0].speaker) == "Vladimir Putin"
    putin = next(e for e in f.entities if e.label == "Vladimir Putin")
    assert putin.type == "Leader"


def test_names_are_labelled_as_written_and_keep_their_reference_label() -> None:
    from kg.mapping import Minter

    f = facts_of("French President Emmanuel Macron visited Britain and the U.S. last month.")
    dests = [f.entity(v.destination) for v in f.visits]
    assert {(d.label, d.canonical) for d in dests} == {
        ("Britain", "United Kingdom"),
        ("U.S.", "United States"),
    }
    # IRIs come from the reference label, so every source's "Britain" is one state.
    mint = Minter("http://kg.test/")
    assert {str(mint.entity(d)).rsplit("/", 1)[-1] for d in dests} == {
        "united-kingdom",
        "united-states",
    }


def test_a_person_is_labelled_by_the_fullest_form_the_text_writes() -> None:
    f = facts_of(
        "President Richard von Weizsaecker of West Germany arrived in Peking on Monday. "
        "Weizsaecker met Chinese leaders there."
    )
    (v,) = f.visits
    who, where = f.entity(v.visitor), f.entity(v.destination)
    assert (who.label, who.canonical) == ("Richard von Weizsaecker", "Richard von Weizsäcker")
    assert (where.label, where.canonical, where.wikidata) == ("Peking", "Beijing", "Q956")
    assert "Weizsaecker" in who.aliases
    # Written only by surname: the reference label completes it.
    g = facts_of("President Putin flew to Hanoi on Monday after talks with Kim Jong Un.")
    assert {f2.label for f2 in g.entities if f2.type == "Leader"} >= {"Vladimir Putin"}


# --- visits ---------------------------------------------------------------------------------


def test_multi_stop_trip_is_one_visit_per_destination() -> None:
    f = facts_of("Chancellor Olaf Scholz will visit Tokyo, Seoul and Jakarta next week.")
    got = visits(f)
    assert {d for _, d, _, _ in got} == {"Tokyo", "Seoul", "Jakarta"}
    assert {s for *_, s in got} == {"planned"}


def test_host_makes_the_guest_the_visitor() -> None:
    f = facts_of(
        "Japanese Prime Minister Fumio Kishida hosted Indian Prime Minister "
        "Narendra Modi on Tuesday."
    )
    (v,) = f.visits
    assert label(f, v.visitor) == "Narendra Modi"
    assert label(f, v.destination) == "Japan"
    assert [label(f, h) for h in v.host] == ["Fumio Kishida"]
    assert v.start == "2024-05-07"


def test_travel_at_home_is_not_a_visit() -> None:
    f = facts_of("Russian President Vladimir Putin flew to Novosibirsk on Monday.")
    assert f.visits == []


def test_negated_visit_is_not_a_visit() -> None:
    f = facts_of("Prime Minister Keir Starmer did not visit Paris.")
    assert f.visits == []


def test_inferred_earlier_visit() -> None:
    f = facts_of(
        "On Wednesday, Indian Prime Minister Narendra Modi landed in Kyiv for the "
        "first time in 10 years."
    )
    got = {(v.start, v.date_inferred) for v in f.visits}
    assert got == {("2024-05-08", False), ("2014", True)}


def test_wire_dateline_gives_day_and_place() -> None:
    text = (
        "# published: 1987-03-16\nTITLE\n\nBUENOS AIRES, March 16 - West German President "
        "Richard von Weizsaecker\nsaid he began an official visit to Argentina.\n"
    )
    f = extract(read_text(text))
    assert f.article.dateline == "1987-03-16"
    (v,) = f.visits
    assert label(f, v.destination) == "Buenos Aires"
    assert v.status == "ongoing"


# --- quotes ---------------------------------------------------------------------------------


def test_quote_attribution_after_and_before() -> None:
    f = facts_of(
        "Foreign Minister Sergei Lavrov met Secretary of State Antony Blinken. "
        '"We talked for hours," said Lavrov. Blinken told reporters: "It was frank."'
    )
    got = {(label(f, s.speaker), s.text) for s in f.statements}
    # "Sergei Lavrov" as written; the gazetteer's canonical label is "Sergey Lavrov".
    assert got == {("Sergei Lavrov", "We talked for hours,"), ("Antony Blinken", "It was frank.")}
    lavrov = next(e for e in f.entities if e.label == "Sergei Lavrov")
    assert lavrov.canonical == "Sergey Lavrov"


def test_quote_over_paragraphs_keeps_its_speaker() -> None:
    text = (
        'President Joe Biden said: "The first part ends here.\n\n'
        '"The second part opens without a close above."\n\nSomething else happened.'
    )
    f = facts_of(text)
    assert [label(f, s.speaker) for s in f.statements] == ["Joe Biden", "Joe Biden"]
    assert f.statements[1].text.startswith("The second part")


def test_medium_and_reporter_of_a_quote() -> None:
    f = facts_of(
        "As the Guardian reports, Prime Minister Keir Starmer told the BBC that the "
        'talks were "a real step forward for both sides".'
    )
    (s,) = f.statements
    assert label(f, s.medium) == "BBC"
    assert label(f, s.reported_by) == "Guardian"


def test_scare_quotes_and_unattributed_quotes_are_skipped() -> None:
    f = facts_of('Critics call it a "fringe" idea. "Nobody knows who said this sentence."')
    assert f.statements == []


def test_evidence_offsets_point_at_the_sentence() -> None:
    text = "Line one.\n\nPresident Joe Biden\nvisited Ottawa on Monday."
    f = facts_of(text)
    (v,) = f.visits
    assert v.evidence is not None
    assert text[v.evidence.start : v.evidence.end] == v.evidence.sentence
    assert "\n" in v.evidence.sentence  # the text as read, line break and all


def test_person_names_from_a_statistical_model_are_people() -> None:
    # What an installed model (en_core_web_*) adds: PERSON spans; no title or verb needed.
    from kg.extract.entities import find_entities
    from kg.extract.segment import Sentence, Span, statistical_model

    text = "Yesterday Maria Lopez Garcia opened the new library."
    s = Sentence(0, len(text), text, 0, [Span(10, 28, "Maria Lopez Garcia", "PERSON")])
    table = find_entities([s], "2024-05-08")
    assert [table.get(m.ref).label for m in table.mentions] == ["Maria Lopez Garcia"]
    assert statistical_model() in (None, "en_core_web_sm", "en_core_web_md", "en_core_web_lg")


def test_attending_a_meeting_set_in_the_sentence_before() -> None:
    f = facts_of(
        "On Monday the three states met for a summit in Athens. The meeting was attended by "
        "Israeli Prime Minister Naftali Bennett and Greek Prime Minister Kyriakos Mitsotakis."
    )
    # The Greek host is at home in Athens: only the Israeli guest travelled.
    assert visits(f) == {("Naftali Bennett", "Athens", "2024-05-06", "occurred")}


def test_wire_copy_is_unwrapped_and_coordinated_people_share_a_trip() -> None:
    text = (
        "# published: 1987-03-22\nHEADLINE\n\nLONDON, March 22 - Britain's Prince Charles\n"
        "and Princess Diana went to Saudi Arabia in\nNovember.\n"
    )
    f = extract(read_text(text))
    # As the text names them; the gazetteer's canonical labels are kept beside.
    assert {(label(f, v.visitor), label(f, v.destination), v.start) for v in f.visits} == {
        ("Prince Charles", "Saudi Arabia", "1986-11"),
        ("Princess Diana", "Saudi Arabia", "1986-11"),
    }
    assert {f.entity(v.visitor).canonical for v in f.visits} == {
        "Charles III",
        "Diana, Princess of Wales",
    }


def speakers(f: Facts) -> list[tuple[str | None, str]]:
    return [(label(f, s.speaker), s.text) for s in f.statements]


def speakers_and_media(f: Facts) -> list[tuple[str | None, str | None]]:
    return [(label(f, s.speaker), label(f, s.medium)) for s in f.statements]


def test_an_unnamed_spokesman_speaks_for_the_body_last_said_to_speak() -> None:
    f = facts_of(
        "The Foreign Office said the embassy would stay open. Officials met again on Monday. "
        '"We remain committed to dialogue with all sides," said a spokesman.'
    )
    assert speakers(f) == [("Foreign Office", "We remain committed to dialogue with all sides,")]


def test_a_spokesman_for_a_named_body_and_a_named_spokesman() -> None:
    f = facts_of(
        'A spokesman for the World Bank said: "The loan will be paid out in March." '
        'Kremlin spokesman Dmitry Peskov said: "We have nothing to add today."'
    )
    assert speakers(f) == [
        ("World Bank", "The loan will be paid out in March."),
        ("Dmitry Peskov", "We have nothing to add today."),
    ]


def test_a_medium_named_earlier_in_the_paragraph() -> None:
    f = facts_of(
        "Chancellor Olaf Scholz spoke on Sunday. The talks were hard, he told ZDF television. "
        'Then he added a warning. "We will need more time," he said.'
    )
    (s,) = f.statements
    assert (label(f, s.speaker), label(f, s.medium)) == ("Olaf Scholz", "ZDF")


def test_a_document_the_speakers_issued_is_the_medium() -> None:
    f = facts_of(
        "President Emmanuel Macron and Chancellor Olaf Scholz issued a joint statement on "
        'Friday calling for "an immediate end to the fighting in the region".'
    )
    (s,) = f.statements
    assert label(f, s.speaker) == "Emmanuel Macron"
    assert label(f, s.medium) == "joint statement of Emmanuel Macron and Olaf Scholz"


def test_a_word_or_two_in_quotes_counts_when_someone_is_said_to_have_said_it() -> None:
    f = facts_of(
        'Prime Minister Keir Starmer toured the so-called "green zone" on Monday. '
        '"Never again," Starmer said. Later he said the plan was "deeply flawed".'
    )
    # "Never again," said on its own is too short to be a statement (the guide's spans have
    # three words or more); "deeply flawed" is what a reported clause says the plan was.
    assert speakers(f) == [("Keir Starmer", "deeply flawed")]


def test_assured_is_a_speech_verb_and_of_in_a_title_is_no_object() -> None:
    f = facts_of(
        "Secretary of State Antony Blinken assured his hosts that America would "
        '"stand with its allies as long as it takes". "It was a good day," he told reporters.'
    )
    assert [w for w, _ in speakers(f)] == ["Antony Blinken", "Antony Blinken"]


# --- more visit patterns (people no gazetteer knows: the rules alone find them) ----------


def test_returned_from_is_a_past_visit_of_the_antecedent_of_who() -> None:
    f = facts_of(
        "Prime Minister Petteri Orpo said that Finnish envoy Anna Virtanen, who has just "
        "returned from Nairobi on Sunday, reported progress."
    )
    (v,) = f.visits
    assert (label(f, v.visitor), label(f, v.destination), v.start, v.end, v.status) == (
        "Anna Virtanen",
        "Nairobi",
        None,
        "2024-05-05",
        "occurred",
    )


def test_being_in_a_place_abroad_is_a_visit() -> None:
    f = facts_of(
        "Albanian Prime Minister Edi Rama is in Brazil for five days of trade talks. "
        "Officials with Armenian Prime Minister Nikol Pashinyan in Paris said he was tired. "
        "Protesters marched against Bulgarian President Rumen Radev in Vienna."
    )
    assert visits(f) == {
        ("Edi Rama", "Brazil", "2024-05-08", "ongoing"),
        ("Nikol Pashinyan", "Paris", None, "occurred"),
    }


def test_a_speech_given_abroad_in_person_but_not_by_video() -> None:
    f = facts_of(
        "In his Tuesday talk at the United States think tank's Washington office, Dominican "
        "President Luis Abinader spoke of trade. In a video address to a conference in "
        "London, Chilean President Gabriel Boric spoke of copper."
    )
    assert visits(f) == {("Luis Abinader", "Washington", "2024-05-07", "occurred")}


def test_a_meeting_abroad_names_the_traveller_by_where_it_was_held() -> None:
    f = facts_of(
        "Azerbaijani President Ilham Aliyev had lunch yesterday with Nigerian President "
        "Bola Tinubu at the Aso Villa in the Nigerian capital district. "
        "Peruvian President Dina Boluarte met with Chilean President Gabriel Boric in Lima "
        "on Monday. Serbian Prime Minister Ana Brnabic met with Armenian Prime Minister "
        "Nikol Pashinyan, officials said."
    )
    assert visits(f) == {
        ("Ilham Aliyev", "Nigeria", "2024-05-07", "occurred"),
        ("Gabriel Boric", "Lima", "2024-05-06", "occurred"),
    }
    aliyev = next(v for v in f.visits if label(f, v.visitor) == "Ilham Aliyev")
    assert [label(f, h) for h in aliyev.host] == ["Bola Tinubu"]


def test_a_summit_in_a_place_between_two_leaders() -> None:
    f = facts_of(
        "Officials prepared a summit in Sofia next month between Bulgarian President Rumen "
        "Radev and Albanian Prime Minister Edi Rama."
    )
    assert visits(f) == {("Edi Rama", "Sofia", "2024-06", "planned")}


def test_a_left_out_verb_still_makes_a_visit() -> None:
    f = facts_of(
        "Two presidents came before him. King Harald visited Rome in 1999 and King Olav in 1965."
    )
    assert {(label(f, v.visitor), label(f, v.destination), v.start) for v in f.visits} == {
        ("King Harald", "Rome", "1999"),
        ("King Olav", "Rome", "1965"),
    }


def test_ministers_accompanying_a_visitor_travel_too() -> None:
    f = facts_of(
        "Armenian Prime Minister Nikol Pashinyan begins a state visit to Paris on Monday. "
        "He will be accompanied by his trade and energy ministers. "
        "Armenian Energy Minister Davit Khudatyan hopes to sign a deal."
    )
    assert visits(f) == {
        ("Nikol Pashinyan", "Paris", "2024-05-13", "planned"),
        ("Davit Khudatyan", "Paris", "2024-05-13", "planned"),
    }


def test_a_bare_surname_is_the_gazetteer_leader_of_that_title_in_office() -> None:
    f = facts_of("Mr Xi is in Brazil for talks.", dateline="2024-11-20")
    (v,) = f.visits
    assert (label(f, v.visitor), f.entity(v.visitor).canonical) == ("Xi Jinping", "Xi Jinping")
    # A king is not the foreign minister who shares his name, and a royal's name is given.
    f = facts_of("King Jinping visited Paris in 1999.", dateline="2024-11-20")
    assert {e.canonical for e in f.entities if e.type == "Leader"} == {None}


def test_while_in_a_place_abroad_the_subject_is_there() -> None:
    f = facts_of(
        "While in New York for the General Assembly, Albanian Prime Minister Edi Rama "
        "told reporters he was hopeful."
    )
    assert visits(f) == {("Edi Rama", "New York", None, "occurred")}


@pytest.mark.parametrize(
    ("sentence", "medium"),
    [
        ('Speaking to Anna Berg of PBS, Chancellor Olaf Scholz said: "We need more time."', "PBS"),
        ('Chancellor Olaf Scholz told the Times of India: "We need more time."', "Times of India"),
        ('Chancellor Olaf Scholz told host Anna Berg: "We need more time."', None),
        ('Chancellor Olaf Scholz tweeted "Deeply saddened by the loss of lives" today.', None),
        ('In a speech in Ohio, President Joe Biden said: "We will build it again."', None),
        ('In an interview with Time magazine, Professor Jane Roe said: "It is a risk."', "Time"),
        (
            'Kremlin spokesman Dmitry Peskov said on Telegram: "There is nothing to add."',
            "Telegram",
        ),
    ],
)
def test_the_medium_is_a_name_outside_the_quote_not_a_person_place_or_office(
    sentence: str, medium: str | None
) -> None:
    f = facts_of(sentence)
    (s,) = f.statements
    assert label(f, s.medium) == medium


def test_a_speaker_the_rules_do_not_know_is_not_replaced_by_the_last_one() -> None:
    f = facts_of(
        'Chancellor Olaf Scholz said: "We will need more time." '
        '"That is not enough," Vanderbeek said. '
        'Scholz called the plan "deeply flawed and far too late"; Mullins said "It is fine '
        'as it stands."'
    )
    # Vanderbeek, named after the quote, is a person of their own (not Scholz); Mullins, in
    # a clause after a semicolon, is not known and takes nobody's place.
    assert speakers(f) == [
        ("Olaf Scholz", "We will need more time."),
        ("Vanderbeek", "That is not enough,"),
        ("Olaf Scholz", "deeply flawed and far too late"),
    ]


def test_a_speaker_after_the_verb_is_next_to_it_not_in_a_new_clause() -> None:
    f = facts_of(
        'The prosecutor Anna Berg said the men must face "murder and terrorism charges", '
        "adding Iran will pursue the prosecution of President Donald Trump. "
        '"It was a hard match," said club coach Professor Jane Roe of Leeds.'
    )
    assert speakers(f) == [
        ("Anna Berg", "murder and terrorism charges"),
        ("Jane Roe", "It was a hard match,"),
    ]


def test_an_opening_quote_mark_starts_the_next_sentence() -> None:
    from kg.extract.segment import sentences

    text = 'He said: "We will go." "It is fine," she said.'
    got = [text[s.start : s.end] for s in sentences(text, 0)]
    assert got == ['He said: "We will go."', '"It is fine," she said.']


def test_welcomed_by_meeting_a_counterpart_and_stopping_over() -> None:
    f = facts_of(
        "Albanian Prime Minister Edi Rama was welcomed by Chilean President Gabriel Boric "
        "on Monday. Peruvian President Dina Boluarte met her Chilean counterpart Gabriel "
        "Boric in Santiago on Tuesday. Rama stopped in Lima and then flew into Quito."
    )
    assert visits(f) == {
        ("Edi Rama", "Chile", "2024-05-06", "occurred"),
        ("Dina Boluarte", "Santiago", "2024-05-07", "occurred"),
        ("Edi Rama", "Lima", None, "occurred"),
        ("Edi Rama", "Quito", None, "occurred"),
    }
    rama = next(v for v in f.visits if label(f, v.destination) == "Chile")
    assert [label(f, h) for h in rama.host] == ["Gabriel Boric"]


def test_his_in_an_opening_phrase_is_the_subject_named_after_the_comma() -> None:
    f = facts_of(
        "Chilean President Gabriel Boric spoke on Monday. During his visit to Kenya, "
        "Albanian Prime Minister Edi Rama praised the reforms."
    )
    assert visits(f) == {("Edi Rama", "Kenya", None, "occurred")}


def test_a_body_named_after_the_quote_speaks() -> None:
    f = facts_of('"We will not accept this," the Albanian Foreign Ministry said on Monday.')
    assert speakers(f) == [("Albanian Foreign Ministry", "We will not accept this,")]


def test_a_quote_introduced_by_its_subject_or_by_the_sentence_before() -> None:
    f = facts_of(
        'Governor Jane Roe addressed the public: "No one should take this storm lightly." '
        "Brett Hollis, who was the city's envoy, also criticized the decision via Twitter. "
        '"The statement shows a complete lack of understanding." '
        'Senator Anna Berg spoke on Radio Nord, "This will lead to chaos in the region."'
    )
    # The sentence that announces the quote names its medium too ("via Twitter").
    assert speakers_and_media(f) == [
        ("Jane Roe", None),
        ("Brett Hollis", "Twitter"),
        ("Anna Berg", "Radio Nord"),
    ]


def test_an_office_of_a_body_between_title_and_name() -> None:
    f = facts_of(
        "Former Ambassador to the United Nations Nikki Haley wrote on Twitter, "
        '"We must always have the backs of our allies."'
    )
    assert speakers_and_media(f) == [("Nikki Haley", "Twitter")]


def test_the_same_surname_with_another_given_name_is_another_person() -> None:
    f = facts_of(
        'Former President Barack Obama said: "Vote early and often." '
        'Former First Lady Michelle Obama said: "Vote for your lives." '
        'Obama added: "Do it right now."'
    )
    assert [w for w, _ in speakers(f)] == ["Barack Obama", "Michelle Obama", "Barack Obama"]


def test_people_introduced_by_a_role_noun_and_a_stranger_after_the_verb() -> None:
    f = facts_of(
        "Anna Lind, fiancée of journalist Jan Berg, addressed reporters. "
        'She explained, "We want the truth about his death." '
        '"Justice takes time," said former thinktank executive Ken Holm. '
        '"It always does," tweeted the local rapporteur Ida Nyström.'
    )
    assert [w for w, _ in speakers(f)] == ["Anna Lind", "Ken Holm", "Ida Nyström"]


def test_a_gazetteer_alias_inside_a_longer_name_is_not_that_person() -> None:
    # "Salman of Saudi Arabia" (the king) inside "Mohammad bin Salman of Saudi Arabia".
    f = facts_of(
        'Crown Prince Mohammad bin Salman of Saudi Arabia said: "It happened on my watch."',
        dateline="2019-09-29",
    )
    assert [f.entity(s.speaker).canonical for s in f.statements] == ["Mohammed bin Salman"]


def test_a_clause_after_a_quote_with_its_own_subject_is_not_the_attribution() -> None:
    f = facts_of(
        'Senator Anna Berg told Radio Nord "he was a great man," while President Jane Roe '
        'noted his "strength, passion and wisdom" on Twitter.'
    )
    assert speakers(f)[0] == ("Anna Berg", "he was a great man,")


def test_setting_foot_in_a_place_and_being_there_later() -> None:
    f = facts_of(
        "Albanian Prime Minister Edi Rama set foot in Serbia on Sunday. "
        "Chilean President Gabriel Boric will be in Madrid on January 7 for talks.",
        dateline="2019-06-30",
    )
    assert visits(f) == {
        ("Edi Rama", "Serbia", "2019-06-30", "ongoing"),
        ("Gabriel Boric", "Madrid", "2020-01-07", "planned"),
    }
