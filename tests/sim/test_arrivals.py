"""Arrival generation: rates, timed events and over-dispersion between days."""

from __future__ import annotations

import numpy as np

from callboard.sim.arrivals import arrival_offsets
from callboard.sim.scenario import Arrivals, TimedEvent

FLAT = Arrivals(per_interval=(50.0,) * 48)  # 100 per hour


def test_counts_follow_the_rate_and_a_timed_event_multiplies_it_inside_its_window() -> None:
    surge = TimedEvent(at_s=10 * 3600.0, duration_s=3 * 3600.0, volume=2.0)
    totals = np.zeros(24)
    days = 200
    rng = np.random.default_rng(1)
    for _ in range(days):
        times, _ = arrival_offsets(
            FLAT, duration_s=86400.0, day_offset_s=0.0, events=[surge], rng=rng
        )
        totals += np.bincount((times // 3600).astype(int), minlength=24)
    hourly = totals / days
    expected = np.where((np.arange(24) >= 10) & (np.arange(24) < 13), 200.0, 100.0)
    # Mean of 200 Poisson days: standard error sqrt(rate / 200) ≤ 1; allow 5.
    assert np.all(np.abs(hourly - expected) < 5.0)


def test_profile_follows_local_midnight_when_the_run_starts_mid_day() -> None:
    profile = Arrivals(per_interval=tuple(100.0 if k == 20 else 0.0 for k in range(48)))
    times, _ = arrival_offsets(
        profile, duration_s=86400.0, day_offset_s=9 * 3600.0, events=[],
        rng=np.random.default_rng(2),
    )  # fmt: skip
    # Slot 20 is 10:00-10:30 local; the run starts at 09:00, so offsets 1 h-1.5 h.
    assert len(times) > 0
    assert np.all((times >= 3600.0) & (times < 5400.0))


def test_day_factor_spreads_daily_totals_beyond_poisson() -> None:
    dispersed = Arrivals(per_interval=(50.0,) * 48, day_factor_cv=0.2)
    rng = np.random.default_rng(3)
    totals = [
        len(arrival_offsets(dispersed, duration_s=86400.0, day_offset_s=0.0, events=[], rng=rng)[0])
        for _ in range(300)
    ]
    # Poisson alone: sd 49; with a 20% day factor: sqrt(2400 + (0.2·2400)²) ≈ 482.
    assert 380 < float(np.std(totals)) < 600
    assert abs(float(np.mean(totals)) - 2400.0) < 80


def test_priorities_are_drawn_with_their_shares() -> None:
    mixed = Arrivals(per_interval=(500.0,) * 48, priorities=((0, 0.75), (2, 0.25)))
    _, priorities = arrival_offsets(
        mixed, duration_s=86400.0, day_offset_s=0.0, events=[], rng=np.random.default_rng(4)
    )
    assert set(priorities.tolist()) == {0, 2}
    assert abs(float(np.mean(priorities == 2)) - 0.25) < 0.01


def test_replay_uses_the_given_times_inside_the_horizon() -> None:
    replay = Arrivals(replay=(30.0, 5.0, 99999.0, 10.0))
    times, _ = arrival_offsets(
        replay, duration_s=3600.0, day_offset_s=0.0, events=[], rng=np.random.default_rng(5)
    )
    assert times.tolist() == [5.0, 10.0, 30.0]
