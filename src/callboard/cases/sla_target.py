"""SLA targets as people write them: `8bh` business hours, `3bd` business days, `3d` days.

Business time is always written as such: `b` before a unit counts only the
calendar's working time, and a unit without it counts every second. `3d` is
three calendar days (the same local time three days later) and `3bd` three
business days (the same time on the third working day after). The units
themselves are the one duration parser's (`domain.seconds`); this module only
splits a target into its days, its seconds and whether it is business time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from callboard.business_hours import BusinessHours
from callboard.domain import seconds
from callboard.errors import BadInput

FORMS = "such as 30m, 4h or 3d (calendar time), 8bh (business hours) or 3bd (business days)"
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)")
_DAY = 86400.0


@dataclass(frozen=True)
class SlaTarget:
    """`days` whole days on the calendar, then `seconds` more; business time when
    `business`, else every second counts."""

    text: str
    days: int = 0
    seconds: float = 0.0
    business: bool = False

    def calendar(self, hours: BusinessHours) -> BusinessHours:
        """The calendar this target counts on: the center's working time, or every second."""
        return hours if self.business else BusinessHours.always(hours.timezone)

    def length(self, hours: BusinessHours, start: datetime) -> float:
        """The target in seconds of its own calendar, counted from `start` (a business day is
        as long as that day's working hours)."""
        calendar = self.calendar(hours)
        if not self.days:
            return self.seconds
        return calendar.seconds_between(start, calendar.add_days(start, self.days)) + self.seconds


def parse_target(value: Any) -> SlaTarget:
    """A target from a policy file; a bare number is minutes of calendar time."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadInput(f"expected a duration {FORMS}, got {value!r}")
    if not isinstance(value, str):
        return SlaTarget(str(value), seconds=seconds(value, bare_unit="m"))
    text = value.strip().lower()
    parts, position = [], 0
    for match in _PART.finditer(text):
        if text[position : match.start()].strip():
            break
        parts.append(match)
        position = match.end()
    if not parts or text[position:].strip():
        raise BadInput(f"{value!r}: expected a duration {FORMS}")
    kinds = {p.group(2).startswith("b") for p in parts}
    if len(kinds) > 1:
        raise BadInput(f"{value!r}: mixes business and calendar time; write e.g. 1bd4bh or 1d4h")
    business = kinds == {True}
    days, rest = 0.0, 0.0
    for part in parts:
        number, unit = part.group(1), part.group(2).removeprefix("b")
        try:
            amount = seconds(f"{number}{unit}")
        except BadInput:
            raise BadInput(f"{value!r}: expected a duration {FORMS}") from None
        if unit == "d":
            days += amount / _DAY
        else:
            rest += amount
    whole = int(days)
    if business and whole != days:
        raise BadInput(f"{value!r}: business days must be whole; write e.g. 1bd4bh")
    return SlaTarget(
        value.strip(), days=whole, seconds=rest + (days - whole) * _DAY, business=business
    )
