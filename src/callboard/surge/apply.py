"""Carrying surge actions out on a `callboard.engine.Center`.

`plan_commands` decides the commands; `carry_out` runs them through whatever
executes commands: the simulator's `apply` runs them on the engine at once,
the live server through its journal (`callboard.server.surge_live`).
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


def carry_out(
    action: Action, planned: tuple[list[Command], Effect], run: Callable[[Command], Any]
) -> Effect:
    """Hand each of `action`'s `planned` commands (`plan_commands`) to `run`; returns the
    effect. Deciding and running are apart so that the live server can decide under the
    center's lock and run each command through its journal without holding it.

    `run` returns the engine's result, or None when the command was refused.
    """
    commands, effect = planned
    prompted = 0
    for command in commands:
        result = run(command)
        if command.name == "offer_callbacks" and result is not None:
            prompted += result
    if isinstance(action.step, OfferCallbacks) and not action.undo:
        return Effect(f"{effect.summary}: {prompted} callers asked", effect.changes)
    return effect


def apply(center: Center, now: float, action: Action) -> Effect:
    """Carry out (or, when `action.undo`, revert) one action at `now`; returns its effect."""
    planned = plan_commands(center, action)
    return carry_out(action, planned, lambda command: run_command(center, now, command))


def run_command(center: Center, now: float, command: Command) -> Any:
    """Run one command as the live journal would replay it."""
    return _RUN[command.name](center, now, command.args)


def reserve_logins(action: Action) -> list[tuple[float, str]]:
    """(when, agent id) for each reserve person an action calls in, for the driver to log in."""
    if action.undo or not isinstance(action.step, CallReserve):
        return []
    return [(c.arrives_at, c.person.person_id) for c in action.callouts]
