"""Carrying surge actions out on a `callboard.engine.Center`.

`plan_commands` decides the commands; `carry_out` runs them through whatever
executes commands: the simulator's `apply` applies them to its engine at once,
the live server runs them through its journal (`callboard.server.surge_live`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callboard.engine import Center, Command, OfferCallbacks
from callboard.surge.actions import Action, Effect
from callboard.surge.commands import plan_commands
from callboard.surge.plan import OfferCallbacks as CallbackOffer


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
        if isinstance(command, OfferCallbacks) and result is not None:
            prompted += result
    if isinstance(action.step, CallbackOffer) and not action.undo:
        return Effect(f"{effect.summary}: {prompted} callers asked", effect.changes)
    return effect


def apply(center: Center, now: float, action: Action) -> Effect:
    """Carry out (or, when `action.undo`, revert) one action at `now`; returns its effect."""
    planned = plan_commands(center, action)
    return carry_out(action, planned, lambda command: center.apply(now, command).result)
