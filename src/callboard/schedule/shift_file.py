"""The shift-rules file as config models; `shift_rules` describes it with an example.

Times are wall clock (`HH:MM`), lengths are whole minutes written like
`30m` or `8h30m` (a bare number is minutes). A template is checked on its
own here (its breaks fit, it ends by midnight); whether it fits the
requirements' grid is checked when the catalogue is built, since only the
requirements know the grid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import Field, model_validator

from callboard.config import (
    EndClock,
    Number,
    Section,
    Text,
    Whole,
    checked,
    duration,
    problem,
    read_config,
    shown,
    validate,
)
from callboard.schedule.shift_rules import BreakRule, ShiftRules, Site, Template


def _minutes(value: Any, *, zero: bool = False) -> int:
    seconds = duration(value, bare_unit="m")
    if seconds % 60 or (seconds <= 0 and not zero):
        least = "" if zero else "positive "
        raise problem(f"must be a {least}whole number of minutes, got {shown(value)}")
    return int(seconds // 60)


def _days_off(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise problem(f"{value!r}: give a whole number from 0 to 6")
    return value


Minutes = Annotated[int, checked(_minutes)]
Offset = Annotated[int, checked(lambda value: _minutes(value, zero=True))]


class BreakTable(Section):
    length: Minutes
    earliest: Offset = 0  # minutes after the shift start at which the break may begin
    latest: Minutes | None = None  # by which it must have ended; default: the shift's end
    paid: bool = False


class TemplateTable(Section):
    name: Text | None = None
    earliest_start: EndClock = Field(description="the first start, HH:MM")
    latest_start: EndClock | None = None  # default: earliest_start
    every: Minutes | None = None  # default: every grid interval
    length: Minutes = Field(description="such as 8h30m")
    cost: Number = 1.0  # per paid hour
    breaks: list[BreakTable] = Field(default_factory=list, alias="break")

    @model_validator(mode="after")
    def _fits_a_day(self) -> Self:
        earliest, latest = self.starts
        if latest < earliest:
            raise problem("is before earliest_start", "latest_start")
        if latest + self.length > 1440:
            raise problem(
                "shifts may not run past midnight; split the template or start earlier", "length"
            )
        for index, rule in enumerate(self.break_rules()):
            if rule.earliest + rule.length > rule.latest or rule.latest > self.length:
                raise problem(
                    f"a {rule.length}-minute break cannot fit between {rule.earliest} and "
                    f"{rule.latest} minutes into a {self.length}-minute shift",
                    "break", index,
                )  # fmt: skip
        return self

    @property
    def starts(self) -> tuple[int, int]:
        """(earliest, latest) start in minutes after midnight."""
        earliest = int(self.earliest_start // 60)
        latest = self.latest_start if self.latest_start is not None else self.earliest_start
        return earliest, int(latest // 60)

    def break_rules(self) -> tuple[BreakRule, ...]:
        """Each break, its window closing at the shift's end unless the file says otherwise."""
        return tuple(
            BreakRule(b.length, b.earliest, self.length if b.latest is None else b.latest, b.paid)
            for b in self.breaks
        )

    def template(self, index: int) -> Template:
        earliest, latest = self.starts
        return Template(
            name=self.name or f"shift{index + 1}",
            earliest_start=earliest,
            latest_start=latest,
            every=self.every,
            length=self.length,
            cost=self.cost,
            breaks=self.break_rules(),
        )


class DaysOffTable(Section):
    per_week: Annotated[int, checked(_days_off)] | None = None
    consecutive: bool = False


class PenaltyTable(Section):
    """Per agent-hour short of, or above, the requirement."""

    under: Number = 5.0
    over: Number = 0.2


class SiteTable(Section):
    name: Text | None = None
    queues: list[Text] = Field(default_factory=list)
    seats: Whole | None = None  # agents on duty at once
    max_agents: Whole | None = None  # headcount over the horizon


class ShiftRulesFile(Section):
    interval: Minutes | None = None  # must match the requirements
    time_limit: Number = 60.0  # seconds for the MILP
    gap: Number = 0.01
    penalty: PenaltyTable = Field(default_factory=PenaltyTable)
    days_off: DaysOffTable = Field(default_factory=DaysOffTable)
    templates: list[TemplateTable] = Field(default_factory=list, alias="template")
    sites: list[SiteTable] = Field(default_factory=list, alias="site")

    @model_validator(mode="after")
    def _some_template(self) -> Self:
        if not self.templates:
            raise problem("no shift templates; add at least one [[template]]", "template")
        return self


def read_shift_rules(path: Path) -> ShiftRules:
    data, name = read_config(path, "shift rules")
    return parse_shift_rules(data, name)


def parse_shift_rules(data: Any, source: str = "<rules>") -> ShiftRules:
    """Validate already-parsed shift rules; `source` names them in errors."""
    rules = validate(ShiftRulesFile, data, source)
    return ShiftRules(
        templates=tuple(t.template(index) for index, t in enumerate(rules.templates)),
        interval=rules.interval,
        days_off_per_week=rules.days_off.per_week,
        consecutive_days_off=rules.days_off.consecutive,
        sites=tuple(
            Site(s.name or f"site{index + 1}", tuple(s.queues), s.seats, s.max_agents)
            for index, s in enumerate(rules.sites)
        ),
        under_penalty=rules.penalty.under,
        over_penalty=rules.penalty.over,
        time_limit=rules.time_limit,
        gap=rules.gap,
        source=source,
    )
