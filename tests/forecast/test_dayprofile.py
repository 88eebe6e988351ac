"""The main model: total × profile, quantiles, intraday updating and future days."""

from __future__ import annotations

import numpy as np
import pytest

from callboard.forecast import (
    Calendar,
    CalendarDay,
    DayEffects,
    DayProfileModel,
    forecast_queue,
    forecast_rows,
    future_days,
    update_intraday,
)
from tests.forecast.synthetic import day_profile, series, weekdays

DAYS = weekdays("2024-01-01", 10)


def test_forecast_follows_weekday_level_and_profile() -> None:
    history = series(DAYS, np.ones(len(DAYS)))
    monday, friday = np.datetime64("2024-03-11"), np.datetime64("2024-03-15")
    forecast = DayProfileModel()(history, np.array([monday, friday]), DayEffects())
    totals = forecast.mean.sum(axis=1)
    assert abs(totals[0] / (2000 * 1.3) - 1) < 0.06
    assert abs(totals[1] / (2000 * 0.9) - 1) < 0.06
    shares = forecast.mean[0] / totals[0]
    assert np.abs(shares - day_profile(48)).max() < 0.1 * day_profile(48).max()


def test_quantiles_are_ordered_and_bracket_the_mean() -> None:
    history = series(DAYS, np.ones(len(DAYS)))
    forecast = DayProfileModel()(history, np.array([np.datetime64("2024-03-11")]), DayEffects())
    low, mid, high = forecast.quantiles(np.array([0.1, 0.5, 0.9]))
    assert np.all(low <= mid) and np.all(mid <= high)
    assert np.all(low <= forecast.mean) and np.all(forecast.mean <= high + 1)
    coarse = forecast.aggregate(60)
    assert coarse.mean.sum() == pytest.approx(forecast.mean.sum(), rel=1e-12)
    # The shared day effect makes an hour's band relatively wider than independent sums would.
    independent = np.sqrt(forecast.variance()[:, :4].sum())
    assert np.sqrt(coarse.var[0, 0]) > independent


def test_morning_above_forecast_raises_the_rest_of_the_day() -> None:
    history = series(DAYS, np.ones(len(DAYS)))
    forecast = DayProfileModel()(history, np.array([np.datetime64("2024-03-11")]), DayEffects())
    morning = np.round(forecast.mean[0, :16] * 1.3)
    updated = update_intraday(forecast, 0, morning)
    ratio = updated.mean[0, 16:].sum() / forecast.mean[0, 16:].sum()
    assert 1.15 < ratio < 1.3
    assert updated.day_dispersion[0] < forecast.day_dispersion[0]
    assert np.array_equal(updated.mean[0, :16], morning)


def test_future_days_skip_weekends_and_closed_days() -> None:
    history = series(DAYS, np.ones(len(DAYS)))
    closed = Calendar((CalendarDay(np.datetime64("2024-03-12").item(), "closed", "x", None),))
    days = future_days(history, 7, DayEffects(calendar=closed))
    assert [str(d) for d in days] == ["2024-03-11", "2024-03-13", "2024-03-14", "2024-03-15"]


def test_auto_forecast_rows_carry_quantile_columns() -> None:
    history = series(DAYS, np.ones(len(DAYS)))
    forecast = forecast_queue(history, horizon_days=3)  # from a Friday: Monday only
    rows = forecast_rows(forecast, np.array([0.1, 0.5, 0.9]))
    assert len(rows) == 48
    assert set(rows[0]) == {"queue", "day", "interval", "model", "mean", "q10", "q50", "q90"}
    assert rows[0]["day"] == "2024-03-11" and rows[0]["interval"] == "08:00"
