"""The engine announces the calibrated predictor with the audit's features and coefficients."""

from __future__ import annotations

import pytest

from callboard.domain import Agent
from callboard.engine import EWT_FEATURES, Center, EwtModel, QueueSpec
from callboard.errors import BadInput

MODEL = EwtModel(
    mean=(5.0, 0.5, 0.25, 0.1, 2.0, 0.0),
    low=(0.0, 0.1, 0.0, 0.0, 0.0, 0.0),
    high=(30.0, 1.0, 0.5, 0.2, 4.0, 0.0),
)


def busy_center() -> Center:
    spec = QueueSpec("q", aht_hint_s=100.0, announce="calibrated", ewt_model=MODEL)
    center = Center([spec], [Agent("a", skills={"q": 1})], auto_answer=True)
    center.login(0.0, "a")
    center.arrive(0.0, "busy", "q")
    center.arrive(10.0, "c1", "q")
    center.arrive(30.0, "c2", "q")
    return center


def test_the_announcement_is_the_linear_model_of_the_engine_state() -> None:
    center = busy_center()
    # c2 is second in line: QL = 2 / (1/100) = 200 s, head of line 20 s, no answer yet.
    features = dict(zip(EWT_FEATURES, (1.0, 200.0, 20.0, 0.0, 2.0, 1.0), strict=True))
    expected = sum(c * features[n] for c, n in zip(MODEL.mean, EWT_FEATURES, strict=True))
    assert center.expected_wait("c2") == pytest.approx(expected)
    low, high = center.expected_wait_range("c2") or (None, None)
    assert low == pytest.approx(0.1 * 200.0) and high == pytest.approx(30 + 200 + 10 + 8)


def test_a_queue_announcing_calibrated_without_a_model_is_refused() -> None:
    with pytest.raises(BadInput, match="callboard ewt fit"):
        Center([QueueSpec("q", announce="calibrated")])


def test_the_model_survives_a_snapshot() -> None:
    center = busy_center()
    restored = Center.restore(center.snapshot())
    assert restored.expected_wait("c2") == center.expected_wait("c2")
    assert restored.expected_wait_range("c2") == center.expected_wait_range("c2")


def test_a_model_with_the_wrong_number_of_coefficients_is_refused() -> None:
    with pytest.raises(ValueError, match="6 coefficients expected"):
        EwtModel(mean=(1.0,), low=(1.0,), high=(1.0,))
