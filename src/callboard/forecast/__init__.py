"""Forecast: interval counts per queue, the models that forecast them, and their backtests.

Pure NumPy/SciPy over day × interval matrices; the counts, calendar and
covariates files are read by small reader modules, and missing days are left
out, never zero-filled.
"""

from callboard.forecast.backtest import (
    BacktestResult,
    Score,
    backtest,
    backtest_queues,
    evaluation_days,
)
from callboard.forecast.calendar import Calendar, CalendarDay, read_calendar
from callboard.forecast.count_sources import load_counts
from callboard.forecast.counts_file import read_counts, read_interval_values
from callboard.forecast.covariates import Covariates, read_covariates
from callboard.forecast.day_effects import DayEffects
from callboard.forecast.dayprofile import DayProfileModel, update_intraday
from callboard.forecast.grid_durations import clock, horizon_days, minutes
from callboard.forecast.history import History, HistorySource, load_history
from callboard.forecast.interval_forecast import Forecast
from callboard.forecast.model_registry import MAIN_MODEL, builtin_models
from callboard.forecast.queue_forecast import forecast_queue, forecast_rows, future_days
from callboard.forecast.records_counts import counts_from_records
from callboard.forecast.series import DailyCounts, Days, weekday

__all__ = [
    "MAIN_MODEL",
    "BacktestResult",
    "Calendar",
    "CalendarDay",
    "Covariates",
    "DailyCounts",
    "DayEffects",
    "DayProfileModel",
    "Days",
    "Forecast",
    "History",
    "HistorySource",
    "Score",
    "backtest",
    "backtest_queues",
    "builtin_models",
    "clock",
    "counts_from_records",
    "evaluation_days",
    "forecast_queue",
    "forecast_rows",
    "future_days",
    "horizon_days",
    "load_counts",
    "load_history",
    "minutes",
    "read_calendar",
    "read_counts",
    "read_covariates",
    "read_interval_values",
    "update_intraday",
    "weekday",
]
