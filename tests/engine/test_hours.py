"""Hours of operation and manual modes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from callboard.domain import EventType
from callboard.engine import Center, OpenHours, QueueSpec

ZONE = ZoneInfo("Europe/Berlin")
WEEKDAYS = OpenHours((0, 1, 2, 3, 4), 8 * 3600.0, 18 * 3600.0)


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE).timestamp()


def blocked_reason(center: Center) -> object:
    events = [e for e in center.take_events() if e.type == EventType.CONTACT_BLOCKED]
    return events[-1].data["reason"] if events else None


def test_queue_opens_and_closes_on_the_local_clock() -> None:
    spec = QueueSpec("q", hours=(WEEKDAYS,), timezone="Europe/Berlin")
    monday_early = at("2026-01-05T07:00")
    center = Center([spec], start=monday_early)
    center.arrive(monday_early, "c1", "q")
    assert blocked_reason(center) == "closed"
    assert center.next_wakeup() == at("2026-01-05T08:00")
    center.advance(at("2026-01-05T09:00"))
    center.arrive(at("2026-01-05T09:00"), "c2", "q")
    assert blocked_reason(center) is None
    center.advance(at("2026-01-05T18:00"))
    assert center.next_wakeup() == at("2026-01-06T08:00")
    center.arrive(at("2026-01-05T18:00"), "c3", "q")
    assert blocked_reason(center) == "closed"


def test_weekend_stays_closed_until_monday() -> None:
    spec = QueueSpec("q", hours=(WEEKDAYS,), timezone="Europe/Berlin")
    center = Center([spec], start=at("2026-01-09T19:00"))  # Friday evening
    assert center.next_wakeup() == at("2026-01-12T08:00")


def test_manual_mode_overrides_the_hours() -> None:
    spec = QueueSpec("q", hours=(WEEKDAYS,), timezone="Europe/Berlin")
    night = at("2026-01-05T23:00")
    center = Center([spec], start=night)
    center.set_mode(night, "q", "emergency", "Storm: expect long waits")
    center.arrive(night, "c1", "q")
    assert blocked_reason(center) is None
    assert center.queue_status("q")["mode"] == "emergency"
    center.set_mode(night, "q", "closed")
    center.arrive(night, "c2", "q")
    assert blocked_reason(center) == "closed"
