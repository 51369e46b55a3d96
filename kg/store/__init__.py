"""Stores: the interface and its backends. ``open_store`` picks one from a location.

>>> store = open_store(":memory:")
>>> store.count()
0
"""

from __future__ import annotations

from kg.store.base import (
    BadDataError,
    QuerySyntaxError,
    Store,
    StoreError,
    StoreIOError,
    format_for,
)
from kg.store.oxigraph import OxigraphStore

__all__ = [
    "BadDataError",
    "OxigraphStore",
    "QuerySyntaxError",
    "Store",
    "StoreError",
    "StoreIOError",
    "format_for",
    "open_store",
]


def open_store(location: str, *, read_only: bool = False) -> Store:
    """Open the store at ``location``: a directory path, or ``:memory:``."""
    if location == ":memory:":
        return OxigraphStore(None)
    if location.startswith(("sparql+http://", "sparql+https://")):
        raise StoreError("remote SPARQL stores are not available in this version")
    return OxigraphStore(location, read_only=read_only)
