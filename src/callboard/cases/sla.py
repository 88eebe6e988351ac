"""SLA clocks for cases: first response and resolution, paused while pending.

Each target counts on its own calendar (`SlaTarget`): business targets (`8bh`,
`3bd`) in the working seconds of the policy's calendar, others in every second.
Time spent pending (waiting on the caller) is excluded from resolution, and the
due time moves later by exactly the paused time of the target's calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from callboard.business_hours import BusinessHours
from callboard.cases.sla_target import SlaTarget

TARGETS = ("first_response", "resolution")


@dataclass(frozen=True)
class OnBreach:
    """What an escalation does to its case besides the history entry and the notices:
    `priority` raises the case to at least that, `assign_to` hands it over, and `notify`
    is the e-mail address the SMTP notifier writes to."""

    priority: int | None = None
    assign_to: str | None = None
    notify: str | None = None


@dataclass(frozen=True)
class SlaPolicy:
    name: str
    first_response: SlaTarget | None
    resolution: SlaTarget | None
    hours: BusinessHours = field(default_factory=BusinessHours.always)
    # Per target ("first_response", "resolution"); a target not named only escalates.
    on_breach: Mapping[str, OnBreach] = field(default_factory=dict)

    def target(self, name: str) -> SlaTarget | None:
        return self.first_response if name == "first_response" else self.resolution

    def breach(self, name: str) -> OnBreach:
        return self.on_breach.get(name, OnBreach())

    def as_dict(self) -> dict[str, object]:
        view: dict[str, object] = {"name": self.name}
        for name in TARGETS:
            target = self.target(name)
            view[name] = None if target is None else target.text
            # Seconds where a target has a fixed length: business days do not.
            fixed = target is not None and not (target.business and target.days)
            view[f"{name}_s"] = target.days * 86400.0 + target.seconds if fixed and target else None
        view["timezone"] = self.hours.timezone
        return view


@dataclass(frozen=True)
class SlaPolicies:
    """The policy of each case: by category first, then queue, then the default, because
    a "gas leak" category must keep its one-hour target whatever line the caller rang.
    `timezone` is the center's, the zone every time is shown in."""

    by_category: Mapping[str, SlaPolicy] = field(default_factory=dict)
    by_queue: Mapping[str, SlaPolicy] = field(default_factory=dict)
    default: SlaPolicy | None = None
    timezone: str = "UTC"

    def for_case(self, category: str | None, queue: str | None) -> SlaPolicy | None:
        if category is not None and category in self.by_category:
            return self.by_category[category]
        if queue is not None and queue in self.by_queue:
            return self.by_queue[queue]
        return self.default

    @property
    def configured(self) -> bool:
        """Whether any case can have an SLA at all."""
        return bool(self.by_category or self.by_queue or self.default)


@dataclass(frozen=True)
class SlaState:
    first_response_due: datetime | None
    first_response_breached: bool
    resolution_due: datetime | None  # None while paused or when there is no target
    resolution_breached: bool
    paused_s: float  # seconds pending so far, on the resolution target's calendar
    resolution_elapsed_s: float  # seconds on that calendar towards the target

    def as_dict(self, zone: ZoneInfo) -> dict[str, object]:
        """Due times in the center's `zone`, with its offset."""
        return {
            "first_response_due": _iso(self.first_response_due, zone),
            "first_response_breached": self.first_response_breached,
            "resolution_due": _iso(self.resolution_due, zone),
            "resolution_breached": self.resolution_breached,
            "paused_s": self.paused_s,
            "resolution_elapsed_s": self.resolution_elapsed_s,
        }


def _iso(value: datetime | None, zone: ZoneInfo) -> str | None:
    return None if value is None else value.astimezone(zone).isoformat()


def evaluate_sla(
    policy: SlaPolicy,
    *,
    opened_at: datetime,
    now: datetime,
    first_response_at: datetime | None,
    resolved_at: datetime | None,
    pending_spans: list[tuple[datetime, datetime | None]],
) -> SlaState:
    """The SLA state at `now`; an open pending span (end None) runs until `now`."""
    first_due = None
    first_breached = False
    if policy.first_response is not None:
        calendar = policy.first_response.calendar(policy.hours)
        length = policy.first_response.length(policy.hours, opened_at)
        first_due = calendar.add(opened_at, length)
        first_breached = (first_response_at or now) > first_due

    # Without a resolution target, pauses and elapsed time count in working time.
    target = policy.resolution
    hours = policy.hours if target is None else target.calendar(policy.hours)
    stop = resolved_at or now
    paused = sum(
        hours.seconds_between(start, min(end or now, stop)) for start, end in pending_spans
    )
    currently_paused = resolved_at is None and any(end is None for _, end in pending_spans)
    elapsed = hours.seconds_between(opened_at, stop) - paused
    resolution_due = None
    resolution_breached = False
    if target is not None:
        length = target.length(policy.hours, opened_at)
        resolution_breached = elapsed > length
        if not currently_paused:
            resolution_due = hours.add(opened_at, length + paused)
    return SlaState(
        first_response_due=first_due,
        first_response_breached=first_breached,
        resolution_due=resolution_due,
        resolution_breached=resolution_breached,
        paused_s=paused,
        resolution_elapsed_s=elapsed,
    )
