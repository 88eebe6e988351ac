"""The plan runner: a pure state machine from live figures to surge actions.

Feed it `update(now, figures)` with each queue's figures (from `LiveMetrics`
plus anything supplied, such as `forecast_10m`); it returns the actions to
carry out now. It never reads a clock or touches a center, so the live
server and the simulator run the same rules.

Rules, per queue:

- Tiers fire in plan order. A tier is *armed* only while every earlier tier
  is active, and its trigger's hold clock runs only while it is armed, so a
  tier fires only after the one before it has had its trigger's time to work.
  At most one tier changes per queue per update.
- In recommend mode a firing tier becomes a pending `Recommendation`; it acts
  only when a named supervisor confirms it. A declined tier waits until its
  trigger stops holding before it can be recommended again.
- The last active tier stands down once its trigger has been clear (not
  holding) for its `deescalate_after`; the undo actions carry the effects
  recorded for the original actions, so exactly those changes are reverted.
  Standing down is recommended, too, in recommend mode.
- Reserve people are called in roster order within their arrival tier, each
  at most once per run, since someone already on the way cannot be re-called.

Every step lands on `timeline`, with the plain data (`TimelineEntry.data`) that
`PlanRunner.restore` rebuilds a runner from after a restart: the tiers in force
with their actions and effects, pending recommendations and the people called.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from callboard.surge.actions import (
    Action,
    AgentChange,
    Callout,
    Effect,
    Recommendation,
    TimelineEntry,
)
from callboard.surge.expression import Figures
from callboard.surge.plan import CallReserve, Plan, Step, Tier

IDLE = "idle"
PENDING_UP = "pending_up"  # recommended, waiting for a supervisor
ACTIVE = "active"
PENDING_DOWN = "pending_down"  # active, stand-down recommended
_IN_FORCE = (ACTIVE, PENDING_DOWN)


@dataclass
class _TierState:
    tier: Tier
    status: str = IDLE
    held_since: float | None = None
    clear_since: float | None = None
    declined: bool = False  # a declined tier waits for its trigger to stop holding
    actions: list[Action] = field(default_factory=list)


class PlanRunner:
    """`last_id` is the highest action or recommendation id already used (by a run before a
    restart, say), so that ids on a persisted timeline stay unique."""

    def __init__(self, plan: Plan, *, last_id: int = 0) -> None:
        self.plan = plan
        self.timeline: list[TimelineEntry] = []
        self._queues = {q.queue: [_TierState(t) for t in q.tiers] for q in plan.queues}
        self._pending: dict[int, tuple[Recommendation, _TierState]] = {}
        self._effects: dict[int, Effect] = {}
        self._called: set[str] = set()
        self._next_id = last_id

    @classmethod
    def restore(
        cls, plan: Plan, entries: Iterable[TimelineEntry], *, last_id: int = 0
    ) -> PlanRunner:
        """The runner a previous run's timeline (all of it, oldest first) left behind.

        Tiers in force keep their actions and effects, so standing down still undoes
        exactly what was done; pending recommendations keep their ids; people called
        stay called. Hold and clear clocks start again: a trigger must hold (or stay
        clear) for its full time after the restart, since nobody watched in between.
        Entries for queues, tiers, steps or people the plan no longer has are skipped.
        `timeline` starts empty: the entries are already stored.
        """
        runner = cls(plan, last_id=last_id)
        for entry in entries:
            state = runner._state(entry.queue, entry.tier)
            if state is not None:
                runner._replay(entry, state, entry.data or {})
        return runner

    def update(self, now: float, figures: Mapping[str, Figures]) -> list[Action]:
        """Advance every queue's tiers to `now`; returns the actions to carry out now."""
        actions: list[Action] = []
        for queue, states in self._queues.items():
            queue_figures = figures.get(queue, {})
            held = [state.tier.trigger.holds(queue_figures) for state in states]
            self._clocks(now, states, held)
            fired = self._escalate(now, queue, states)
            if fired is None:
                actions.extend(self._stand_down(now, queue, states))
            else:
                actions.extend(fired)
                self._clocks(now, states, held)  # the next tier is armed from now
        return actions

    def pending(self) -> list[Recommendation]:
        """Recommendations waiting for a supervisor, oldest first."""
        return [recommendation for recommendation, _ in self._pending.values()]

    def confirm(self, now: float, recommendation_id: int, supervisor: str) -> list[Action]:
        """A supervisor accepts a recommendation; returns the actions to carry out now."""
        recommendation, state = self._take(recommendation_id, supervisor)
        self._log(now, "confirmed", recommendation.queue, recommendation.tier,
                  recommendation.reason, by=supervisor,
                  data={"recommendation_id": recommendation_id})  # fmt: skip
        if recommendation.escalate:
            return self._activate(now, recommendation.queue, state)
        return self._deactivate(now, recommendation.queue, state)

    def decline(self, now: float, recommendation_id: int, supervisor: str) -> None:
        """A supervisor refuses: the tier stays as it was."""
        recommendation, state = self._take(recommendation_id, supervisor)
        self._log(now, "declined", recommendation.queue, recommendation.tier,
                  recommendation.reason, by=supervisor,
                  data={"recommendation_id": recommendation_id})  # fmt: skip
        _declined(state, recommendation.escalate)
        if not recommendation.escalate:
            state.clear_since = now  # a full clear period again before the next proposal

    def record_effect(self, now: float, action: Action, effect: Effect) -> None:
        """What carrying out `action` did; kept so that standing down can undo it."""
        self._effects[action.action_id] = effect
        changes = [[c.agent_id, c.state, c.reason, None if c.skills is None else dict(c.skills)]
                   for c in effect.changes]  # fmt: skip
        self._log(now, "effect", action.queue, action.tier, effect.summary, action=action,
                  data={"changes": changes} if changes else None)  # fmt: skip

    def note(
        self,
        now: float,
        action: Action,
        kind: str,
        detail: str,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        """Something that happened to an action outside the runner (a notification sent or
        failed, a reserve person late or released), on the timeline beside it."""
        self._log(now, kind, action.queue, action.tier, detail, action=action, data=data)

    @property
    def last_id(self) -> int:
        """The highest action or recommendation id used so far."""
        return self._next_id

    def called(self) -> frozenset[str]:
        """Reserve people already called in this run; nobody is called twice."""
        return frozenset(self._called)

    def active_tiers(self, queue: str) -> list[int]:
        """Tier numbers in force for `queue` (pending stand-downs included), in firing order;
        none for a queue the plan does not cover."""
        return [s.tier.number for s in self._queues.get(queue, ()) if s.status in _IN_FORCE]

    def in_force(self) -> list[Action]:
        """The actions of every tier in force, so a restarted server knows whom it called."""
        return [a for states in self._queues.values() for s in states
                if s.status in _IN_FORCE for a in s.actions]  # fmt: skip

    # -------------------------------------------------------------- restore

    def _state(self, queue: str, tier: int) -> _TierState | None:
        return next((s for s in self._queues.get(queue, ()) if s.tier.number == tier), None)

    def _replay(self, entry: TimelineEntry, state: _TierState, data: Mapping[str, Any]) -> None:
        """Apply one stored entry to the state; the kinds not handled change no state."""
        kind = entry.kind
        if kind == "action" and entry.action_id is not None:
            self._replay_action(entry, entry.action_id, state, data)
        elif kind == "effect" and entry.action_id is not None:
            changes = tuple(AgentChange(*change) for change in data.get("changes", ()))
            self._effects[entry.action_id] = Effect(entry.detail, changes)
        elif kind == "recommended" and "recommendation_id" in data:
            recommendation = Recommendation(
                int(data["recommendation_id"]), entry.at, entry.queue, entry.tier,
                bool(data["escalate"]), str(data["reason"]),
            )  # fmt: skip
            self._pending[recommendation.recommendation_id] = (recommendation, state)
            state.status = PENDING_UP if recommendation.escalate else PENDING_DOWN
        elif kind in ("confirmed", "declined"):
            found = self._pending.pop(data.get("recommendation_id", -1), None)
            # A confirmation's actions, or its stand-down, follow on the timeline.
            if found is not None and kind == "declined":
                _declined(state, found[0].escalate)
        elif kind == "stood_down":
            state.status = IDLE
            state.actions = []

    def _replay_action(
        self, entry: TimelineEntry, action_id: int, state: _TierState, data: Mapping[str, Any]
    ) -> None:
        """A tier's first action marks it active (it logs no entry of its own when it
        activates); undo actions need nothing, since `stood_down` follows them."""
        steps = state.tier.steps
        index = data.get("step")
        if data.get("undo", True) or not isinstance(index, int) or not 0 <= index < len(steps):
            return
        people = {p.person_id: p for p in self.plan.reserve}
        callouts = tuple(Callout(people[person_id], float(arrives_at))
                         for person_id, arrives_at in data.get("callouts", ())
                         if person_id in people)  # fmt: skip
        if state.status != ACTIVE:
            state.status = ACTIVE
            state.actions = []
        state.actions.append(
            Action(action_id, entry.at, entry.queue, entry.tier, steps[index], False, callouts)
        )
        self._called.update(c.person.person_id for c in callouts)

    # --------------------------------------------------------------- clocks

    def _clocks(self, now: float, states: list[_TierState], held: list[bool]) -> None:
        armed = True
        for state, holds in zip(states, held, strict=True):
            self._clock(state, now, holds, armed)
            armed = armed and state.status == ACTIVE

    def _clock(self, state: _TierState, now: float, holds: bool, armed: bool) -> None:
        if holds:
            state.clear_since = None
            if state.held_since is None and armed:
                state.held_since = now
        else:
            state.held_since = None
            state.declined = False
            if state.clear_since is None:
                state.clear_since = now
        if not armed:
            state.held_since = None

    def _escalate(self, now: float, queue: str, states: list[_TierState]) -> list[Action] | None:
        """The actions of the tier that fires now (none in recommend mode), or None."""
        for state in states:
            if state.status == ACTIVE:
                continue
            if state.status != IDLE or state.declined or state.held_since is None:
                return None
            if now - state.held_since < state.tier.trigger.hold_s:
                return None
            reason = f"{state.tier.trigger.text} (held {now - state.held_since:.0f}s)"
            return self._change(now, queue, state, True, reason)
        return None

    def _stand_down(self, now: float, queue: str, states: list[_TierState]) -> list[Action]:
        last = next((s for s in reversed(states) if s.status != IDLE), None)
        if last is None or last.status != ACTIVE or last.clear_since is None:
            return []
        if now - last.clear_since < last.tier.deescalate_after_s:
            return []
        reason = f"{last.tier.trigger.text} clear for {now - last.clear_since:.0f}s"
        return self._change(now, queue, last, False, reason)

    def _change(
        self, now: float, queue: str, state: _TierState, escalate: bool, reason: str
    ) -> list[Action]:
        """Fire or stand down a tier now (automatic), or propose it (recommend)."""
        self._log(now, "fired" if escalate else "cleared", queue, state.tier.number, reason)
        if self.plan.mode == "automatic":
            if escalate:
                return self._activate(now, queue, state)
            return self._deactivate(now, queue, state)
        self._recommend(now, queue, state, escalate, reason)
        state.status = PENDING_UP if escalate else PENDING_DOWN
        return []

    # -------------------------------------------------------------- actions

    def _activate(self, now: float, queue: str, state: _TierState) -> list[Action]:
        state.status = ACTIVE
        state.clear_since = None
        state.actions = [self._action(now, queue, state.tier, step) for step in state.tier.steps]
        return list(state.actions)

    def _deactivate(self, now: float, queue: str, state: _TierState) -> list[Action]:
        state.status = IDLE
        state.held_since = None
        undo = [
            self._action(now, queue, state.tier, done.step, undo=True,
                         callouts=done.callouts, reverts=self._effects.get(done.action_id))
            for done in reversed(state.actions)
        ]  # fmt: skip
        state.actions = []
        self._log(now, "stood_down", queue, state.tier.number, f"{len(undo)} actions undone")
        return undo

    def _action(
        self,
        now: float,
        queue: str,
        tier: Tier,
        step: Step,
        *,
        undo: bool = False,
        callouts: tuple[Callout, ...] | None = None,
        reverts: Effect | None = None,
    ) -> Action:
        if callouts is None:
            callouts = self._call_out(now, step) if isinstance(step, CallReserve) else ()
        action = Action(self._new_id(), now, queue, tier.number, step, undo, callouts, reverts)
        verb = "undo" if undo else "do"
        data = {"step": tier.steps.index(step), "undo": undo,
                "callouts": [[c.person.person_id, c.arrives_at] for c in callouts]}  # fmt: skip
        self._log(now, "action", queue, tier.number, f"{verb} {describe(step, callouts)}",
                  action=action, data=data)  # fmt: skip
        return action

    def _call_out(self, now: float, step: CallReserve) -> tuple[Callout, ...]:
        chosen = [
            p
            for p in self.plan.reserve
            if p.within_s == step.within_s and p.person_id not in self._called
        ][: step.count]
        self._called.update(p.person_id for p in chosen)
        return tuple(Callout(p, now + p.within_s) for p in chosen)

    # ------------------------------------------------------ recommendations

    def _recommend(
        self, now: float, queue: str, state: _TierState, escalate: bool, reason: str
    ) -> None:
        recommendation = Recommendation(
            self._new_id(), now, queue, state.tier.number, escalate, reason
        )
        self._pending[recommendation.recommendation_id] = (recommendation, state)
        what = "escalate to" if escalate else "stand down"
        data = {"recommendation_id": recommendation.recommendation_id, "escalate": escalate,
                "reason": reason}  # fmt: skip
        self._log(now, "recommended", queue, state.tier.number,
                  f"{what} tier {state.tier.number}", data=data)  # fmt: skip

    def _take(self, recommendation_id: int, supervisor: str) -> tuple[Recommendation, _TierState]:
        if not supervisor.strip():
            raise ValueError("a confirmation or decline must name the supervisor")
        found = self._pending.pop(recommendation_id, None)
        if found is None:
            raise ValueError(f"no pending recommendation {recommendation_id}")
        return found

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _log(
        self,
        now: float,
        kind: str,
        queue: str,
        tier: int,
        detail: str,
        *,
        by: str | None = None,
        action: Action | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        action_id = None if action is None else action.action_id
        self.timeline.append(TimelineEntry(now, kind, queue, tier, detail, by, action_id, data))


def _declined(state: _TierState, escalate: bool) -> None:
    """A declined escalation leaves the tier idle until its trigger stops holding; a
    declined stand-down leaves it in force."""
    if escalate:
        state.status = IDLE
        state.declined = True
    else:
        state.status = ACTIVE


def describe(step: Step, callouts: tuple[Callout, ...]) -> str:
    """A step in a supervisor's words, for the timeline."""
    name = type(step).__name__
    if isinstance(step, CallReserve):
        people = ", ".join(c.person.person_id for c in callouts) or "nobody left on the roster"
        return f"{name} within {step.within_s / 60:.0f}m x{step.count}: {people}"
    return f"{name} {step}"
