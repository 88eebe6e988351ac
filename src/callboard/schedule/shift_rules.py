"""Shift rules read from a TOML file: templates, breaks, days off, sites and penalties.

Example (times are wall clock, lengths like 30m or 8h30m):

    interval = "15m"                 # optional; must match the requirements
    time_limit = 60                  # seconds for the MILP
    gap = 0.01

    [penalty]                        # per agent-hour short or surplus
    under = 5.0
    over = 0.2

    [days_off]                       # optional: weekly days-off patterns
    per_week = 2
    consecutive = true

    [[template]]
    name = "day"
    earliest_start = "07:00"
    latest_start = "12:00"
    every = "30m"                    # default: every grid interval
    length = "8h30m"
    cost = 1.0                       # per paid hour

    [[template.break]]
    length = "30m"
    earliest = "3h"                  # after the shift start
    latest = "5h30m"                 # latest end of the break
    paid = false

    [[site]]
    name = "north"
    queues = ["billing", "tech"]
    seats = 40                       # agents on duty at once
    max_agents = 60                  # headcount over the horizon
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callboard.errors import BadConfig, BadInput
from callboard.forecast import clock, minutes


@dataclass(frozen=True)
class BreakRule:
    length: int
    earliest: int  # minutes after shift start at which the break may begin
    latest: int  # minutes after shift start by which it must have ended
    paid: bool


@dataclass(frozen=True)
class Template:
    name: str
    earliest_start: int
    latest_start: int
    every: int | None  # None: every grid interval
    length: int
    cost: float = 1.0
    breaks: tuple[BreakRule, ...] = ()

    @property
    def paid_minutes(self) -> int:
        return self.length - sum(b.length for b in self.breaks if not b.paid)


@dataclass(frozen=True)
class Site:
    name: str
    queues: tuple[str, ...]
    seats: int | None = None
    max_agents: int | None = None


@dataclass(frozen=True)
class ShiftRules:
    templates: tuple[Template, ...]
    interval: int | None = None
    days_off_per_week: int | None = None
    consecutive_days_off: bool = False
    sites: tuple[Site, ...] = ()
    under_penalty: float = 5.0
    over_penalty: float = 0.2
    time_limit: float = 60.0
    gap: float = 0.01
    source: str = field(default="<rules>", compare=False)

    def working_patterns(self, open_weekdays: set[int]) -> list[frozenset[int]]:
        """Weekly sets of working weekdays (Monday = 0) that the days-off rule allows.

        Weekdays without requirements are days off by nature, so a weekday-only
        center with two days off a week has exactly one pattern, Monday–Friday.
        """
        if self.days_off_per_week is None:
            return []
        working = 7 - self.days_off_per_week
        patterns = []
        for days in itertools.combinations(range(7), working):
            chosen = frozenset(days)
            if not chosen <= open_weekdays:
                continue
            if self.consecutive_days_off and not _consecutive(frozenset(range(7)) - chosen):
                continue
            patterns.append(chosen)
        return patterns


def _consecutive(off: frozenset[int]) -> bool:
    """Whether the days off form one run on the weekly cycle (Sunday wraps to Monday)."""
    if len(off) in (0, 7):
        return True
    starts = [d for d in off if (d - 1) % 7 not in off]
    return len(starts) == 1


def read_shift_rules(path: Path) -> ShiftRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"{path}: cannot read shift rules ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadConfig(str(path), "(file)", f"not valid TOML: {exc}") from None
    return parse_shift_rules(data, str(path))


def parse_shift_rules(data: dict[str, Any], source: str = "<rules>") -> ShiftRules:
    def value(key: str, parse: Any, raw: Any) -> Any:
        try:
            return parse(raw)
        except (BadInput, TypeError, ValueError) as exc:
            raise BadConfig(source, key, str(exc)) from None

    raw_templates = data.get("template", [])
    if not raw_templates:
        raise BadConfig(source, "template", "no shift templates; add at least one [[template]]")
    templates = []
    for t, raw in enumerate(raw_templates):
        key = f"template[{t}]"
        breaks = tuple(
            BreakRule(
                length=value(f"{key}.break[{b}].length", minutes, rule["length"]),
                earliest=value(f"{key}.break[{b}].earliest", minutes, rule.get("earliest", "0m")),
                latest=value(
                    f"{key}.break[{b}].latest", minutes, rule.get("latest", raw["length"])
                ),
                paid=bool(rule.get("paid", False)),
            )
            for b, rule in enumerate(raw.get("break", []))
        )
        template = Template(
            name=str(raw.get("name", f"shift{t + 1}")),
            earliest_start=value(f"{key}.earliest_start", clock, raw.get("earliest_start", "")),
            latest_start=value(
                f"{key}.latest_start", clock, raw.get("latest_start", raw.get("earliest_start", ""))
            ),
            every=value(f"{key}.every", minutes, raw["every"]) if "every" in raw else None,
            length=value(f"{key}.length", minutes, raw.get("length", "")),
            cost=value(f"{key}.cost", float, raw.get("cost", 1.0)),
            breaks=breaks,
        )
        _check_template(source, key, template)
        templates.append(template)
    days_off = data.get("days_off", {})
    per_week = days_off.get("per_week")
    if per_week is not None and not (isinstance(per_week, int) and 0 <= per_week <= 6):
        raise BadConfig(
            source, "days_off.per_week", f"{per_week!r}: give a whole number from 0 to 6"
        )
    sites = tuple(
        Site(
            name=str(raw.get("name", f"site{s + 1}")),
            queues=tuple(str(q) for q in raw.get("queues", [])),
            seats=raw.get("seats"),
            max_agents=raw.get("max_agents"),
        )
        for s, raw in enumerate(data.get("site", []))
    )
    penalty = data.get("penalty", {})
    return ShiftRules(
        templates=tuple(templates),
        interval=value("interval", minutes, data["interval"]) if "interval" in data else None,
        days_off_per_week=per_week,
        consecutive_days_off=bool(days_off.get("consecutive", False)),
        sites=sites,
        under_penalty=value("penalty.under", float, penalty.get("under", 5.0)),
        over_penalty=value("penalty.over", float, penalty.get("over", 0.2)),
        time_limit=value("time_limit", float, data.get("time_limit", 60.0)),
        gap=value("gap", float, data.get("gap", 0.01)),
        source=source,
    )


def _check_template(source: str, key: str, template: Template) -> None:
    if template.latest_start < template.earliest_start:
        raise BadConfig(source, f"{key}.latest_start", "is before earliest_start")
    if template.latest_start + template.length > 1440:
        raise BadConfig(
            source,
            f"{key}.length",
            "shifts may not run past midnight; split the template or start earlier",
        )
    for b, rule in enumerate(template.breaks):
        if rule.earliest + rule.length > rule.latest or rule.latest > template.length:
            raise BadConfig(
                source,
                f"{key}.break[{b}]",
                f"a {rule.length}-minute break cannot fit between {rule.earliest} and "
                f"{rule.latest} minutes into a {template.length}-minute shift",
            )
