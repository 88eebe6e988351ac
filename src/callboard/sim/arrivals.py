"""Arrival times for one queue: a piecewise-constant-rate Poisson process, or a replay.

The horizon is cut at every profile slot boundary and every timed-event
boundary, so each segment has one rate; a segment of length L and rate r gets
Poisson(r L) arrivals placed uniformly, which is exactly a non-homogeneous
Poisson process with that rate. Everything is vectorised: a year of arrivals
takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from callboard.sim.scenario import Arrivals, TimedEvent

DAY_S = 86400.0


def local_offset(start: float, timezone: str) -> float:
    """Seconds from local midnight to `start` on the center's clock."""
    local = datetime.fromtimestamp(start, ZoneInfo(timezone))
    return local.hour * 3600.0 + local.minute * 60.0 + local.second + local.microsecond / 1e6


def arrival_offsets(
    arrivals: Arrivals,
    *,
    duration_s: float,
    day_offset_s: float,
    events: Sequence[TimedEvent],
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """(sorted offsets from the start in seconds, priority of each arrival).

    `day_offset_s` is where the start falls in its local day; it aligns the
    daily profile and the day-level factors with local midnights.
    """
    if arrivals.replay is not None:
        times = np.asarray(arrivals.replay, dtype=np.float64)
        keep = (times >= 0.0) & (times < duration_s)
        order = np.argsort(times[keep], kind="stable")
        if arrivals.replay_priorities is not None:
            given = np.asarray(arrivals.replay_priorities, dtype=np.int64)[keep][order]
            return times[keep][order], given
        times = times[keep][order]
    else:
        times = _poisson_times(arrivals, duration_s, day_offset_s, events, rng)
    classes = np.array([p for p, _ in arrivals.priorities], dtype=np.int64)
    shares = np.array([s for _, s in arrivals.priorities], dtype=np.float64)
    if len(classes) == 1:
        priorities = np.full(len(times), classes[0], dtype=np.int64)
    else:
        priorities = rng.choice(classes, len(times), p=shares / shares.sum())
    return times, priorities


def _poisson_times(
    arrivals: Arrivals,
    duration_s: float,
    day_offset_s: float,
    events: Sequence[TimedEvent],
    rng: np.random.Generator,
) -> np.ndarray:
    width = arrivals.interval_s
    profile = np.asarray(arrivals.per_interval, dtype=np.float64) / width  # per second
    slots_per_day = round(DAY_S / width)
    daily = len(profile) == slots_per_day
    first_slot = int(day_offset_s // width) if daily else 0
    # Slot boundaries, shifted so that slot edges sit on local interval edges.
    shift = (day_offset_s % width) if daily else 0.0
    edges = np.arange(-shift, duration_s + width, width)
    cuts = [edges, np.array([0.0, duration_s])]
    for event in events:
        cuts.append(np.array([event.at_s, event.at_s + event.duration_s]))
    bounds = np.unique(np.clip(np.concatenate(cuts), 0.0, duration_s))
    lo, hi = bounds[:-1], bounds[1:]
    slot = np.floor((lo + shift) / width).astype(np.int64)
    index = (first_slot + slot) % slots_per_day if daily else np.minimum(slot, len(profile) - 1)
    rate = profile[index]
    if arrivals.day_factor_cv > 0.0:
        day = np.floor((lo + day_offset_s) / DAY_S).astype(np.int64)
        shape = 1.0 / arrivals.day_factor_cv**2
        factors = rng.gamma(shape, 1.0 / shape, int(day.max()) + 1)
        rate = rate * factors[day]
    for event in events:
        inside = (lo >= event.at_s) & (hi <= event.at_s + event.duration_s)
        rate = np.where(inside, rate * event.volume, rate)
    counts = rng.poisson(rate * (hi - lo))
    starts = np.repeat(lo, counts)
    lengths = np.repeat(hi - lo, counts)
    return np.sort(starts + rng.random(len(starts)) * lengths)
