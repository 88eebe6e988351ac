"""Simulated days with one cause injected, written by `SimulationRun.write_records` and
imported through the csv importer, as a user would with `simulate --records`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from callboard.engine import QueueSpec
from callboard.records import RecordDataset, import_files
from callboard.sim import (
    AgentGroup,
    Arrivals,
    Callers,
    Exponential,
    InlineExecutor,
    QueueScenario,
    Scenario,
    SimulationRun,
)

FIRST_DAY = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
HISTORY_DAYS = 7
OPEN_S, CLOSE_S = 8 * 3600.0, 18 * 3600.0


def _profile(per_hour: float) -> tuple[float, ...]:
    """Expected arrivals per 30-minute slot of a day: open 08:00-18:00."""
    return tuple(per_hour / 2 if OPEN_S <= slot * 1800 < CLOSE_S else 0.0 for slot in range(48))


def queue(name: str, per_hour: float, service_s: float = 300.0) -> QueueScenario:
    return QueueScenario(
        spec=QueueSpec(name, announce=None, aht_hint_s=service_s, patience_hint_s=180.0),
        arrivals=Arrivals(per_interval=_profile(per_hour), interval_s=1800.0),
        callers=Callers(service=Exponential(service_s), patience=Exponential(180.0)),
    )


def group(name: str, count: int, skills: tuple[str, ...]) -> AgentGroup:
    return AgentGroup(name, count, dict.fromkeys(skills, 1), {"call": 1}, OPEN_S, CLOSE_S)


def day(index: int, queues: tuple[QueueScenario, ...], agents: tuple[AgentGroup, ...]) -> Scenario:
    start = FIRST_DAY + timedelta(days=index)
    return Scenario(
        name=f"day {index}", start=start.timestamp(), duration_s=86400.0, timezone="UTC",
        interval="30m", interval_s=1800.0, policy="longest_idle", queues=queues, agents=agents,
    )  # fmt: skip


def import_days(folder: Path, days: list[Scenario]) -> RecordDataset:
    """Write each day's records with `write_records`, then import them all (csv format)."""
    dataset = RecordDataset(folder / "records")
    for index, scenario in enumerate(days):
        out = folder / f"sim-{index}"
        path = SimulationRun(scenario, InlineExecutor(), 1, seed=index).write_records(out)
        (report,) = import_files(
            dataset, "csv", [path], tz="UTC", options={"mapping": str(out / "mapping.toml")}
        )
        assert report.error is None and report.rejected == 0, report
    return dataset


def with_days(normal: Scenario, incident: Scenario) -> list[Scenario]:
    """`HISTORY_DAYS` normal days, then the incident's day."""
    history = [replace(normal, start=(FIRST_DAY + timedelta(days=i)).timestamp())
               for i in range(HISTORY_DAYS)]  # fmt: skip
    return [
        *history,
        replace(incident, start=(FIRST_DAY + timedelta(days=HISTORY_DAYS)).timestamp()),
    ]
