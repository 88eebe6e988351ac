"""`3bd`, `8bh` and `3d` due times on a calendar with a weekend, a holiday and a short Friday."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callboard.business_hours import BusinessHours
from callboard.cases import SlaPolicy, evaluate_sla, load_policies, parse_target

KYIV = ZoneInfo("Europe/Kyiv")
CALENDAR = """
[calendar]
timezone = "Europe/Kyiv"
holidays = [{holidays}]

[calendar.hours]
mon = "09:00-18:00"
tue = "09:00-18:00"
wed = "09:00-18:00"
thu = "09:00-18:00"
fri = "09:00-16:00"

[default]
resolution = "{target}"
"""


def policy(tmp_path: Path, target: str, holidays: str = "") -> SlaPolicy:
    path = tmp_path / "sla.toml"
    path.write_text(CALENDAR.replace("{target}", target).replace("{holidays}", holidays))
    loaded = load_policies(path).default
    assert loaded is not None
    return loaded


def due(policy: SlaPolicy, opened: datetime) -> datetime:
    state = evaluate_sla(
        policy, opened_at=opened, now=opened, first_response_at=None, resolved_at=None,
        pending_spans=[],
    )  # fmt: skip
    assert state.resolution_due is not None
    return state.resolution_due.astimezone(KYIV)


def kyiv(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=KYIV)


MONDAY_NOON = kyiv(7, 12, 2)  # 2026-12-07 is a Monday


@pytest.mark.parametrize(
    ("target", "opened", "expected", "holidays"),
    [
        # Three calendar days: Thursday, not ten days later as 72 working hours were.
        ("3d", MONDAY_NOON, kyiv(10, 12, 2), ""),
        ("3d", kyiv(11, 12, 2), kyiv(14, 12, 2), ""),  # Friday to Monday: the weekend counts
        ("3d", kyiv(7, 12, 2), kyiv(10, 12, 2), '"2026-12-09"'),  # and holidays count
        # Three business days: the same time on the third working day after.
        ("3bd", MONDAY_NOON, kyiv(10, 12, 2), ""),
        ("3bd", MONDAY_NOON, kyiv(11, 12, 2), '"2026-12-09"'),  # Wednesday off: Friday
        ("3bd", kyiv(10, 12, 2), kyiv(15, 12, 2), ""),  # Thursday: over the weekend to Tuesday
        ("1bd", kyiv(10, 17, 30), kyiv(11, 16, 0), ""),  # Friday closes at 16:00
        ("1bd", kyiv(12, 10, 0), kyiv(14, 18, 0), ""),  # opened Saturday: Monday's close
        # Eight business hours: only working time counts.
        ("8bh", MONDAY_NOON, kyiv(8, 11, 2), ""),  # 5h58m on Monday, 2h02m on Tuesday
        ("8bh", kyiv(11, 14, 0), kyiv(14, 15, 0), ""),  # 2h on Friday, 6h on Monday
        ("8bh", kyiv(8, 12, 0), kyiv(10, 11, 0), '"2026-12-09"'),  # Wednesday does not count
        ("1bd4bh", MONDAY_NOON, kyiv(8, 16, 2), ""),
    ],
)
def test_due_times_by_unit(
    tmp_path: Path, target: str, opened: datetime, expected: datetime, holidays: str
) -> None:
    assert due(policy(tmp_path, target, holidays), opened) == expected


def test_calendar_days_keep_the_local_time_over_a_clock_change(tmp_path: Path) -> None:
    # Europe/Kyiv moves its clocks forward on Sunday 2026-03-29.
    friday = kyiv(27, 12, 0, month=3)
    monday = due(policy(tmp_path, "3d"), friday)
    assert monday == kyiv(30, 12, 0, month=3)
    assert monday.astimezone(UTC) - friday.astimezone(UTC) == timedelta(hours=71)


def test_calendar_hours_count_real_time_over_a_clock_change() -> None:
    # 24 calendar hours across the spring-forward night land an hour later on the wall clock.
    target = SlaPolicy("p", None, parse_target("24h"), hours=BusinessHours.always("Europe/Kyiv"))
    saturday = kyiv(28, 12, 0, month=3)
    assert due(target, saturday) == kyiv(29, 13, 0, month=3)
