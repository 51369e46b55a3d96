"""Where the W3C tests run: the service over HTTP, or pyoxigraph in this process (the baseline).

Both answer the same small interface, and both hand back serialized results, so one
comparison judges both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

SUFFIX_MEDIA = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
}


@dataclass
class Reply:
    """What a query or update gave: status (200 for success in process), type, body."""

    status: int
    media: str
    body: bytes

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status < 300


def with_base(text: str, base: str) -> str:
    """A query or update with ``BASE`` set to its file, as the test suites assume."""
    return f"BASE <{base}>\n{text}"


class HttpBackend:
    """The service under test, over HTTP (writes carry the bearer token)."""

    name = "service (HTTP)"

    def __init__(self, url: str, token: str) -> None:
        self.http = httpx.Client(
            base_url=url, timeout=60, headers={"Authorization": f"Bearer {token}"}
        )

    def reset(self) -> None:
        """Empty the store."""
        r = self.http.post(
            "/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"}
        )
        r.raise_for_status()

    def load(self, file: Path, graph: str | None) -> None:
        """Add a data file to a graph (None: the default graph)."""
        data = file.read_bytes()
        media = SUFFIX_MEDIA.get(file.suffix, "text/turtle")
        if media == "text/turtle":
            data = f"@base <{file.as_uri()}> .\n".encode() + data
        params = {"graph": graph} if graph else {"default": ""}
        r = self.http.put("/store", params=params, content=data, headers={"Content-Type": media})
        if r.status_code >= 300:
            raise RuntimeError(f"load {file.name}: {r.status_code} {r.text.strip()}")

    def query(self, text: str, accept: str) -> Reply:
        """Run a query, asking for ``accept``."""
        r = self.http.post(
            "/sparql",
            content=text.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        return Reply(r.status_code, r.headers.get("content-type", "").split(";")[0], r.content)

    def update(self, text: str) -> Reply:
        """Run an update."""
        r = self.http.post(
            "/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-update"}
        )
        return Reply(r.status_code, r.headers.get("content-type", ""), r.content)

    def triples(self, graph: str | None) -> list[ox.Triple]:
        """The triples of one graph (None: the default graph)."""
        params = {"graph": graph} if graph else {"default": ""}
        r = self.http.get("/store", params=params, headers={"Accept": "application/n-triples"})
        if r.status_code == 404:
            return []
        r.raise_for_status()
        return [q.triple for q in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)]

    def graphs(self) -> set[str]:
        """The names of the non-empty named graphs."""
        r = self.query(
            "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json"
        )
        return {
            row["g"].value
            for row in ox.parse_query_results(r.body, format=ox.QueryResultsFormat.JSON)
        }


class InProcessBackend:
    """pyoxigraph's own engine on an in-memory store: what the engine alone achieves."""

    name = "pyoxigraph in-process"

    def __init__(self) -> None:
        self.store = ox.Store()

    def reset(self) -> None:
        """Empty the store."""
        self.store = ox.Store()

    def load(self, file: Path, graph: str | None) -> None:
        """Add a data file to a graph (None: the default graph)."""
        fmt = ox.RdfFormat.from_media_type(SUFFIX_MEDIA.get(file.suffix, "text/turtle"))
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        self.store.load(path=str(file), format=fmt, base_iri=file.as_uri(), to_graph=target)

    def query(self, text: str, accept: str) -> Reply:
        """Run a query, asking for ``accept``."""
        try:
            result = self.store.query(text)
            if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
                media = (
                    accept
                    if "sparql-results" in accept or accept.startswith("text/")
                    else ("application/sparql-results+json")
                )
                fmt = ox.QueryResultsFormat.from_media_type(media)
                return Reply(200, media, result.serialize(format=fmt))
            return Reply(
                200, "application/n-triples", ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
            )
        except SyntaxError as exc:
            return Reply(400, "text/plain", f"syntax error: {exc}".encode())
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            return Reply(500, "text/plain", str(exc).encode())

    def update(self, text: str) -> Reply:
        """Run an update."""
        try:
            self.store.update(text)
            return Reply(204, "", b"")
        except SyntaxError as exc:
            return Reply(400, "text/plain", f"syntax error: {exc}".encode())
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            return Reply(500, "text/plain", str(exc).encode())

    def triples(self, graph: str | None) -> list[ox.Triple]:
        """The triples of one graph (None: the default graph)."""
        g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        return [q.triple for q in self.store.quads_for_pattern(None, None, None, g)]

    def graphs(self) -> set[str]:
        """The names of the non-empty named graphs."""
        return {q.graph_name.value for q in self.store if isinstance(q.graph_name, ox.NamedNode)}
