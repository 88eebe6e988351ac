"""Every install compiles the engine and the driver with mypyc (setup.py), so the
suite must be testing that compiled code, and not a binary older than its source:
an editable install keeps importing the old binary after a source edit until the
next install (`make` reinstalls when one of these files changes)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _compiled_sources() -> list[Path]:
    """setup.py's COMPILED list, read rather than imported: importing it runs setup()."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "COMPILED" for target in node.targets
        ):
            return [ROOT / path for path in ast.literal_eval(node.value)]
    raise AssertionError("setup.py has no COMPILED list")


SOURCES = _compiled_sources()


def _module_name(source: Path) -> str:
    return ".".join(source.relative_to(ROOT / "src").with_suffix("").parts)


@pytest.mark.parametrize("source", SOURCES, ids=_module_name)
def test_module_is_compiled_from_its_current_source(source: Path) -> None:
    module = importlib.import_module(_module_name(source))
    binary = Path(str(module.__file__))
    assert binary.suffix == ".so", f"{module.__name__} is not compiled; reinstall: make venv"
    # Each module's own .so is a thin shim that setuptools may leave untouched; the
    # code lives in the group's shared library, rebuilt whenever any source changes.
    top = binary.parents[module.__name__.count(".")]
    (library,) = top.glob("callboard_native__mypyc.*.so")
    assert library.stat().st_mtime >= source.stat().st_mtime, (
        f"{source.name} changed after the compiled engine was built; reinstall: make venv"
    )
