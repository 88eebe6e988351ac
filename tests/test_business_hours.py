from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callboard.business_hours import BusinessHours
from callboard.errors import BadConfig

KYIV = ZoneInfo("Europe/Kyiv")
OFFICE = BusinessHours.parse(
    "Europe/Kyiv",
    {
        "mon": "09:00-18:00",
        "tue": "09:00-18:00",
        "wed": "09:00-18:00",
        "thu": "09:00-18:00",
        "fri": "09:00-13:00,14:00-17:00",
    },
    holidays=["2026-12-25"],
)


def test_a_friday_afternoon_target_falls_due_on_monday() -> None:
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=KYIV)
    due = OFFICE.add(friday, 4 * 3600)
    assert due == datetime(2026, 11, 30, 12, 0, tzinfo=KYIV)


def test_lunch_and_holidays_do_not_count() -> None:
    friday = datetime(2026, 11, 27, 12, 0, tzinfo=KYIV)
    assert OFFICE.seconds_between(friday, friday + timedelta(hours=3)) == 2 * 3600
    christmas_eve = datetime(2026, 12, 24, 17, 0, tzinfo=KYIV)  # a Thursday
    assert OFFICE.add(christmas_eve, 2 * 3600) == datetime(2026, 12, 28, 10, 0, tzinfo=KYIV)


def test_daylight_saving_night_keeps_wall_clock_hours() -> None:
    # Europe/Kyiv moves clocks forward on 2026-03-29 (a Sunday); Monday opens at 09:00 local.
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=KYIV)
    due = OFFICE.add(saturday, 3600)
    assert due.astimezone(KYIV).hour == 10 and due.astimezone(KYIV).day == 30


@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1)),
    work=st.floats(min_value=0, max_value=200 * 3600),
)
def test_add_and_seconds_between_agree(start: datetime, work: float) -> None:
    begin = start.replace(tzinfo=UTC)
    due = OFFICE.add(begin, work)
    assert OFFICE.seconds_between(begin, due) == pytest.approx(work, abs=1e-3)


@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1)),
    days=st.integers(min_value=1, max_value=30),
)
def test_business_days_land_on_working_days_at_or_before_the_starting_time(
    start: datetime, days: int
) -> None:
    begin = start.replace(tzinfo=UTC)
    due = OFFICE.add_days(begin, days).astimezone(KYIV)
    assert due.weekday() < 5 and due.date().isoformat() != "2026-12-25"
    # One working day at most per business day, and at least the days between.
    worked = OFFICE.seconds_between(begin, due)
    assert 0 < worked <= days * 9 * 3600
    assert (due.date() - begin.astimezone(KYIV).date()).days >= days
    # add() reaches the same moment, or the close before it when it is an opening.
    reached = OFFICE.add(begin, worked)
    assert reached == due or OFFICE.seconds_between(reached, due) == 0


@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1)),
    days=st.integers(min_value=1, max_value=60),
)
def test_calendar_days_keep_the_local_time(start: datetime, days: int) -> None:
    begin = start.replace(tzinfo=UTC).astimezone(KYIV)
    due = BusinessHours.always("Europe/Kyiv").add_days(begin, days).astimezone(KYIV)
    assert due.date() == begin.date() + timedelta(days=days)
    # The same wall-clock time, except when that time does not exist on the day (DST gap).
    wall = (begin.hour, begin.minute, begin.second)
    assert (due.hour, due.minute, due.second) == wall or due.utcoffset() != begin.utcoffset()


def test_always_counts_every_second() -> None:
    begin = datetime(2026, 1, 1, tzinfo=UTC)
    assert BusinessHours.always().seconds_between(begin, begin + timedelta(days=2)) == 172800


@pytest.mark.parametrize(
    ("hours", "key"),
    [
        ({"funday": "09:00-10:00"}, "funday"),
        ({"mon": "10:00-09:00"}, "mon"),
        ({"mon": "9am-5pm"}, "mon"),
    ],
)
def test_bad_hours_name_the_key(hours: dict[str, str], key: str) -> None:
    with pytest.raises(BadConfig) as caught:
        BusinessHours.parse("UTC", hours, source="sla.toml")
    assert caught.value.key == key and caught.value.file == "sla.toml"


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(BadConfig, match="IANA"):
        BusinessHours.parse("Mars/Olympus", {})
