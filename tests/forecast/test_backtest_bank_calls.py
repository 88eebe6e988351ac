"""The issue's acceptance figures, measured on the real bank-calls series."""

from __future__ import annotations

from pathlib import Path

import pytest

from callboard.forecast import (
    BacktestResult,
    backtest,
    builtin_models,
    evaluation_days,
    read_counts,
)


@pytest.fixture(scope="module")
def results(bank_calls_file: Path) -> dict[int, BacktestResult]:
    series = read_counts(bank_calls_file)["all"]
    days = evaluation_days(series, origins_from=None, weeks=4)
    models = builtin_models()
    return {level: backtest(series, models, days, aggregate=level) for level in (5, 30)}


def test_the_last_four_weeks_are_the_evaluation_days(bank_calls_file: Path) -> None:
    series = read_counts(bank_calls_file)["all"]
    days = evaluation_days(series, origins_from=None, weeks=4)
    # 2003-06-03 .. 2003-06-30 holds 20 weekdays, all present in the file.
    assert str(days[0]) == "2003-06-03" and str(days[-1]) == "2003-06-30"
    assert len(days) == 20


@pytest.mark.parametrize("level", [5, 30])
def test_main_model_beats_the_four_weekday_mean_in_wape(
    results: dict[int, BacktestResult], level: int
) -> None:
    scores = results[level].scores
    assert scores["dayprofile"].wape < scores["weekday_mean"].wape


@pytest.mark.parametrize("level", [5, 30])
def test_ten_to_ninety_percent_band_covers_about_eighty_percent(
    results: dict[int, BacktestResult], level: int
) -> None:
    assert 0.75 <= results[level].scores["dayprofile"].coverage_80 <= 0.85


def test_json_shape_names_every_model_and_the_best(results: dict[int, BacktestResult]) -> None:
    shape = results[5].as_dict()
    assert set(shape) == {"models", "best"}
    assert set(shape["models"]) == {"dayprofile", "seasonal_naive", "weekday_mean"}  # type: ignore[arg-type]
    assert shape["best"] == "dayprofile"
