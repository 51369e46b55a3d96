"""Attribution forms found in round thirteen, on sentences written here (people invented,
states real): a second quote after a semicolon goes on with the speaker of the first.
"""

from __future__ import annotations

from tests.test_extract_speakers import said


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
