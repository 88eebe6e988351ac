"""repeat_rate and fcr on January 1999 against a count made from the raw file in plain Python.

The count below reads 1999-01.txt itself (not the importer's records): offered
calls are AGENT rows and HANG rows that queued, a known caller has a
customer_id other than 0, and a call's time is its q_start, or its ser_start
when it never queued (the file has no time zone change in January, so wall
clock differences are real seconds). Ties are ordered as the registry orders
them, by the contact id the importer gives the row.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from callboard.domain import Outcome
from callboard.kpi import compute_kpis
from callboard.records import RecordDataset

WEEK = 604_800.0


@dataclass(frozen=True)
class Call:
    key: str
    at: datetime  # the contact time of the definitions
    queued_at: datetime  # where a report's period puts it (queue entry, else VRU exit)
    answered: bool


def _clock(day: datetime, text: str, vru_entry: timedelta) -> datetime:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    offset = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if offset < vru_entry - timedelta(hours=1):  # the stage ran past midnight
        offset += timedelta(days=1)
    return day + offset


def _known_offered_calls(path: Path) -> dict[str, list[Call]]:
    callers: dict[str, list[Call]] = defaultdict(list)
    with path.open(newline="") as lines:
        for row in csv.DictReader(lines, delimiter="\t"):
            queued = row["q_start"] != "0:00:00"
            answered = row["outcome"] == "AGENT"
            offered = answered or (row["outcome"] == "HANG" and queued)
            if not offered or row["customer_id"].strip() in ("", "0"):
                continue
            day = datetime.strptime(row["date"], "%y%m%d")
            entry = _clock(day, row["vru_entry"], timedelta()) - day
            vru_exit = _clock(day, row["vru_exit"], entry)
            if queued:
                at = queued_at = _clock(day, row["q_start"], entry)
            else:
                queued_at = vru_exit
                # 42 AGENT rows have no service times: answered when they left the VRU.
                at = (
                    _clock(day, row["ser_start"], entry)
                    if row["ser_start"] != "0:00:00"
                    else vru_exit
                )
            key = f"ab:{row['vru+line'].strip()}:{row['call_id']}:{row['date']}"
            callers[row["customer_id"].strip()].append(Call(key, at, queued_at, answered))
    return callers


def _hand_count(
    callers: dict[str, list[Call]], window: float, start: datetime | None = None
) -> dict[str, float]:
    known = repeats = answered = followed = 0
    for calls in callers.values():
        calls = sorted(calls, key=lambda call: (call.at, call.key))
        for i, call in enumerate(calls):
            if start is not None and call.queued_at < start:
                continue
            known += 1
            if i > 0 and (call.at - calls[i - 1].at).total_seconds() <= window:
                repeats += 1
            if call.answered:
                answered += 1
                later = calls[i + 1] if i + 1 < len(calls) else None
                if later is not None and (later.at - call.at).total_seconds() <= window:
                    followed += 1
    return {"repeat_rate": repeats / known, "fcr": 1 - followed / answered, "known": known}


@pytest.fixture(scope="module")
def callers(january_file: Path) -> dict[str, list[Call]]:
    return _known_offered_calls(january_file)


def _total(dataset: RecordDataset, **options: Any) -> dict[str, Any]:
    (row,) = compute_kpis(dataset, **options).rows
    return row


def test_repeat_rate_and_fcr_match_the_hand_count(
    january_dataset: RecordDataset, callers: dict[str, list[Call]]
) -> None:
    expected = _hand_count(callers, WEEK)
    total = _total(january_dataset)
    assert total["repeat_rate"] == pytest.approx(expected["repeat_rate"], abs=1e-12)
    assert total["fcr"] == pytest.approx(expected["fcr"], abs=1e-12)
    # A real share of the bank's identified callers called again within the week.
    assert 0.05 < total["repeat_rate"] < 0.95 and 0.05 < total["fcr"] < 0.95


def test_the_window_is_a_report_option(
    january_dataset: RecordDataset, callers: dict[str, list[Call]]
) -> None:
    hour = _total(january_dataset, repeat_window=3600.0)
    expected = _hand_count(callers, 3600.0)
    assert hour["repeat_rate"] == pytest.approx(expected["repeat_rate"], abs=1e-12)
    assert hour["fcr"] == pytest.approx(expected["fcr"], abs=1e-12)
    assert hour["repeat_rate"] < _total(january_dataset)["repeat_rate"]


def test_a_period_still_sees_the_calls_before_it(
    january_dataset: RecordDataset, callers: dict[str, list[Call]]
) -> None:
    start = datetime(1999, 1, 15)
    expected = _hand_count(callers, WEEK, start=start)
    later = _total(january_dataset, start=start)
    assert later["repeat_rate"] == pytest.approx(expected["repeat_rate"], abs=1e-12)
    assert later["fcr"] == pytest.approx(expected["fcr"], abs=1e-12)


def test_a_report_names_its_window(january_dataset: RecordDataset) -> None:
    definitions = compute_kpis(january_dataset, repeat_window=86_400.0).definitions
    assert definitions["thresholds"]["repeat_window_s"] == 86_400.0
    assert "in the previous 86400s" in definitions["kpis"]["repeat_rate"]["formula"]


def test_a_small_table_counted_by_hand() -> None:
    from tests.kpi.factory import MONDAY_9AM, contact, table

    day = timedelta(days=1)
    records = table(
        replace(contact(Outcome.ANSWERED, at=MONDAY_9AM), caller="ann"),  # followed
        replace(contact(Outcome.ABANDONED, at=MONDAY_9AM + 2 * day), caller="ann"),  # repeat
        replace(contact(Outcome.ANSWERED, at=MONDAY_9AM + 10 * day), caller="ann"),  # 8 days on
        replace(contact(Outcome.ANSWERED, at=MONDAY_9AM), caller="bob"),  # resolved
        contact(Outcome.ANSWERED, at=MONDAY_9AM + day),  # unknown caller: left out
        replace(contact(Outcome.IVR_ABANDONED, at=MONDAY_9AM + day), caller="bob"),  # not offered
    )
    (row,) = compute_kpis(records).rows
    assert row["repeat_rate"] == pytest.approx(1 / 4)
    assert row["fcr"] == pytest.approx(1 - 1 / 3)
