"""January 1999 at the bank against the reference figures of shared/data/README.md."""

from __future__ import annotations

from typing import Any

import pyarrow.compute as pc
import pytest

from callboard.kpi import compute_kpis, select_records
from callboard.records import RecordDataset


@pytest.fixture(scope="module")
def total(january_dataset: RecordDataset) -> dict[str, Any]:
    (row,) = compute_kpis(january_dataset).rows
    return row


def test_counts_match_the_reference(total: dict[str, Any]) -> None:
    assert total["offered"] == 30_161
    assert total["answered"] == 27_060
    assert total["abandoned"] == 3_101
    assert total["queued"] == 16_686
    assert total["exited"] == 0 and total["blocked"] == 0


def test_phantoms_are_out_and_ivr_abandons_apart(total: dict[str, Any]) -> None:
    assert total["ivr_abandoned"] == 1_198
    # 31,599 rows read, 240 of them PHANTOM: everything else is offered or IVR.
    assert total["offered"] + total["ivr_abandoned"] == 31_599 - 240


def test_abandon_rate_among_queued_calls(total: dict[str, Any]) -> None:
    # Every abandon in this file waited in line, so Ab / queued is the README's 18.6%.
    assert total["abandoned"] / total["queued"] == pytest.approx(0.186, abs=0.0005)
    assert total["abandon_rate"] == pytest.approx(3_101 / 30_161)


def test_mean_queue_time_differs_from_the_reference_only_by_the_phantoms(
    january_dataset: RecordDataset, total: dict[str, Any]
) -> None:
    # Unqueued calls wait 0 s, so Σ wait over O / queued is the mean of the queued calls.
    mean_queued = total["avg_wait"] * total["offered"] / total["queued"]
    assert mean_queued == pytest.approx(68.09, abs=0.01)
    # The README's 68.3 s includes the 240 PHANTOM calls, which also waited in line.
    with_phantoms = select_records(january_dataset, outcome=["offered", "phantom"])
    queued = with_phantoms.filter(with_phantoms.column("queued"))
    assert round(pc.mean(queued.column("wait_s")).as_py(), 1) == 68.3


def test_service_time_of_answered_calls(
    january_dataset: RecordDataset, total: dict[str, Any]
) -> None:
    answered = select_records(january_dataset, outcome="answered")
    talk = answered.column("talk_s")
    in_range = pc.filter(talk, pc.and_(pc.greater(talk, 0), pc.less_equal(talk, 3600)))
    assert pc.mean(in_range).as_py() == pytest.approx(184.7, abs=0.05)
    # talk_time keeps the zero and the over-an-hour calls: every known talk time.
    assert total["handled"] == pc.count(talk).as_py() == 27_060 - 42
    assert total["talk_time"] == pytest.approx(pc.mean(talk).as_py())
    assert total["aht"] == total["talk_time"]  # the bank's file has no hold or ACW


def test_day_and_queue_rows_add_up_to_the_month(january_dataset: RecordDataset) -> None:
    rows = compute_kpis(january_dataset, by=["day", "queue"]).rows
    assert sum(row["offered"] for row in rows) == 30_161
    assert not any(row["day"].day in (11, 12) for row in rows)  # no records those days


def test_per_agent_rows_cover_every_answered_call(january_dataset: RecordDataset) -> None:
    rows = compute_kpis(january_dataset, by=["agent"]).rows
    named = [row for row in rows if row["agent"] is not None]
    # The README's 29 servers include NO_SERVER, which is stored as no agent.
    assert len(named) == 28
    assert sum(row["answered"] for row in rows) == 27_060
    assert all(row["handled"] > 0 and row["aht"] > 0 for row in named)
