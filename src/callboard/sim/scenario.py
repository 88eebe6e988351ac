"""A simulation scenario as validated plain data (see `scenario_file` for the file form).

All times are seconds: `start` is POSIX, everything else is an offset from
`start` or a duration. Clock times of day (shifts, breaks, profiles) are
seconds after local midnight in `timezone`, repeated every simulated day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from callboard.domain import Agent
from callboard.engine import QueueSpec
from callboard.sim.distributions import Distribution
from callboard.surge import ARRIVALS_WINDOW_MIN, Plan

_DAY_S = 86400.0


@dataclass(frozen=True, slots=True)
class Arrivals:
    """A non-homogeneous Poisson process, or a replay of given arrival times.

    `per_interval` is the expected number of arrivals in each `interval_s`
    slot from local midnight; it repeats daily when it covers one day.
    `day_factor_cv` > 0 multiplies each day's rates by a gamma factor with
    mean 1 and that coefficient of variation (over-dispersion between days).
    `replay` gives arrival offsets (seconds from the start) instead; with it
    the rates are unused, and `replay_priorities` (same length) gives each
    arrival's class. Otherwise `priorities` maps a class to its share.
    """

    per_interval: tuple[float, ...] = ()
    interval_s: float = 1800.0
    day_factor_cv: float = 0.0
    priorities: tuple[tuple[int, float], ...] = ((0, 1.0),)
    replay: tuple[float, ...] | None = None
    replay_priorities: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Callers:
    """How the callers of one queue behave and how long they take.

    `patience` None means nobody hangs up. A caller who abandons calls again
    with probability `redial_p` after a `redial_delay` draw. A caller asked
    "callback or voicemail?" accepts with the given probability.
    """

    service: Distribution
    patience: Distribution | None = None
    acw: Distribution | None = None
    redial_p: float = 0.0
    redial_delay: Distribution | None = None
    callback_accept: float = 0.0
    voicemail_accept: float = 0.0


@dataclass(frozen=True, slots=True)
class QueueScenario:
    spec: QueueSpec
    arrivals: Arrivals
    callers: Callers


@dataclass(frozen=True, slots=True)
class Break:
    at_s: float
    duration_s: float
    reason: str = "break"


@dataclass(frozen=True, slots=True)
class AgentGroup:
    """`count` identical agents working `shift_start_s`..`shift_end_s` every day.

    `on_duty` (agents per interval slot from the start) replaces the shift:
    the driver logs agents in and out so that exactly that many work in each
    slot, as when staffing is replayed from observed data.
    """

    name: str
    count: int
    skills: dict[str, int]
    capacity: dict[str, int]
    shift_start_s: float = 0.0
    shift_end_s: float = 86400.0
    breaks: tuple[Break, ...] = ()
    on_duty: tuple[int, ...] | None = None

    def agent_ids(self) -> list[str]:
        """The group's agents, numbered from 1 as people count them. A simulation, a
        served center and a projection from its snapshot all use these ids, so the
        same person is the same agent in each."""
        return [f"{self.name}-{number}" for number in range(1, self.count + 1)]

    def members(self) -> list[Agent]:
        """The group's agents with its skills and capacity, not yet logged in."""
        return [
            Agent(agent_id, skills=dict(self.skills), capacity=dict(self.capacity),
                  group=self.name)
            for agent_id in self.agent_ids()
        ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """From `at_s` for `duration_s`, arrivals to `queue` (all when None) are × `volume`."""

    at_s: float
    duration_s: float
    volume: float
    queue: str | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    start: float
    duration_s: float
    timezone: str
    interval: str
    interval_s: float
    policy: str
    queues: tuple[QueueScenario, ...]
    agents: tuple[AgentGroup, ...]
    events: tuple[TimedEvent, ...] = ()
    warmup_s: float = 0.0
    # A surge plan run by `callboard.surge.SurgeControl` during every replication.
    plan: Plan | None = None

    def queue(self, name: str) -> QueueScenario:
        for queue in self.queues:
            if queue.spec.name == name:
                return queue
        raise KeyError(name)

    def arrival_rate(self, queue: str, at: float, *, with_events: bool = True) -> float:
        """Expected arrivals per second to `queue` at POSIX `at`: the profile slot that holds
        `at` (aligned as `sim.arrivals` aligns it), times the timed events when asked.

        Without events this is the forecast a live center compares its arrivals with;
        the events are the surge the forecast did not know about.
        """
        arrivals = self.queue(queue).arrivals
        if not arrivals.per_interval:
            return 0.0
        slots = len(arrivals.per_interval)
        slot = int(self._into_profile(arrivals, at) // arrivals.interval_s)
        slot = slot % slots if _daily(arrivals) else min(max(slot, 0), slots - 1)
        rate = arrivals.per_interval[slot] / arrivals.interval_s
        if with_events:
            offset = at - self.start
            for event in self.events:
                if event.queue in (None, queue) and 0 <= offset - event.at_s < event.duration_s:
                    rate *= event.volume
        return rate

    def expected_arrivals(
        self, queue: str, start: float, end: float, *, with_events: bool = False
    ) -> float:
        """Expected arrivals to `queue` in [start, end), integrating the piecewise rate
        exactly: it changes only at profile slot edges and event bounds."""
        arrivals = self.queue(queue).arrivals
        width = arrivals.interval_s
        edges = {end}
        for event in self.events if with_events else ():
            edges.update(self.start + event.at_s + d for d in (0.0, event.duration_s))
        total, at = 0.0, start
        while at < end:
            into_slot = self._into_profile(arrivals, at) % width
            following = min([e for e in edges if e > at] + [at + width - into_slot])
            total += self.arrival_rate(queue, at, with_events=with_events) * (following - at)
            at = following
        return total

    def forecast_window(self, queue: str, now: float) -> float:
        """`forecast_10m` for surge triggers: the profile's expected arrivals in the window
        before `now`, timed events left out (they are the surge it did not foresee)."""
        return self.expected_arrivals(queue, now - 60.0 * ARRIVALS_WINDOW_MIN, now)

    def _into_profile(self, arrivals: Arrivals, at: float) -> float:
        """Seconds from the profile's origin: local midnight for a daily one, else the start."""
        return self.time_of_day(at) if _daily(arrivals) else at - self.start

    def time_of_day(self, at: float) -> float:
        """Seconds after local midnight on the center's clock at POSIX `at`."""
        local = datetime.fromtimestamp(at, ZoneInfo(self.timezone))
        return local.hour * 3600.0 + local.minute * 60.0 + local.second + local.microsecond / 1e6


def _daily(arrivals: Arrivals) -> bool:
    """A profile of exactly one day's slots repeats daily (as in `sim.arrivals`)."""
    return len(arrivals.per_interval) == round(_DAY_S / arrivals.interval_s)
