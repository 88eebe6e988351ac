"""A forecast: expected counts per day and interval plus the two sources of spread.

Counts are modelled as Poisson given a rate, the rate as the expected count
times a day effect (shared by every interval of the day, variance
`day_dispersion`) and an interval effect (independent, variance
`interval_dispersion`): a Poisson–gamma model in the spirit of Weinberg, Brown
& Stroud (2007). Keeping the two apart is what lets quantiles be recomputed
correctly for coarser intervals, where the day effect does not average out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from callboard.forecast.negbin import negbin_quantiles
from callboard.forecast.series import DailyCounts, Days, Matrix, clock_labels, group_columns


@dataclass(frozen=True)
class _Grid:
    """Expected counts of one queue on a days × intervals grid."""

    model: str
    queue: str
    days: Days
    start_minute: int
    interval: int
    mean: Matrix

    @property
    def intervals(self) -> int:
        return int(self.mean.shape[1])

    def interval_starts(self) -> list[str]:
        return clock_labels(self.start_minute, self.interval, self.intervals)


@dataclass(frozen=True)
class Forecast(_Grid):
    day_dispersion: NDArray[np.float64]
    interval_dispersion: float

    @classmethod
    def for_history(
        cls,
        model: str,
        history: DailyCounts,
        targets: Days,
        mean: Matrix,
        day_dispersion: NDArray[np.float64],
        interval_dispersion: float,
    ) -> Forecast:
        """A forecast on the grid (queue, opening hours, interval) of `history`."""
        return cls(
            model,
            history.queue,
            targets,
            history.start_minute,
            history.interval,
            mean,
            day_dispersion,
            interval_dispersion,
        )

    def variance(self) -> Matrix:
        """mu + mu^2 (v_day + v_int + v_day v_int): Poisson noise on a doubly gamma-mixed rate."""
        v_day = self.day_dispersion[:, None]
        v_int = self.interval_dispersion
        return self.mean + self.mean**2 * (v_day + v_int + v_day * v_int)

    def quantiles(self, levels: NDArray[np.float64]) -> NDArray[np.float64]:
        """Shape (levels, days, intervals): a negative binomial matched to mean and variance."""
        return negbin_quantiles(self.mean, self.variance(), levels)

    def aggregate(self, interval: int) -> AggregatedForecast:
        """Sum to coarser intervals; the day effect is shared, the interval effects are not."""
        start = self.start_minute // interval * interval
        bucket = (self.start_minute + self.interval * np.arange(self.intervals) - start) // interval
        mean = group_columns(self.mean, bucket)
        squares = group_columns(self.mean**2, bucket)
        v_day = self.day_dispersion[:, None]
        v_int = self.interval_dispersion
        variance = mean + v_day * mean**2 + v_int * (1 + v_day) * squares
        return AggregatedForecast(
            self.model, self.queue, self.days, start, interval, mean, variance
        )


@dataclass(frozen=True)
class AggregatedForecast(_Grid):
    """A forecast summed to coarser intervals, carrying its variance directly."""

    var: Matrix

    def quantiles(self, levels: NDArray[np.float64]) -> NDArray[np.float64]:
        return negbin_quantiles(self.mean, self.var, levels)
