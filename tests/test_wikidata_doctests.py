"""The examples in the Wikidata modules' docstrings hold (scoring, cache, SPARQL text)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "kg.link.wikidata",
    "kg.link.reconcile",
    "kg.link.overrides",
    "kg.sparqllex",
    "kg.queries",
    "kg.settings",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
