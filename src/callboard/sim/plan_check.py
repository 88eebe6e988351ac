"""A surge plan checked against the center it would run on.

A plan names queues; only a scenario says which queues a center has, and the
scenario is the simulator's, so the check that brings the two together lives
here, above both files' readers.
"""

from __future__ import annotations

from pathlib import Path

from callboard.sim.scenario_file import load_scenario
from callboard.surge import Plan, load_plan


def check_plan(plan: Path, center: Path | None = None) -> Plan:
    """The plan as `serve --plan` would load it; with `center` (a scenario file), every
    queue the plan names must be one of the scenario's. Problems raise `BadConfig`."""
    queues = [queue.spec.name for queue in load_scenario(center).queues] if center else None
    return load_plan(plan, queues)
