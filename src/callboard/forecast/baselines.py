"""Baselines every model must beat: last week's same day, and the mean of recent same weekdays.

Missing days are skipped, never read as zeros: the "same weekday last week"
of a day after a holiday is the latest such weekday that has data. Their spread
is one over-dispersion estimated from their own errors on the recent history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from callboard.forecast.day_effects import DayEffects
from callboard.forecast.dispersion import overdispersion
from callboard.forecast.interval_forecast import Forecast
from callboard.forecast.series import DailyCounts, Days, weekday

ERROR_DAYS = 10


@dataclass(frozen=True)
class SameWeekdayMean:
    """The mean of the last `weeks` days that share the target's weekday (1 = seasonal naive)."""

    weeks: int = 4
    name: str = "weekday_mean"

    def __call__(self, history: DailyCounts, targets: Days, effects: DayEffects) -> Forecast:
        del effects  # baselines ignore calendar and covariates by design
        mean = self._point(history.days, history.counts, targets)
        recent = range(max(self.weeks * 7, len(history.days) - ERROR_DAYS), len(history.days))
        fitted = [
            self._point(history.days[:i], history.counts[:i], history.days[i : i + 1])[0]
            for i in recent
        ]
        dispersion = (
            overdispersion(history.counts[list(recent)], np.array(fitted)) if fitted else 0.0
        )
        return Forecast.for_history(
            self.name, history, targets, mean, np.zeros(len(targets)), dispersion
        )

    def _point(self, days: Days, counts: NDArray[np.float64], targets: Days) -> NDArray[np.float64]:
        by_weekday = weekday(days)
        rows = []
        for target in weekday(targets):
            same = np.flatnonzero(by_weekday == target)[-self.weeks :]
            rows.append(
                counts[same].mean(axis=0) if len(same) else counts[-self.weeks :].mean(axis=0)
            )
        return np.array(rows).reshape(len(targets), counts.shape[1])


def seasonal_naive() -> SameWeekdayMean:
    return SameWeekdayMean(weeks=1, name="seasonal_naive")
