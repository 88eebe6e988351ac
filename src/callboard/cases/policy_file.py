"""SLA policies from a TOML file, validated when it loads (docs/sla.md lists every key).

[calendar]                       # the working time business targets count
timezone = "Europe/Kyiv"         # default: the center's zone
hours = { mon = "09:00-18:00", fri = "09:00-16:00" }
holidays = ["2026-12-25"]

[default]
first_response = "4bh"           # four business hours
resolution = "3bd"               # three business days
on_breach = { priority = 7, resolution = { assign_to = "team-lead" } }

[category.gas-leak]              # category wins over queue, queue over default
first_response = "10m"           # calendar time: every minute counts
resolution = "1h"
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from callboard.business_hours import BusinessHours
from callboard.cases.sla import OnBreach, SlaPolicies, SlaPolicy
from callboard.cases.sla_target import SlaTarget, parse_target
from callboard.config import Name, Section, TimeZone, checked, load, problem, shown
from callboard.errors import BadConfig, BadInput

MAX_PRIORITY = 9  # the cases API's range, 0-9


def _day(value: Any) -> str:
    """A holiday as text; TOML's own dates (`2026-12-25` unquoted) are welcome too."""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise problem(f"must be a date YYYY-MM-DD, got {shown(value)}")
    return value


def _target(value: Any) -> SlaTarget:
    try:
        return parse_target(value)
    except BadInput as exc:
        raise problem(f"{exc} (a bare number is minutes)") from None


def _calendar_time_only(value: Any) -> bool:
    """`business_hours = false` is what plain units mean anyway; `true` used to make them
    business time, which is now written in the target itself."""
    if value is not False:
        raise problem(
            f"must be false, got {shown(value)}: business time is written in the target, "
            'such as first_response = "8bh" or resolution = "3bd"'
        )
    return False


def _priority(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PRIORITY:
        raise problem(f"must be a whole number from 0 to {MAX_PRIORITY}, got {shown(value)}")
    return value


def _address(value: Any) -> str:
    if not isinstance(value, str) or "@" not in value:
        raise problem(f"must be an e-mail address, got {shown(value)}")
    return value


class CalendarTable(Section):
    """`hours` and `holidays` are checked by `BusinessHours.parse`, which names the weekday
    or holiday at fault."""

    timezone: TimeZone | None = None
    hours: dict[str, str] = Field(default_factory=dict)
    holidays: list[Annotated[str, checked(_day)]] = Field(default_factory=list)


class BreachTable(Section):
    priority: Annotated[int, checked(_priority)] | None = None
    assign_to: Name | None = None
    notify: Annotated[str, checked(_address)] | None = None

    def action(self, *over: BreachTable | None) -> OnBreach:
        """This table's action, with each key of a more specific table in `over` winning."""
        tables = [self, *(t for t in over if t is not None)]
        return OnBreach(
            priority=next((t.priority for t in reversed(tables) if t.priority is not None), None),
            assign_to=next((t.assign_to for t in reversed(tables) if t.assign_to), None),
            notify=next((t.notify for t in reversed(tables) if t.notify), None),
        )


class OnBreachTable(BreachTable):
    """Keys for every target, and a table per target whose keys win for that target."""

    first_response: BreachTable | None = None
    resolution: BreachTable | None = None


class PolicyTable(Section):
    """A bare number is minutes."""

    first_response: Annotated[SlaTarget, checked(_target)] | None = None
    resolution: Annotated[SlaTarget, checked(_target)] | None = None
    business_hours: Annotated[bool, checked(_calendar_time_only)] | None = None
    on_breach: OnBreachTable | None = None


class PolicyFile(Section):
    calendar: CalendarTable = Field(default_factory=CalendarTable)
    default: PolicyTable | None = None
    category: dict[str, PolicyTable] = Field(default_factory=dict)
    queue: dict[str, PolicyTable] = Field(default_factory=dict)


def load_policies(path: Path, *, zone: str | None = None) -> SlaPolicies:
    """The policies in `path`; `zone` is the center's, the calendar's when the file names
    none (else UTC), and the zone every time is shown in."""
    policies = load(path, PolicyFile, "SLA policy file")
    hours = _calendar(path, policies.calendar, zone)

    def policy(name: str, table: PolicyTable) -> SlaPolicy:
        on_breach = table.on_breach or OnBreachTable()
        return SlaPolicy(
            name=name, first_response=table.first_response, resolution=table.resolution,
            hours=hours, on_breach={
                "first_response": on_breach.action(on_breach.first_response),
                "resolution": on_breach.action(on_breach.resolution),
            },
        )  # fmt: skip

    return SlaPolicies(
        by_category={k: policy(f"category.{k}", t) for k, t in policies.category.items()},
        by_queue={k: policy(f"queue.{k}", t) for k, t in policies.queue.items()},
        default=policy("default", policies.default) if policies.default else None,
        timezone=zone or hours.timezone,
    )


def _calendar(path: Path, calendar: CalendarTable, zone: str | None) -> BusinessHours:
    timezone = calendar.timezone or zone or "UTC"
    if not calendar.hours:
        return BusinessHours.always(timezone)
    try:
        return BusinessHours.parse(timezone, calendar.hours, calendar.holidays, source=str(path))
    except BadConfig as exc:  # its key is a weekday, `timezone` or `holidays`
        key = exc.key if exc.key in ("timezone", "holidays") else f"hours.{exc.key}"
        raise BadConfig(exc.file, f"calendar.{key}", exc.problem) from None


def sla_policies(path: Path | None, zone: str | None) -> SlaPolicies:
    """What `serve --sla` runs: the file's policies, or none, in the center's `zone`."""
    return load_policies(path, zone=zone) if path else SlaPolicies(timezone=zone or "UTC")
