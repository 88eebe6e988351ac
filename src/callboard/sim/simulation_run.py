"""A scenario file made ready to simulate, apart from running it.

Reading the file and reaching the executor fail fast, before any replication,
with `BadConfig` or `BadInput`; the run itself then only reports progress. A
front end can so show a bad file at once and a progress bar named after the
scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from callboard.sim.executors import DaskExecutor, Executor, local_executor
from callboard.sim.replications import Replication, SimulationReport, simulate
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


def prepare_simulation(
    path: Path, *, replications: int, seed: int, workers: int = 1, dask: str | None = None
) -> SimulationRun:
    """`dask` is a scheduler address (tcp://host:port); without it, `workers` local processes."""
    scenario = load_scenario(path)
    executor = DaskExecutor(dask) if dask else local_executor(workers)
    return SimulationRun(scenario, executor, replications, seed)
