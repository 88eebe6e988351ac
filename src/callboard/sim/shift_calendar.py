"""A scenario's shifts on any stretch of the calendar, for a live center that follows them.

The simulator's driver logs its agents in and out and starts their breaks at
the scenario's times (`driver._agent_actions`); `callboard serve --center FILE
--follow-shifts` does the same on the wall clock. Both read the one rule, so a
served scenario staffs its queues as its simulation did.
"""

from __future__ import annotations

from dataclasses import replace

from callboard.engine import Command
from callboard.sim.driver import _agent_actions
from callboard.sim.scenario import Scenario


def shift_commands(scenario: Scenario, start: float, end: float) -> list[tuple[float, Command]]:
    """Every login, logout and break of the scenario's agent groups from `start` to `end`
    (POSIX seconds), as (time, command) in time order, on the scenario's own rules: a
    shift under way at `start` logs in at `start`, a whole-day group logs in once.
    Agent ids are the simulator's (`group-0`, `group-1`, ...)."""
    if end <= start:
        return []
    moved = replace(scenario, start=start, duration_s=end - start)
    return [(at, command) for at, command in _agent_actions(moved) if at < end]
