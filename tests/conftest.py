"""Fixtures shared across the suite: the real data in ../shared and imported workspaces."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from callboard.records import ImportReport, RecordDataset, import_files
from callboard.records import builtin as _builtin  # noqa: F401  (registers importers)

pytest_plugins = ["tests.fixtures.postgres", "tests.fixtures.stores"]

SHARED = Path(os.environ.get("CALLBOARD_SHARED", Path(__file__).resolve().parents[2] / "shared"))
JANUARY = SHARED / "data" / "anonymous-bank" / "1999-01.txt"
BANK_CALLS = SHARED / "data" / "bank-calls" / "2003-03-to-06.csv"
JANUARY_TZ = "Asia/Jerusalem"


def _require(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared data missing in CI: {path}")
        pytest.skip(f"shared data not found: {path}")
    return path


@pytest.fixture(scope="session")
def january_file() -> Path:
    return _require(JANUARY)


@pytest.fixture(scope="session")
def bank_calls_file() -> Path:
    return _require(BANK_CALLS)


@pytest.fixture(scope="session")
def january_import(
    tmp_path_factory: pytest.TempPathFactory, january_file: Path
) -> tuple[RecordDataset, ImportReport]:
    """January 1999 imported once per session; tests must treat it as read-only."""
    dataset = RecordDataset(tmp_path_factory.mktemp("january") / "records")
    (report,) = import_files(dataset, "anonymous-bank", [january_file], tz=JANUARY_TZ)
    return dataset, report


@pytest.fixture(scope="session")
def january_dataset(january_import: tuple[RecordDataset, ImportReport]) -> RecordDataset:
    return january_import[0]
