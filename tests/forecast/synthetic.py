"""Seeded synthetic interval counts with known effects, for checking that models recover them."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from callboard.forecast import DailyCounts

WEEKDAY_FACTOR = np.array([1.3, 1.1, 1.0, 1.0, 0.9])


def weekdays(start: str, weeks: int) -> NDArray[np.datetime64]:
    days = np.datetime64(start) + np.arange(7 * weeks).astype("timedelta64[D]")
    return days[((days.astype(np.int64) + 3) % 7) < 5]


def day_profile(intervals: int) -> NDArray[np.float64]:
    x = np.linspace(0, 1, intervals)
    shape = np.exp(-((x - 0.3) ** 2) / 0.02) + 0.6 * np.exp(-((x - 0.7) ** 2) / 0.03) + 0.1
    return shape / shape.sum()


def series(
    days: NDArray[np.datetime64],
    multiplier: NDArray[np.float64],
    *,
    base: float = 2000.0,
    intervals: int = 48,
    seed: int = 1,
    queue: str = "all",
) -> DailyCounts:
    """Poisson counts around base × weekday factor × `multiplier`, with a 5% gamma day effect."""
    rng = np.random.default_rng(seed)
    factor = WEEKDAY_FACTOR[(days.astype(np.int64) + 3) % 7]
    day_effect = rng.gamma(400.0, 1 / 400.0, len(days))
    rate = (base * factor * multiplier * day_effect)[:, None] * day_profile(intervals)[None, :]
    return DailyCounts(queue, days, 8 * 60, 15, rng.poisson(rate).astype(np.float64))
