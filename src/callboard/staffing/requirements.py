"""Required agents per queue and interval, on one grid shared by every queue.

The file is a CSV `timestamp,queue,required` (queue optional), the shape
`callboard plan staff --format csv` writes, so a staffing plan feeds the
scheduler directly. Days or intervals a queue lacks require nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from callboard.forecast import DailyCounts, Days, read_interval_values, weekday

REQUIRED_NAMES = ("required", "agents", "requirement")


@dataclass(frozen=True)
class Requirements:
    """`required[q, d, i]` agents for `queues[q]` on `days[d]` from `start_minute + i*interval`."""

    queues: tuple[str, ...]
    days: Days
    start_minute: int
    interval: int
    required: NDArray[np.float64]

    @property
    def intervals(self) -> int:
        return int(self.required.shape[2])

    @property
    def open_weekdays(self) -> set[int]:
        return {int(w) for w in weekday(self.days)}

    def label(self, day: int, interval: int) -> str:
        minute = self.start_minute + interval * self.interval
        return f"{self.days[day]} {minute // 60:02d}:{minute % 60:02d}"


def read_requirements(path: Path, interval: int | None = None) -> Requirements:
    return align(
        list(read_interval_values(path, interval, REQUIRED_NAMES, "required", sparse=True).values())
    )


def align(series: list[DailyCounts]) -> Requirements:
    """Put every queue on the union of days and of opening hours."""
    interval = series[0].interval
    days = np.unique(np.concatenate([s.days for s in series]))
    start = min(s.start_minute for s in series)
    end = max(s.start_minute + s.intervals * s.interval for s in series)
    required = np.zeros((len(series), len(days), (end - start) // interval))
    for q, s in enumerate(series):
        rows = np.searchsorted(days, s.days)
        offset = (s.start_minute - start) // interval
        required[q, rows, offset : offset + s.intervals] = s.counts
    return Requirements(tuple(s.queue for s in series), days, start, interval, required)
