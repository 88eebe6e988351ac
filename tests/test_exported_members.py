"""The curated public API: each package's `__all__` is exactly its public classes and functions."""

from __future__ import annotations

import importlib
import inspect

import pytest

PACKAGES = [
    "callboard",
    "callboard.domain",
    "callboard.engine",
    "callboard.kpi",
    "callboard.records",
    "callboard.server",
    "callboard.sim",
    "callboard.store",
    "callboard.surge",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_exactly_the_public_names(name: str) -> None:
    module = importlib.import_module(name)
    public = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_") and not inspect.ismodule(value) and attr != "annotations"
    }
    assert sorted(module.__all__) == sorted(public)
