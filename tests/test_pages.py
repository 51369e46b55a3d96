"""Linked-data pages, search, the query page and the pictures, over HTTP against the real service.

Pages are parsed with html5lib in strict mode: a page that is not valid HTML fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import html5lib
import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from tests.conftest import SEED_ARTICLE, RunningService

BASE = "http://127.0.0.1:8000/id/"
PUTIN = BASE + "person/vladimir-putin"
KIM = BASE + "person/kim-jong-un"
VISIT = BASE + "visit/vladimir-putin/pyongyang/2024-11-06"
ARTICLE = BASE + "article/000_fb9de8acf85c790b"
WD_PUTIN = "http://www.wikidata.org/entity/Q7747"
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
FACT_FILE = Path(__file__).resolve().parent.parent / "data/facts/seed-000_fb9de8acf85c790b.json"


def parse_html(body: str) -> ET.Element:
    """Parse strictly: any HTML parse error raises."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(body)


def page(http: httpx.Client, url: str, status: int = 200) -> ET.Element:
    r = http.get(url, headers={"Accept": "text/html"})
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return parse_html(r.text)


def text_of(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def find_all(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(XHTML + tag))


def links(root: ET.Element) -> dict[str, str]:
    """href -> text of every link."""
    return {a.get("href", ""): text_of(a) for a in find_all(root, "a")}


def seed_span(kind: str, index: int = 0) -> str:
    """The claimed words of a seed fact, read from the shared article at its offsets."""
    facts = json.loads(FACT_FILE.read_text("utf-8"))
    ev = facts[kind][index]["evidence"]
    return SEED_ARTICLE.read_text("utf-8")[ev["claim_start"] : ev["claim_end"]]


def sparql_count(http: httpx.Client, where: str) -> int:
    q = "PREFIX dv: <https://w3id.org/diplovisit/ontology#>\n"
    q += f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"
    r = http.get("/sparql", params={"query": q}, headers={"Accept": "application/json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# --- linked data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "fmt", "rdflib_format"),
    [
        ("text/turtle", None, "turtle"),
        ("application/ld+json", None, "json-ld"),
        ("application/n-triples", None, "nt"),
        ("application/rdf+xml", None, "xml"),
        ("text/html", "turtle", "turtle"),
        ("*/*", "jsonld", "json-ld"),
    ],
)
def test_minted_iri_answers_rdf_by_accept_or_format(
    http: httpx.Client, accept: str, fmt: str | None, rdflib_format: str
) -> None:
    r = http.get(
        "/id/person/vladimir-putin",
        params={"format": fmt} if fmt else None,
        headers={"Accept": accept},
    )
    assert r.status_code == 200, r.text
    assert r.headers["vary"] == "Accept"
    g = Graph().parse(data=r.content, format=rdflib_format)
    putin = URIRef(PUTIN)
    assert (putin, RDFS.label, Literal("Vladimir Putin")) in g
    assert (putin, OWL.sameAs, URIRef(WD_PUTIN)) in g
    # Links into the resource come along: the visit names him as visitor.
    assert (URIRef(VISIT), None, putin) in g


def test_minted_iri_gives_html_to_browsers(http: httpx.Client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = http.get("/id/person/vladimir-putin", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["vary"] == "Accept"
    assert text_of(find_all(parse_html(r.text), "h1")[0]) == "Vladimir Putin"


def test_bad_format_and_unknown_iris_are_refused(http: httpx.Client) -> None:
    r = http.get("/id/person/vladimir-putin", params={"format": "png"})
    assert r.status_code == 400 and "unknown format 'png'" in r.text
    r = http.get("/id/person/vladimir-putin", headers={"Accept": "image/png"})
    assert r.status_code == 406 and "no acceptable format" in r.text
    assert http.get("/id/person/nobody-at-all", headers={"Accept": "text/html"}).status_code == 404
    r = http.get("/id/person/nobody-at-all", headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and "nothing is known" in r.text
    assert http.get("/describe").status_code == 400
    r = http.get("/describe", params={"iri": "not an iri"})
    assert r.status_code == 400 and "not an absolute" in r.text


def test_describe_shows_external_iris(http: httpx.Client) -> None:
    root = page(http, "/describe?iri=" + quote(WD_PUTIN, safe=""))
    # Wikidata's Putin is only ever an object here: his page lists who is the same as him.
    assert "/id/person/vladimir-putin" in links(root)
    assert "is the same as" in text_of(root)
    r = http.get("/describe", params={"iri": WD_PUTIN}, headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.content, format="turtle")
    assert (URIRef(PUTIN), OWL.sameAs, URIRef(WD_PUTIN)) in g


def test_leader_page_shows_visits_with_evidence_and_wikidata(http: httpx.Client) -> None:
    root = page(http, "/id/person/vladimir-putin")
    all_links = links(root)
    assert all_links.get("https://www.wikidata.org/wiki/Q7747") == "Q7747"
    table = next(t for t in find_all(root, "table") if "Visits made by" in text_of(t))
    assert "Pyongyang" in text_of(table)
    marks = [text_of(m) for m in find_all(table, "mark")]
    assert " ".join(seed_span("visits", 0).split()) in marks
    assert "confidence 1" in text_of(table)
    # Statements with their evidence, and the timeline linked.
    assert any(href.startswith("/timeline?leader=") for href in all_links)
    statements = text_of(root)
    assert "multifaceted partnership" in statements
    # Property labels come from the ontology, not raw IRIs.
    headers = [text_of(th) for th in find_all(root, "th")]
    assert "same as" in headers and "also known as" in headers
    assert not any(h.startswith("http") for h in headers)


def test_incoming_links_use_the_inverse_label(http: httpx.Client) -> None:
    root = page(http, "/id/person/kim-jong-un")
    headers = [text_of(th) for th in find_all(root, "th")]
    assert "is host of" in headers
    assert "Visits hosted by Kim Jong Un (1)" in text_of(root)


def test_visit_page_shows_visitor_host_place_dates_and_sources(http: httpx.Client) -> None:
    root = page(http, "/id/visit/vladimir-putin/pyongyang/2024-11-06")
    summary = next(dl for dl in find_all(root, "dl") if "summary" in dl.get("class", ""))
    facts = dict(
        zip(
            [text_of(d) for d in find_all(summary, "dt")],
            [text_of(d) for d in find_all(summary, "dd")],
            strict=True,
        )
    )
    assert facts["Visitor"] == "Vladimir Putin (Russia)"
    assert facts["Host"] == "Kim Jong Un"
    assert facts["Place"] == "Pyongyang (North Korea)"
    assert facts["Dates"] == "2024-11-06"
    # Each property value says which source claims it.
    assert "claimed by Putin visits North Korea" in text_of(root)
    assert "/id/article/000_fb9de8acf85c790b" in links(root)


def test_state_pages_list_visits_in_and_out(http: httpx.Client) -> None:
    nk = text_of(page(http, "/id/state/north-korea"))
    assert "Visits to North Korea (2)" in nk and "Vladimir Putin" in nk
    ru = text_of(page(http, "/id/state/russia"))
    assert "Visits from Russia (2)" in ru


@pytest.fixture(scope="module")
def one_per_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The service on the shipped data, its lists of visits one row a page."""
    svc = RunningService(tmp_path_factory.mktemp("paged") / "store", {"KG_PAGE_VISITS": "1"})
    with svc.client() as client:
        yield client
    svc.stop()


def visit_links(root: ET.Element, caption: str) -> list[str]:
    table = next(t for t in find_all(root, "table") if caption in text_of(t))
    return [a.get("href") for a in find_all(table, "a") if "/id/visit/" in (a.get("href") or "")]


def test_long_lists_of_visits_come_a_page_at_a_time(
    http: httpx.Client, one_per_page: httpx.Client
) -> None:
    whole = visit_links(page(http, "/id/state/north-korea"), "Visits to North Korea")
    assert len(whole) == 2
    first = page(one_per_page, "/id/state/north-korea")
    assert "Visits to North Korea (2), 1–1 shown" in text_of(first)
    pager = next(n for n in find_all(first, "nav") if "page 1 of 2" in text_of(n))
    forward = {a.get("rel"): a.get("href") for a in find_all(pager, "a")}
    assert set(forward) == {"next"} and forward["next"] == "?visits-in=2"
    second = page(one_per_page, "/id/state/north-korea" + forward["next"])
    assert "Visits to North Korea (2), 2–2 shown" in text_of(second)
    # The two pages hold the whole list, in its order.
    shown = visit_links(first, "Visits to North Korea") + visit_links(
        second, "Visits to North Korea"
    )
    assert shown == whole
    back = next(n for n in find_all(second, "nav") if "page 2 of 2" in text_of(n))
    assert [a.get("rel") for a in find_all(back, "a")] == ["prev"]
    # Each list keeps its own page; /describe keeps its iri.
    iri = quote("http://127.0.0.1:8000/id/state/north-korea", safe="")
    both = page(one_per_page, f"/describe?iri={iri}&visits-in=2")
    assert "2–2 shown" in text_of(both)
    for bad, status in [("3", 404), ("0", 400), ("two", 400), ("-1", 400)]:
        r = one_per_page.get("/id/state/north-korea", params={"visits-in": bad})
        assert r.status_code == status, (bad, r.text)
        assert "visits-in" in r.text


def test_article_page_marks_every_fact_in_its_text(http: httpx.Client) -> None:
    root = page(http, "/id/article/000_fb9de8acf85c790b")
    text_div = next(d for d in find_all(root, "div") if d.get("class") == "article-text")
    marks = [text_of(m) for m in find_all(text_div, "mark")]
    for kind in ("visits", "statements", "meetings", "stances", "roles"):
        assert " ".join(seed_span(kind).split()) in " ".join(marks), kind
    facts = json.loads(FACT_FILE.read_text("utf-8"))
    n_facts = sum(len(facts[k]) for k in ("visits", "statements", "meetings", "stances", "roles"))
    table = next(t for t in find_all(root, "table") if "facts" in t.get("class", ""))
    assert len(find_all(table.find(XHTML + "tbody"), "tr")) == n_facts
    # The whole text is there, not only the sentences.
    assert "Wednesday, 06 November 2024" in text_of(text_div)


def test_home_page_counts_queries_and_sources(http: httpx.Client) -> None:
    root = page(http, "/")
    counts = {
        text_of(d.find(XHTML + "dt")): int(text_of(d.find(XHTML + "dd")))
        for d in find_all(root, "div")
        if d.find(XHTML + "dt") is not None
    }
    assert counts["Visits"] == sparql_count(http, "?x dv:visitor ?who")
    assert counts["Leaders"] == sparql_count(http, "?x a dv:Leader")
    names = [q["name"] for q in http.get("/queries").json()]
    assert {f"/query?name={n}" for n in names} <= set(links(root))
    assert "/id/article/000_fb9de8acf85c790b" in links(root)
    assert find_all(root, "form")[0].get("action") == "/search"


# --- search -------------------------------------------------------------------------------


def test_search_json_and_html(http: httpx.Client) -> None:
    r = http.get("/search", params={"q": "putin", "format": "json"})
    assert r.status_code == 200
    hits = r.json()["results"]
    assert hits[0]["iri"] == PUTIN and hits[0]["href"] == "/id/person/vladimir-putin"
    assert "leader" in hits[0]["types"]
    r = http.get("/search", params={"q": "DPRK"}, headers={"Accept": "application/json"})
    assert r.json()["results"][0]["iri"] == BASE + "state/north-korea"
    r = http.get("/search", params={"q": "Q7747", "format": "json"})
    assert [h["iri"] for h in r.json()["results"]] == [PUTIN]
    root = page(http, "/search?q=Putin")
    assert links(root).get("/id/person/vladimir-putin") == "Vladimir Putin"
    assert (
        http.get("/search", params={"q": "zzzz-nothing", "format": "json"}).json()["results"] == []
    )


def test_search_refuses_empty_or_huge_queries(http: httpx.Client) -> None:
    r = http.get("/search", params={"q": " ", "format": "json"})
    assert r.status_code == 400 and "no search text" in r.text
    assert http.get("/search", params={"q": "x" * 500}).status_code == 400
    assert http.get("/search", params={"q": "x", "format": "xml"}).status_code == 400


# --- the query page -------------------------------------------------------------------------


def test_query_page_runs_a_named_query_with_links_and_downloads(http: httpx.Client) -> None:
    root = page(http, "/query?name=visits-to&place=Pyongyang")
    table = next(t for t in find_all(root, "table") if t.get("id") == "results-table")
    assert links(table).get("/id/person/vladimir-putin") == "Vladimir Putin"
    all_links = links(root)
    csv_url = next(h for h, t in all_links.items() if t == "CSV")
    csv = http.get(csv_url)
    assert csv.status_code == 200 and "Vladimir Putin" in csv.text
    json_url = next(h for h, t in all_links.items() if t == "JSON")
    assert http.get(json_url).json()["results"]["bindings"]
    permalink = next(h for h, t in all_links.items() if t == "Permalink to this query")
    again = page(http, permalink)
    assert "Vladimir Putin" in text_of(again)


def test_query_page_runs_free_text_and_reports_errors(http: httpx.Client) -> None:
    q = 'SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> "Pyongyang" }'
    root = page(http, "/query?query=" + quote(q))
    table = next(t for t in find_all(root, "table") if t.get("id") == "results-table")
    assert "/id/place/pyongyang" in links(table)
    csv_url = next(h for h, t in links(root).items() if t == "CSV")
    assert http.get(csv_url).text.splitlines()[1] == BASE + "place/pyongyang"
    root = page(http, "/query?query=" + quote("SELECT * WHERE {"), status=400)
    alert = next(d for d in find_all(root, "div") if d.get("role") == "alert")
    assert "syntax error" in text_of(alert)
    assert "SELECT * WHERE {" in text_of(root)  # the query stays in the editor to fix
    root = page(http, "/query?name=no-such-query", status=404)
    assert "no named query" in text_of(root)
    root = page(http, "/query?name=visits-to&place=Atlantis", status=404)
    assert "no place matches" in text_of(root)
    root = page(http, "/query?query=" + quote("ASK { ?s ?p ?o }"))
    assert "yes (true)" in text_of(root)


def test_pages_use_only_local_assets(http: httpx.Client) -> None:
    for url in ("/", "/query", "/id/person/vladimir-putin", "/timeline", "/network"):
        root = page(http, url)
        assets = [el.get("src") for el in root.iter() if el.get("src")]
        assets += [el.get("href") for el in find_all(root, "link")]
        assert assets, url
        for asset in assets:
            assert asset.startswith(("/", "?")), (url, asset)
            if asset.startswith("/static/"):
                assert http.get(asset).status_code == 200


# --- pictures -------------------------------------------------------------------------------


def test_timeline_svg_draws_each_dated_visit(http: httpx.Client) -> None:
    r = http.get("/timeline.svg", params={"leader": "Vladimir Putin"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(r.content)
    assert svg.tag == SVG + "svg"
    dated = sparql_count(http, f"?x dv:visitor <{PUTIN}> ; dv:startDate ?d")
    assert dated == 2
    assert len(list(svg.iter(SVG + "circle"))) == dated
    assert svg.find(SVG + "title").text == "Visits by Vladimir Putin"
    targets = {a.get("href") for a in svg.iter(SVG + "a")}
    assert "/id/visit/vladimir-putin/pyongyang/2024-11-06" in targets


def test_timeline_pages_for_leader_state_and_relation(http: httpx.Client) -> None:
    root = page(http, "/timeline?leader=" + quote(PUTIN))
    assert len(list(root.iter(SVG + "circle"))) == 2
    root = page(http, "/timeline?state=North%20Korea")
    assert "Visits to and from North Korea" in text_of(root)
    root = page(http, "/timeline?from=Russia&to=North%20Korea")
    assert len(list(root.iter(SVG + "circle"))) == sparql_count(
        http,
        f"?x dv:visitingState <{BASE}state/russia> ; dv:hostState <{BASE}state/north-korea>"
        " ; dv:startDate ?d",
    )
    page(http, "/timeline?leader=Nobody%20Known", status=404)
    page(http, "/timeline?from=Russia", status=400)
    assert http.get("/timeline.svg", params={"colour": "red"}).status_code == 400


def test_network_counts_visits_between_states(http: httpx.Client) -> None:
    svg = ET.fromstring(http.get("/network.svg").content)
    titles = [t.text for t in svg.iter(SVG + "title")]
    n = sparql_count(
        http, f"?x dv:visitingState <{BASE}state/russia> ; dv:hostState <{BASE}state/north-korea>"
    )
    assert f"Russia → North Korea: {n} visit{'s' if n != 1 else ''}" in titles
    root = page(http, "/network")
    assert "/timeline?from=" + quote(BASE + "state/russia", safe="") + "&to=" + quote(
        BASE + "state/north-korea", safe=""
    ) in links(root)


# --- escaping -------------------------------------------------------------------------------

EVIL = '<script>alert("x")</script> & <b>bold</b>'


@pytest.fixture(scope="module")
def evil_service(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A service whose store holds labels and facts full of markup."""
    folder = tmp_path_factory.mktemp("evil")
    store = folder / "store"
    data = folder / "evil.ttl"
    label = EVIL.replace("\\", "\\\\").replace('"', '\\"')
    data.write_text(
        "@prefix dv: <https://w3id.org/diplovisit/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'<{BASE}person/evil> a dv:Leader ; rdfs:label "{label}" .\n'
        f"<{BASE}visit/evil/x/2020-01-01> dv:visitor <{BASE}person/evil> ;\n"
        f'  dv:destination <{BASE}place/x> ; dv:startDate "2020-01-01" .\n'
        f'<{BASE}place/x> rdfs:label "{label}" .\n',
        encoding="utf-8",
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "load",
            str(data),
            "--graph",
            "http://e/g",
            "--store",
            str(store),
        ],
        check=True,
        capture_output=True,
    )
    svc = RunningService(store)
    yield svc
    svc.stop()


def test_labels_are_escaped_everywhere(evil_service: RunningService) -> None:
    with evil_service.client() as http:
        for url in (
            "/id/person/evil",
            "/search?q=script",
            "/timeline?leader=" + quote(BASE + "person/evil"),
            "/id/visit/evil/x/2020-01-01",
            "/query?query="
            + quote("SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"),
        ):
            r = http.get(url)
            assert r.status_code == 200, url
            assert "<script>alert" not in r.text and "<b>bold" not in r.text, url
            assert "&lt;script&gt;" in r.text, url
            root = parse_html(r.text)
            assert not any(el.tag == XHTML + "b" for el in root.iter()), url
        svg = http.get("/timeline.svg", params={"leader": BASE + "person/evil"})
        assert "<script>" not in svg.text
        ET.fromstring(svg.content)  # still well-formed XML


def test_article_page_without_its_file_shows_the_evidence_sentences(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "init", "--store", str(store)],
        check=True,
        capture_output=True,
    )
    svc = RunningService(store, {"KG_SHARED_DIR": str(tmp_path / "no-shared-here")})
    try:
        with svc.client() as http:
            root = page(http, "/id/article/000_fb9de8acf85c790b")
    finally:
        svc.stop()
    assert not [d for d in find_all(root, "div") if d.get("class") == "article-text"]
    assert "The full text is not at hand here" in text_of(root)
    table = next(t for t in find_all(root, "table") if "facts" in t.get("class", ""))
    marks = [text_of(m) for m in find_all(table, "mark")]
    assert " ".join(seed_span("visits", 0).split()) in marks
