"""The registry of forecasting models, looked up by name from the CLI and the backtest."""

from __future__ import annotations

from typing import Protocol

from callboard.forecast.baselines import SameWeekdayMean, seasonal_naive
from callboard.forecast.day_effects import DayEffects
from callboard.forecast.dayprofile import DayProfileModel
from callboard.forecast.interval_forecast import Forecast
from callboard.forecast.series import DailyCounts, Days

MAIN_MODEL = "dayprofile"


class Model(Protocol):
    @property
    def name(self) -> str: ...

    def __call__(self, history: DailyCounts, targets: Days, effects: DayEffects) -> Forecast: ...


def builtin_models() -> dict[str, Model]:
    models: list[Model] = [DayProfileModel(), seasonal_naive(), SameWeekdayMean(weeks=4)]
    return {m.name: m for m in models}
