"""Turning a surge action into engine commands, by reading the center and changing nothing.

The commands are the engine's own records (`callboard.engine.commands`), so
the server runs each through `LiveCenter.execute` and has it journaled and
replayed like any other, while the simulator applies them to its center
(`surge.apply`). The returned `Effect` holds each agent's state and skills
from before, so that standing down reverts exactly those agents.

Reserve people cannot be logged in now: they are due at their callout's
`arrives_at`. Calling them in only registers them (logged out), and standing
down does not send them home; `surge.reserve` follows them from there.

Group and skill data are read from `center.snapshot()`, the engine's public
whole-state view; actions are rare, so its cost does not matter.
"""

from __future__ import annotations

from typing import Any

from callboard.engine import (
    AddAgent,
    Center,
    Command,
    OfferCallbacks,
    SetMode,
    SetNotReady,
    SetReady,
    SetSkills,
)
from callboard.errors import UnknownQueue
from callboard.surge.actions import Action, AgentChange, Effect
from callboard.surge.plan import (
    AddSupportGroup,
    Announcement,
    CallReserve,
    Overflow,
    ReadyReasons,
)
from callboard.surge.plan import OfferCallbacks as CallbackOffer

RESERVE_GROUP = "reserve"
_WORKING = frozenset(("ready", "reserved", "busy", "wrap_up"))


def plan_commands(center: Center, action: Action) -> tuple[list[Command], Effect]:
    """The commands that carry out (or, when `action.undo`, revert) `action` now."""
    if action.undo:
        return _undo(center, action)
    step = action.step
    if isinstance(step, ReadyReasons):
        return _ready(center, step)
    if isinstance(step, AddSupportGroup):
        group = [a for a in center.snapshot()["agents"] if a["group"] == step.group]
        skill = _queue_skill(center, action.queue)
        return _grant(skill, step.level, group, f"group {step.group}")
    if isinstance(step, Overflow):
        target = _queue_skill(center, step.to)
        serving = [a for a in center.snapshot()["agents"] if a["skills"].get(target, 0) > 0]
        skill = _queue_skill(center, action.queue)
        return _grant(skill, step.level, serving, f"queue {step.to}")
    if isinstance(step, Announcement):
        mode = SetMode(action.queue, "emergency", step.message)
        return [mode], Effect(f"{action.queue} in emergency mode")
    if isinstance(step, CallbackOffer):
        offer = OfferCallbacks(action.queue, step.ewt_above_s, step.predictor)
        effect = Effect(f"callback offered to callers with EWT > {step.ewt_above_s:.0f}s")
        return [offer], effect
    return _register_reserve(center, action, step)


def _ready(center: Center, step: ReadyReasons) -> tuple[list[Command], Effect]:
    changes: list[AgentChange] = []
    for agent_id in center.agent_ids():
        state, reason = center.agent_state(agent_id)
        if state == "not_ready" and reason in step.reasons:
            changes.append(AgentChange(agent_id, state, reason))
    commands: list[Command] = [SetReady(c.agent_id) for c in changes]
    summary = f"{len(changes)} agents from {', '.join(step.reasons)} to ready"
    return commands, Effect(summary, tuple(changes))


def _grant(
    skill: str, level: int, agents: list[dict[str, Any]], who: str
) -> tuple[list[Command], Effect]:
    """Give `skill` at `level` to each of `agents` (snapshot data) that lacks it."""
    changes: list[AgentChange] = []
    commands: list[Command] = []
    for data in agents:
        skills: dict[str, int] = data["skills"]
        if skills.get(skill, 0) >= level:
            continue
        changes.append(AgentChange(data["agent_id"], data["state"], data["reason"], dict(skills)))
        commands.append(SetSkills(data["agent_id"], {**skills, skill: level}))
    return commands, Effect(f"{len(changes)} agents of {who} now serve {skill}", tuple(changes))


def _register_reserve(
    center: Center, action: Action, step: CallReserve
) -> tuple[list[Command], Effect]:
    known = set(center.agent_ids())
    skill = _queue_skill(center, action.queue)
    commands: list[Command] = [
        AddAgent(p.person_id, p.name, dict(p.skills) or {skill: 1}, group=RESERVE_GROUP)
        for p in (c.person for c in action.callouts)
        if p.person_id not in known
    ]
    names = ", ".join(c.person.person_id for c in action.callouts) or "nobody"
    return commands, Effect(f"reserve called within {step.within_s / 60:.0f}m: {names}")


def _undo(center: Center, action: Action) -> tuple[list[Command], Effect]:
    step = action.step
    if isinstance(step, Announcement):
        return [SetMode(action.queue, None)], Effect(
            f"{action.queue} back to its normal hours and message"
        )
    if isinstance(step, CallReserve):
        # A call-in is a commitment: `surge.reserve` releases each person after their
        # minimum stay, so standing down changes nothing in the center now.
        names = ", ".join(c.person.person_id for c in action.callouts) or "nobody"
        return [], Effect(f"reserve stood down; {names} released after the minimum stay")
    changes = action.reverts.changes if action.reverts is not None else ()
    restore: list[Command] = []
    for change in changes:
        if change.skills is not None:
            restore.append(SetSkills(change.agent_id, dict(change.skills)))
        elif change.reason is not None and center.agent_state(change.agent_id)[0] in _WORKING:
            # The engine defers this until the agent's current contacts are done.
            restore.append(SetNotReady(change.agent_id, change.reason))
    return restore, Effect(f"{len(restore)} of {len(changes)} agents restored")


def _queue_skill(center: Center, queue: str) -> str:
    for data in center.snapshot()["queues"]:
        if data["spec"]["name"] == queue:
            return str(data["spec"]["skill"])
    raise UnknownQueue(f"unknown queue {queue!r}; known: {center.queue_names()}")
