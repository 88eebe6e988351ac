"""Shift rules: templates, breaks, days off, sites and penalties, as `shift_file` reads them.

Example file (times are wall clock, lengths like 30m or 8h30m):

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
from dataclasses import dataclass, field


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
