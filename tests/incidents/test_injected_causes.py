"""A cause injected into a simulated day comes out as the cause of its incident.

Each test simulates a week of normal days and one day with a single change
(volume x1.6 for two hours, handling time +40%, 30% of the agents absent, a
skill taken from half the agents), writes the records with `write_records`,
imports them with the csv importer and asks for the worst incident's report.
The injected cause must take at least 70% of the attributed loss.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from callboard.incidents import DetectionSettings, ReportOptions, build_report, find_incidents
from callboard.sim import Exponential, TimedEvent
from tests.incidents.simulated import day, group, import_days, queue, with_days

NORMAL = day(0, (queue("help", 120.0),), (group("desk", 13, ("help",)),))
REPLICATIONS = 10


def _attribution(tmp_path: Path, incident_day: object, queue_name: str = "help") -> dict:
    normal = NORMAL if queue_name == "help" else TWO_QUEUES
    dataset = import_days(tmp_path, with_days(normal, incident_day))  # type: ignore[arg-type]
    settings = DetectionSettings()
    found = [i for i in find_incidents(dataset, settings, queues=[queue_name])
             if i.start.day == 9]  # fmt: skip
    assert found, "the injected day has an incident"
    worst = max(found, key=lambda i: i.lost)
    report = build_report(dataset, worst.incident_id, ReportOptions(replications=REPLICATIONS))
    return report.as_dict()


def _share(report: dict, cause: str) -> float:
    shares = {row["cause"]: row["lost"] for row in report["attribution"] if row["lost"] is not None}
    attributed = sum(shares.values())
    assert attributed > 0, shares
    return shares.get(cause, 0.0) / attributed


def test_a_surge_above_the_forecast_is_the_volume(tmp_path: Path) -> None:
    surge = replace(NORMAL, events=(TimedEvent(at_s=10 * 3600.0, duration_s=7200.0, volume=1.6),))
    report = _attribution(tmp_path, surge)
    volume = next(r for r in report["causes"] if r["cause"] == "volume")
    assert volume["actual"] > volume["normal"] and volume["z"] > 2
    assert _share(report, "volume") >= 0.7


def test_longer_calls_are_the_handling_time(tmp_path: Path) -> None:
    (help_queue,) = NORMAL.queues
    slow = replace(help_queue, callers=replace(help_queue.callers, service=Exponential(420.0)))
    report = _attribution(tmp_path, replace(NORMAL, queues=(slow,)))
    handling = next(r for r in report["causes"] if r["cause"] == "handling_time")
    assert handling["actual"] == pytest.approx(420.0, rel=0.15)
    assert _share(report, "handling_time") >= 0.7


def test_absent_agents_are_the_staffing(tmp_path: Path) -> None:
    report = _attribution(tmp_path, replace(NORMAL, agents=(group("desk", 9, ("help",)),)))
    staffing = next(r for r in report["causes"] if r["cause"] == "staffing")
    assert staffing["actual"] < staffing["normal"]
    assert _share(report, "staffing") >= 0.7
    shrinkage = next(r for r in report["attribution"] if r["cause"] == "shrinkage")
    assert shrinkage["measurable"] is False and shrinkage["lost"] is None


TWO_QUEUES = day(
    0, (queue("cards", 100.0), queue("loans", 30.0)),
    (group("north", 9, ("cards", "loans")), group("south", 9, ("cards", "loans"))),
)  # fmt: skip


def test_agents_without_their_skill_are_the_routing(tmp_path: Path) -> None:
    mismatch = replace(TWO_QUEUES, agents=(
        group("north", 9, ("loans",)), group("south", 9, ("cards", "loans"))))  # fmt: skip
    report = _attribution(tmp_path, mismatch, "cards")
    routing = next(r for r in report["causes"] if r["cause"] == "routing")
    north = {a: q for a, q in routing["lacking"].items() if a.startswith("north-")}
    assert len(north) >= 6 and all("cards" in lacked for lacked in north.values())
    assert _share(report, "routing") >= 0.7
