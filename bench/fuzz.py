"""`make fuzz`: generated requests and articles against the real service; counts by status.

Starts `kg serve` on a fresh store (shipped data, a write token) on a free loopback port and
sends at least 10,000 requests from a few client threads: named queries, SPARQL queries and
updates, Graph Store reads and writes, article ingests (real articles from the shared corpus,
mutated ones, and junk), pages, search, with and without the token, with random Accept and
Content-Type headers, every value drawn from the adversarial pools of tests/adversarial.py.
Prints the count of each status per kind of request, every 5xx with its request, and whether
the service is still up. Exits 1 on any server error or if the service died.

    python -m bench.fuzz [--requests N] [--seed S] [--threads T]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx

from tests.adversarial import RDF_TYPES, random_bytes, random_text
from tests.conftest import SHARED, RunningService

TOKEN = "fuzz-token"
CORPUS = SHARED / "corpus" / "wikinews-2019-2020.jsonl"
NAMED = {
    "visits-to": ["place"],
    "visits-by": ["leader"],
    "visits-between": ["from", "to"],
    "statements-by": ["speaker"],
    "timeline": [],
    "sources": [],
}
ACCEPTS = [
    "",
    "*/*",
    "text/csv",
    "application/json",
    "application/sparql-results+xml",
    "text/turtle",
    "application/ld+json",
    "text/html",
    "image/png",
    "text/*;q=0.1, x/y",
    "application/sparql-results+json;q=abc",
]
QUERY_PARTS = [
    "SELECT",
    "*",
    "WHERE",
    "{",
    "}",
    "?s",
    "?p",
    "?o",
    "<http://a>",
    "GRAPH",
    "OPTIONAL",
    "FILTER(",
    ")",
    "LIMIT 5",
    "COUNT(*)",
    "AS ?n",
    "(",
    "UNION",
    "VALUES ?s { <http://a> }",
    '"x"@en',
    "BIND(1 AS ?x)",
    "ORDER BY ?s",
    ".",
]
Request = tuple[str, str, dict]  # kind, method, httpx keyword arguments


class Generator:
    """Draws one request at a time from a seeded random source."""

    def __init__(self, rng: random.Random, articles: list[dict]) -> None:
        self.rng = rng
        self.articles = articles

    def text(self) -> str:
        return random_text(self.rng)

    def header(self) -> str:
        """A nasty header value that is still a valid one (printable ASCII, no line break)."""
        return "".join(c for c in self.text() if " " <= c <= "~")[:60].strip()

    def auth(self) -> dict[str, str]:
        roll = self.rng.random()
        if roll < 0.8:
            return {"Authorization": f"Bearer {TOKEN}"}
        return {} if roll < 0.9 else {"Authorization": ("Bearer " + self.header()).strip()}

    def accept(self) -> dict[str, str]:
        a = self.rng.choice(ACCEPTS) if self.rng.random() < 0.9 else self.header()
        return {"Accept": a} if a else {}

    def named(self) -> Request:
        name = self.rng.choice([*NAMED, "no-such-query", self.text()[:20] or "x"])
        params = {p: self.text() for p in NAMED.get(name, []) if self.rng.random() < 0.9}
        if self.rng.random() < 0.3:
            params[self.rng.choice(["format", "x", "place"])] = self.text()
        if self.rng.random() < 0.3 and name in NAMED and NAMED[name]:
            params[NAMED[name][0]] = self.rng.choice(["Pyongyang", "Putin", "Russia", "Q7747"])
        return (
            "named query",
            "GET",
            {"url": f"/queries/{quote(name, safe='')}", "params": params, "headers": self.accept()},
        )

    def query_text(self) -> str:
        if self.rng.random() < 0.5:
            return self.text()
        return " ".join(self.rng.choice(QUERY_PARTS) for _ in range(self.rng.randint(1, 14)))

    def sparql(self) -> Request:
        q = self.query_text()
        params = {"query": q}
        for name in ("default-graph-uri", "named-graph-uri", "format"):
            if self.rng.random() < 0.15:
                params[name] = self.text()
        roll = self.rng.random()
        if roll < 0.4:
            return "sparql", "GET", {"url": "/sparql", "params": params, "headers": self.accept()}
        if roll < 0.7:
            return "sparql", "POST", {"url": "/sparql", "data": params, "headers": self.accept()}
        kind = self.rng.choice(["application/sparql-query", "application/sparql-update", ""])
        headers = {**self.auth(), **self.accept(), **({"Content-Type": kind} if kind else {})}
        body = q.encode() if self.rng.random() < 0.8 else random_bytes(self.rng)
        return "sparql", "POST", {"url": "/sparql", "content": body, "headers": headers}

    def update(self) -> Request:
        graph = "http://fuzz/" + str(self.rng.randint(0, 20))
        triple = f'<http://fuzz/s> <http://fuzz/p> "{self.rng.random()}"'
        text = self.rng.choice([
            f"INSERT DATA {{ GRAPH <{graph}> {{ {triple} }} }}",
            f"DROP SILENT GRAPH <{graph}>",
            f"CLEAR SILENT GRAPH <{graph}>",
            "INSERT DATA { " + self.text() + " }",
            self.query_text(),
            "LOAD <http://127.0.0.1:1/x.ttl>",
        ])  # fmt: skip
        return (
            "update",
            "POST",
            {"url": "/sparql", "data": {"update": text}, "headers": self.auth()},
        )

    def graph_store(self) -> Request:
        method = self.rng.choice(["GET", "HEAD", "PUT", "POST", "DELETE"])
        target = self.rng.choice(["http://fuzz/" + str(self.rng.randint(0, 20)), self.text()])
        where = self.rng.random()
        url, params = (
            ("/store", {"graph": target})
            if where < 0.8
            else ("/store/" + quote(self.text(), safe="/"), {})
        )
        kwargs: dict = {"url": url, "params": params, "headers": {**self.auth(), **self.accept()}}
        if method in ("PUT", "POST"):
            kind = self.rng.choice(RDF_TYPES)
            if kind:
                kwargs["headers"]["Content-Type"] = kind
            roll = self.rng.random()
            kwargs["content"] = (
                b'<http://fuzz/a> <http://fuzz/b> "ok" .'
                if roll < 0.4
                else self.text().encode()
                if roll < 0.7
                else random_bytes(self.rng)
            )
        return "graph store", method, kwargs

    def article(self) -> Request:
        record = dict(self.rng.choice(self.articles))
        roll = self.rng.random()
        if roll < 0.3:  # a real article, whole (short ones: they ingest quickly)
            pass
        elif roll < 0.6:
            record["text"] = record["text"][: self.rng.randint(0, 600)]
        elif roll < 0.8:
            record[self.rng.choice(["title", "dateline", "url", "text"])] = self.rng.choice(
                [self.text(), 5, None, ["x"], {"a": 1}, True]
            )
        else:
            kind = self.rng.choice(["text/plain", "text/html", "application/json", "text/csv", ""])
            headers = {**self.auth(), **({"Content-Type": kind} if kind else {})}
            return (
                "article",
                "POST",
                {
                    "url": "/articles",
                    "content": random_bytes(self.rng),
                    "headers": headers,
                    "params": {"dateline": self.text()[:12]},
                },
            )
        return (
            "article",
            "POST",
            {
                "url": "/articles",
                "content": json.dumps(record).encode(),
                "headers": {**self.auth(), "Content-Type": "application/json"},
            },
        )

    def page(self) -> Request:
        t = self.text()
        url, params = self.rng.choice([
            ("/", {}),
            ("/id/" + quote(self.rng.choice(["person/vladimir-putin", t]), safe="/"), {}),
            ("/describe", {"iri": self.rng.choice([t, "http://127.0.0.1:8000/id/person/x"])}),
            ("/search", {"q": t, "format": self.rng.choice(["", "json", "html", t])}),
            ("/timeline", {self.rng.choice(["leader", "state", "from", "x"]): t}),
            ("/timeline.svg", {"leader": t}),
            ("/network", {}),
            ("/query", {"query": self.query_text()}),
            ("/query", {"name": self.rng.choice(list(NAMED)), "place": t, "leader": t}),
            ("/" + quote(t, safe="/"), {}),
        ])  # fmt: skip
        return "page", "GET", {"url": url, "params": params, "headers": self.accept()}

    def draw(self) -> Request:
        make: Callable[[], Request] = self.rng.choices(
            [self.named, self.sparql, self.update, self.graph_store, self.article, self.page],
            weights=[25, 20, 8, 15, 4, 25],
        )[0]
        return make()


def fuzz(url: str, total: int, seed: int, threads: int) -> tuple[Counter, Counter, list[str]]:
    """Send ``total`` generated requests from ``threads`` clients; count (kind, status)."""
    articles = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines()]
    articles = sorted(articles, key=lambda a: len(a.get("text", "")))[:120]
    counts: Counter = Counter()
    seconds: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    sent = iter(range(total))

    def client(n: int) -> None:
        gen = Generator(random.Random(seed * 1000 + n), articles)
        last = "(none)"  # the previous request on this client's connection
        with httpx.Client(base_url=url, timeout=60) as http:
            for _ in sent:
                kind, method, kwargs = gen.draw()
                started = time.monotonic()
                try:
                    status = http.request(method, **kwargs).status_code
                except httpx.HTTPError as exc:
                    status = f"no answer ({type(exc).__name__})"
                with lock:
                    counts[(kind, status)] += 1
                    seconds[kind] += time.monotonic() - started
                    shown = json.dumps({k: str(v)[:200] for k, v in kwargs.items()})
                    if not isinstance(status, int) or status >= 500:
                        errors.append(f"{status} {method} {shown}; after {last}")
                    last = f"{method} {shown} -> {status}"

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return counts, seconds, errors


def report(counts: Counter, seconds: Counter, took: float) -> None:
    """The table of statuses by kind of request, with each kind's mean time."""
    kinds = sorted({k for k, _ in counts})
    statuses = sorted({s for _, s in counts}, key=str)
    print(
        f"{'request':<14}"
        + "".join(f"{s!s:>7}" for s in statuses)
        + f"{'total':>8}"
        + f"{'mean ms':>9}"
    )
    for k in kinds:
        row = [counts.get((k, s), 0) for s in statuses]
        mean = 1000 * seconds[k] / max(1, sum(row))
        print(f"{k:<14}" + "".join(f"{n:>7}" for n in row) + f"{sum(row):>8}{mean:>9.0f}")
    col = [sum(counts.get((k, s), 0) for k in kinds) for s in statuses]
    print(f"{'all':<14}" + "".join(f"{n:>7}" for n in col) + f"{sum(col):>8}")
    print(f"{sum(col)} requests in {took:.0f} s ({sum(col) / took:.0f}/s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        svc = RunningService(
            Path(tmp) / "store", {"KG_API_TOKEN": TOKEN, "KG_QUERY_TIMEOUT_S": "10"}
        )
        try:
            started = time.monotonic()
            counts, seconds, errors = fuzz(svc.url, args.requests, args.seed, args.threads)
            took = time.monotonic() - started
            alive = svc.proc.poll() is None and httpx.get(svc.url + "/health").status_code == 200
        finally:
            svc.stop()
            log = svc.log.read_text("utf-8", errors="replace")
    report(counts, seconds, took)
    for line in errors[:30]:
        print("server error:", line)
    if errors:
        print(log[-4000:])
    print(f"server errors: {len(errors)}; service still up at the end: {'yes' if alive else 'NO'}")
    return 0 if alive and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
