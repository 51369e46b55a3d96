"""The project's Wikidata client against real servers on loopback: the Oxigraph server with
the fixture, a counting proxy that can answer 429/503 first, a port nobody listens on, and a
server that accepts connections and never answers."""

from __future__ import annotations

import pytest

from kg import __version__
from kg.link.wikidata import (
    BadQuery,
    EndpointTimeout,
    EndpointUnreachable,
    QueryCache,
    RateLimited,
    WikidataClient,
)
from tests.wikidata_fixture import SilentServer, closed_endpoint

PUTIN = "SELECT ?label WHERE { wd:Q7747 rdfs:label ?label }"


def test_select_reads_the_fixture_and_names_the_project(proxy):
    client = WikidataClient(proxy.endpoint, contact="https://example.org/ops")
    rows = client.select(PUTIN)
    assert [r["label"].value for r in rows] == ["Vladimir Putin"]
    agent = proxy.requests[0][2]["User-Agent"]
    assert agent.startswith(f"kg/{__version__} ") and "+https://example.org/ops" in agent
    assert "SPARQLWrapper/" in agent


def test_retry_after_is_honoured_then_the_answer_comes(proxy):
    proxy.fail_first = [(429, {"Retry-After": "1"}), (503, {})]
    client = WikidataClient(proxy.endpoint, retries=3)
    rows = client.select(PUTIN)
    assert rows and client.requests == 3 and len(proxy.requests) == 3
    assert proxy.times[1] - proxy.times[0] >= 0.95  # waited as Retry-After said
    assert client.waited_s >= 1.0


def test_retries_are_bounded(proxy):
    proxy.fail_first = [(429, {"Retry-After": "0"})] * 10
    client = WikidataClient(proxy.endpoint, retries=2)
    with pytest.raises(RateLimited, match="after 2 retries"):
        client.select(PUTIN)
    assert len(proxy.requests) == 3


def test_a_long_retry_after_is_not_waited_for(proxy):
    proxy.fail_first = [(429, {"Retry-After": "3600"})]
    client = WikidataClient(proxy.endpoint, max_wait_s=10)
    with pytest.raises(RateLimited, match="3600 s"):
        client.select(PUTIN)
    assert client.waited_s == 0 and len(proxy.requests) == 1


def test_the_cache_answers_the_second_time_and_survives_the_client(proxy, tmp_path):
    cache = QueryCache(tmp_path / "cache.sqlite", ttl_s=3600)
    first = WikidataClient(proxy.endpoint, cache=cache)
    assert first.select(PUTIN) == first.select(PUTIN)
    assert len(proxy.requests) == 1 and first.cache_hits == 1
    again = WikidataClient(proxy.endpoint, cache=QueryCache(tmp_path / "cache.sqlite", 3600))
    again.select(PUTIN)
    assert len(proxy.requests) == 1 and again.requests == 0
    expired = WikidataClient(proxy.endpoint, cache=QueryCache(tmp_path / "cache.sqlite", 0))
    expired.select(PUTIN)
    assert len(proxy.requests) == 2


def test_an_error_answer_is_not_cached(proxy, tmp_path):
    cache = QueryCache(tmp_path / "cache.sqlite", ttl_s=3600)
    proxy.fail_first = [(500, {})]
    client = WikidataClient(proxy.endpoint, cache=cache, retries=0)
    with pytest.raises(Exception, match="HTTP 500"):
        client.select(PUTIN)
    assert client.select(PUTIN) and len(proxy.requests) == 2


def test_a_closed_port_is_unreachable_at_once():
    endpoint = closed_endpoint()
    client = WikidataClient(endpoint)
    with pytest.raises(EndpointUnreachable, match=endpoint):
        client.select(PUTIN)
    assert client.requests == 1 and client.waited_s == 0  # no retry of a refused connection


def test_a_hung_endpoint_times_out():
    silent = SilentServer()
    try:
        client = WikidataClient(silent.endpoint, read_timeout_s=1, retries=3)
        with pytest.raises(EndpointTimeout, match="read timeout"):
            client.select(PUTIN)
        assert client.requests == 1 and client.waited_s == 0  # no retries after a read timeout
    finally:
        silent.stop()


def test_a_bad_query_is_refused_with_the_server_message(wikidata):
    with pytest.raises(BadQuery, match="HTTP 400"):
        WikidataClient(wikidata.endpoint).select("SELECT WHERE {")


def test_long_queries_go_by_post(proxy):
    long = PUTIN + " #" + "x" * 3000
    assert WikidataClient(proxy.endpoint).select(long)
    assert proxy.requests[0][0] == "POST"
