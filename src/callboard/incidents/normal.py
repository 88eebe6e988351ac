"""What a normal day would have looked like, from the records before the incident's day.

- Volume: the forecast the planning models make the evening before
  (`callboard.forecast.DayProfileModel` over the days before, interval counts
  on the center's clock, offered contacts only).
- Handling time: the mean talk time of the queue's handled contacts on the
  same weekday and hour in the history; with fewer than `MIN_CALLS` of those (a
  usual level must be steadier than the day it judges),
  the same hour on any day, then the queue's whole history. The basis used is
  reported beside the figure.
- Patience: Brown et al.'s mean over the queue's history.
- Skills: the queues each agent answered in the history.
A figure the history cannot give is None with the reason, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from callboard.forecast import DailyCounts, DayEffects, DayProfileModel
from callboard.incidents.history import Columns
from callboard.queueing import mean_patience

MIN_CALLS = 200


@dataclass(frozen=True)
class Usual:
    """Usual levels for one queue over the window's intervals."""

    forecast: np.ndarray | None  # expected offered per interval
    forecast_note: str
    aht_s: np.ndarray  # usual mean talk time per interval (NaN when unknown)
    aht_basis: list[str]
    patience_s: float | None
    skills: dict[str, frozenset[str]] = field(default_factory=dict)


def usual_levels(
    history: Columns, queue: str, slot_minutes: np.ndarray, interval_min: int
) -> Usual:
    """`slot_minutes`: each window interval's start, local minutes since the epoch;
    `history` holds only records from before the window's first day."""
    mine = history.offered & (history.queue == queue)
    forecast, note = _forecast(history, mine, queue, slot_minutes, interval_min)
    aht, basis = _usual_aht(history, mine, slot_minutes)
    waits = history.wait_s[mine]
    known = np.isfinite(waits)
    patience = mean_patience(waits[known], history.outcome[mine][known] == "abandoned").mean
    return Usual(
        forecast=forecast, forecast_note=note, aht_s=aht, aht_basis=basis,
        patience_s=float(patience) if np.isfinite(patience) and patience > 0 else None,
        skills=usual_skills(history),
    )  # fmt: skip


def usual_skills(history: Columns) -> dict[str, frozenset[str]]:
    answered = history.outcome == "answered"
    skills: dict[str, set[str]] = {}
    for agent, queue in zip(history.agent[answered], history.queue[answered], strict=True):
        if agent is not None:
            skills.setdefault(agent, set()).add(queue)
    return {agent: frozenset(queues) for agent, queues in skills.items()}


def _forecast(
    history: Columns, mine: np.ndarray, queue: str, slot_minutes: np.ndarray, interval_min: int
) -> tuple[np.ndarray | None, str]:
    minutes = history.local_minute[mine]
    days = np.unique(minutes // 1440)
    if len(days) < 2:
        return None, "fewer than 2 days of history before the incident: no forecast"
    per_day = 1440 // interval_min
    counts = np.zeros((len(days), per_day))
    np.add.at(counts, (np.searchsorted(days, minutes // 1440), (minutes % 1440) // interval_min), 1)
    series = DailyCounts(queue, days.astype("datetime64[D]"), 0, interval_min, counts)
    targets = np.unique(slot_minutes // 1440)
    model = DayProfileModel()
    result = model(series, targets.astype("datetime64[D]"), DayEffects())
    rows = np.searchsorted(targets, slot_minutes // 1440)
    expected = result.mean[rows, (slot_minutes % 1440) // interval_min]
    return np.asarray(expected, dtype=np.float64), (
        f"{model.name} forecast from {len(days)} days before the incident's day"
    )


def _usual_aht(
    history: Columns, mine: np.ndarray, slot_minutes: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    handled = mine & (history.outcome == "answered") & np.isfinite(history.talk_s)
    handled &= history.talk_s > 0
    minutes = history.local_minute[handled]
    talk = history.talk_s[handled]
    hour = (minutes % 1440) // 60
    weekday = ((minutes // 1440) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    aht = np.full(len(slot_minutes), np.nan)
    basis = []
    for index, start in enumerate(slot_minutes):
        slot_hour, slot_day = (start % 1440) // 60, ((start // 1440) + 3) % 7
        for label, chosen in (
            ("same weekday and hour", (hour == slot_hour) & (weekday == slot_day)),
            ("same hour, any weekday", hour == slot_hour),
            ("whole history", np.ones(len(talk), dtype=bool)),
        ):
            if chosen.sum() >= MIN_CALLS:
                aht[index] = float(talk[chosen].mean())
                basis.append(label)
                break
        else:
            basis.append("not enough handled calls in the history")
    return aht, basis
