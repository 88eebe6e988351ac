"""Forecast each day's total: a weighted regression of log totals.

Regressors are the weekday and the day effects, plus an optional linear
trend. Recent days weigh more (exponential decay), so the level follows
drifts without a state-space filter. The trend is off by default: on the
bank-calls backtest it added variance and no accuracy, and when it is on it
is damped in extrapolation because a line fitted on a few weeks overshoots.
The spread of the day effect is taken from one-step-ahead errors over the
recent history, not from in-sample residuals, which would understate it; the
same errors' lag-1 correlation carries the latest day's surprise forward.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from callboard.forecast.day_effects import Regressors
from callboard.forecast.series import Days, weekday

TREND_SCALE_DAYS = 28.0
# One-step errors needed before their day-to-day correlation is estimated.
AR_MIN_ERRORS = 5
RIDGE = 1e-4


@dataclass(frozen=True)
class TotalSettings:
    window_days: int = 84
    half_life_days: float = 28.0
    trend: bool = False
    trend_damping: float = 0.5
    error_days: int = 20
    min_days: int = 10


@dataclass(frozen=True)
class TotalForecast:
    log_mean: NDArray[np.float64]
    log_variance: float


def forecast_totals(
    days: Days,
    totals: NDArray[np.float64],
    history_effects: Regressors,
    targets: Days,
    target_effects: Regressors,
    settings: TotalSettings,
) -> TotalForecast:
    """Log-scale mean per target day and the variance of a one-step log error."""
    keep = totals > 0
    days, log_totals = days[keep], np.log(totals[keep])
    history_matrix = history_effects.matrix[keep]
    log_mean = _fit_predict(
        days, log_totals, history_matrix, history_effects, targets, target_effects.matrix, settings
    )
    errors: list[float] = []
    for origin in range(max(settings.min_days, len(days) - settings.error_days), len(days)):
        predicted = _fit_predict(
            days[:origin],
            log_totals[:origin],
            history_matrix[:origin],
            history_effects,
            days[origin : origin + 1],
            history_matrix[origin : origin + 1],
            settings,
        )
        errors.append(float(log_totals[origin] - predicted[0]))
    if len(errors) >= AR_MIN_ERRORS:
        residuals = np.asarray(errors)
        phi = day_effect_persistence(residuals)
        # Operating days ahead, counted as weekdays (a gap in the data is not a step).
        steps = np.maximum(np.busday_count(days[-1], targets.astype("datetime64[D]")), 1)
        log_mean = log_mean + phi**steps * residuals[-1]
        log_variance = float(np.mean(np.square(residuals[1:] - phi * residuals[:-1])))
    elif len(errors) >= 3:
        log_variance = float(np.mean(np.square(errors)))
    else:
        log_variance = 0.05**2 if len(days) < 2 else float(np.var(np.diff(log_totals)))
    return TotalForecast(log_mean, log_variance)


def day_effect_persistence(residuals: NDArray[np.float64]) -> float:
    """Lag-1 autoregression of the one-step log errors, kept in [0, 0.95].

    Busy days follow busy days (Ibrahim & L'Ecuyer 2013; Weinberg, Brown &
    Stroud 2007): the latest day's surprise carries into the next, shrinking
    by `phi` per operating day ahead. Estimated inside the history only.
    """
    previous = residuals[:-1]
    denominator = float(np.dot(previous, previous))
    if denominator <= 0.0:
        return 0.0
    return float(np.clip(np.dot(residuals[1:], previous) / denominator, 0.0, 0.95))


def _fit_predict(
    days: Days,
    log_totals: NDArray[np.float64],
    effects: NDArray[np.float64],
    priors: Regressors,
    targets: Days,
    target_effects: NDArray[np.float64],
    settings: TotalSettings,
) -> NDArray[np.float64]:
    recent = days >= days[-1] - np.timedelta64(settings.window_days, "D")
    days, log_totals, effects = days[recent], log_totals[recent], effects[recent]
    origin = days[-1]
    present = np.unique(weekday(days))
    age = (origin - days).astype(np.float64)
    weights = 0.5 ** (age / settings.half_life_days)

    def design(when: Days, extra: NDArray[np.float64], damp: bool) -> NDArray[np.float64]:
        dummies = (weekday(when)[:, None] == present[None, :]).astype(np.float64)
        columns = [dummies]
        if settings.trend:
            ahead = (when - origin).astype(np.float64) / TREND_SCALE_DAYS
            if damp:
                ahead = np.where(ahead > 0, ahead * settings.trend_damping, ahead)
            columns.append(ahead[:, None])
        columns.append(extra)
        return np.column_stack(columns)

    x = design(days, effects, damp=False)
    base = x.shape[1] - effects.shape[1]
    prior_mean = np.concatenate([np.zeros(base), priors.prior_mean])
    prior_weight = np.concatenate([np.full(base, RIDGE), priors.prior_weight])
    if settings.trend and len(np.unique(days)) < 2 * len(present):
        prior_weight[len(present)] = 1e3  # too little history to tell trend from weekday
    root = np.sqrt(weights)
    lhs = np.vstack([x * root[:, None], np.diag(np.sqrt(prior_weight))])
    rhs = np.concatenate([log_totals * root, np.sqrt(prior_weight) * prior_mean])
    coefficients = np.linalg.lstsq(lhs, rhs, rcond=None)[0]
    prediction: NDArray[np.float64] = design(targets, target_effects, damp=True) @ coefficients
    return prediction
