"""A simulation scenario as validated plain data (see `scenario_file` for the file form).

All times are seconds: `start` is POSIX, everything else is an offset from
`start` or a duration. Clock times of day (shifts, breaks, profiles) are
seconds after local midnight in `timezone`, repeated every simulated day.
"""

from __future__ import annotations

from dataclasses import dataclass

from callboard.engine import QueueSpec
from callboard.sim.distributions import Distribution


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
