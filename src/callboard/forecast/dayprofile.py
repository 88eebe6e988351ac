"""The main model: a day total times an intraday profile, with Poisson–gamma spread.

Splitting the day × interval matrix into a total and a share (the rank-one
structure that Shen & Huang (2008) find dominant in call-center data) lets
each part pool what it can: the total borrows the weekday, trend, calendar and
covariate effects across days; the profile borrows neighbouring weeks and
weekdays. The day total's forecast error is the shared day effect of the
Poisson–gamma model of Weinberg, Brown & Stroud (2007), which also gives the
intraday update: once the morning's counts are in, the gamma posterior of the
day effect rescales the rest of the day.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from callboard.forecast.day_effects import DayEffects
from callboard.forecast.daytotal import TotalSettings, forecast_totals
from callboard.forecast.dispersion import overdispersion
from callboard.forecast.interval_forecast import Forecast
from callboard.forecast.intraday_profile import ProfileSettings, profiles
from callboard.forecast.series import DailyCounts, Days

DISPERSION_DAYS = 20


@dataclass(frozen=True)
class DayProfileModel:
    name: str = "dayprofile"
    totals: TotalSettings = field(default_factory=TotalSettings)
    profile: ProfileSettings = field(default_factory=ProfileSettings)

    def __call__(self, history: DailyCounts, targets: Days, effects: DayEffects) -> Forecast:
        day_totals = history.counts.sum(axis=1)
        total = forecast_totals(
            history.days,
            day_totals,
            effects.regressors(history.queue, history.days, future=False),
            targets,
            effects.regressors(history.queue, targets, future=True),
            self.totals,
        )
        shares = profiles(history.days, history.counts, targets, self.profile)
        mean = np.exp(total.log_mean + total.log_variance / 2)[:, None] * shares
        day_dispersion = np.full(len(targets), float(np.expm1(total.log_variance)))
        return Forecast.for_history(
            self.name, history, targets, mean, day_dispersion, self._interval_dispersion(history)
        )

    def _interval_dispersion(self, history: DailyCounts) -> float:
        """Spread of intervals around total × profile, with the day's actual total known."""
        recent = history.counts[-DISPERSION_DAYS:]
        shares = profiles(
            history.days, history.counts, history.days[-DISPERSION_DAYS:], self.profile
        )
        return overdispersion(recent, recent.sum(axis=1, keepdims=True) * shares)


def update_intraday(forecast: Forecast, day: int, observed: NDArray[np.float64]) -> Forecast:
    """Condition day `day` on its first `len(observed)` interval counts.

    The day effect G has a gamma prior with mean 1 and variance v; after seeing
    counts y against expectations mu its posterior is gamma with shape 1/v + sum y
    and rate 1/v + sum mu, which rescales the remaining intervals and narrows
    their spread. The observed intervals keep their actual counts.
    """
    seen = len(observed)
    prior_variance = float(forecast.day_dispersion[day])
    expected = float(forecast.mean[day, :seen].sum())
    actual = float(np.sum(observed))
    mean = forecast.mean.copy()
    dispersion = forecast.day_dispersion.copy()
    if prior_variance > 0:
        shape = 1.0 / prior_variance + actual
        rate = 1.0 / prior_variance + expected
        mean[day, seen:] *= shape / rate
        dispersion[day] = 1.0 / shape
    mean[day, :seen] = observed
    return replace(forecast, mean=mean, day_dispersion=dispersion)
