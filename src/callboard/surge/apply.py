"""Carrying surge actions out directly on a `callboard.engine.Center` (the simulator's way).

`plan_commands` decides the commands; here they run on the engine at once.
The live server runs the same commands through its journal instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callboard.domain import Agent
from callboard.engine import Center
from callboard.surge.actions import Action, Effect
from callboard.surge.commands import Command, plan_commands
from callboard.surge.plan import CallReserve, OfferCallbacks

# The commands `plan_commands` emits, with the argument shapes of the live journal.
_RUN: dict[str, Callable[[Center, float, dict[str, Any]], Any]] = {
    "set_ready": lambda c, now, a: c.set_ready(now, a["agent_id"]),
    "set_not_ready": lambda c, now, a: c.set_not_ready(now, a["agent_id"], a["reason"]),
    "set_skills": lambda c, now, a: c.set_skills(now, a["agent_id"], a["skills"]),
    "set_mode": lambda c, now, a: c.set_mode(now, a["queue"], a["mode"], a.get("message")),
    "offer_callbacks": lambda c, now, a: c.offer_callbacks(
        now, a["queue"], a["min_ewt_s"], a["predictor"]
    ),
    "add_agent": lambda c, now, a: c.add_agent(Agent(**a)),
    "logout": lambda c, now, a: c.logout(now, a["agent_id"]),
}


def apply(center: Center, now: float, action: Action) -> Effect:
    """Carry out (or, when `action.undo`, revert) one action at `now`; returns its effect."""
    commands, effect = plan_commands(center, action)
    prompted = 0
    for command in commands:
        result = run_command(center, now, command)
        if command.name == "offer_callbacks":
            prompted += result
    if isinstance(action.step, OfferCallbacks) and not action.undo:
        return Effect(f"{effect.summary}: {prompted} callers asked", effect.changes)
    return effect


def run_command(center: Center, now: float, command: Command) -> Any:
    """Run one command as the live journal would replay it."""
    return _RUN[command.name](center, now, command.args)


def reserve_logins(action: Action) -> list[tuple[float, str]]:
    """(when, agent id) for each reserve person an action calls in, for the driver to log in."""
    if action.undo or not isinstance(action.step, CallReserve):
        return []
    return [(c.arrives_at, c.person.person_id) for c in action.callouts]
