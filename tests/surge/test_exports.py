"""`callboard.surge.__all__` is exactly the package's public names."""

from __future__ import annotations

import inspect

import callboard.surge


def test_all_is_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(callboard.surge).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert sorted(callboard.surge.__all__) == sorted(public)
