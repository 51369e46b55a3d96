"""Federated named queries: the service joins its facts with the Wikidata-shaped fixture on a
real Oxigraph server through SERVICE, sends the linked items into the SERVICE block, follows
the configured endpoint, and answers a clear error quickly when the endpoint is down or hangs."""

from __future__ import annotations

import time

import pytest

from tests.conftest import RunningService
from tests.wikidata_fixture import Proxy, SilentServer, closed_endpoint


@pytest.fixture(scope="module")
def proxy(wikidata):  # type: ignore[no-untyped-def]
    # conftest's proxy, for the whole module: the service below outlives one test.
    p = Proxy(wikidata.endpoint)
    yield p
    p.stop()


@pytest.fixture(scope="module")
def svc(tmp_path_factory, proxy):  # type: ignore[no-untyped-def]
    s = RunningService(
        tmp_path_factory.mktemp("fed") / "store",
        {"KG_WIKIDATA_ENDPOINT": proxy.endpoint, "KG_WIKIDATA_TIMEOUT_S": "20"},
    )
    yield s
    s.stop()


def test_leaders_with_birth_date_and_party(svc, proxy):
    with svc.client() as http:
        r = http.get("/queries/leaders-wikidata", headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    rows = {b["leaderLabel"]["value"]: b for b in r.json()["results"]["bindings"]}
    assert rows["Vladimir Putin"]["birthDate"]["value"].startswith("1952-10-07")
    assert rows["Vladimir Putin"]["partyLabel"]["value"] == "United Russia"
    assert rows["Kim Jong Un"]["partyLabel"]["value"] == "Workers' Party of Korea"
    # The SERVICE block went to the configured endpoint, carrying the linked items only.
    sent = "\n".join(b for b in proxy.bodies)
    assert "VALUES ( ?wikidata )" in sent and "<http://www.wikidata.org/entity/Q7747>" in sent


def test_cities_with_population(svc):
    with svc.client() as http:
        r = http.get("/queries/cities-wikidata", headers={"Accept": "text/csv"})
        page = http.get("/query", params={"name": "cities-wikidata"})
    assert r.status_code == 200, r.text
    assert "Pyongyang" in r.text and "3255288" in r.text
    assert page.status_code == 200 and "3255288" in page.text


def test_the_cli_runs_a_federated_query(svc, proxy, tmp_path, monkeypatch, capsys):
    from kg import cli
    from tests.conftest import SHARED

    monkeypatch.setenv("KG_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("KG_SHARED_DIR", str(SHARED))
    monkeypatch.setenv("KG_WIKIDATA_ENDPOINT", proxy.endpoint)
    assert cli.main(["query", "cities-wikidata", "--format", "csv"]) == 0
    assert "3255288" in capsys.readouterr().out


def test_the_endpoint_is_not_a_parameter(svc):
    with svc.client() as http:
        r = http.get("/queries/leaders-wikidata", params={"endpoint": "http://127.0.0.1:1/x"})
    assert r.status_code == 400 and "unknown parameter" in r.text


def test_an_unreachable_endpoint_is_a_quick_502(tmp_path):
    endpoint = closed_endpoint()
    s = RunningService(tmp_path / "store", {"KG_WIKIDATA_ENDPOINT": endpoint})
    try:
        with s.client() as http:
            started = time.monotonic()
            r = http.get("/queries/leaders-wikidata")
            took = time.monotonic() - started
            assert r.status_code == 502 and endpoint in r.text and took < 5
            page = http.get("/query", params={"name": "leaders-wikidata"})
            assert page.status_code == 502 and endpoint in page.text
            # The local queries still work.
            assert http.get("/queries/visits-to", params={"place": "Pyongyang"}).status_code == 200
    finally:
        s.stop()


def test_a_hung_endpoint_is_a_504_within_the_timeout(tmp_path):
    silent = SilentServer()
    s = RunningService(
        tmp_path / "store", {"KG_WIKIDATA_ENDPOINT": silent.endpoint, "KG_WIKIDATA_TIMEOUT_S": "2"}
    )
    try:
        with s.client() as http:
            started = time.monotonic()
            r = http.get("/queries/cities-wikidata")
            took = time.monotonic() - started
        assert r.status_code == 504 and "did not answer" in r.text and took < 8
    finally:
        s.stop()
        silent.stop()
