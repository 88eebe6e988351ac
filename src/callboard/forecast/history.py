"""What every forecast starts from: past counts per queue and the day effects behind them.

`HistorySource` names the inputs as a user gives them (a counts file or the
workspace's records, and the optional calendar and covariates files), so the
CLI and the server load a history the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from callboard.forecast.calendar import Calendar, read_calendar
from callboard.forecast.count_sources import load_counts
from callboard.forecast.covariates import read_covariates
from callboard.forecast.day_effects import DayEffects
from callboard.forecast.interval_forecast import Forecast
from callboard.forecast.queue_forecast import AUTO, forecast_queue
from callboard.forecast.series import DailyCounts
from callboard.records import RecordDataset


@dataclass(frozen=True)
class HistorySource:
    """Exactly one of `counts` and `records`; `interval` in minutes (None: the source's own)."""

    counts: Path | None = None
    records: RecordDataset | None = None
    interval: int | None = None
    calendar: Path | None = None
    covariates: Path | None = None


@dataclass(frozen=True)
class History:
    series: dict[str, DailyCounts]
    effects: DayEffects = field(default_factory=DayEffects)

    def forecasts(self, horizon_days: int, model: str = AUTO) -> list[Forecast]:
        """One forecast per queue, `horizon_days` calendar days ahead."""
        return [
            forecast_queue(s, horizon_days=horizon_days, model=model, effects=self.effects)
            for s in self.series.values()
        ]


def load_history(source: HistorySource) -> History:
    series = load_counts(counts=source.counts, records=source.records, interval=source.interval)
    effects = DayEffects(
        calendar=read_calendar(source.calendar) if source.calendar else Calendar(),
        covariates=read_covariates(source.covariates, set(series)) if source.covariates else None,
    )
    return History(series, effects)
