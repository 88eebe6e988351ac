"""Live centers built from scenario files, so a what-if run and production share one file."""

from __future__ import annotations

from collections.abc import Callable

from callboard.engine import Center
from callboard.sim import Scenario


def center_factory(scenario: Scenario) -> Callable[[float], Center]:
    """The scenario's queues and agents as a live center; agents start logged out,
    because in production people log in themselves (shifts are not imposed)."""

    def build(now: float) -> Center:
        agents = [agent for group in scenario.agents for agent in group.members()]
        return Center([q.spec for q in scenario.queues], agents, policy=scenario.policy, start=now)

    return build
