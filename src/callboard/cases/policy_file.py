"""SLA policies from a TOML file, validated when it loads.

[calendar]                       # business hours for policies that use them
timezone = "Europe/Kyiv"
hours = { mon = "09:00-18:00", fri = "09:00-16:00" }
holidays = ["2026-12-25"]

[default]
first_response = "4h"
resolution = "3d"
business_hours = true            # count only working time (default true)

[category.gas-leak]              # category wins over queue, queue over default
first_response = "10m"
resolution = "1h"
business_hours = false
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from callboard.business_hours import BusinessHours
from callboard.cases.sla import SlaPolicy
from callboard.config import MinutesDuration, Section, Text, checked, load, problem, shown
from callboard.errors import BadConfig


def _day(value: Any) -> str:
    """A holiday as text; TOML's own dates (`2026-12-25` unquoted) are welcome too."""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise problem(f"must be a date YYYY-MM-DD, got {shown(value)}")
    return value


class CalendarTable(Section):
    """`hours` and `holidays` are checked by `BusinessHours.parse`, which names the weekday
    or holiday at fault."""

    timezone: Text = "UTC"
    hours: dict[str, str] = Field(default_factory=dict)
    holidays: list[Annotated[str, checked(_day)]] = Field(default_factory=list)


class PolicyTable(Section):
    """A bare number is minutes."""

    first_response: MinutesDuration | None = None
    resolution: MinutesDuration | None = None
    business_hours: bool = True  # count only working time


class PolicyFile(Section):
    calendar: CalendarTable = Field(default_factory=CalendarTable)
    default: PolicyTable | None = None
    category: dict[str, PolicyTable] = Field(default_factory=dict)
    queue: dict[str, PolicyTable] = Field(default_factory=dict)


def load_policies(
    path: Path,
) -> tuple[dict[str, SlaPolicy], dict[str, SlaPolicy], SlaPolicy | None]:
    """(by category, by queue, default)."""
    policies = load(path, PolicyFile, "SLA policy file")
    calendar = policies.calendar
    if calendar.hours:
        try:
            hours = BusinessHours.parse(
                calendar.timezone, calendar.hours, calendar.holidays, source=str(path)
            )
        except BadConfig as exc:  # its key is a weekday, `timezone` or `holidays`
            key = exc.key if exc.key in ("timezone", "holidays") else f"hours.{exc.key}"
            raise BadConfig(exc.file, f"calendar.{key}", exc.problem) from None
    else:
        hours = BusinessHours.always(calendar.timezone)

    def policy(name: str, table: PolicyTable) -> SlaPolicy:
        return SlaPolicy(
            name=name,
            first_response_s=table.first_response,
            resolution_s=table.resolution,
            hours=hours if table.business_hours else BusinessHours.always(hours.timezone),
        )

    default = policy("default", policies.default) if policies.default else None
    by_category = {k: policy(f"category.{k}", t) for k, t in policies.category.items()}
    by_queue = {k: policy(f"queue.{k}", t) for k, t in policies.queue.items()}
    return by_category, by_queue, default
