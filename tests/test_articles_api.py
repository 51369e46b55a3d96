"""`POST /articles` on the real service: the write token, bad bodies, the stored graph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SEED_ARTICLE, RunningService

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = {
    "text": "Prime Minister Keir Starmer flew to Washington on Monday for talks with "
    'President Joe Biden. "We are the closest of allies," Starmer said.',
    "title": "Starmer in Washington",
    "dateline": "2024-05-08",
    "url": "https://news.example/starmer",
}


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    s = RunningService(tmp_path_factory.mktemp("articles") / "store", {"KG_API_TOKEN": TOKEN})
    yield s
    s.stop()


@pytest.fixture
def client(svc: RunningService) -> Iterator[httpx.Client]:
    with svc.client() as c:
        yield c


def graphs(client: httpx.Client) -> int:
    return client.get("/health").json()["graphs"]


def test_needs_the_token(client: httpx.Client) -> None:
    before = graphs(client)
    r = client.post("/articles", json=ARTICLE)
    assert r.status_code == 401 and "Bearer" in r.text
    r = client.post("/articles", json=ARTICLE, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    assert graphs(client) == before


def test_json_article_is_stored_and_answered(client: httpx.Client) -> None:
    r = client.post("/articles", json=ARTICLE, headers=AUTH)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["graph"].endswith("/graph/article/news-example-starmer")
    facts = body["facts"]
    labels = {e["id"]: e["label"] for e in facts["entities"]}
    assert [
        (labels[v["visitor"]], labels[v["destination"]], v["start"]) for v in facts["visits"]
    ] == [("Keir Starmer", "Washington", "2024-05-06")]
    dv = "https://w3id.org/diplovisit/ontology#"
    q = (
        f"SELECT ?start WHERE {{ GRAPH <{body['graph']}> "
        f"{{ ?v a <{dv}Visit> ; <{dv}startDate> ?start }} }}"
    )
    rows = client.get(
        "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}
    )
    assert rows.status_code == 200
    assert "2024-05-06" in rows.text
    # Posting it again replaces the graph: no new graph appears.
    count = graphs(client)
    assert client.post("/articles", json=ARTICLE, headers=AUTH).status_code == 201
    assert graphs(client) == count


def test_plain_text_article(client: httpx.Client) -> None:
    r = client.post(
        "/articles",
        content=SEED_ARTICLE.read_bytes(),
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["facts"]["article"]["dateline"] == "2024-11-06"


@pytest.mark.parametrize(
    ("content", "ctype", "status", "message"),
    [
        (b"{not json", "application/json", 400, "not JSON"),
        (b'{"title": "x"}', "application/json", 400, "text"),
        (b"", "text/plain", 400, "empty"),
        (b"\x00\x01\x02", "text/plain", 400, "binary"),
        (b"a,b\n1,2\n", "text/csv", 415, "text/plain"),
        (b"x" * (2 * 1024 * 1024 + 1), "text/plain", 413, "limit"),
    ],
)
def test_bad_bodies_store_nothing(
    client: httpx.Client, content: bytes, ctype: str, status: int, message: str
) -> None:
    before = graphs(client)
    r = client.post("/articles", content=content, headers={**AUTH, "Content-Type": ctype})
    assert r.status_code == status and message in r.text
    assert graphs(client) == before
    assert client.get("/health").status_code == 200


def test_without_a_configured_token_writes_are_refused(tmp_path: Path) -> None:
    s = RunningService(tmp_path / "store")
    try:
        with s.client() as c:
            r = c.post("/articles", json=ARTICLE, headers=AUTH)
            assert r.status_code == 403 and "KG_API_TOKEN" in r.text
    finally:
        s.stop()


def test_an_old_spelling_is_the_articles_label_and_the_same_entity(client: httpx.Client) -> None:
    article = {
        "text": "Secretary of State George Shultz arrived in Peking on Sunday for talks with "
        "Chinese leaders.",
        "dateline": "1987-03-02",
        "url": "https://news.example/shultz-peking",
    }
    r = client.post("/articles", json=article, headers=AUTH)
    assert r.status_code == 201, r.text
    ents = {e["id"]: e for e in r.json()["facts"]["entities"]}
    (visit,) = r.json()["facts"]["visits"]
    dest = ents[visit["destination"]]
    assert (dest["label"], dest["canonical"], dest["wikidata"]) == ("Peking", "Beijing", "Q956")
    # The named query finds it by the reference name; its row gives the article's own label.
    rows = client.get(
        "/queries/visits-to", params={"place": "Beijing"}, headers={"Accept": "application/json"}
    ).json()["results"]["bindings"]
    mine = [b for b in rows if b["source"]["value"].endswith("shultz-peking")]
    assert [b["placeLabel"]["value"] for b in mine] == ["Peking"]
    assert mine[0]["place"]["value"].endswith("/id/place/beijing")
    # The entity's page is titled by the gazetteer's preferred label.
    html = client.get("/id/place/beijing", headers={"Accept": "text/html"}).text
    assert "<title>Beijing" in html
