"""Checks for observed samples (waits, handle times): one message shape for bad data."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from callboard.errors import BadInput
from callboard.queueing._inputs import FloatArray


def observed(name: str, values: ArrayLike, *, at_least: int = 1) -> FloatArray:
    """A 1-D float sample, finite and >= 0, with at least `at_least` entries."""
    array = np.asarray(values, dtype=np.float64).ravel()
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        raise BadInput(
            f"{name} holds {float(array[bad][0])!r} at position {int(np.flatnonzero(bad)[0])}: "
            "drop missing or negative durations before estimating"
        )
    if array.size < at_least:
        raise BadInput(f"{name} has {array.size} values; the estimate needs at least {at_least}")
    return array


def check_confidence(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise BadInput(f"confidence={confidence!r} is not valid: give a fraction such as 0.95")
    return float(confidence)
