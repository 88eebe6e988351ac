"""Argument checks shared by the formulas: one message shape for every bad value.

The formulas accept scalars or arrays that broadcast. A bad entry is reported
with the argument's name, the offending value and what would be accepted, so a
caller staffing thousands of intervals can find the one interval that is wrong.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from callboard.errors import BadInput

FloatArray = NDArray[np.float64]


def _first_bad(values: FloatArray, bad: NDArray[np.bool_]) -> float:
    return float(values[bad].flat[0])


def checked(name: str, value: ArrayLike, *, positive: bool = False) -> FloatArray:
    """`value` as a float array; finite and >= 0 (or > 0 when `positive`)."""
    array = np.asarray(value, dtype=np.float64)
    bad = ~np.isfinite(array) | ((array <= 0) if positive else (array < 0))
    if bad.any():
        wanted = "a finite number > 0" if positive else "a finite number >= 0"
        raise BadInput(f"{name}={_first_bad(array, bad)!r} is not valid: give {wanted}")
    return array


def checked_agents(value: ArrayLike) -> FloatArray:
    """Agent counts as floats holding whole numbers >= 0 (floats keep the maths in one dtype)."""
    array = checked("agents", value)
    bad = array != np.floor(array)
    if bad.any():
        raise BadInput(
            f"agents={_first_bad(array, bad)!r} is not a whole number: "
            "round the staffing before evaluating it"
        )
    return array


def checked_fraction(name: str, value: float, *, upper_open: bool = True) -> float:
    """A target such as a service level or an abandon ceiling, strictly between 0 and 1."""
    number = float(value)
    high_ok = number < 1 if upper_open else number <= 1
    if not (np.isfinite(number) and number > 0 and high_ok):
        limit = "below 1" if upper_open else "at most 1"
        raise BadInput(f"{name}={number!r} is not valid: give a fraction above 0 and {limit}")
    return number
