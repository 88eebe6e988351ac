"""Forecast the next days of a queue: which days, which model, and the rows to print.

Future operating days are the weekdays the queue worked in its recent history,
less closed days from the calendar, so a weekday-only center gets no Saturday
forecast. `auto` picks the model with the lowest WAPE on a short rolling-origin
backtest of the queue's own recent days.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from callboard.errors import BadInput
from callboard.forecast.backtest import MIN_HISTORY_DAYS, backtest
from callboard.forecast.day_effects import DayEffects
from callboard.forecast.interval_forecast import Forecast
from callboard.forecast.model_registry import MAIN_MODEL, Model, builtin_models
from callboard.forecast.series import DailyCounts, Days, weekday

AUTO = "auto"
AUTO_EVALUATION_DAYS = 10
RECENT_WEEKS = 8


def future_days(series: DailyCounts, horizon_days: int, effects: DayEffects) -> Days:
    """Operating days in the `horizon_days` calendar days after the series ends."""
    recent = series.days[series.days > series.days[-1] - np.timedelta64(7 * RECENT_WEEKS, "D")]
    open_weekdays = np.unique(weekday(recent))
    candidates = series.days[-1] + np.arange(1, horizon_days + 1).astype("timedelta64[D]")
    keep = np.isin(weekday(candidates), open_weekdays) & ~effects.closed(candidates)
    chosen: Days = candidates[keep]
    return chosen


def choose_model(series: DailyCounts, models: Mapping[str, Model], effects: DayEffects) -> str:
    """The model with the lowest WAPE one day ahead over the last few days with data."""
    if len(series.days) < MIN_HISTORY_DAYS + AUTO_EVALUATION_DAYS:
        return MAIN_MODEL
    return backtest(series, models, series.days[-AUTO_EVALUATION_DAYS:], effects=effects).best


def forecast_queue(
    series: DailyCounts,
    *,
    horizon_days: int,
    model: str = AUTO,
    effects: DayEffects | None = None,
    models: Mapping[str, Model] | None = None,
) -> Forecast:
    effects = effects or DayEffects()
    models = models or builtin_models()
    if model != AUTO and model not in models:
        raise BadInput(f"unknown model {model!r}; choose auto or one of {', '.join(models)}")
    if len(series.days) < 2:
        raise BadInput(f"queue {series.queue!r}: at least 2 days of history are needed to forecast")
    targets = future_days(series, horizon_days, effects)
    if not len(targets):
        raise BadInput(
            f"queue {series.queue!r}: no operating day within the horizon; extend --horizon"
        )
    name = choose_model(series, models, effects) if model == AUTO else model
    return models[name](series, targets, effects)


def forecast_rows(forecast: Forecast, levels: NDArray[np.float64]) -> list[dict[str, object]]:
    """One flat row per day and interval, ready for a table, JSON or CSV."""
    quantiles = forecast.quantiles(levels)
    starts = forecast.interval_starts()
    rows: list[dict[str, object]] = []
    for d, day in enumerate(forecast.days.astype("datetime64[D]")):
        for i, start in enumerate(starts):
            row: dict[str, object] = {
                "queue": forecast.queue,
                "day": str(day),
                "interval": start,
                "model": forecast.model,
                "mean": round(float(forecast.mean[d, i]), 3),
            }
            for level, values in zip(levels, quantiles, strict=True):
                row[f"q{level * 100:g}"] = int(values[d, i])
            rows.append(row)
    return rows
