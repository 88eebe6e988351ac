"""Agents by state per interval, from agent-state spans when the records have them.

Logged-in and paused time come from the spans (`records.AGENT_STATE_SCHEMA`:
`logged_in`, and `paused` with its reason, nested in a login); each interval
gets the time-average count. Without spans for the window the split between
"not scheduled" and "scheduled but not available" cannot be made, and the
report says so rather than putting zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from callboard.records import AGENT_STATE_SCHEMA, RecordDataset

Spans: TypeAlias = RecordDataset | pa.Table


@dataclass(frozen=True)
class Presence:
    logged_in: np.ndarray  # time-average agents logged in, per interval
    paused: np.ndarray  # of whom paused
    paused_by_reason: dict[str, np.ndarray]
    by_agent: dict[str, dict[str, float]]  # agent -> state (or pause reason) -> minutes

    @property
    def available(self) -> np.ndarray:
        available: np.ndarray = np.maximum(self.logged_in - self.paused, 0.0)
        return available


def agent_presence(
    spans: Spans | None, start: float, interval_s: float, slots: int
) -> Presence | None:
    if spans is None:
        return None
    table = _spans_between(spans, start, start + slots * interval_s)
    if table.num_rows == 0:
        return None
    logged_in, paused = np.zeros(slots), np.zeros(slots)
    reasons: dict[str, np.ndarray] = {}
    by_agent: dict[str, dict[str, float]] = {}
    begins = table.column("start_at").cast("int64").to_numpy() / 1e6
    ends = table.column("end_at").cast("int64").to_numpy() / 1e6
    for agent, state, reason, began, ended in zip(
        table.column("agent").to_pylist(), table.column("state").to_pylist(),
        table.column("reason").to_pylist(), begins, ends, strict=True,
    ):  # fmt: skip
        seconds = _overlap(began, ended, start, interval_s, slots)
        key = state if state == "logged_in" else f"paused: {reason or 'unspecified'}"
        mine = by_agent.setdefault(agent, {})
        mine[key] = mine.get(key, 0.0) + float(seconds.sum()) / 60.0
        if state == "logged_in":
            logged_in += seconds / interval_s
        else:
            paused += seconds / interval_s
            label = reason or "unspecified"
            reasons[label] = reasons.get(label, np.zeros(slots)) + seconds / interval_s
    return Presence(logged_in, paused, reasons, by_agent)


def _overlap(began: float, ended: float, start: float, interval_s: float, slots: int) -> np.ndarray:
    lows = start + interval_s * np.arange(slots)
    seconds: np.ndarray = np.clip(
        np.minimum(ended, lows + interval_s) - np.maximum(began, lows), 0, None
    )
    return seconds


def _spans_between(spans: Spans, start: float, end: float) -> pa.Table:
    if isinstance(spans, RecordDataset):
        files = spans.files()
        if not files:
            return AGENT_STATE_SCHEMA.empty_table()
        table = pa.concat_tables([pq.read_table(f, partitioning=None) for f in files])
    else:
        table = spans
    begins = table.column("start_at").cast(pa.int64())
    ends = table.column("end_at").cast(pa.int64())
    keep = pc.and_(pc.less(begins, int(end * 1e6)), pc.greater(ends, int(start * 1e6)))
    return table.filter(keep)
