"""The load test's clients (locust): named queries, SPARQL, page views and ingests, mixed.

Run by bench/load.py (``make load``), which sets KG_LOAD_ARTICLES (a JSON file of articles
to post), KG_LOAD_TOKEN, KG_LOAD_OUT (where every request's time and outcome go) and
KG_LOAD_CLIENT: ``fast`` (locust's FastHttpUser, on geventhttpclient) or ``requests`` (its
HttpUser). The clients share the service's 2 cores, so the CPU they use is taken from the
service: the fast client used 3.9 CPU seconds in a run against 6.8 for HttpUser (bench/load.py
prints it), out of the service's 80.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

from locust import FastHttpUser, HttpUser, between, events, task

ARTICLES = json.loads(Path(os.environ["KG_LOAD_ARTICLES"]).read_text("utf-8"))
TOKEN = os.environ["KG_LOAD_TOKEN"]
PLACES = [
    "Pyongyang",
    "Moscow",
    "Beijing",
    "Paris",
    "Tokyo",
    "London",
    "Berlin",
    "Mexico",
    "Canada",
    "Israel",
    "Jerusalem",
    "India",
    "Egypt",
    "Brazil",
    "Ottawa",
    "Seoul",
]
LEADERS = [
    "Vladimir Putin",
    "Kim Jong Un",
    "Emmanuel Macron",
    "Angela Merkel",
    "Narendra Modi",
    "Justin Trudeau",
    "Shinzo Abe",
    "Xi Jinping",
    "Benjamin Netanyahu",
]
STATES = ["Russia", "China", "France", "Japan", "United Kingdom", "Germany", "India", "Canada"]
# (group, milliseconds, ok, started at, the response's Server-Timing header or "")
RECORDS: list[tuple[str, float, bool, float, str]] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kwargs):  # type: ignore[no-untyped-def]
    started = time.time() - response_time / 1000
    response = kwargs.get("response")
    timing = (response.headers.get("Server-Timing") or "") if response is not None else ""
    RECORDS.append((name.split(":")[0], response_time, exception is None, started, timing))


@events.test_stop.add_listener
def _write(**kwargs):  # type: ignore[no-untyped-def]
    with open(os.environ["KG_LOAD_OUT"], "w", encoding="utf-8") as fh:
        json.dump(RECORDS, fh)


BASE = {"fast": FastHttpUser, "requests": HttpUser}[os.environ.get("KG_LOAD_CLIENT", "fast")]


class Client(BASE):  # type: ignore[valid-type,misc]
    """One of the 50 clients: a person or a program reading, now and then posting."""

    wait_time = between(0.5, 1.5)

    @task(8)
    def visits_to(self) -> None:
        self.client.get(
            "/queries/visits-to",
            params={"place": random.choice(PLACES)},
            headers={"Accept": "text/csv"},
            name="named:visits-to",
        )

    @task(4)
    def visits_by(self) -> None:
        self.client.get(
            "/queries/visits-by",
            params={"leader": random.choice(LEADERS)},
            headers={"Accept": "application/json"},
            name="named:visits-by",
        )

    @task(3)
    def visits_between(self) -> None:
        a, b = random.sample(STATES, 2)
        self.client.get(
            "/queries/visits-between",
            params={"from": a, "to": b},
            headers={"Accept": "text/csv"},
            name="named:visits-between",
        )

    @task(2)
    def statements_by(self) -> None:
        self.client.get(
            "/queries/statements-by",
            params={"speaker": random.choice(LEADERS)},
            headers={"Accept": "application/json"},
            name="named:statements-by",
        )

    @task(5)
    def sparql(self) -> None:
        place = random.choice(PLACES)
        q = (
            "PREFIX dv: <https://w3id.org/diplovisit/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT DISTINCT ?v ?who ?start WHERE { ?v dv:destination ?d ; dv:visitor ?who ; "
            f'dv:startDate ?start . ?d rdfs:label "{place}" }} ORDER BY ?start LIMIT 50'
        )
        self.client.get("/sparql", params={"query": q}, name="sparql:select")

    @task(4)
    def pages(self) -> None:
        url = random.choice([
            "/id/person/vladimir-putin", "/id/person/kim-jong-un", "/",
            "/search?q=" + random.choice(LEADERS).split()[-1],
            "/id/visit/vladimir-putin/pyongyang/2024-11-06",
        ])  # fmt: skip
        self.client.get(url, headers={"Accept": "text/html"}, name="page:" + url.split("?")[0])

    @task(1)
    def ingest(self) -> None:
        self.client.post(
            "/articles",
            json=random.choice(ARTICLES),
            headers={"Authorization": f"Bearer {TOKEN}"},
            name="ingest:article",
        )
