"""Reading scenario files (TOML or YAML) into a validated `Scenario`.

Every problem is reported as `BadConfig(file, key, problem)`, with `key` the
dotted path (`queues.heating.service.mean`), at load time rather than an hour
into a run. Unknown keys are errors too: a misspelt `patiance` would
otherwise silently mean "nobody hangs up".

Durations are seconds or strings such as "90s", "5m", "1.5h", "2d"; clock
times are "HH:MM" on the center's wall clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from callboard.config_file import read_config
from callboard.domain import durations
from callboard.engine import POLICIES, PREDICTOR_NAMES, OpenHours, QueueSpec, WideningStep
from callboard.engine.spec import FullAction, MaxWaitAction
from callboard.errors import BadConfig, BadInput
from callboard.sim.distributions import Distribution, Empirical, Exponential, Fixed, Lognormal
from callboard.sim.scenario import (
    AgentGroup,
    Arrivals,
    Break,
    Callers,
    QueueScenario,
    Scenario,
    TimedEvent,
)
from callboard.surge.plan import Plan
from callboard.surge.plan_file import load_plan, parse_plan

_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_NOT_READY_REASONS = ("break", "lunch", "training", "meeting", "outbound", "other")
_DEFAULT_START = "2026-01-05T00:00"  # a Monday
_CHANNELS = ("call", "chat", "email", "callback")
_MAX_WAIT_ACTIONS: dict[str, MaxWaitAction] = {
    "exit": "exit", "voicemail": "voicemail", "callback": "callback"
}  # fmt: skip
_FULL_ACTIONS: dict[str, FullAction] = {
    "block": "block", "voicemail": "voicemail", "callback": "callback"
}  # fmt: skip
_T = TypeVar("_T")


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a `.toml`, `.yaml` or `.yml` scenario file."""
    data, name = read_config(path)
    return parse_scenario(data, name, Path(path).parent)


def parse_scenario(data: Any, file: str = "<scenario>", folder: Path | None = None) -> Scenario:
    """Validate already-parsed scenario data; `file` names it in errors. A `plan` given
    as a path is read relative to `folder` (the working directory when None)."""
    return _Reader(file, folder or Path()).scenario(data)


class _Reader:
    """Validates one file; each method takes the value and its dotted key."""

    def __init__(self, file: str, folder: Path) -> None:
        self.file = file
        self.folder = folder

    def fail(self, key: str, problem: str) -> BadConfig:
        return BadConfig(self.file, key, problem)

    # ------------------------------------------------------------ primitives

    def table(self, value: Any, key: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(key, f"must be a table of settings, got {_shown(value)}")
        for name in value:
            if name not in allowed:
                raise self.fail(
                    _join(key, str(name)), f"unknown key; expected one of {', '.join(allowed)}"
                )
        return value

    def number(self, value: Any, key: str, *, low: float = 0.0, positive: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number, got {_shown(value)}")
        number = float(value)
        if not math.isfinite(number) or number < low or (positive and number <= 0.0):
            bound = "> 0" if positive else f">= {low:g}"
            raise self.fail(key, f"must be a finite number {bound}, got {value!r}")
        return number

    def probability(self, value: Any, key: str) -> float:
        number = self.number(value, key)
        if number > 1.0:
            raise self.fail(key, f"must be a probability between 0 and 1, got {value!r}")
        return number

    def integer(self, value: Any, key: str, *, low: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(key, f"must be a whole number >= {low}, got {_shown(value)}")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, got {_shown(value)}")
        return value

    def choice(self, value: Any, key: str, options: tuple[str, ...]) -> str:
        if value not in options:
            raise self.fail(key, f"must be one of {', '.join(options)}, got {_shown(value)}")
        return str(value)

    def positive_duration(self, value: Any, key: str) -> float:
        return self.duration(value, key, positive=True)

    def duration(self, value: Any, key: str, *, positive: bool = False) -> float:
        if isinstance(value, str):
            try:
                seconds = durations.seconds(value, what=key)
            except BadInput:
                raise self.fail(
                    key, f"must be a duration such as 90s, 5m or 1.5h, got {value!r}"
                ) from None
            if positive and seconds <= 0.0:
                raise self.fail(key, f"must be longer than zero, got {value!r}")
            return seconds
        return self.number(value, key, positive=positive)

    def clock(self, value: Any, key: str, *, allow_24: bool = False) -> float:
        if not isinstance(value, str):
            raise self.fail(key, f"must be a time of day HH:MM, got {_shown(value)}")
        try:
            return float(durations.time_of_day(value, what=key, allow_24=allow_24))
        except BadInput:
            raise self.fail(key, f"is not a time of day HH:MM: {value!r}") from None

    def skills(self, value: Any, key: str) -> dict[str, int]:
        if not isinstance(value, Mapping) or not value:
            raise self.fail(key, f"must map skill names to levels, got {_shown(value)}")
        return {
            str(s): self.integer(level, _join(key, str(s)), low=1) for s, level in value.items()
        }

    def distribution(self, value: Any, key: str) -> Distribution:
        """`{dist = "exponential", mean = 342}`, or a bare duration for an exponential mean."""
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            return Exponential(self.duration(value, key, positive=True))
        kinds = ("exponential", "lognormal", "fixed", "empirical")
        table = self.table(value, key, ("dist", "mean", "sd", "value", "values", "weights"))
        kind = self.choice(table.get("dist"), _join(key, "dist"), kinds)
        expected = {
            "exponential": {"dist", "mean"},
            "lognormal": {"dist", "mean", "sd"},
            "fixed": {"dist", "value"},
            "empirical": {"dist", "values", "weights"},
        }[kind]
        for name in table:
            if name not in expected:
                raise self.fail(_join(key, name), f"does not apply to a {kind} distribution")
        for name in expected - {"weights"}:
            if name not in table:
                raise self.fail(_join(key, name), f"is required for a {kind} distribution")
        if kind == "exponential":
            return Exponential(self.duration(table["mean"], _join(key, "mean"), positive=True))
        if kind == "lognormal":
            mean = self.duration(table["mean"], _join(key, "mean"), positive=True)
            return Lognormal(mean, self.duration(table["sd"], _join(key, "sd"), positive=True))
        if kind == "fixed":
            return Fixed(self.duration(table["value"], _join(key, "value")))
        return self._empirical(table, key)

    def _empirical(self, table: Mapping[str, Any], key: str) -> Empirical:
        values = table["values"]
        if not isinstance(values, list) or not values:
            raise self.fail(_join(key, "values"), "must be a non-empty list of durations")
        parsed = tuple(self.duration(v, f"{key}.values[{i}]") for i, v in enumerate(values))
        weights = table.get("weights", [])
        if not isinstance(weights, list) or (weights and len(weights) != len(values)):
            raise self.fail(_join(key, "weights"), "must be a list as long as values")
        parsed_weights = tuple(self.number(w, f"{key}.weights[{i}]") for i, w in enumerate(weights))
        if parsed_weights and sum(parsed_weights) <= 0.0:
            raise self.fail(_join(key, "weights"), "must not all be zero")
        return Empirical(parsed, parsed_weights)

    # --------------------------------------------------------------- sections

    def scenario(self, data: Any) -> Scenario:
        top = self.table(
            data, "(top)",
            ("name", "start", "timezone", "duration", "interval", "routing", "warmup",
             "queues", "agents", "events", "plan"),
        )  # fmt: skip
        timezone = self.text(top.get("timezone", "UTC"), "timezone")
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail("timezone", f"unknown time zone {timezone!r}") from None
        start_text = top.get("start", _DEFAULT_START)
        try:
            local_start = datetime.fromisoformat(str(start_text))
        except ValueError:
            raise self.fail("start", f"must be a date-time like {_DEFAULT_START}") from None
        if local_start.tzinfo is None:
            local_start = local_start.replace(tzinfo=zone)
        interval = top.get("interval", "30m")
        interval_s = self.duration(interval, "interval", positive=True)
        if 86400.0 % interval_s:
            raise self.fail("interval", f"must divide a day evenly, got {interval!r}")
        duration_s = self.duration(top.get("duration", "24h"), "duration", positive=True)
        policy = self.choice(top.get("routing", "longest_idle"), "routing", tuple(POLICIES))
        queues_data = top.get("queues")
        if not isinstance(queues_data, Mapping) or not queues_data:
            raise self.fail("queues", "must name at least one queue")
        slots_per_day = round(86400.0 / interval_s)
        horizon_slots = math.ceil(duration_s / interval_s)
        queues = tuple(
            self.queue(
                value,
                f"queues.{name}",
                str(name),
                timezone,
                (interval_s, slots_per_day, horizon_slots),
            )
            for name, value in queues_data.items()
        )
        names = {q.spec.name for q in queues}
        agents_data = top.get("agents", [])
        if not isinstance(agents_data, list) or not agents_data:
            raise self.fail("agents", "must be a list of at least one agent group")
        agents = tuple(self.agent_group(a, f"agents[{i}]") for i, a in enumerate(agents_data))
        seen: set[str] = set()
        for index, group in enumerate(agents):
            if group.name in seen:
                raise self.fail(f"agents[{index}].name", f"group {group.name!r} appears twice")
            seen.add(group.name)
        if not any(set(g.skills) & {q.spec.skill for q in queues} for g in agents):
            raise self.fail("agents", "no agent group has the skill of any queue")
        events_data = top.get("events", [])
        if not isinstance(events_data, list):
            raise self.fail("events", "must be a list of timed events")
        events = tuple(
            self.event(e, f"events[{i}]", names, local_start) for i, e in enumerate(events_data)
        )
        return Scenario(
            name=self.text(top.get("name", "scenario"), "name"),
            start=local_start.timestamp(),
            duration_s=duration_s,
            timezone=timezone,
            interval=f"{round(interval_s / 60)}m",
            interval_s=interval_s,
            policy=policy,
            queues=queues,
            agents=agents,
            events=events,
            warmup_s=self.duration(top.get("warmup", 0), "warmup"),
            plan=self.plan(top.get("plan"), names),
        )

    def plan(self, value: Any, queues: set[str]) -> Plan | None:
        """`plan: ../plans/heating.yaml` (relative to the scenario file) or an inline plan."""
        if value is None:
            return None
        if isinstance(value, Mapping):
            return parse_plan(dict(value), f"{self.file} (plan)", queues)
        if not isinstance(value, str) or not value.strip():
            raise self.fail("plan", "give a plan file (relative to this file) or a plan table")
        try:
            return load_plan(self.folder / value, queues)
        except BadConfig as exc:
            if exc.key != "(file)":
                raise
            raise self.fail("plan", f"{value}: {exc.problem}") from None

    def queue(
        self,
        value: Any,
        key: str,
        name: str,
        timezone: str,
        slots: tuple[float, int, int],
    ) -> QueueScenario:
        """`slots` is (interval seconds, slots per day, slots in the run) for the arrivals."""
        q = self.table(
            value, key,
            ("skill", "min_level", "channel", "sl_threshold", "max_wait", "max_wait_action",
             "max_length", "full_action", "widening", "hours", "acw", "offer_timeout",
             "announce", "arrivals", "service", "patience", "redial", "callback_accept",
             "voicemail_accept"),
        )  # fmt: skip
        if "service" not in q:
            raise self.fail(_join(key, "service"), "is required (the handle time distribution)")
        if "arrivals" not in q:
            raise self.fail(_join(key, "arrivals"), "is required")
        widening = tuple(
            self.widening(step, f"{key}.widening[{i}]")
            for i, step in enumerate(self.listing(q.get("widening", []), _join(key, "widening")))
        )
        for index in range(1, len(widening)):
            if widening[index].after_s <= widening[index - 1].after_s:
                raise self.fail(
                    f"{key}.widening[{index}].after", "must be later than the step before"
                )
        hours = tuple(
            self.hours(h, f"{key}.hours[{i}]")
            for i, h in enumerate(self.listing(q.get("hours", []), _join(key, "hours")))
        )

        def optional(name: str, read: Callable[[Any, str], _T]) -> _T | None:
            value = q.get(name)
            return None if value is None else read(value, _join(key, name))

        service = self.distribution(q["service"], _join(key, "service"))
        announce = q.get("announce", "queue_length")
        spec = QueueSpec(
            name=name,
            skill=self.text(q.get("skill", name), _join(key, "skill")),
            min_level=self.integer(q.get("min_level", 1), _join(key, "min_level"), low=1),
            channel=self.choice(q.get("channel", "call"), _join(key, "channel"), _CHANNELS),
            sl_threshold_s=self.duration(q.get("sl_threshold", 20), _join(key, "sl_threshold")),
            max_wait_s=optional("max_wait", self.positive_duration),
            max_wait_action=_MAX_WAIT_ACTIONS[
                self.choice(
                    q.get("max_wait_action", "exit"),
                    _join(key, "max_wait_action"),
                    tuple(_MAX_WAIT_ACTIONS),
                )
            ],
            max_length=optional("max_length", self.integer),
            full_action=_FULL_ACTIONS[
                self.choice(
                    q.get("full_action", "block"), _join(key, "full_action"), tuple(_FULL_ACTIONS)
                )
            ],
            widening=widening,
            hours=hours,
            timezone=timezone,
            aht_hint_s=service.mean,
            announce=None
            if announce is None or announce is False
            else self.choice(announce, _join(key, "announce"), PREDICTOR_NAMES),
        )
        patience = optional("patience", self.distribution)
        callers = Callers(
            service=service,
            patience=patience,
            acw=optional("acw", self.distribution),
            callback_accept=self.probability(
                q.get("callback_accept", 0.0), _join(key, "callback_accept")
            ),
            voicemail_accept=self.probability(
                q.get("voicemail_accept", 0.0), _join(key, "voicemail_accept")
            ),
            **self.redial(q.get("redial"), _join(key, "redial")),
        )
        if patience is not None:
            spec = replace(spec, patience_hint_s=patience.mean)
        arrivals = self.arrivals(q["arrivals"], _join(key, "arrivals"), *slots)
        return QueueScenario(spec=spec, arrivals=arrivals, callers=callers)

    def listing(self, value: Any, key: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list, got {_shown(value)}")
        return value

    def widening(self, value: Any, key: str) -> WideningStep:
        step = self.table(value, key, ("after", "skills"))
        if "after" not in step or "skills" not in step:
            raise self.fail(key, "needs both after and skills")
        return WideningStep(
            self.duration(step["after"], _join(key, "after"), positive=True),
            self.skills(step["skills"], _join(key, "skills")),
        )

    def hours(self, value: Any, key: str) -> OpenHours:
        entry = self.table(value, key, ("days", "open", "close"))
        days_value = entry.get("days", list(_DAYS))
        days = []
        for index, day in enumerate(self.listing(days_value, _join(key, "days"))):
            days.append(_DAYS[self.choice(str(day).lower()[:3], f"{key}.days[{index}]",
                                          tuple(_DAYS))])  # fmt: skip
        opens = self.clock(entry.get("open"), _join(key, "open"))
        closes = self.clock(entry.get("close"), _join(key, "close"), allow_24=True)
        if closes <= opens:
            raise self.fail(
                _join(key, "close"), "must be after open (split overnight hours in two)"
            )
        return OpenHours(tuple(days), opens, closes)

    def redial(self, value: Any, key: str) -> dict[str, Any]:
        if value is None:
            return {}
        table = self.table(value, key, ("probability", "delay"))
        if "probability" not in table or "delay" not in table:
            raise self.fail(key, "needs both probability and delay")
        return {
            "redial_p": self.probability(table["probability"], _join(key, "probability")),
            "redial_delay": self.distribution(table["delay"], _join(key, "delay")),
        }

    def arrivals(
        self, value: Any, key: str, interval_s: float, slots_per_day: int, horizon_slots: int
    ) -> Arrivals:
        table = self.table(
            value, key, ("rate_per_hour", "per_interval", "day_factor_cv", "priorities")
        )
        if ("rate_per_hour" in table) == ("per_interval" in table):
            raise self.fail(key, "give exactly one of rate_per_hour or per_interval")
        if "rate_per_hour" in table:
            rate = self.number(table["rate_per_hour"], _join(key, "rate_per_hour"))
            per_interval = (rate * interval_s / 3600.0,) * slots_per_day
        else:
            counts = self.listing(table["per_interval"], _join(key, "per_interval"))
            if len(counts) != slots_per_day and len(counts) < horizon_slots:
                raise self.fail(
                    _join(key, "per_interval"),
                    f"needs {slots_per_day} values (one day, repeated) or at least "
                    f"{horizon_slots} (the whole run), got {len(counts)}",
                )
            per_interval = tuple(
                self.number(c, f"{key}.per_interval[{i}]") for i, c in enumerate(counts)
            )
        priorities: tuple[tuple[int, float], ...] = ((0, 1.0),)
        if "priorities" in table:
            shares = table["priorities"]
            if not isinstance(shares, Mapping) or not shares:
                raise self.fail(_join(key, "priorities"), "must map priority classes to shares")
            parsed = []
            for name, share in shares.items():
                try:
                    priority = int(name)
                except ValueError:
                    raise self.fail(
                        _join(key, f"priorities.{name}"), "priority classes are whole numbers"
                    ) from None
                parsed.append((priority, self.number(share, _join(key, f"priorities.{name}"))))
            if sum(s for _, s in parsed) <= 0.0:
                raise self.fail(_join(key, "priorities"), "shares must not all be zero")
            priorities = tuple(parsed)
        return Arrivals(
            per_interval=per_interval,
            interval_s=interval_s,
            day_factor_cv=self.number(table.get("day_factor_cv", 0.0), _join(key, "day_factor_cv")),
            priorities=priorities,
        )

    def agent_group(self, value: Any, key: str) -> AgentGroup:
        table = self.table(
            value, key, ("name", "count", "skills", "capacity", "shift", "breaks", "on_duty")
        )
        for required in ("name", "skills"):
            if required not in table:
                raise self.fail(_join(key, required), "is required")
        capacity = table.get("capacity", {"call": 1})
        if not isinstance(capacity, Mapping) or not capacity:
            raise self.fail(_join(key, "capacity"), "must map channels to how many at once")
        parsed_capacity = {
            str(c): self.integer(n, _join(key, f"capacity.{c}"), low=1) for c, n in capacity.items()
        }
        on_duty = None
        if "on_duty" in table:
            on_duty = tuple(
                self.integer(n, f"{key}.on_duty[{i}]")
                for i, n in enumerate(self.listing(table["on_duty"], _join(key, "on_duty")))
            )
        count_default = max(on_duty) if on_duty else None
        if "count" not in table and count_default is None:
            raise self.fail(_join(key, "count"), "is required")
        count = self.integer(table.get("count", count_default), _join(key, "count"), low=1)
        if on_duty and max(on_duty) > count:
            raise self.fail(_join(key, "on_duty"), f"asks for more than count={count} agents")
        shift_start, shift_end = 0.0, 86400.0
        if "shift" in table:
            if on_duty is not None:
                raise self.fail(_join(key, "shift"), "give either shift or on_duty, not both")
            shift = self.table(table["shift"], _join(key, "shift"), ("start", "end"))
            shift_start = self.clock(shift.get("start"), _join(key, "shift.start"))
            shift_end = self.clock(shift.get("end"), _join(key, "shift.end"), allow_24=True)
            if shift_end <= shift_start:
                raise self.fail(_join(key, "shift.end"), "must be after shift.start")
        breaks = tuple(
            self.pause(b, f"{key}.breaks[{i}]", shift_start, shift_end)
            for i, b in enumerate(self.listing(table.get("breaks", []), _join(key, "breaks")))
        )
        return AgentGroup(
            name=self.text(table["name"], _join(key, "name")),
            count=count,
            skills=self.skills(table["skills"], _join(key, "skills")),
            capacity=parsed_capacity,
            shift_start_s=shift_start,
            shift_end_s=shift_end,
            breaks=breaks,
            on_duty=on_duty,
        )

    def pause(self, value: Any, key: str, shift_start: float, shift_end: float) -> Break:
        table = self.table(value, key, ("at", "duration", "reason"))
        at = self.clock(table.get("at"), _join(key, "at"))
        if not shift_start <= at < shift_end:
            raise self.fail(_join(key, "at"), "must fall inside the shift")
        return Break(
            at_s=at,
            duration_s=self.duration(table.get("duration"), _join(key, "duration"), positive=True),
            reason=self.choice(
                table.get("reason", "break"), _join(key, "reason"), _NOT_READY_REASONS
            ),
        )

    def event(self, value: Any, key: str, queues: set[str], start: datetime) -> TimedEvent:
        """`{at = "10:00", volume = 2, for = "3h", queue = "heating"}`; `day` counts from
        the first simulated day (0). Midnight plus `day` days ignores a DST change
        in between, which moves the event by at most an hour."""
        table = self.table(value, key, ("at", "day", "volume", "for", "queue"))
        at_clock = self.clock(table.get("at"), _join(key, "at"))
        midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
        day = self.integer(table.get("day", 0), _join(key, "day"))
        at_s = midnight.timestamp() + day * 86400.0 + at_clock - start.timestamp()
        queue = table.get("queue")
        if queue is not None and queue not in queues:
            raise self.fail(_join(key, "queue"), f"unknown queue {queue!r}")
        if "volume" not in table:
            raise self.fail(_join(key, "volume"), "is required (the arrival multiplier)")
        return TimedEvent(
            at_s=at_s,
            duration_s=self.duration(table.get("for", "24h"), _join(key, "for"), positive=True),
            volume=self.number(table["volume"], _join(key, "volume")),
            queue=queue,
        )


def _join(key: str, name: str) -> str:
    return name if key == "(top)" else f"{key}.{name}"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
