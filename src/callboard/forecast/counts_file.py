"""Read a counts CSV into per-queue `DailyCounts`.

Two layouts are accepted: `timestamp,queue,count` (queue optional, for a
single-queue file) and the `rownames,DateTime,Calls` layout of the bank-calls
series. Timestamps are the center's wall clock: a `Z` or offset suffix is
dropped, not converted, because files such as bank-calls write local time with
a `Z`. The file is read by `csv_table` like every CSV; every problem raises
`BadRecord` naming the file, line and field.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import numpy as np

from callboard.csv_table import read_table
from callboard.errors import BadInput, BadRecord
from callboard.forecast.series import DailyCounts, from_points

DEFAULT_QUEUE = "all"
DEFAULT_STEP = 60
_TIME_NAMES = ("timestamp", "datetime", "time", "interval_start")
_COUNT_NAMES = ("count", "calls", "offered", "contacts")


def read_counts(path: Path, interval: int | None = None) -> dict[str, DailyCounts]:
    """Counts per queue on the file's own interval, or summed to `interval` minutes."""
    return read_interval_values(path, interval, _COUNT_NAMES, "count", sparse=False)


def read_interval_values(
    path: Path, interval: int | None, value_names: tuple[str, ...], role: str, *, sparse: bool
) -> dict[str, DailyCounts]:
    """Any non-negative per-interval value (counts, required agents) per queue.

    With `sparse`, rows may skip intervals (a requirement only at some hours)
    and gaps that are multiples of `interval` are read on that grid. Counts
    are never sparse that way: a 30-minute count cannot be split into 15-minute ones.
    """
    rows = _read_rows(path, value_names, role)
    by_queue: dict[str, list[tuple[int, datetime, float]]] = {}
    for line, queue, stamp, count in rows:
        by_queue.setdefault(queue, []).append((line, stamp, count))
    step = _step(by_queue.values(), interval if sparse else None, interval)
    if interval is not None and interval % step:
        raise BadInput(
            f"{path}: the file has {step}-minute counts; --interval must be a "
            f"multiple of {step} minutes"
        )
    result: dict[str, DailyCounts] = {}
    for queue, points in sorted(by_queue.items()):
        _check_grid(path, queue, points, step)
        stamps = np.array([p[1] for p in points], dtype="datetime64[m]")
        values = np.array([p[2] for p in points], dtype=np.float64)
        result[queue] = from_points(queue, stamps, values, interval or step)
    return result


def _read_rows(
    path: Path, value_names: tuple[str, ...], role: str
) -> list[tuple[int, str, datetime, float]]:
    header, lines = read_table(path, role, [])
    time_name = _column(path, header, _TIME_NAMES, "timestamp")
    value_name = _column(path, header, value_names, role)
    rows: list[tuple[int, str, datetime, float]] = []
    for line, values in lines:
        queue = values["queue"] if "queue" in header else DEFAULT_QUEUE
        if not queue:
            raise BadRecord(str(path), line, "queue", "empty queue name")
        stamp = _parse_time(path, line, time_name, values[time_name])
        rows.append((line, queue, stamp, _parse_value(path, line, value_name, values[value_name])))
    if not rows:
        raise BadInput(f"{path}: no {role} rows after the header")
    return rows


def _column(path: Path, header: list[str], names: tuple[str, ...], role: str) -> str:
    for name in names:
        if name in header:
            return name
    raise BadInput(
        f"{path}: no {role} column; expected one of {', '.join(names)} in the header "
        f"(found: {', '.join(header) or 'nothing'})"
    )


def _parse_time(path: Path, line: int, field: str, text: str) -> datetime:
    raw = text.strip()
    try:
        stamp = datetime.fromisoformat(raw)
    except ValueError:
        raise BadRecord(str(path), line, field, f"{raw!r} is not an ISO timestamp") from None
    return stamp.replace(tzinfo=None)


def _parse_value(path: Path, line: int, field: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadRecord(str(path), line, field, f"{text.strip()!r} is not a number") from None
    if not np.isfinite(value):
        raise BadRecord(str(path), line, field, f"{text.strip()!r} is not a finite number")
    if value < 0:
        raise BadRecord(str(path), line, field, f"negative value {value:g}; must be >= 0")
    return value


def _step(
    queues: Iterable[list[tuple[int, datetime, float]]], grid: int | None, interval: int | None
) -> int:
    """The file's interval in minutes: the commonest gap between timestamps of one day.

    A file with a single row per day says nothing about its interval; it is
    then read at the requested interval, or hourly. Gaps that are whole
    multiples of `grid` are read on that grid.
    """
    gaps: Counter[int] = Counter()
    for points in queues:
        ordered = sorted(p[1] for p in points)
        for previous, stamp in itertools.pairwise(ordered):
            if stamp.date() == previous.date() and stamp > previous:
                gaps[int((stamp - previous).total_seconds() // 60)] += 1
    commonest = max((g for g in gaps if g > 0), key=lambda g: (gaps[g], g), default=None)
    if commonest is None:
        return interval or DEFAULT_STEP
    # Sparse rows (a requirement only at some hours) sit on the requested grid.
    if grid is not None and commonest % grid == 0:
        return grid
    return commonest


def _check_grid(
    path: Path, queue: str, points: list[tuple[int, datetime, float]], step: int
) -> None:
    """Reject repeated timestamps, and ones off the step grid, which would count minutes twice."""
    seen: dict[datetime, int] = {}
    for line, stamp, _ in points:
        if stamp in seen:
            raise BadRecord(
                str(path),
                line,
                "timestamp",
                f"duplicate timestamp {stamp.isoformat()} for queue {queue!r} "
                f"(first on line {seen[stamp]})",
            )
        seen[stamp] = line
    anchor = min(p[1].hour * 60 + p[1].minute for p in points) % step
    for line, stamp, _ in points:
        if stamp.second or (stamp.hour * 60 + stamp.minute - anchor) % step:
            raise BadRecord(
                str(path),
                line,
                "timestamp",
                f"{stamp.isoformat()} overlaps the {step}-minute intervals of queue {queue!r}; "
                "every timestamp must start an interval on the same grid",
            )
