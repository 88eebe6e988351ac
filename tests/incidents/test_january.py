"""January 1999 at the bank: the incidents found, and the worst one's report checked by hand.

The hand checks recompute from the records and the formulas, not from the
report's own code: the offered count with pyarrow, the required agents with
`queueing.service_level` (n meets the target, n - 1 does not), and the cause
table's actual figures from the raw rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pyarrow.compute as pc
import pytest

from callboard.incidents import DetectionSettings, ReportOptions, build_report, find_incidents
from callboard.kpi import select_records
from callboard.queueing import service_level
from callboard.records import RecordDataset

SETTINGS = DetectionSettings()


@pytest.fixture(scope="module")
def incidents(january_dataset: RecordDataset) -> list[Any]:
    return find_incidents(january_dataset, SETTINGS)


@pytest.fixture(scope="module")
def worst(january_dataset: RecordDataset, incidents: list[Any]) -> dict[str, Any]:
    incident = max(incidents, key=lambda i: i.lost)
    options = ReportOptions(replications=10)
    return build_report(january_dataset, incident.incident_id, options).as_dict()


def test_the_collapse_days_are_found(incidents: list[Any]) -> None:
    days = {i.start.date() for i in incidents}
    # No records on the 11th and 12th: no incident there.
    assert not {d for d in days if d.day in (11, 12)}
    # The regular queue misses 80/20 through most working days.
    ps_days = {i.start.date() for i in incidents if i.queue == "PS"}
    assert len(ps_days) >= 15
    for incident in incidents:
        assert incident.sl is not None
        assert incident.sl < SETTINGS.sl_target or incident.abandon_rate > SETTINGS.abandon_max
        assert incident.end - incident.start >= np.timedelta64(60, "m")


def test_the_worst_incident_counts_its_contacts_as_the_records_do(
    january_dataset: RecordDataset, worst: dict[str, Any]
) -> None:
    incident = worst["incident"]
    start, end = datetime.fromisoformat(incident["start"]), datetime.fromisoformat(incident["end"])
    rows = select_records(january_dataset, start=start, end=end, queues=[incident["queue"]])
    outcome = rows.column("outcome")
    offered = pc.is_in(outcome, value_set=pc.cast(["answered", "abandoned", "exited"], "string"))
    assert incident["offered"] == pc.sum(offered.cast("int64")).as_py()
    assert incident["abandoned"] == pc.sum(pc.equal(outcome, "abandoned").cast("int64")).as_py()
    volume = next(r for r in worst["causes"] if r["cause"] == "volume")
    assert volume["actual"] == incident["offered"]
    answered = pc.and_(pc.equal(outcome, "answered"), pc.greater(rows.column("talk_s"), 0))
    talk = rows.column("talk_s").filter(answered).to_numpy()
    handling = next(r for r in worst["causes"] if r["cause"] == "handling_time")
    assert handling["actual"] == pytest.approx(talk.mean(), abs=0.05)


def test_the_required_agents_are_the_least_that_meet_the_target(worst: dict[str, Any]) -> None:
    queue = worst["incident"]["queue"]
    inputs = worst["requirements"][queue]
    checked = 0
    for forecast, aht, required in zip(
        inputs["forecast"], inputs["usual_aht_s"], inputs["required"], strict=True
    ):
        if forecast is None or aht is None or not required:
            continue
        rate = forecast / 1800.0
        args = {"patience": inputs["usual_patience_s"], "threshold": 20.0, "short_abandon": 5.0}
        assert service_level(rate, aht, required, **args) >= 0.8
        assert service_level(rate, aht, required - 1, **args) < 0.8
        checked += 1
    assert checked >= 10
    # The staffing timeline's requirement is the sum over the window's queues.
    for index, row in enumerate(worst["timeline"]):
        per_queue = [q["required"][index] for q in worst["requirements"].values()]
        assert row["required"] == pytest.approx(sum(v or 0.0 for v in per_queue), abs=0.05)


def test_the_worst_incident_has_a_cause_table_that_adds_up(worst: dict[str, Any]) -> None:
    loss = worst["loss"]
    shares = [r["lost"] for r in worst["attribution"] if r["lost"] is not None]
    assert sum(shares) + loss["remainder"] == pytest.approx(loss["observed_lost"], abs=0.05)
    # The bank's records hold no agent states: shrinkage is not measurable, never zero.
    shrinkage = next(r for r in worst["attribution"] if r["cause"] == "shrinkage")
    assert shrinkage["measurable"] is False and shrinkage["lost"] is None
    staffing = next(r for r in worst["attribution"] if r["cause"] == "staffing")
    low, high = staffing["ci95"]
    assert staffing["lost"] is not None and low <= staffing["lost"] <= high
