"""The volume file of `callboard staff`: calls per interval, `timestamp,count[,queue]`.

Unlike the planning inputs, a bad row does not stop the read: it is kept as a
message naming file, line and field, and the other intervals are still
staffed, because one typo in a month of intervals should not hide the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from callboard.csv_table import read_table
from callboard.errors import BadInput, BadRecord


@dataclass(frozen=True)
class IntervalVolume:
    """Calls offered in one interval; `timestamp` and `queue` are empty for a bare count."""

    timestamp: str
    queue: str
    count: float


@dataclass(frozen=True)
class Volume:
    source: str  # the file, or the option that gave the count
    rows: list[IntervalVolume]
    rejected: list[str] = field(default_factory=list)  # one message per unreadable row

    @classmethod
    def single(cls, calls: float) -> Volume:
        """One interval of `calls`, as `staff --calls N` gives it."""
        if not (math.isfinite(calls) and calls >= 0):
            raise BadInput(f"--calls {calls!r} is not valid: give a number of calls >= 0")
        return cls("--calls", [IntervalVolume("", "", calls)])


def read_volume(path: Path) -> Volume:
    _, lines = read_table(path, "volume", ["timestamp", "count"])
    volume = Volume(str(path), [])
    for line, row in lines:
        try:
            volume.rows.append(_row(path, line, row))
        except BadRecord as exc:
            volume.rejected.append(str(exc))
    return volume


def _row(path: Path, line: int, row: dict[str, str]) -> IntervalVolume:
    stamp = row.get("timestamp", "")
    try:
        datetime.fromisoformat(stamp)
    except ValueError:
        raise BadRecord(
            str(path), line, "timestamp", f"{stamp!r} is not an ISO 8601 time"
        ) from None
    text = row.get("count", "")
    try:
        count = float(text)
    except ValueError:
        count = math.nan
    if not (math.isfinite(count) and count >= 0):
        raise BadRecord(str(path), line, "count", f"{text!r} is not a number of calls >= 0")
    return IntervalVolume(stamp, row.get("queue", ""), count)
