"""Article input: text, HTML, JSON lines; refusal of what is no article; random text."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.pipeline import extract
from kg.extract.reader import ReaderError, decode, read_html, read_jsonl, read_text
from kg.model import Facts

ARTICLE = (
    "President Emmanuel Macron arrived in Berlin on Monday for talks with Chancellor Olaf "
    'Scholz. "Europe must stand together," Macron said at a news conference in the city.'
)


def test_plain_text_header_lines() -> None:
    doc = read_text("# source: x | published: 2020-01-10 | licence: y\nA title\n\n" + ARTICLE)
    assert (doc.dateline, doc.title) == ("2020-01-10", "A title")
    assert doc.body.startswith("President Emmanuel Macron")


def test_given_dateline_wins() -> None:
    assert (
        read_text("Friday, January 4, 2019\n\n" + ARTICLE, dateline="2019-01-05").dateline
        == "2019-01-05"
    )


def test_html_page() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Macron in Berlin</title>"
        '<meta property="article:published_time" content="2024-05-06T10:00:00Z"></head>'
        "<body><nav>Home | World | Sport</nav><article><h1>Macron in Berlin</h1>"
        f"<p>{ARTICLE}</p><p>{ARTICLE}</p></article><footer>Copyright</footer></body></html>"
    )
    doc = read_html(html, source="https://news.example/macron")
    assert doc.title == "Macron in Berlin"
    assert doc.dateline == "2024-05-06"
    assert "Home | World" not in doc.text
    facts = extract(doc)
    (v,) = facts.visits
    assert facts.entity(v.destination).label == "Berlin" and v.start == "2024-05-06"


def test_json_lines_report_bad_lines_and_read_the_rest() -> None:
    lines = [
        json.dumps({"text": ARTICLE, "dateline": "2024-05-08", "title": "T", "url": "https://a/1"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": ARTICLE, "dateline": "8 May"}),
        "",
    ]
    got = list(read_jsonl(lines, "f.jsonl"))
    assert [type(g).__name__ for g in got] == [
        "Document",
        "ReaderError",
        "ReaderError",
        "ReaderError",
    ]
    assert got[0].dateline == "2024-05-08" and got[0].source == "https://a/1"
    assert "f.jsonl:2" in str(got[1]) and "dateline" in str(got[3])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\xfe\xfa bad bytes", "UTF-8"),
        (
            "Der Präsident besuchte gestern die Hauptstadt und sprach mit dem Kanzler über die "
            "Lage in Europa, die Wirtschaft, die Energie und den Krieg im Osten des Kontinents, "
            "wie es in einer Erklärung hieß, die am Abend veröffentlicht wurde.".encode(),
            "English",
        ),
        (b"x" * 3_000_000, "limit"),
    ],
)
def test_no_article_gets_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        read_text(decode(data))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400)
    | st.lists(
        st.sampled_from(
            [
                "President",
                "Putin",
                "visited",
                "Moscow",
                "on",
                "Monday",
                '"',
                "“",
                "”",
                "\n",
                ".",
                "said",
                "he",
                "the",
                "Russian",
                "leader",
                "will",
                "visit",
                "and",
                "3",
                "May",
                ",",
                "for",
                "the first time in",
                "years",
                "Prime Minister",
                "King",
                "of",
                "hosted",
                "Kim Jong Un",
                "Britain",
                "'s",
                "\n\n",
                " ",
            ]
        ),
        max_size=80,
    ).map(" ".join)
)
def test_random_text_never_crashes(text: str) -> None:
    try:
        doc = read_text(text, dateline="2024-05-08")
    except ReaderError:
        return
    facts = extract(doc)
    assert isinstance(facts, Facts)
    for item in [*facts.visits, *facts.statements]:
        ev = item.evidence
        assert ev is not None and ev.sentence == text[ev.start : ev.end]
