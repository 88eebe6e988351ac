"""Day-level regressors beyond the weekday: calendar effects and covariates.

Each effect comes with a prior (mean, weight) on its log-scale coefficient, so
an effect seen rarely or never in history falls back to what the calendar file
states instead of to an unstable estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from callboard.forecast.calendar import Calendar
from callboard.forecast.covariates import Covariates
from callboard.forecast.series import Days

CALENDAR_PRIOR_WEIGHT = 0.1  # worth a tenth of a day of data
COVARIATE_PRIOR_WEIGHT = 1e-3  # just enough to keep a constant column solvable


@dataclass(frozen=True)
class Regressors:
    matrix: np.ndarray  # days × effects
    names: list[str]
    prior_mean: np.ndarray
    prior_weight: np.ndarray


@dataclass(frozen=True)
class DayEffects:
    calendar: Calendar = field(default_factory=Calendar)
    covariates: Covariates | None = None

    def regressors(self, queue: str, days: Days, *, future: bool) -> Regressors:
        matrix, names, prior = self.calendar.indicators(days)
        weights = np.full(len(names), CALENDAR_PRIOR_WEIGHT)
        if self.covariates is not None:
            extra = self.covariates.design(queue, days, future=future)
            matrix = np.column_stack([matrix, extra])
            names = names + self.covariates.feature_names()
            prior = np.concatenate([prior, np.zeros(extra.shape[1])])
            weights = np.concatenate([weights, np.full(extra.shape[1], COVARIATE_PRIOR_WEIGHT)])
        return Regressors(matrix, names, prior, weights)

    def closed(self, days: Days) -> np.ndarray:
        return self.calendar.closed(days)
