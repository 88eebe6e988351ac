"""Replications: reproducible, parallel or not, combined into means with 95% CIs."""

from __future__ import annotations

import math

import pytest

from callboard.sim.distributions import Exponential
from callboard.sim.executors import ProcessExecutor
from callboard.sim.replications import simulate
from callboard.sim.summary import combine, estimate
from tests.sim.helpers import one_queue

SMALL = one_queue(rate_per_hour=60, agents=2, patience=Exponential(120.0), hours=3)


def test_estimate_is_the_student_t_interval() -> None:
    result = estimate([1.0, 2.0, 3.0, 4.0])
    assert result is not None
    # mean 2.5, s = 1.291, t(0.975, 3) = 3.182: half-width 2.054
    assert result.mean == 2.5
    assert result.low == pytest.approx(2.5 - 2.0540, abs=1e-3)
    assert result.high == pytest.approx(2.5 + 2.0540, abs=1e-3)
    single = estimate([7.0])
    assert single is not None and (single.low, single.high) == (None, None)


def test_a_group_missing_from_a_replication_counts_zero_contacts_but_no_ratio() -> None:
    runs = [[{"queue": "q", "offered": 4, "sl": 0.5}], []]
    (row,) = [r for r in combine(runs, ("queue",), 2) if r["queue"] == "q"]
    assert row["offered"]["mean"] == 2.0 and row["offered"]["n"] == 2
    assert row["sl"]["mean"] == 0.5 and row["sl"]["n"] == 1


def test_simulate_reports_every_kpi_with_an_interval_and_is_reproducible() -> None:
    first = simulate(SMALL, replications=3, seed=9)
    again = simulate(SMALL, replications=3, seed=9)
    assert first.total == again.total
    offered = first.total["offered"]
    assert offered["n"] == 3 and offered["ci95_low"] <= offered["mean"] <= offered["ci95_high"]
    assert 0.0 <= first.total["sl"]["mean"] <= 1.0
    assert "sl" in first.definitions["kpis"]
    intervals = {row["interval"] for row in first.by_interval}
    assert len(intervals) == 6  # three hours of 30-minute intervals
    assert math.isclose(sum(row["offered"]["mean"] for row in first.by_interval), offered["mean"])


def test_a_process_pool_gives_the_same_answer_as_running_inline() -> None:
    inline = simulate(SMALL, replications=2, seed=4)
    pooled = simulate(SMALL, replications=2, seed=4, executor=ProcessExecutor(2))
    assert pooled.total == inline.total
