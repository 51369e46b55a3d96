"""Stores: the interface and its backends (the embedded pyoxigraph store, and any SPARQL 1.1
server: kg/store/remote.py). ``open_store`` picks one from a location.

>>> store = open_store(":memory:")
>>> store.count()
0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.store.base import (
    BadDataError,
    QuerySyntaxError,
    QueryTimeoutError,
    Store,
    StoreError,
    StoreIOError,
    StoreUnavailableError,
    format_for,
)
from kg.store.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from kg.settings import Settings

__all__ = [
    "BadDataError",
    "OxigraphStore",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "Store",
    "StoreError",
    "StoreIOError",
    "StoreUnavailableError",
    "format_for",
    "open_store",
]


def open_store(
    location: str, *, read_only: bool = False, settings: Settings | None = None
) -> Store:
    """Open the store at ``location``: a directory path, ``:memory:``, or a SPARQL server
    ``sparql+http(s)://host:port/path`` (configured by ``settings``, default: the
    environment's; see kg/store/remote.py)."""
    if location == ":memory:":
        return OxigraphStore(None)
    from kg.store.remote import RemoteStore, remote_url

    url = remote_url(location)
    if url is not None:
        from kg.settings import Settings

        return RemoteStore(url, settings or Settings.from_env())
    return OxigraphStore(location, read_only=read_only)
