"""Every KPI of the dictionary on a table small enough to work out by hand (T=20 s, S=5 s)."""

from __future__ import annotations

import json
import math

import pyarrow as pa
import pytest

from callboard.domain import Outcome
from callboard.kpi import KPIS, compute_kpis
from callboard.records.schema import RECORD_SCHEMA
from tests.kpi.factory import contact, table

A, AB, X = Outcome.ANSWERED, Outcome.ABANDONED, Outcome.EXITED


@pytest.fixture(scope="module")
def eleven_offered() -> pa.Table:
    return table(
        contact(A, wait=0, talk=100, hold=10, acw=20, agent="ann"),  # handle 130
        contact(A, wait=10, talk=200, agent="ann"),  # hold, ACW unknown: handle 200
        contact(A, wait=20, talk=50, acw=30, agent="bob"),  # exactly T: within; handle 80
        contact(A, wait=30, agent="bob"),  # talk unknown: not handled
        contact(A, wait=60, talk=150, agent="bob", callback=True),  # handle 150
        contact(AB, wait=2),  # short
        contact(AB, wait=5),  # S itself is not short; within T
        contact(AB, wait=25),  # long, after T
        contact(AB),  # wait unknown: long, out of averages
        contact(X, wait=100, exit_reason="Overflow"),
        contact(X, wait=40, exit_reason="timeout"),
        contact(Outcome.BLOCKED),
        contact(Outcome.IVR_ABANDONED),
        contact(Outcome.IVR_ABANDONED),
        contact(Outcome.PHANTOM, wait=999, talk=999),
    )


EXPECTED = {
    "offered": 11,
    "answered": 5,
    "abandoned": 4,
    "abandoned_short": 1,
    "exited": 2,
    "blocked": 1,
    "ivr_abandoned": 2,
    "queued": 10,
    "callbacks": 1,
    "handled": 4,
    "sl": 3 / 10,
    "sl_answered": 3 / 5,
    "sl_offered": 3 / 11,
    "sl_late_abandons": 3 / 6,
    "sl_met": 5 / 9,
    "asa": 120 / 5,
    "asa_median": 20.0,
    "asa_p90": 48.0,  # 30 + 0.6 x (60 - 30)
    "avg_wait": 292 / 10,
    "avg_abandon_time": 32 / 3,
    "avg_abandon_time_long": 30 / 2,
    "abandon_rate": 4 / 11,
    "abandon_rate_excl_short": 3 / 10,
    "answer_rate": 5 / 11,
    "longest_wait": 100.0,
    "aht": 560 / 4,
    "talk_time": 500 / 4,
    "overflow_share": 1 / 11,
    "callback_success_rate": 1.0,
    # No contact has a known caller, so both have a zero denominator: null, never 0.
    "repeat_rate": None,
    "fcr": None,
}


def test_every_kpi_matches_the_hand_count(eleven_offered: pa.Table) -> None:
    (row,) = compute_kpis(eleven_offered).rows
    assert set(EXPECTED) == set(KPIS), "a KPI was added without a hand-computed value"
    for name, value in EXPECTED.items():
        assert row[name] == pytest.approx(value), name


def test_thresholds_change_the_counts_that_depend_on_them(eleven_offered: pa.Table) -> None:
    (row,) = compute_kpis(eleven_offered, sl_threshold=10, short_abandon=6).rows
    assert row["abandoned_short"] == 2  # waits 2 and 5 are under 6 s
    assert row["sl"] == pytest.approx(2 / 9)
    assert row["sl_late_abandons"] == pytest.approx(2 / 6)  # only the 25 s abandon is past 10 s
    report = compute_kpis(eleven_offered, sl_threshold=10, short_abandon=6)
    assert report.definitions["kpis"]["sl"]["formula"] == "A(wait ≤ 10s) / (O − Ab_s)"
    assert report.definitions["thresholds"] == {
        "sl_threshold_s": 10,
        "short_abandon_s": 6,
        "repeat_window_s": 604_800,
    }


def test_per_agent_rows_give_handled_and_aht(eleven_offered: pa.Table) -> None:
    rows = {row["agent"]: row for row in compute_kpis(eleven_offered, by=["agent"]).rows}
    assert rows["ann"]["handled"] == 2 and rows["ann"]["aht"] == pytest.approx(165)
    assert rows["bob"]["handled"] == 2 and rows["bob"]["aht"] == pytest.approx(115)
    assert rows[None]["answered"] == 0 and rows[None]["aht"] is None


def test_occupancy_is_declared_unavailable_not_faked(eleven_offered: pa.Table) -> None:
    report = compute_kpis(eleven_offered, by=["agent"])
    assert "occupancy" in report.definitions["unavailable"]
    assert "utilization" in report.definitions["unavailable"]
    assert all("occupancy" not in row for row in report.rows)


def test_no_records_give_one_total_row_with_null_ratios() -> None:
    (row,) = compute_kpis(RECORD_SCHEMA.empty_table()).rows
    assert row["offered"] == 0 and row["blocked"] == 0
    for name, definition in KPIS.items():
        if definition.unit != "contacts":
            assert row[name] is None, name


def test_only_short_abandons_leave_sl_undefined_but_abandon_rate_known() -> None:
    (row,) = compute_kpis(table(contact(AB, wait=1), contact(AB, wait=3))).rows
    assert row["sl"] is None  # O − Ab_s = 0
    assert row["abandon_rate_excl_short"] is None
    assert row["abandon_rate"] == 1.0
    assert row["sl_offered"] == 0.0
    assert row["sl_answered"] is None  # A = 0
    assert row["avg_abandon_time_long"] is None


def test_blocked_and_ivr_abandons_are_reported_but_not_offered() -> None:
    (row,) = compute_kpis(table(contact(Outcome.BLOCKED), contact(Outcome.IVR_ABANDONED))).rows
    assert (row["offered"], row["blocked"], row["ivr_abandoned"]) == (0, 1, 1)
    assert row["abandon_rate"] is None and row["answer_rate"] is None


def test_nan_durations_are_unknown_never_nan_figures() -> None:
    records = table(contact(A, wait=10, talk=100), contact(A, wait=30, talk=200))
    nan_table = pa.concat_tables(
        [
            records,
            table(contact(A, wait=0, talk=0)).set_column(
                RECORD_SCHEMA.get_field_index("wait_s"), "wait_s", pa.array([math.nan])
            ),
        ]
    )
    (row,) = compute_kpis(nan_table).rows
    assert row["asa"] == pytest.approx((10 + 30) / 2)  # the NaN wait is left out
    assert row["aht"] == pytest.approx((100 + 200 + 0) / 3)
    assert not any(isinstance(v, float) and math.isnan(v) for v in row.values())
    json.loads(compute_kpis(nan_table).to_json())  # strict JSON: would fail on NaN


def test_a_table_missing_columns_is_refused_with_the_fix() -> None:
    from callboard.errors import BadInput

    partial = table(contact(A, wait=1)).drop_columns(["local_time"])
    with pytest.raises(BadInput, match="finish_table"):
        compute_kpis(partial)


def test_report_json_and_csv_carry_the_same_figures(eleven_offered: pa.Table) -> None:
    report = compute_kpis(eleven_offered, by=["queue"])
    body = json.loads(report.to_json())
    assert body["rows"][0]["sl"] == pytest.approx(0.3)
    header, line = report.to_csv().splitlines()
    values = dict(zip(header.split(","), line.split(","), strict=True))
    assert values["queue"] == "sales" and float(values["sl"]) == pytest.approx(0.3)
