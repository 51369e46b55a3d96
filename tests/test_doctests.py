"""The examples in every module's docstrings hold: each module of ``kg`` that has one."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import kg


def modules_with_examples() -> list[str]:
    """The names of the package's modules whose source holds a doctest example."""
    found = []
    for info in pkgutil.walk_packages(kg.__path__, "kg."):
        spec = importlib.util.find_spec(info.name)
        origin = spec.origin if spec else None
        if origin and origin.endswith(".py"):
            with open(origin, encoding="utf-8") as source:
                if ">>> " in source.read():
                    found.append(info.name)
    return sorted(found)


MODULES = modules_with_examples()


def test_the_walk_finds_the_modules() -> None:
    # A broken walk would collect nothing and pass: these modules are known to have examples.
    assert {"kg.extract.dates", "kg.queries", "kg.store.remote", "kg.service.graphread"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
