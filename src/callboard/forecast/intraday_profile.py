"""The intraday profile: each interval's share of the day's total.

Per weekday, the recent days' shares are averaged (recent weeks weigh more)
and shrunk towards the profile of all weekdays, which is estimated from five
times as many days; a light smoothing over neighbouring intervals removes
Poisson noise from 5-minute shares without flattening the morning peak.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from callboard.forecast.series import Days, weekday


@dataclass(frozen=True)
class ProfileSettings:
    weeks: int = 8
    half_life_days: float = 28.0
    shrink_days: float = 4.0
    smoothing: float = 0.15


def profiles(
    days: Days, counts: NDArray[np.float64], targets: Days, settings: ProfileSettings
) -> NDArray[np.float64]:
    """Shares (target days × intervals), each row summing to one."""
    totals = counts.sum(axis=1)
    usable = totals > 0
    days, counts, totals = days[usable], counts[usable], totals[usable]
    recent = days > days[-1] - np.timedelta64(7 * settings.weeks, "D")
    days, shares = days[recent], counts[recent] / totals[recent, None]
    weights = 0.5 ** ((days[-1] - days).astype(np.float64) / settings.half_life_days)
    overall = _smooth(weights @ shares / weights.sum(), settings.smoothing)
    by_weekday = weekday(days)
    rows = []
    for target_weekday in weekday(targets):
        same = by_weekday == target_weekday
        mass = weights[same].sum()
        specific = weights[same] @ shares[same] if mass else np.zeros_like(overall)
        blended = (_smooth(specific, settings.smoothing) + settings.shrink_days * overall) / (
            mass + settings.shrink_days
        )
        rows.append(blended / blended.sum())
    return np.array(rows).reshape(len(targets), counts.shape[1])


def _smooth(values: NDArray[np.float64], weight: float) -> NDArray[np.float64]:
    """A [w, 1-2w, w] kernel with the edge values repeated; callers renormalise."""
    if weight <= 0 or len(values) < 3:
        return values
    padded = np.concatenate([values[:1], values, values[-1:]])
    smoothed: NDArray[np.float64] = (
        weight * padded[:-2] + (1 - 2 * weight) * padded[1:-1] + weight * padded[2:]
    )
    return smoothed
