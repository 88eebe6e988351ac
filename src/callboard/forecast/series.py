"""Interval counts of one queue as an operating-day × interval matrix.

Only days that have data are rows: a holiday or a gap is simply absent and
every model looks days up by date, so a missing Monday is never mistaken for a
quiet one. Within an observed day an interval without a row counts zero, since
count files commonly leave empty intervals out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from callboard.errors import BadInput

Days = NDArray[np.datetime64]
Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class DailyCounts:
    """Counts for one queue; `counts[d, i]` covers `days[d]` from `start_minute + i*interval`."""

    queue: str
    days: Days
    start_minute: int
    interval: int
    counts: Matrix

    def __post_init__(self) -> None:
        if self.counts.shape != (len(self.days), self.counts.shape[1]):
            raise ValueError("counts must have one row per day")
        if len(self.days) > 1 and not bool(np.all(np.diff(self.days) > np.timedelta64(0, "D"))):
            raise ValueError("days must be sorted and unique")

    @property
    def intervals(self) -> int:
        return int(self.counts.shape[1])

    @property
    def weekdays(self) -> NDArray[np.int64]:
        """Monday = 0, as in `datetime.weekday()`."""
        return weekday(self.days)

    def interval_starts(self) -> list[str]:
        """Wall-clock labels `HH:MM` of each interval's start."""
        return clock_labels(self.start_minute, self.interval, self.intervals)

    def before(self, day: np.datetime64) -> DailyCounts:
        """The history an origin at the start of `day` may see."""
        keep = self.days < day
        return DailyCounts(
            self.queue, self.days[keep], self.start_minute, self.interval, self.counts[keep]
        )

    def select(self, days: Days) -> DailyCounts:
        """The rows for `days`, all of which must be present."""
        index = np.searchsorted(self.days, days)
        if np.any(index >= len(self.days)) or np.any(
            self.days[np.minimum(index, len(self.days) - 1)] != days
        ):
            raise KeyError("some requested days have no data")
        return DailyCounts(
            self.queue, self.days[index], self.start_minute, self.interval, self.counts[index]
        )

    def aggregate(self, interval: int) -> DailyCounts:
        """Sum into coarser intervals aligned to the clock (07:00, 07:30, ...)."""
        if interval == self.interval:
            return self
        if interval % self.interval or 1440 % interval:
            raise BadInput(
                f"cannot turn {self.interval}-minute counts into {interval}-minute ones: "
                f"choose a multiple of {self.interval} that divides 24 hours"
            )
        start = self.start_minute // interval * interval
        bucket = (self.start_minute + self.interval * np.arange(self.intervals) - start) // interval
        return DailyCounts(
            self.queue, self.days, start, interval, group_columns(self.counts, bucket)
        )


def clock_labels(start_minute: int, interval: int, count: int) -> list[str]:
    """`HH:MM` of `count` interval starts from `start_minute`, `interval` minutes apart."""
    return [
        f"{m // 60:02d}:{m % 60:02d}"
        for m in range(start_minute, start_minute + interval * count, interval)
    ]


def group_columns(matrix: Matrix, bucket: NDArray[np.int64]) -> Matrix:
    """Sum the columns of `matrix` that share a bucket number (0..max)."""
    out = np.zeros((matrix.shape[0], int(bucket.max()) + 1))
    np.add.at(out.T, bucket, matrix.T)
    return out


def weekday(days: Days) -> NDArray[np.int64]:
    """Monday = 0; 1970-01-01 was a Thursday."""
    return ((days.astype("datetime64[D]").astype(np.int64) + 3) % 7).astype(np.int64)


def from_points(
    queue: str, stamps: NDArray[np.datetime64], counts: NDArray[np.float64], interval: int
) -> DailyCounts:
    """Bin (timestamp, count) points into `interval`-minute buckets on a shared daily grid.

    The grid spans the earliest to the latest interval seen on any day, so
    opening hours are learnt from the data rather than assumed.
    """
    if len(stamps) == 0:
        raise BadInput(f"queue {queue!r}: no counts to forecast from")
    minute_stamps = stamps.astype("datetime64[m]")
    day_of = minute_stamps.astype("datetime64[D]")
    minute_of_day = (minute_stamps - day_of).astype(np.int64)
    slot = minute_of_day // interval
    first, last = int(slot.min()), int(slot.max())
    days, row = np.unique(day_of, return_inverse=True)
    matrix = np.zeros((len(days), last - first + 1))
    np.add.at(matrix, (row, slot - first), counts)
    return DailyCounts(queue, days, first * interval, interval, matrix)
