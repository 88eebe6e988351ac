"""Holidays, events and degree-days are learnt from history and applied to future days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from callboard.errors import BadInput, BadRecord
from callboard.forecast import DayEffects, DayProfileModel, read_calendar, read_covariates
from callboard.forecast.covariates import HEATING_BASE_C
from tests.forecast.synthetic import series, weekdays

DAYS = weekdays("2024-01-01", 10)
MONDAYS = [np.datetime64("2024-03-11"), np.datetime64("2024-03-18")]


def test_holidays_seen_in_history_lower_a_future_holiday(tmp_path: Path) -> None:
    holidays = [DAYS[7], DAYS[23], DAYS[38]]
    multiplier = np.where(np.isin(DAYS, holidays), 0.5, 1.0)
    history = series(DAYS, multiplier)
    path = tmp_path / "calendar.csv"
    path.write_text(
        "date,kind,name\n" + "".join(f"{d},holiday,h\n" for d in [*holidays, MONDAYS[1]])
    )
    effects = DayEffects(calendar=read_calendar(path))
    totals = DayProfileModel()(history, np.array(MONDAYS), effects).mean.sum(axis=1)
    assert 0.4 < totals[1] / totals[0] < 0.6


def test_event_never_seen_uses_the_stated_factor(tmp_path: Path) -> None:
    path = tmp_path / "calendar.csv"
    path.write_text(f"date,kind,name,factor\n{MONDAYS[1]},event,launch,1.8\n")
    history = series(DAYS, np.ones(len(DAYS)))
    effects = DayEffects(calendar=read_calendar(path))
    totals = DayProfileModel()(history, np.array(MONDAYS), effects).mean.sum(axis=1)
    # Within 1%, not exactly: the latest day's surprise (the AR term) carries into the
    # first Monday more than into the one a week later.
    assert totals[1] / totals[0] == pytest.approx(1.8, rel=0.01)


def test_cold_days_raise_volume_through_heating_degree_days(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    every_day = np.concatenate([DAYS, np.array(MONDAYS)])
    temperature = np.concatenate([rng.uniform(-10, 20, len(DAYS)), [15.5, -4.5]])
    heating = np.maximum(HEATING_BASE_C - temperature, 0)
    history = series(DAYS, np.exp(0.03 * heating[: len(DAYS)]))
    path = tmp_path / "weather.csv"
    path.write_text(
        "date,temperature\n"
        + "".join(f"{d},{t}\n" for d, t in zip(every_day, temperature, strict=True))
    )
    effects = DayEffects(covariates=read_covariates(path, {"all"}))
    totals = DayProfileModel()(history, np.array(MONDAYS), effects).mean.sum(axis=1)
    assert totals[1] / totals[0] == pytest.approx(np.exp(0.03 * 20), rel=0.06)


def test_unknown_queue_in_covariates_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text("date,queue,temperature\n2024-01-01,all,3\n2024-01-02,billing,4\n")
    with pytest.raises(BadRecord, match="unknown queue 'billing'") as error:
        read_covariates(path, {"all"})
    assert (error.value.line, error.value.field) == (3, "queue")


def test_missing_future_covariate_is_an_error_not_a_guess(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text("date,temperature\n" + "".join(f"{d},5\n" for d in DAYS))
    history = series(DAYS, np.ones(len(DAYS)))
    effects = DayEffects(covariates=read_covariates(path, {"all"}))
    with pytest.raises(BadInput, match="2024-03-11"):
        DayProfileModel()(history, np.array(MONDAYS[:1]), effects)


def test_calendar_rejects_unknown_kind(tmp_path: Path) -> None:
    path = tmp_path / "calendar.csv"
    path.write_text(f"date,kind,name\n{date(2024, 1, 1)},party,x\n")
    with pytest.raises(BadRecord, match="'party' is not one of") as error:
        read_calendar(path)
    assert error.value.field == "kind"
