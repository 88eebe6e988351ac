"""Synthetic contact records for the KPI benchmark, built column-wise with NumPy.

The distributions are chosen to look like a real hotline rather than uniform
noise, so that the query sees realistic group sizes and null patterns: a
two-peaked day, a few big queues and many small ones, exponential waits,
lognormal talk times, optional hold and ACW, and every outcome of KPI.md.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from callboard.records.schema import finish_table

OUTCOMES = ("answered", "abandoned", "exited", "blocked", "ivr_abandoned", "phantom")
OUTCOME_SHARES = (0.84, 0.10, 0.02, 0.01, 0.025, 0.005)
EXIT_REASONS = ("timeout", "overflow", "exit_key")
CHANNELS = ("call", "chat")
AGENTS = 400
US = 1_000_000


def queue_names(count: int) -> list[str]:
    return [f"Q{number:02d}" for number in range(1, count + 1)]


def day_of_records(
    rng: np.random.Generator,
    day: date,
    count: int,
    *,
    first_id: int,
    queues: int,
    tz: str,
) -> pa.Table:
    """`count` contacts entering the queue on local `day`, in RECORD_SCHEMA."""
    outcome_index = rng.choice(len(OUTCOMES), size=count, p=OUTCOME_SHARES)
    answered = outcome_index == 0
    abandoned = outcome_index == 1
    exited = outcome_index == 2
    offered = outcome_index <= 2

    # Two peaks, mid-morning and mid-afternoon, plus a thin spread over the day.
    peak = rng.choice(3, size=count, p=(0.5, 0.4, 0.1))
    hours = np.where(
        peak == 0,
        rng.normal(10.5, 1.5, count),
        np.where(peak == 1, rng.normal(15.0, 2.0, count), rng.uniform(0, 24, count)),
    )
    seconds_of_day = np.clip(hours * 3600, 0, 86_399.999)
    midnight = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz))
    epoch_midnight_us = int(midnight.timestamp()) * US
    queued_us = epoch_midnight_us + (seconds_of_day * US).astype(np.int64)

    weights = 1.0 / np.arange(1, queues + 1)  # a few big queues, many small ones
    queue_index = rng.choice(queues, size=count, p=weights / weights.sum())

    waited = offered & ((~answered) | (rng.random(count) < 0.55))
    wait = np.where(answered, rng.exponential(45.0, count), 0.0)
    wait = np.where(abandoned, rng.exponential(60.0, count), wait)
    wait = np.where(exited, 120.0 + rng.exponential(60.0, count), wait)
    wait = np.where(waited, wait, 0.0).round(3)
    talk = rng.lognormal(np.log(150.0), 0.8, count).round(3)
    hold = np.where(rng.random(count) < 0.2, rng.exponential(30.0, count).round(3), np.nan)
    acw = rng.exponential(20.0, count).round(3)
    ivr = rng.uniform(3.0, 60.0, count).round(3)

    answered_us = queued_us + (wait * US).astype(np.int64)
    handle = talk + np.nan_to_num(hold)
    ended_us = np.where(answered, answered_us + (handle * US).astype(np.int64), answered_us)

    ids = pc.cast(pa.array(np.arange(first_id, first_id + count)), pa.string())
    arrays: dict[str, pa.Array] = {
        "contact_id": pc.binary_join_element_wise("bench", ids, ":"),
        "source": pa.array(np.full(count, "bench", dtype=object), pa.string()),
        "channel": _pick(CHANNELS, rng.choice(2, size=count, p=(0.9, 0.1))),
        "queue": _pick(queue_names(queues), queue_index),
        "priority": pa.array(rng.choice(3, size=count, p=(0.7, 0.2, 0.1)).astype(np.int16)),
        "agent": _pick(
            [f"A{n:04d}" for n in range(AGENTS)], rng.integers(0, AGENTS, count), answered
        ),
        "arrived_at": _timestamps(queued_us - (ivr * US).astype(np.int64)),
        "queued_at": _timestamps(queued_us),
        "answered_at": _timestamps(answered_us, answered),
        "ended_at": _timestamps(ended_us, offered),
        "outcome": _pick(OUTCOMES, outcome_index),
        "exit_reason": _pick(EXIT_REASONS, rng.integers(0, len(EXIT_REASONS), count), exited),
        "queued": pa.array(waited),
        "wait_s": pa.array(wait, mask=~offered),
        "ivr_s": pa.array(ivr),
        "talk_s": pa.array(talk, mask=~answered),
        "hold_s": pa.array(hold, mask=~answered | np.isnan(hold)),
        "acw_s": pa.array(acw, mask=~answered),
        "callback": pa.array(offered & (rng.random(count) < 0.02)),
    }
    return finish_table(arrays, tz)


def days_from(first: date, count: int) -> list[date]:
    return [first + timedelta(days=offset) for offset in range(count)]


def _pick(names: tuple[str, ...] | list[str], index: np.ndarray, keep: object = None) -> pa.Array:
    """Strings by index, without a Python loop; null where `keep` is False."""
    values = pa.array(list(names), pa.string()).take(pa.array(index))
    if keep is None:
        return values
    return pc.if_else(pa.array(keep), values, pa.scalar(None, pa.string()))


def _timestamps(micros: np.ndarray, keep: np.ndarray | None = None) -> pa.Array:
    mask = None if keep is None else ~keep
    return pa.array(micros, type=pa.int64(), mask=mask).cast(pa.timestamp("us", tz="UTC"))
