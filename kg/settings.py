"""All configuration in one object, read from ``KG_*`` environment variables.

>>> s = Settings.from_env({"KG_STORE": "/tmp/x", "KG_QUERY_TIMEOUT_S": "5"})
>>> s.store, s.query_timeout_s
('/tmp/x', 5.0)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"  # the public Wikidata query service
DEFAULT_SERVICE_ALLOW = (WIKIDATA_SPARQL,)
SECRETS = ("api_token", "store_password")  # empty means unset


def _split(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; every field has a ``KG_<NAME>`` environment variable."""

    store: str = "var/store"  # a folder, ":memory:", or sparql+http(s)://host:port/path
    # A remote SPARQL store (KG_STORE=sparql+http://...): see kg/store/remote.py. Empty URLs
    # mean the dialect's defaults for the query URL (Virtuoso: /sparql-auth with a user);
    # a graph store URL "none" writes through SPARQL Update only.
    store_update_url: str = ""
    store_graph_store_url: str = ""
    store_user: str = ""
    store_password: str | None = None
    store_auth: str = "digest"  # digest or basic (user, password), bearer (password: a token)
    store_dialect: str = "auto"  # auto (from the Server header), virtuoso, fuseki, qlever, generic
    store_hidden_graphs: tuple[str, ...] = ()  # server graphs kept out of every answer
    base_iri: str = "http://127.0.0.1:8000/"
    host: str = "127.0.0.1"
    port: int = 8000
    api_token: str | None = None
    query_timeout_s: float = 30.0
    result_limit: int = 100_000
    max_result_bytes: int = 256 * 1024 * 1024  # a larger query result is refused (or cut)
    max_body_bytes: int = 10 * 1024 * 1024
    service_allow: tuple[str, ...] = DEFAULT_SERVICE_ALLOW
    cors_origins: tuple[str, ...] = ()
    query_workers: int = 0  # query worker processes; 0 = one per core, at least 2
    named_workers: int = 2  # the named queries' own worker processes (no /sparql waits there)
    # Complete named-query answers kept until the next write (embedded store only; 0: none).
    named_cache_entries: int = 512
    # The pages' whole-store checks (kg/service/checks.py): refreshed in the background at
    # most this often after writes (0: a page waits for checks as new as the store).
    checks_refresh_s: float = 10.0
    checks_timeout_s: float = 300.0
    # What one query worker may allocate, MB (0: no bound): a query past it fails (503) and
    # its worker is replaced, the service goes on. The checks' worker has a bound of its own:
    # at 10M triples their joins grew to gigabytes (README "Scale-out").
    query_memory_mb: int = 2048
    checks_memory_mb: int = 1024
    page_threads: int = 4  # pages built at once; named queries and /sparql have their own
    page_visits: int = 100  # rows of a resource page's list of visits shown at once
    union_default_graph: bool = True  # no dataset given: the default graph is all graphs' union
    wikidata_endpoint: str = WIKIDATA_SPARQL
    wikidata_contact: str = "https://w3id.org/diplovisit"  # named in the User-Agent
    wikidata_connect_timeout_s: float = 5.0
    wikidata_timeout_s: float = 30.0  # read timeout of one request; deadline of a SERVICE query
    wikidata_retries: int = 3  # retries after 429/502/503/504 (Retry-After honoured)
    wikidata_max_wait_s: float = 60.0  # a longer Retry-After is not waited for
    wikidata_cache: str = "var/wikidata-cache.sqlite"  # empty: no cache
    wikidata_cache_ttl_s: float = 7 * 24 * 3600.0
    wikidata_batch: int = 50  # names or QIDs per request (one VALUES block)
    link_threshold: float = 0.75  # below it an entity is not linked; candidates go to review
    link_visit_threshold: float = 0.6
    link_margin: float = 0.1  # the best candidate must lead the next one by this much
    link_review: str = "var/link-review.json"
    article_max_bytes: int = 2 * 1024 * 1024
    fetch_timeout_s: float = 10.0
    fetch_allow: tuple[str, ...] = ()  # hosts (host or host:port) fetched even if private
    import_workers: int = 2
    ingest_workers: int = 2  # processes that extract, map and check articles of a batch
    data_dir: Path = field(default=PROJECT_ROOT / "data")
    queries_dir: Path = field(default=PROJECT_ROOT / "queries")
    ontology_dir: Path = field(default=PROJECT_ROOT / "ontology")
    shared_dir: Path = field(default=PROJECT_ROOT.parent / "shared")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default: ``os.environ``); unknown keys are ignored."""
        env = os.environ if env is None else env
        s = cls()
        changes: dict[str, object] = {}
        for name, current in s.__dict__.items():
            raw = env.get(f"KG_{name.upper()}")
            if raw is None:
                continue
            if isinstance(current, bool):
                changes[name] = raw.lower() in {"1", "true", "yes"}
            elif isinstance(current, int):
                changes[name] = int(raw)
            elif isinstance(current, float):
                changes[name] = float(raw)
            elif isinstance(current, tuple):
                changes[name] = _split(raw)
            elif isinstance(current, Path):
                changes[name] = Path(raw)
            else:
                changes[name] = raw or None if name in SECRETS else raw
        return replace(s, **changes)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def services_allowed(self) -> tuple[str, ...]:
        """Endpoints SERVICE may call: ``KG_SERVICE_ALLOW`` and the configured Wikidata endpoint.

        >>> Settings(service_allow=(), wikidata_endpoint="http://127.0.0.1:9/q").services_allowed
        ('http://127.0.0.1:9/q',)
        """
        extra = (self.wikidata_endpoint,) if self.wikidata_endpoint else ()
        return tuple(dict.fromkeys((*self.service_allow, *extra)))

    @property
    def id_base(self) -> str:
        """Prefix of every IRI the project mints for things (``<base>id/``)."""
        return self.base_iri.rstrip("/") + "/id/"

    @property
    def graph_base(self) -> str:
        """Prefix of the named graphs the project mints (``<base>graph/``)."""
        return self.base_iri.rstrip("/") + "/graph/"
