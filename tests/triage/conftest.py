"""Fixtures for the triage tests: the hand-written hotline requests, and a model on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from callboard.triage import Example, TriageModel, read_labelled
from tests.conftest import SHARED, _require
from tests.server.conftest import hotline_db  # noqa: F401  (the served store, both databases)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "triage"
# 120 requests to a utility hotline, 5 categories x 4 languages (en, ru, uk, zh) x 6,
# and 40 more, 2 of each, written apart from them for evaluation.
TRAINING = EXAMPLES / "hotline_requests.csv"
HELD_OUT = EXAMPLES / "hotline_requests_held_out.csv"


@pytest.fixture(scope="session")
def held_out() -> list[Example]:
    return read_labelled(HELD_OUT)


@pytest.fixture(scope="session")
def hotline_model() -> TriageModel:
    return TriageModel.fit(read_labelled(TRAINING)).model


@pytest.fixture(scope="session")
def banking77() -> list[Example]:
    """BANKING77's 10,003 training requests (../shared/data/README.md)."""
    return read_labelled(_require(SHARED / "data" / "banking77" / "train.csv"))
