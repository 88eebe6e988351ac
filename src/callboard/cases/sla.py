"""SLA clocks for cases: first response and resolution, paused while pending.

Elapsed time is counted in business seconds of the policy's calendar; time
spent pending (waiting on the caller) is excluded from resolution, and the due
time moves later by exactly the paused working time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from callboard.business_hours import BusinessHours


@dataclass(frozen=True)
class SlaPolicy:
    name: str
    first_response_s: float | None
    resolution_s: float | None
    hours: BusinessHours

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "first_response_s": self.first_response_s,
            "resolution_s": self.resolution_s,
            "timezone": self.hours.timezone,
        }


@dataclass(frozen=True)
class SlaState:
    first_response_due: datetime | None
    first_response_breached: bool
    resolution_due: datetime | None  # None while paused or when there is no target
    resolution_breached: bool
    paused_s: float  # business seconds spent pending so far
    resolution_elapsed_s: float  # business seconds towards the resolution target

    def as_dict(self) -> dict[str, object]:
        return {
            "first_response_due": _iso(self.first_response_due),
            "first_response_breached": self.first_response_breached,
            "resolution_due": _iso(self.resolution_due),
            "resolution_breached": self.resolution_breached,
            "paused_s": self.paused_s,
            "resolution_elapsed_s": self.resolution_elapsed_s,
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


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
    hours = policy.hours
    stop = resolved_at or now
    paused = sum(
        hours.seconds_between(start, min(end or now, stop)) for start, end in pending_spans
    )
    currently_paused = resolved_at is None and any(end is None for _, end in pending_spans)
    elapsed = hours.seconds_between(opened_at, stop) - paused

    first_due = None
    first_breached = False
    if policy.first_response_s is not None:
        first_due = hours.add(opened_at, policy.first_response_s)
        first_breached = (first_response_at or now) > first_due

    resolution_due = None
    resolution_breached = False
    if policy.resolution_s is not None:
        resolution_breached = elapsed > policy.resolution_s
        if not currently_paused:
            resolution_due = hours.add(opened_at, policy.resolution_s + paused)
    return SlaState(
        first_response_due=first_due,
        first_response_breached=first_breached,
        resolution_due=resolution_due,
        resolution_breached=resolution_breached,
        paused_s=paused,
        resolution_elapsed_s=elapsed,
    )
