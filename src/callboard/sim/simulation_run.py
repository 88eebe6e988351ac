"""A scenario file made ready to simulate, apart from running it.

Reading the file and reaching the executor fail fast, before any replication,
with `BadConfig` or `BadInput`; the run itself then only reports progress. A
front end can so show a bad file at once and a progress bar named after the
scenario.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from callboard.domain import ContactRecord
from callboard.engine import Contact
from callboard.records import to_record
from callboard.sim.driver import run
from callboard.sim.executors import DaskExecutor, Executor, local_executor
from callboard.sim.replications import Replication, SimulationReport, simulate, surge_control
from callboard.sim.scenario import Scenario
from callboard.sim.scenario_file import load_scenario


@dataclass(frozen=True)
class SimulationRun:
    scenario: Scenario
    executor: Executor
    replications: int
    seed: int

    def run(self, on_done: Callable[[Replication], None] | None = None) -> SimulationReport:
        """Every replication, then the Dask client closed (even on failure)."""
        try:
            return simulate(
                self.scenario, replications=self.replications, seed=self.seed,
                executor=self.executor, on_done=on_done,
            )  # fmt: skip
        finally:
            if isinstance(self.executor, DaskExecutor):
                self.executor.close()

    def write_records(self, folder: Path) -> Path:
        """The first replication's contacts, importable (see `_write_records`)."""
        return _write_records(self, folder)


RECORDS_FILE = "contacts.csv"
MAPPING_FILE = "mapping.toml"
_COLUMNS = (
    "contact_id", "queue", "arrived_at", "queued_at", "answered_at", "ended_at", "outcome",
    "agent", "priority", "channel", "wait_s", "talk_s", "acw_s", "exit_reason", "region",
    "category",
)  # fmt: skip
_TIMES = ("arrived_at", "queued_at", "answered_at", "ended_at")
# The csv importer's mapping for RECORDS_FILE: every column by its own name, times in
# POSIX seconds, outcomes by their Callboard names.
_MAPPING = (
    'source = "sim"\ntime_format = "epoch"\n\n[columns]\n'
    + "".join(f'{name} = "{name}"\n' for name in _COLUMNS)
    + "\n[outcomes]\n"
    + "".join(f'{o} = "{o}"\n' for o in ("answered", "abandoned", "exited", "blocked"))
)


def _write_records(run_: SimulationRun, folder: Path) -> Path:
    """The first replication's contacts as a CSV beside the mapping that imports it:
    `callboard import csv FOLDER/contacts.csv --mapping FOLDER/mapping.toml --tz ZONE`.

    It is the same replication the report's first run is (the same child seed), run
    again in this process. Contact ids carry the seed and the scenario's start, so
    records of several simulations (a week of normal days, then the day of a surge)
    can go into one workspace without their ids colliding.
    """
    scenario = run_.scenario
    child = np.random.SeedSequence(run_.seed).spawn(run_.replications)[0]
    records: list[ContactRecord] = []
    counted_from = scenario.start + scenario.warmup_s

    def sink(contacts: list[Contact]) -> None:
        records.extend(to_record(c) for c in contacts if c.queued_at >= counted_from)

    run(scenario, child, sink, on_output=surge_control(scenario))
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f"{run_.seed}-{int(scenario.start)}-"
    path = folder / RECORDS_FILE
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(_COLUMNS)
        for record in sorted(records, key=lambda r: r.queued_at):
            writer.writerow(_row(record, prefix))
    (folder / MAPPING_FILE).write_text(_MAPPING, encoding="utf-8")
    return path


def _row(record: ContactRecord, prefix: str) -> list[str]:
    values: dict[str, object] = {
        "contact_id": prefix + record.contact_id, "queue": record.queue,
        "outcome": record.outcome.value, "agent": record.agent, "priority": record.priority,
        "channel": record.channel.value, "wait_s": record.wait_s, "talk_s": record.talk_s,
        "acw_s": record.acw_s, "exit_reason": record.exit_reason, "region": record.region,
        "category": record.attributes.get("category"),
    }  # fmt: skip
    for name in _TIMES:
        moment = getattr(record, name)
        values[name] = None if moment is None else f"{moment.timestamp():.6f}"
    return ["" if values[name] is None else str(values[name]) for name in _COLUMNS]


def prepare_simulation(
    path: Path, *, replications: int, seed: int, workers: int = 1, dask: str | None = None
) -> SimulationRun:
    """`dask` is a scheduler address (tcp://host:port); without it, `workers` local processes."""
    scenario = load_scenario(path)
    executor = DaskExecutor(dask) if dask else local_executor(workers)
    return SimulationRun(scenario, executor, replications, seed)
