"""Projection: a live center's state carried on in the simulator under each surge option.

The live engine's snapshot is restored, an option's surge actions are applied
to it at `now` exactly as the live server would apply them (`surge.apply`),
and the simulator runs the next `minutes` from there, `replications` times,
through an executor. The options are cumulative, because a plan escalates
tier by tier: `tier3` applies tier 3's actions, `tier2` tiers 3 and 2,
`tier1` tiers 3, 2 and 1 (for every queue of the plan, each tier whose number
is at least the option's). They are listed from the cheapest.

What the projection assumes, and why:

- Arrivals: the scenario's expected rate for each coming minute times
  `volume` (one factor, or one per queue). The live server passes the
  scenario's profile without its timed events and sets `volume` to each
  queue's live trend (arrivals in the last 10 minutes over the forecast),
  because during a surge the profile is what the forecast knew and the trend
  is what is happening.
- Service, patience and redials come from the scenario; agents keep the
  state they have now (nobody's shift changes within the hour). Reserve
  people log in at the first whole minute after they are due.
- Every option runs with the same random numbers in replication k (common
  random numbers), so option differences are not noise between seeds.
- Figures, over all queues: `sl` = A(wait <= T) / (O - Ab_s) and
  `abandon_rate` = Ab / O (KPI.md) for contacts that enter the queue within
  the horizon, each queue with its own T and S = 5 s; `peak_wait_s` is the
  longest wait anyone in line during the horizon has had by its end (callers
  waiting now included). They are computed here from the finished contacts
  with NumPy rather than through the DuckDB KPI engine: a projection has
  120 short runs, and the KPI engine's round trip per run would cost more
  than the runs.
- The recommendation is the cheapest option whose mean `sl` reaches the
  target; None when none does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np

from callboard.engine import Center, Contact
from callboard.sim.driver import run
from callboard.sim.executors import Executor, InlineExecutor
from callboard.sim.scenario import AgentGroup, Arrivals, QueueScenario, Scenario
from callboard.sim.summary import estimate
from callboard.surge import Action, CallReserve, Plan, ReservePerson, apply

SHORT_ABANDON_S = 5.0
SERIES_EVERY_MIN = 5
# Replications per executor task: one task per run would pickle the snapshot 120
# times for a default projection.
CHUNK = 10
_STEP_S = 60.0  # the projection's profile and reserve-login grid
NONE = "none"


@dataclass(frozen=True)
class Interval:
    """A mean across replications with its 95% Student t interval."""

    mean: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {"mean": self.mean, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class OptionResult:
    option: str
    sl: Interval
    abandon_rate: Interval
    peak_wait_s: Interval
    # (minute, mean sl of contacts queued in the 5 minutes from it, mean callers in line at it)
    series: tuple[tuple[int, float | None, float], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "option": self.option,
            "sl": self.sl.as_dict(),
            "abandon_rate": self.abandon_rate.as_dict(),
            "peak_wait_s": self.peak_wait_s.as_dict(),
            "series": [{"minute": m, "sl": sl, "waiting": w} for m, sl, w in self.series],
        }


@dataclass(frozen=True)
class Projection:
    at: float
    minutes: int
    replications: int
    target_sl: float
    volume: dict[str, float]
    options: tuple[OptionResult, ...]
    recommended: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": datetime.fromtimestamp(self.at, UTC).isoformat(),
            "minutes": self.minutes,
            "replications": self.replications,
            "target_sl": self.target_sl,
            "volume": self.volume,
            "options": [o.as_dict() for o in self.options],
            "recommended": self.recommended,
        }


@dataclass(frozen=True)
class _Task:
    option: int
    scenario: Scenario
    snapshot: dict[str, Any]
    seeds: tuple[np.random.SeedSequence, ...]
    thresholds: dict[str, float]


@dataclass(frozen=True)
class _Figures:
    option: int
    sl: float | None
    abandon_rate: float | None
    peak_wait_s: float
    series_sl: list[float | None]
    series_waiting: list[float]


def options(plan: Plan) -> list[str]:
    """`none`, then one option per tier number from the least severe (highest) down."""
    numbers = sorted({t.number for q in plan.queues for t in q.tiers}, reverse=True)
    return [NONE, *(f"tier{n}" for n in numbers)]


def project(
    snapshot: dict[str, Any],
    scenario: Scenario,
    plan: Plan,
    *,
    now: float,
    minutes: int = 60,
    replications: int = 30,
    seed: int = 0,
    volume: float | Mapping[str, float] = 1.0,
    with_events: bool = True,
    arriving: Iterable[tuple[float, str]] = (),
    called: Iterable[str] = (),
    target_sl: float | None = None,
    executor: Executor | None = None,
) -> Projection:
    """Project `minutes` from `now` under every option of `plan`.

    `arriving` lists (due, person id) of reserve people already on their way
    (they come in every option); `called` are roster ids already used, which
    an option will not call again.
    """
    if minutes < SERIES_EVERY_MIN or minutes > 24 * 60 - 1:
        raise ValueError(f"minutes must be from {SERIES_EVERY_MIN} to 1439, got {minutes}")
    if replications < 2:
        raise ValueError(f"replications must be at least 2 for an interval, got {replications}")
    base = Center.restore(snapshot, record_events=False)
    now = max(now, base.now)
    factors = {
        q.spec.name: volume if isinstance(volume, int | float) else volume.get(q.spec.name, 1.0)
        for q in scenario.queues
    }
    horizon = _horizon(scenario, now, minutes, factors, with_events)
    roster = {p.person_id: p for p in plan.reserve}
    already = [_reserve_group(roster[pid], at - now, minutes, scenario, plan)
               for at, pid in arriving if pid in roster]  # fmt: skip
    names = options(plan)
    starts: list[tuple[Scenario, dict[str, Any]]] = []
    for option in names:
        center = Center.restore(snapshot, record_events=False)
        center.advance(now)
        called_now = _apply_option(center, now, plan, option, set(called))
        groups = [_reserve_group(p, p.within_s, minutes, scenario, plan) for p in called_now]
        starts.append((replace(horizon, agents=(*already, *groups)), center.snapshot()))
    thresholds = {q.spec.name: q.spec.sl_threshold_s for q in scenario.queues}
    children = np.random.SeedSequence(seed).spawn(replications)
    tasks = [
        _Task(index, option_scenario, option_snapshot, tuple(children[first : first + CHUNK]),
              thresholds)
        for index, (option_scenario, option_snapshot) in enumerate(starts)
        for first in range(0, replications, CHUNK)
    ]  # fmt: skip
    runs: list[list[_Figures]] = [[] for _ in names]
    for chunk in (executor or InlineExecutor()).map_unordered(_project_chunk, tasks):
        runs[chunk[0].option].extend(chunk)
    results = tuple(_combine(name, found) for name, found in zip(names, runs, strict=True))
    target = plan.target_sl if target_sl is None else target_sl
    recommended = next(
        (r.option for r in results if r.sl.mean is not None and r.sl.mean >= target), None
    )
    return Projection(now, minutes, replications, target, factors, results, recommended)


def _horizon(
    scenario: Scenario, now: float, minutes: int, volume: dict[str, float], with_events: bool
) -> Scenario:
    """The scenario from `now` for `minutes`: per-minute expected arrivals, no shifts."""
    queues = tuple(
        replace(q, arrivals=_per_minute(scenario, q, now, minutes, volume, with_events))
        for q in scenario.queues
    )
    return replace(
        scenario, start=now, duration_s=minutes * _STEP_S, interval="1m", interval_s=_STEP_S,
        queues=queues, agents=(), events=(), warmup_s=0.0, plan=None,
    )  # fmt: skip


def _per_minute(
    scenario: Scenario,
    queue: QueueScenario,
    now: float,
    minutes: int,
    volume: dict[str, float],
    with_events: bool,
) -> Arrivals:
    name = queue.spec.name
    counts = tuple(
        volume[name] * scenario.expected_arrivals(
            name, now + m * _STEP_S, now + (m + 1) * _STEP_S, with_events=with_events
        )
        for m in range(minutes)
    )  # fmt: skip
    return Arrivals(per_interval=counts, interval_s=_STEP_S, priorities=queue.arrivals.priorities)


def _apply_option(
    center: Center, now: float, plan: Plan, option: str, called: set[str]
) -> list[ReservePerson]:
    """Carry out the option's actions on `center`; returns the reserve people it calls in."""
    if option == NONE:
        return []
    number = int(option.removeprefix("tier"))
    people: list[ReservePerson] = []
    action_id = 0
    for queue_plan in plan.queues:
        for tier in queue_plan.tiers:
            if tier.number < number:
                continue
            for step in tier.steps:
                if isinstance(step, CallReserve):
                    chosen = [
                        p
                        for p in plan.reserve
                        if p.within_s == step.within_s and p.person_id not in called
                    ]
                    people.extend(chosen[: step.count])  # fmt: skip
                    called.update(p.person_id for p in chosen[: step.count])
                    continue
                action_id += 1
                apply(center, now, Action(action_id, now, queue_plan.queue, tier.number, step))
    return people


def _reserve_group(
    person: ReservePerson, due_in_s: float, minutes: int, scenario: Scenario, plan: Plan
) -> AgentGroup:
    """One reserve person as an agent group that logs in at the first minute after due."""
    first = min(max(math.ceil(due_in_s / _STEP_S), 0), minutes)
    skills = dict(person.skills) or {
        scenario.queue(q.queue).spec.skill: 1 for q in plan.queues
    }  # fmt: skip
    return AgentGroup(
        name=person.person_id, count=1, skills=skills, capacity={"call": 1},
        on_duty=(0,) * first + (1,) * (minutes - first),
    )  # fmt: skip


def _project_chunk(task: _Task) -> list[_Figures]:
    """Replications of one option, one per seed (module-level so that it pickles)."""
    results = []
    for seed in task.seeds:
        contacts: list[Contact] = []
        # A fresh copy: spawning from a SeedSequence advances it, and the options
        # must draw the same numbers (in this process too, as inline).
        fresh = np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key)
        run(task.scenario, fresh, contacts.extend, snapshot=task.snapshot)
        results.append(_measure(task, contacts))
    return results


def _measure(task: _Task, contacts: Sequence[Contact]) -> _Figures:
    start = task.scenario.start
    end = start + task.scenario.duration_s
    queued = np.array([c.queued_at for c in contacts], dtype=np.float64)
    left = np.array([_wait_ended(c, end) for c in contacts], dtype=np.float64)
    answered = np.array([c.answered_at is not None for c in contacts], dtype=bool)
    abandoned = np.array([c.outcome == "abandoned" for c in contacts], dtype=bool)
    counted = np.array([c.outcome != "blocked" for c in contacts], dtype=bool)
    on_line = counted & ~np.array([c.callback for c in contacts], dtype=bool)
    threshold = np.array([task.thresholds.get(c.queue, 20.0) for c in contacts], dtype=np.float64)
    wait = left - queued
    inside = counted & (queued >= start) & (queued < end)
    hits = answered & (wait <= threshold)
    short = abandoned & (wait < SHORT_ABANDON_S)
    sl = _ratio(hits & inside, inside & ~short)
    abandon_rate = _ratio(abandoned & inside, inside)
    in_line = on_line & (queued < end) & (left > start)
    peak = float(np.max(np.minimum(left[in_line], end) - queued[in_line], initial=0.0))
    width = SERIES_EVERY_MIN * _STEP_S
    series_sl: list[float | None] = []
    series_waiting: list[float] = []
    for bucket in np.arange(start, end, width):
        here = inside & (queued >= bucket) & (queued < bucket + width)
        series_sl.append(_ratio(hits & here, here & ~short))
        in_line_then = on_line & (queued <= bucket) & (left > bucket)
        series_waiting.append(float(np.count_nonzero(in_line_then)))
    return _Figures(task.option, sl, abandon_rate, peak, series_sl, series_waiting)


def _wait_ended(contact: Contact, end: float) -> float:
    """The answer, or leaving the center; `end` for a caller still in line at the end."""
    if contact.answered_at is not None:
        return contact.answered_at
    return end if contact.ended_at is None else contact.ended_at


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> float | None:
    below = int(np.count_nonzero(denominator))
    return int(np.count_nonzero(numerator)) / below if below else None


def _combine(name: str, runs: list[_Figures]) -> OptionResult:
    series = []
    for point in range(len(runs[0].series_waiting) if runs else 0):
        sl = _interval([r.series_sl[point] for r in runs]).mean
        waiting = float(np.mean([r.series_waiting[point] for r in runs]))
        series.append((point * SERIES_EVERY_MIN, sl, waiting))
    return OptionResult(
        option=name,
        sl=_interval([r.sl for r in runs]),
        abandon_rate=_interval([r.abandon_rate for r in runs]),
        peak_wait_s=_interval([r.peak_wait_s for r in runs]),
        series=tuple(series),
    )


def _interval(values: Iterable[float | None]) -> Interval:
    found = estimate([v for v in values if v is not None])
    if found is None:
        return Interval(None, None, None)
    return Interval(found.mean, found.low, found.high)
