"""The registry of forecasting models, looked up by name from the CLI and the backtest."""

from __future__ import annotations

from typing import Protocol

from callboard.planning.baselines import SameWeekdayMean, seasonal_naive
from callboard.planning.dayprofile import DayProfileModel
from callboard.planning.effects import DayEffects
from callboard.planning.forecast import Forecast
from callboard.planning.series import DailyCounts, Days

MAIN_MODEL = "dayprofile"


class Model(Protocol):
    @property
    def name(self) -> str: ...

    def __call__(self, history: DailyCounts, targets: Days, effects: DayEffects) -> Forecast: ...


def builtin_models() -> dict[str, Model]:
    models: list[Model] = [DayProfileModel(), seasonal_naive(), SameWeekdayMean(weeks=4)]
    return {m.name: m for m in models}
