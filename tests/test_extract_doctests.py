"""The examples in the extraction modules' docstrings hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "kg.extract.reader",
    "kg.extract.dates",
    "kg.extract.segment",
    "kg.extract.entities",
    "kg.extract.quotes",
    "kg.extract.gender",
    "kg.extract.pipeline",
    "kg.extract.fetch",
    "kg.link.places",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
