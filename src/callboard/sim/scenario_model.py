"""The scenario file as config models: what each key may hold, checked when the file loads.

`examples/scenarios/README.md` lists every key. Durations are seconds or
strings such as "90s", "5m", "1.5h", "2d"; clock times are "HH:MM" on the
center's wall clock. `scenario_file` turns a validated file into a `Scenario`.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import Field, field_validator, model_validator

from callboard.config import (
    Clock,
    Count,
    Duration,
    EndClock,
    Number,
    PositiveDuration,
    Probability,
    Section,
    Text,
    TimeZone,
    Whole,
    among,
    checked,
    choice,
    duration,
    problem,
    shown,
)
from callboard.engine import DEFAULT_OFFER_TIMEOUT_S, POLICIES, PREDICTOR_NAMES
from callboard.sim.distributions import Distribution, Empirical, Exponential, Fixed, Lognormal

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_START = "2026-01-05T00:00"  # a Monday
_KIND_KEYS = {
    "exponential": {"dist", "mean"},
    "lognormal": {"dist", "mean", "sd"},
    "fixed": {"dist", "value"},
    "empirical": {"dist", "values", "weights"},
}


def _weekday(value: Any) -> int:
    day = str(value).lower()[:3]
    if day not in DAYS:
        raise problem(f"must be a weekday such as mon or tuesday, got {shown(value)}")
    return DAYS.index(day)


def _start(value: Any) -> datetime:
    """TOML and YAML may hand over a datetime already; its text form reads back the same."""
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise problem(f"must be a date-time like {DEFAULT_START}, got {shown(value)}") from None


def _interval(value: Any) -> float:
    seconds = duration(value, positive=True)
    if 86400.0 % seconds:
        raise problem(f"must divide a day evenly, got {value!r}")
    return seconds


def _announce(value: Any) -> str | None:
    """A predictor name; null or false means callers are told nothing."""
    if value is None or value is False:
        return None
    return choice(value, PREDICTOR_NAMES)


Skills = Annotated[
    dict[str, Count],
    Field(min_length=1, description="skill names and levels, such as {billing: 1}"),
]


class DistributionTable(Section):
    """`{dist = "exponential", mean = 342}`, or a bare duration for an exponential mean."""

    dist: Literal["exponential", "lognormal", "fixed", "empirical"]
    mean: PositiveDuration | None = None
    sd: PositiveDuration | None = None
    value: Duration | None = None
    values: list[Duration] | None = None
    weights: list[Number] | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_mean(cls, data: Any) -> Any:
        if isinstance(data, int | float | str) and not isinstance(data, bool):
            return {"dist": "exponential", "mean": duration(data, positive=True)}
        return data

    @model_validator(mode="after")
    def _keys_of_the_kind(self) -> Self:
        expected = _KIND_KEYS[self.dist]
        for key in sorted(self.model_fields_set - expected):
            article = "an" if self.dist[0] in "ae" else "a"
            raise problem(f"does not apply to {article} {self.dist} distribution", key)
        for key in sorted(expected - {"weights"} - self.model_fields_set):
            article = "an" if self.dist[0] in "ae" else "a"
            raise problem(f"is required for {article} {self.dist} distribution", key)
        if self.dist == "empirical":
            if not self.values:
                raise problem("must be a non-empty list of durations", "values")
            if self.weights and len(self.weights) != len(self.values):
                raise problem("must be a list as long as values", "weights")
            if self.weights and sum(self.weights) <= 0.0:
                raise problem("must not all be zero", "weights")
        return self

    def distribution(self) -> Distribution:
        if self.dist == "exponential" and self.mean is not None:
            return Exponential(self.mean)
        if self.dist == "lognormal" and self.mean is not None and self.sd is not None:
            return Lognormal(self.mean, self.sd)
        if self.dist == "fixed" and self.value is not None:
            return Fixed(self.value)
        return Empirical(tuple(self.values or ()), tuple(self.weights or ()))


class WideningTable(Section):
    after: PositiveDuration
    skills: Skills


class HoursTable(Section):
    days: list[Annotated[int, checked(_weekday)]] = Field(default_factory=lambda: list(range(7)))
    open: Clock
    close: EndClock

    @model_validator(mode="after")
    def _closes_after_opening(self) -> Self:
        if self.close <= self.open:
            raise problem("must be after open (split overnight hours in two)", "close")
        return self


class RedialTable(Section):
    probability: Probability
    delay: DistributionTable


class ArrivalsTable(Section):
    rate_per_hour: Number | None = None
    per_interval: list[Number] | None = None
    day_factor_cv: Number = 0.0
    priorities: dict[str | int, Number] | None = None

    @model_validator(mode="after")
    def _one_profile_and_whole_classes(self) -> Self:
        if (self.rate_per_hour is None) == (self.per_interval is None):
            raise problem("give exactly one of rate_per_hour or per_interval")
        if self.priorities is not None:
            if not self.priorities:
                raise problem("must map priority classes to shares", "priorities")
            for name in self.priorities:
                if isinstance(name, str) and not name.strip().lstrip("-").isdigit():
                    raise problem("priority classes are whole numbers", "priorities", name)
            if sum(self.priorities.values()) <= 0.0:
                raise problem("shares must not all be zero", "priorities")
        return self

    def per_slot(self, interval_s: float, slots_per_day: int) -> tuple[float, ...]:
        if self.per_interval is not None:
            return tuple(self.per_interval)
        return ((self.rate_per_hour or 0.0) * interval_s / 3600.0,) * slots_per_day

    def classes(self) -> tuple[tuple[int, float], ...]:
        if self.priorities is None:
            return ((0, 1.0),)
        return tuple((int(name), share) for name, share in self.priorities.items())


class QueueTable(Section):
    skill: Text | None = None
    min_level: Count = 1
    channel: Literal["call", "chat", "email", "callback"] = "call"
    sl_threshold: Duration = 20.0
    max_wait: PositiveDuration | None = None
    max_wait_action: Literal["exit", "voicemail", "callback"] = "exit"
    max_length: Whole | None = None
    full_action: Literal["block", "voicemail", "callback"] = "block"
    widening: list[WideningTable] = Field(default_factory=list)
    hours: list[HoursTable] = Field(default_factory=list)
    acw: DistributionTable | None = None
    # The engine's own default: a scenario that says nothing gets what a live queue gets.
    offer_timeout: PositiveDuration | None = DEFAULT_OFFER_TIMEOUT_S
    announce: Annotated[str | None, checked(_announce)] = "queue_length"
    arrivals: ArrivalsTable = Field(description="rate_per_hour or per_interval")
    service: DistributionTable = Field(description="the handle time distribution")
    patience: DistributionTable | None = None
    redial: RedialTable | None = None
    callback_accept: Probability = 0.0
    voicemail_accept: Probability = 0.0

    @model_validator(mode="after")
    def _widening_in_order(self) -> Self:
        for index in range(1, len(self.widening)):
            if self.widening[index].after <= self.widening[index - 1].after:
                raise problem("must be later than the step before", "widening", index, "after")
        return self


class ShiftTable(Section):
    start: Clock
    end: EndClock

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if self.end <= self.start:
            raise problem("must be after shift.start", "end")
        return self


class BreakTable(Section):
    at: Clock
    duration: PositiveDuration
    reason: Literal["break", "lunch", "training", "meeting", "outbound", "other"] = "break"


class AgentGroupTable(Section):
    name: Text
    count: Count | None = None
    skills: Skills
    capacity: Annotated[dict[str, Count], Field(min_length=1)] = Field(
        default_factory=lambda: {"call": 1},
        description="channels and how many of each at once, such as {call: 1, chat: 3}",
    )
    shift: ShiftTable | None = None
    breaks: list[BreakTable] = Field(default_factory=list)
    on_duty: list[Whole] | None = None

    @model_validator(mode="after")
    def _count_shift_and_breaks_agree(self) -> Self:
        if self.count is None and not self.on_duty:
            raise problem("is required", "count")
        if self.on_duty and max(self.on_duty) > self.agents:
            raise problem(f"asks for more than count={self.agents} agents", "on_duty")
        if self.shift is not None and self.on_duty is not None:
            raise problem("give either shift or on_duty, not both", "shift")
        start, end = self.hours
        for index, pause in enumerate(self.breaks):
            if not start <= pause.at < end:
                raise problem("must fall inside the shift", "breaks", index, "at")
        return self

    @property
    def agents(self) -> int:
        """`count`, or the most agents `on_duty` asks for."""
        return self.count if self.count is not None else max(self.on_duty or (0,))

    @property
    def hours(self) -> tuple[float, float]:
        """(start, end) of the shift in seconds after local midnight; all day without one."""
        return (self.shift.start, self.shift.end) if self.shift else (0.0, 86400.0)


class EventTable(Section):
    """`{at = "10:00", volume = 2, for = "3h", queue = "heating"}`; `day` counts from
    the first simulated day (0)."""

    at: Clock
    day: Whole = 0
    volume: Number = Field(description="the arrival multiplier")
    lasts: PositiveDuration = Field(86400.0, alias="for")
    queue: Text | None = None


class ScenarioFile(Section):
    name: Text = "scenario"
    start: Annotated[datetime, checked(_start)] = datetime.fromisoformat(DEFAULT_START)
    timezone: TimeZone = "UTC"
    duration: PositiveDuration = 86400.0
    interval: Annotated[float, checked(_interval)] = 1800.0
    routing: Annotated[str, among(POLICIES)] = "longest_idle"
    warmup: Duration = 0.0
    queues: dict[str, QueueTable]
    agents: list[AgentGroupTable]
    events: list[EventTable] = Field(default_factory=list)
    plan: Any = None

    @field_validator("queues")
    @classmethod
    def _some_queue(cls, queues: dict[str, QueueTable]) -> Any:
        if not queues:
            raise problem("must name at least one queue")
        return queues

    @field_validator("agents")
    @classmethod
    def _some_agents(cls, agents: list[AgentGroupTable]) -> Any:
        if not agents:
            raise problem("must be a list of at least one agent group")
        return agents

    @model_validator(mode="after")
    def _parts_fit_together(self) -> Self:
        slots_per_day, horizon = self.slots
        for name, queue in self.queues.items():
            counts = queue.arrivals.per_interval
            if counts is not None and len(counts) != slots_per_day and len(counts) < horizon:
                raise problem(
                    f"needs {slots_per_day} values (one day, repeated) or at least "
                    f"{horizon} (the whole run), got {len(counts)}",
                    "queues", name, "arrivals", "per_interval",
                )  # fmt: skip
        seen: set[str] = set()
        for index, group in enumerate(self.agents):
            if group.name in seen:
                raise problem(f"group {group.name!r} appears twice", "agents", index, "name")
            seen.add(group.name)
        skills = {queue.skill or name for name, queue in self.queues.items()}
        if not any(set(group.skills) & skills for group in self.agents):
            raise problem("no agent group has the skill of any queue", "agents")
        for index, event in enumerate(self.events):
            if event.queue is not None and event.queue not in self.queues:
                raise problem(f"unknown queue {event.queue!r}", "events", index, "queue")
        return self

    @property
    def slots(self) -> tuple[int, int]:
        """(profile slots in a day, slots in the whole run)."""
        return round(86400.0 / self.interval), math.ceil(self.duration / self.interval)
