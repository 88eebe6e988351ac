"""Grouping and selection: where a contact is counted, and half-open bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callboard.domain import Channel, Outcome
from callboard.errors import BadInput
from callboard.kpi import compute_kpis, select_records
from callboard.records import RecordDataset
from tests.kpi.factory import MONDAY_9AM, contact, table

A = Outcome.ANSWERED
US = timedelta(microseconds=1)


def _offered_by(rows: list[dict[str, object]], key: str) -> dict[object, object]:
    return {row[key]: row["offered"] for row in rows}


@pytest.mark.parametrize(
    ("interval", "minutes"), [("15m", 15), ("30m", 30), ("60m", 60), ("1h", 60)]
)
def test_a_contact_on_a_boundary_opens_the_next_interval(interval: str, minutes: int) -> None:
    boundary = MONDAY_9AM + timedelta(minutes=minutes)
    records = table(
        contact(A, wait=0, at=MONDAY_9AM),
        contact(A, wait=0, at=boundary - US),
        contact(A, wait=0, at=boundary),
    )
    rows = compute_kpis(records, by=["interval"], interval=interval).rows
    assert _offered_by(rows, "interval") == {
        datetime(2024, 3, 4, 9, 0): 2,
        boundary.replace(tzinfo=None): 1,
    }


def test_intervals_days_and_hours_follow_the_centers_wall_clock() -> None:
    # 22:50 UTC on Sunday is 00:50 on Monday in Jerusalem (UTC+2 in March).
    sunday_night = datetime(2024, 3, 3, 22, 50, tzinfo=UTC)
    records = table(contact(A, wait=0, at=sunday_night), tz="Asia/Jerusalem")
    (row,) = compute_kpis(records, by=["interval", "day", "hour", "dow"], interval="30m").rows
    assert row["interval"] == datetime(2024, 3, 4, 0, 30)
    assert row["day"].isoformat() == "2024-03-04"
    assert (row["hour"], row["dow"]) == (0, 1)


def test_naive_bounds_are_wall_clock_and_half_open() -> None:
    records = table(
        contact(A, wait=0, at=MONDAY_9AM - US),
        contact(A, wait=0, at=MONDAY_9AM),
        contact(A, wait=0, at=MONDAY_9AM + timedelta(minutes=30)),
        tz="Europe/Berlin",  # 09:00 UTC is 10:00 in Berlin
    )
    ten, half_past = datetime(2024, 3, 4, 10, 0), datetime(2024, 3, 4, 10, 30)
    (row,) = compute_kpis(records, start=ten, end=half_past).rows
    assert row["offered"] == 1
    assert select_records(records, start=ten, end=half_past).num_rows == 1
    (late,) = compute_kpis(records, start=half_past).rows
    assert late["offered"] == 1


def test_aware_bounds_are_instants_whatever_the_center_zone() -> None:
    records = table(contact(A, wait=0), tz="America/New_York")
    nine_utc = MONDAY_9AM
    assert compute_kpis(records, start=nine_utc).rows[0]["offered"] == 1
    assert compute_kpis(records, end=nine_utc).rows[0]["offered"] == 0


def test_an_empty_period_is_an_error_that_names_both_ends() -> None:
    with pytest.raises(BadInput, match="half-open"):
        compute_kpis(table(), start=MONDAY_9AM, end=MONDAY_9AM)


def test_queue_filter_and_the_keys_that_are_plain_columns() -> None:
    records = table(
        contact(A, wait=0, queue="sales", priority=2, channel=Channel.CHAT),
        contact(A, wait=0, queue="sales", priority=0),
        contact(A, wait=0, queue="support"),
    )
    rows = compute_kpis(records, by=["queue", "priority", "channel"], queues="sales").rows
    assert [(r["queue"], r["priority"], r["channel"], r["offered"]) for r in rows] == [
        ("sales", 0, "call", 1),
        ("sales", 2, "chat", 1),
    ]


def test_a_repeated_key_groups_once() -> None:
    report = compute_kpis(table(contact(A, wait=0)), by=["queue", "queue"])
    assert report.group_by == ("queue",)


@pytest.mark.parametrize("interval", ["7m", "0m", "half an hour", "25h"])
def test_an_interval_that_does_not_divide_a_day_is_refused(interval: str) -> None:
    with pytest.raises(BadInput, match="interval"):
        compute_kpis(table(), by=["interval"], interval=interval)


def test_an_unknown_key_names_the_choices() -> None:
    with pytest.raises(BadInput, match="interval, hour, day, dow, queue, agent"):
        compute_kpis(table(), by=["weather"])


def test_an_empty_dataset_reads_as_no_contacts(tmp_path: Path) -> None:
    dataset = RecordDataset(tmp_path / "records")
    assert compute_kpis(dataset).rows[0]["offered"] == 0
    assert select_records(dataset).num_rows == 0


def test_drill_down_returns_the_rows_a_figure_counted() -> None:
    records = table(
        contact(A, wait=0),
        contact(Outcome.ABANDONED, wait=9),
        contact(Outcome.BLOCKED),
        contact(Outcome.PHANTOM),
    )
    (row,) = compute_kpis(records).rows
    assert select_records(records, outcome="offered").num_rows == row["offered"]
    assert select_records(records, outcome=["abandoned"]).num_rows == row["abandoned"]
    assert select_records(records).num_rows == 3  # phantom only when asked for by name
    assert select_records(records, outcome="phantom").num_rows == 1
    with pytest.raises(BadInput, match="offered, answered"):
        select_records(records, outcome="lost")
