"""The simulator: the engine on a virtual clock, with generated or replayed callers.

A `Scenario` (in code, or from a file by `load_scenario`) describes queues,
agent groups and callers; `simulate` runs independent replications through an
`Executor` (in process, a local process pool, or Dask) and reports every KPI
with a 95% interval; `project` restores a live center's snapshot and compares
surge options over the next hour; `replay_scenario` builds a scenario from a
real day's records.
"""

from callboard.sim.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Lognormal,
    Uniform,
)
from callboard.sim.driver import RunStats, run
from callboard.sim.executors import (
    DaskExecutor,
    Executor,
    InlineExecutor,
    ProcessExecutor,
    local_executor,
)
from callboard.sim.plan_check import check_plan
from callboard.sim.projection import Projection, project
from callboard.sim.replay import SESSION_GAP_S, replay_scenario
from callboard.sim.replay_window import (
    ReplayWindow,
    WindowGroup,
    WindowQueue,
    WindowRun,
    replay_window,
    run_window,
)
from callboard.sim.replications import SimulationReport, TierSummary, simulate
from callboard.sim.scenario import (
    AgentGroup,
    Arrivals,
    Break,
    Callers,
    QueueScenario,
    Scenario,
    TimedEvent,
)
from callboard.sim.scenario_file import load_scenario, parse_scenario
from callboard.sim.shift_calendar import shift_commands
from callboard.sim.simulation_run import SimulationRun, prepare_simulation

__all__ = [
    "SESSION_GAP_S",
    "AgentGroup",
    "Arrivals",
    "Break",
    "Callers",
    "DaskExecutor",
    "Distribution",
    "Empirical",
    "Executor",
    "Exponential",
    "Fixed",
    "InlineExecutor",
    "Lognormal",
    "ProcessExecutor",
    "Projection",
    "QueueScenario",
    "ReplayWindow",
    "RunStats",
    "Scenario",
    "SimulationReport",
    "SimulationRun",
    "TierSummary",
    "TimedEvent",
    "Uniform",
    "WindowGroup",
    "WindowQueue",
    "WindowRun",
    "check_plan",
    "load_scenario",
    "local_executor",
    "parse_scenario",
    "prepare_simulation",
    "project",
    "replay_scenario",
    "replay_window",
    "run",
    "run_window",
    "shift_commands",
    "simulate",
]
