"""A stretch of real records as the parts a replay is built from, so a counterfactual
can swap one part (the arrivals, the handling time, the staffing, the skills) and
replay the rest unchanged.

It follows `replay_scenario` (sim/replay.py): each offered contact arrives at
its recorded queue-entry time, service is a lognormal with the mean and
standard deviation of the queue's talk times in the stretch, patience
exponential with Brown et al.'s mean, and agents are on duty through their
work sessions. Unlike a day's replay, each agent is a group of their own,
with the queues they answered that day as skills, so a replay keeps who could
take what (and a counterfactual can give someone back their usual skills);
and the stretch is any span, not whole days.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa

from callboard.engine import Contact, QueueSpec
from callboard.queueing import mean_patience
from callboard.sim.distributions import Exponential, Lognormal
from callboard.sim.driver import run
from callboard.sim.replay import _OFFERED, _columns, _on_duty
from callboard.sim.replications import surge_control
from callboard.sim.scenario import AgentGroup, Arrivals, Callers, QueueScenario, Scenario
from callboard.surge import Plan, TimelineEntry

# A queue with no answered call to fit in the stretch gets this mean (seconds).
DEFAULT_SERVICE_S = 180.0


@dataclass(frozen=True, slots=True)
class WindowQueue:
    name: str
    offsets: tuple[float, ...]  # seconds from the window's start, sorted
    priorities: tuple[int, ...]
    service_mean_s: float
    service_sd_s: float
    patience_mean_s: float | None  # None: nobody was seen abandoning
    sl_threshold_s: float


@dataclass(frozen=True, slots=True)
class WindowGroup:
    """Agents (one observed agent, or extra staff a counterfactual adds) serving `skills`;
    `on_duty` per interval from the start."""

    name: str
    skills: tuple[str, ...]
    on_duty: tuple[int, ...]
    agents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReplayWindow:
    start: float  # POSIX seconds
    end: float
    interval_s: float
    timezone: str
    queues: tuple[WindowQueue, ...]
    groups: tuple[WindowGroup, ...]

    @property
    def slots(self) -> int:
        return round((self.end - self.start) / self.interval_s)

    def queue(self, name: str) -> WindowQueue:
        for queue in self.queues:
            if queue.name == name:
                return queue
        raise KeyError(name)

    def with_queue(self, queue: WindowQueue) -> ReplayWindow:
        return replace(
            self, queues=tuple(queue if q.name == queue.name else q for q in self.queues)
        )

    def scenario(self, plan: Plan | None = None) -> Scenario:
        groups = [g for g in self.groups if g.skills and max(g.on_duty, default=0) > 0]
        return Scenario(
            name="replay window", start=self.start, duration_s=self.end - self.start,
            timezone=self.timezone, interval=f"{round(self.interval_s / 60)}m",
            interval_s=self.interval_s, policy="longest_idle",
            queues=tuple(_queue_scenario(q, self.interval_s) for q in self.queues),
            agents=tuple(
                AgentGroup(name=g.name, count=max(g.on_duty), skills=dict.fromkeys(g.skills, 1),
                           capacity={"call": 1}, on_duty=g.on_duty)
                for g in groups
            ),
            plan=plan,
        )  # fmt: skip


def replay_window(
    records: pa.Table, *, timezone: str, start: float, end: float, interval_s: float,
    sl_threshold_s: float = 20.0, skills_from: float | None = None,
) -> ReplayWindow:  # fmt: skip
    """The window [start, end) of `records` (RECORD_SCHEMA) as replay parts.

    An agent's skills are the queues they answered from `skills_from` (default:
    `start`) to `end`: an hour is too short to have answered every queue one serves,
    so a report passes the start of the day.
    """
    columns = _columns(records)
    offered = np.isin(columns["outcome"], _OFFERED)
    rows = offered & (columns["queued_at"] >= start) & (columns["queued_at"] < end)
    queues = tuple(
        _window_queue(name, columns, rows & (columns["queue"] == name), start, sl_threshold_s)
        for name in sorted(set(columns["queue"][rows].tolist()))
    )
    since = start if skills_from is None else min(skills_from, start)
    seen = offered & (columns["queued_at"] >= since) & (columns["queued_at"] < end)
    answered = seen & (columns["outcome"] == "answered")
    skills: dict[str, set[str]] = {}
    for agent, queue in zip(columns["agent"][answered], columns["queue"][answered], strict=True):
        if agent is not None:
            skills.setdefault(agent, set()).add(queue)
    groups = []
    for number, agent in enumerate(sorted(skills), start=1):
        mine = rows & (columns["agent"] == agent)
        on_duty = _on_duty(columns, mine, start, end, interval_s)
        groups.append(WindowGroup(f"a{number}", tuple(sorted(skills[agent])), tuple(on_duty),
                                  (agent,)))  # fmt: skip
    return ReplayWindow(start, end, interval_s, timezone, queues, tuple(groups))


def _window_queue(
    name: str, columns: dict[str, np.ndarray], rows: np.ndarray, start: float, threshold: float
) -> WindowQueue:
    answered = rows & (columns["outcome"] == "answered")
    talk = columns["talk_s"][answered]
    talk = talk[np.isfinite(talk) & (talk > 0)]
    if len(talk) >= 2:
        # The moments of the talk times themselves: a fitted lognormal's mean runs
        # high when the tail is lighter than lognormal (a quarter on exponential
        # talk), and a replay that serves slower than the day did explains nothing.
        mean, sd = float(talk.mean()), float(talk.std(ddof=1))
    else:
        mean, sd = DEFAULT_SERVICE_S, DEFAULT_SERVICE_S
    waits = columns["wait_s"][rows]
    known = np.isfinite(waits)
    abandoned = columns["outcome"][rows] == "abandoned"
    patience = mean_patience(waits[known], abandoned[known]).mean
    order = np.argsort(columns["queued_at"][rows], kind="stable")
    return WindowQueue(
        name=name, offsets=tuple((columns["queued_at"][rows][order] - start).tolist()),
        priorities=tuple(columns["priority"][rows][order].tolist()),
        service_mean_s=float(mean), service_sd_s=float(sd),
        patience_mean_s=float(patience) if np.isfinite(patience) else None,
        sl_threshold_s=threshold,
    )  # fmt: skip


def _queue_scenario(queue: WindowQueue, interval_s: float) -> QueueScenario:
    patience = None if queue.patience_mean_s is None else Exponential(queue.patience_mean_s)
    return QueueScenario(
        spec=QueueSpec(
            queue.name, announce=None, aht_hint_s=queue.service_mean_s,
            patience_hint_s=queue.patience_mean_s, sl_threshold_s=queue.sl_threshold_s,
        ),
        arrivals=Arrivals(
            interval_s=interval_s, replay=queue.offsets, replay_priorities=queue.priorities
        ),
        callers=Callers(service=Lognormal(queue.service_mean_s, queue.service_sd_s),
                        patience=patience),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class WindowRun:
    """One replay's finished contacts (queue, queued_at, wait or None, outcome) and
    the plan's timeline when a plan ran."""

    contacts: tuple[tuple[str, float, float | None, str], ...]
    timeline: tuple[TimelineEntry, ...]


def run_window(
    window: ReplayWindow, seed: int | np.random.SeedSequence, *, plan: Plan | None = None
) -> WindowRun:
    """Replay the window once through the engine (with the plan's tiers, if any)."""
    scenario = window.scenario(plan)
    finished: list[tuple[str, float, float | None, str]] = []

    def sink(contacts: list[Contact]) -> None:
        for c in contacts:
            answered = c.answered_at
            wait = (
                (answered - c.queued_at)
                if answered is not None
                else (None if c.ended_at is None else c.ended_at - c.queued_at)
            )
            finished.append((c.queue, c.queued_at, wait, c.outcome or "blocked"))

    control = surge_control(scenario)
    run(scenario, seed, sink, on_output=control)
    return WindowRun(tuple(finished), () if control is None else tuple(control.runner.timeline))
