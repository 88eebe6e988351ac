"""Rolling-origin backtest: each evaluation day is forecast only from the days before it.

Scores pool every interval of every evaluation day. WAPE (sum |error| / sum
actual) is the headline because it is scale-free and does not explode on
quiet intervals; RMSE is in counts; `coverage_80` is the share of actual
counts inside the 10–90% band, which should be near 0.8.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from callboard.errors import BadInput
from callboard.forecast.day_effects import DayEffects
from callboard.forecast.interval_forecast import Forecast
from callboard.forecast.model_registry import Model
from callboard.forecast.series import DailyCounts, Days, Matrix

BAND = np.array([0.1, 0.9])
MIN_HISTORY_DAYS = 10


@dataclass(frozen=True)
class Score:
    wape: float
    rmse: float
    coverage_80: float

    def as_dict(self) -> dict[str, float]:
        return {"wape": self.wape, "rmse": self.rmse, "coverage_80": self.coverage_80}


@dataclass(frozen=True)
class BacktestResult:
    scores: dict[str, Score]
    origins: Days
    interval: int

    @property
    def best(self) -> str:
        return min(self.scores, key=lambda name: self.scores[name].wape)

    def as_dict(self) -> dict[str, object]:
        return {"models": {n: s.as_dict() for n, s in self.scores.items()}, "best": self.best}


def evaluation_days(
    series: DailyCounts, *, origins_from: np.datetime64 | None, weeks: int = 4
) -> Days:
    """Days with data from `origins_from`, or within the last `weeks` weeks of the series."""
    start = (
        origins_from
        if origins_from is not None
        else series.days[-1] - np.timedelta64(7 * weeks - 1, "D")
    )
    chosen = series.days[series.days >= start]
    if len(series.days) - len(chosen) < MIN_HISTORY_DAYS:
        raise BadInput(
            f"queue {series.queue!r}: the backtest needs at least {MIN_HISTORY_DAYS} days "
            "of history before the first origin; choose a later --origins-from"
        )
    return chosen


def backtest(
    series: DailyCounts,
    models: Mapping[str, Model],
    days: Days,
    *,
    horizon_days: int = 1,
    aggregate: int | None = None,
    effects: DayEffects | None = None,
) -> BacktestResult:
    """Score each model on `days`, each forecast from an origin `horizon_days` before it."""
    runs = _run(series, models, days, horizon_days, aggregate, effects or DayEffects())
    scores = {name: _score(*run) for name, run in runs.items()}
    return BacktestResult(scores, days, aggregate or series.interval)


def backtest_queues(
    series: Mapping[str, DailyCounts],
    models: Mapping[str, Model],
    *,
    origins_from: np.datetime64 | None = None,
    weeks: int = 4,
    horizon_days: int = 1,
    aggregate: int | None = None,
    effects: DayEffects | None = None,
) -> BacktestResult:
    """One score per model pooled over every interval of every queue."""
    pooled: dict[str, list[tuple[Matrix, Matrix, NDArray[np.float64]]]] = {n: [] for n in models}
    all_days: list[Days] = []
    for one in series.values():
        days = evaluation_days(one, origins_from=origins_from, weeks=weeks)
        all_days.append(days)
        runs = _run(one, models, days, horizon_days, aggregate, effects or DayEffects())
        for name, run in runs.items():
            pooled[name].append(run)
    scores = {
        name: _score(
            np.concatenate([r[0].ravel() for r in runs]),
            np.concatenate([r[1].ravel() for r in runs]),
            np.concatenate([r[2].reshape(2, -1) for r in runs], axis=1),
        )
        for name, runs in pooled.items()
    }
    interval = aggregate or next(iter(series.values())).interval
    return BacktestResult(scores, np.unique(np.concatenate(all_days)), interval)


def _run(
    series: DailyCounts,
    models: Mapping[str, Model],
    days: Days,
    horizon_days: int,
    aggregate: int | None,
    effects: DayEffects,
) -> dict[str, tuple[Matrix, Matrix, NDArray[np.float64]]]:
    """Per model: (actual, mean, 10–90% band) over the evaluation days."""
    actual = series.select(days).aggregate(aggregate or series.interval).counts
    runs = {}
    for name, model in models.items():
        means, bands = [], []
        for day in days:
            history = series.before(day - np.timedelta64(horizon_days - 1, "D"))
            forecast = model(history, np.array([day]), effects)
            mean, band = _at_level(forecast, aggregate)
            means.append(mean[0])
            bands.append(band[:, 0])
        runs[name] = (actual, np.array(means), np.stack(bands, axis=1))
    return runs


def _at_level(
    forecast: Forecast, aggregate: int | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    if aggregate is None or aggregate == forecast.interval:
        return forecast.mean, forecast.quantiles(BAND)
    coarse = forecast.aggregate(aggregate)
    return coarse.mean, coarse.quantiles(BAND)


def _score(
    actual: NDArray[np.float64], mean: NDArray[np.float64], band: NDArray[np.float64]
) -> Score:
    error = actual - mean
    inside = (actual >= band[0]) & (actual <= band[1])
    return Score(
        wape=float(np.abs(error).sum() / max(actual.sum(), 1e-12)),
        rmse=float(np.sqrt(np.mean(error**2))),
        coverage_80=float(inside.mean()),
    )
