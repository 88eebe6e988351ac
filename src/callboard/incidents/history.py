"""The records an incident report reads: the incident's stretch and what came before it.

Everything "usual" (the forecast, the usual handling time, patience and
skills) is computed from records that ended before the incident's day
began, as the planners would have had them the evening before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from callboard.errors import BadInput
from callboard.kpi import Source, select_records

_OFFERED = ("answered", "abandoned", "exited")


@dataclass(frozen=True)
class Columns:
    """The record columns the analysis reads, as NumPy arrays (times in POSIX seconds)."""

    queue: np.ndarray
    outcome: np.ndarray
    agent: np.ndarray
    region: np.ndarray
    category: np.ndarray
    queued_at: np.ndarray
    local_minute: np.ndarray  # minutes since 1970-01-01 on the center's wall clock
    wait_s: np.ndarray
    talk_s: np.ndarray

    @property
    def offered(self) -> np.ndarray:
        return np.isin(self.outcome, _OFFERED)

    def local_day(self) -> np.ndarray:
        return (self.local_minute // 1440).astype("datetime64[D]")


def columns_of(table: pa.Table) -> Columns:
    def seconds(name: str) -> np.ndarray:
        values = table.column(name).cast(pa.int64()).to_numpy(zero_copy_only=False)
        return np.asarray(values, dtype=np.float64) / 1e6

    def floats(name: str) -> np.ndarray:
        column = table.column(name).to_numpy(zero_copy_only=False)
        return np.asarray([np.nan if v is None else v for v in column], dtype=np.float64)

    def texts(name: str) -> np.ndarray:
        return np.asarray(table.column(name).to_pylist(), dtype=object)

    local = table.column("local_time").cast(pa.int64()).to_numpy(zero_copy_only=False)
    return Columns(
        queue=texts("queue"), outcome=texts("outcome"), agent=texts("agent"),
        region=texts("region"), category=np.asarray(
            [_category(a) for a in table.column("attributes").to_pylist()], dtype=object),
        queued_at=seconds("queued_at"),
        local_minute=np.asarray(local, dtype=np.int64) // 60_000_000,
        wait_s=floats("wait_s"), talk_s=floats("talk_s"),
    )  # fmt: skip


def _category(attributes: str | None) -> str | None:
    if not attributes or "category" not in attributes:
        return None
    value = json.loads(attributes).get("category")
    return None if value is None else str(value)


@dataclass(frozen=True)
class Stretch:
    """The records up to the incident's end, and the center's zone."""

    records: pa.Table
    timezone: str

    def instant(self, local: datetime) -> float:
        """A naive local time on the center's clock as POSIX seconds."""
        return local.replace(tzinfo=ZoneInfo(self.timezone)).timestamp()


def load_stretch(source: Source, end: datetime, *, history_days: int = 56) -> Stretch:
    """Records from `history_days` before `end` up to `end` (local, half-open)."""
    table = select_records(source, start=end - timedelta(days=history_days + 1), end=end)
    if table.num_rows == 0:
        raise BadInput(f"no contact records in the {history_days} days before {end}")
    return Stretch(table, str(table.column("tz")[0].as_py()))
