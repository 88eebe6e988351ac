"""Reserve people called in: on the way, late, on the line, released.

A call-in is a commitment, as an operations manager makes it on the phone:
once a tier has called someone, they come, even if the tier stands down
before they arrive, and they work the plan's `min_stay` on the line before a
stand-down releases them (logs them out). Someone not on the line
`late_after` past their due time is reported late, once, on the timeline;
once the tier has stood down, someone still not come `min_stay` past their
due time is no longer expected (released as a no-show), so a store's
timeline does not keep last week's no-shows late for ever.

Who has come is decided by whoever drives the center. Live, a person has come
when they log in on the desk, or when an integration confirms the arrival; a
person who has not come stays logged out, so is never offered a call. The
simulator models the same person by logging them in at their due time
(`due`). Both keep this one `Reserve`, and every change lands on the runner's
timeline, from which `Reserve.restore` rebuilds it after a restart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from callboard.engine import Command, Logout
from callboard.surge.actions import Action, Callout, Effect, TimelineEntry
from callboard.surge.plan import CallReserve, Plan, ReservePerson
from callboard.surge.runner import PlanRunner

ON_THE_LINE = " on the line"
ON_THE_WAY, LATE, HERE, RELEASED = "on_the_way", "late", "on_the_line", "released"


def arrived(agent_id: str) -> Effect:
    """The effect a call-in has when one of its people logs in (`ON_THE_LINE` ends it)."""
    return Effect(agent_id + ON_THE_LINE)


@dataclass
class Called:
    """One person a call-in brought in, and what has happened since (POSIX seconds)."""

    person: ReservePerson
    action: Action  # the call-in
    due: float
    arrived_at: float | None = None
    reported_late: bool = False
    stood_down_at: float | None = None  # the tier stood down: release after the minimum stay
    released_at: float | None = None

    @property
    def person_id(self) -> str:
        return self.person.person_id

    def state(self, now: float, late_after_s: float) -> str:
        if self.released_at is not None:
            return RELEASED
        if self.arrived_at is not None:
            return HERE
        return LATE if now >= self.due + late_after_s else ON_THE_WAY

    def release_at(self, min_stay_s: float) -> float | None:
        """When a stand-down lets this person go: never before `min_stay_s` on the line.
        Someone who has not come by `min_stay_s` past their due time is no longer
        expected, once the tier has stood down."""
        if self.stood_down_at is None:
            return None
        start = self.due if self.arrived_at is None else self.arrived_at
        return max(self.stood_down_at, start + min_stay_s)


class Reserve:
    def __init__(self, late_after_s: float = 600.0, min_stay_s: float = 7200.0) -> None:
        self.late_after_s = late_after_s
        self.min_stay_s = min_stay_s
        self._people: dict[str, Called] = {}

    @classmethod
    def for_plan(cls, plan: Plan) -> Reserve:
        return cls(plan.late_after_s, plan.min_stay_s)

    # ------------------------------------------------------------ changes

    def record(self, action: Action, now: float) -> None:
        """A call-in adds its people; its stand-down marks them to be released once they
        have worked the minimum stay (those not here yet still come). Other actions are
        ignored."""
        if not isinstance(action.step, CallReserve):
            return
        for callout in action.callouts:
            called = self._people.get(callout.person.person_id)
            if not action.undo:
                if called is None or called.released_at is not None:
                    self._people[callout.person.person_id] = Called(
                        callout.person, action, callout.arrives_at
                    )
            elif called is not None and called.stood_down_at is None:
                called.stood_down_at = now

    def arrive(self, person_id: str, now: float, runner: PlanRunner) -> Called | None:
        """`person_id` is on the line now; on the timeline once. None if not expected."""
        called = self._people.get(person_id)
        if called is None or called.arrived_at is not None or called.released_at is not None:
            return None
        called.arrived_at = now
        runner.record_effect(now, called.action, arrived(person_id))
        return called

    def follow_up(
        self,
        now: float,
        runner: PlanRunner,
        state_of: Callable[[str], str],
        run: Callable[[Command], Any],
    ) -> None:
        """Report who is newly late, and release (log out, through `run`) everyone whose
        tier has stood down and whose minimum stay is over; `state_of` gives an agent's
        state, so someone who logged out by themselves is only noted."""
        for called in self.expected():
            if not called.reported_late and now >= called.due + self.late_after_s:
                called.reported_late = True
                due = datetime.fromtimestamp(called.due, UTC).strftime("%H:%M UTC")
                runner.note(now, called.action, "late",
                            f"{called.person_id} late: due {due}, not on the line",
                            {"person": called.person_id})  # fmt: skip
        for called in list(self._people.values()):
            release = called.release_at(self.min_stay_s)
            if called.released_at is not None or release is None or now < release:
                continue
            called.released_at = now
            if called.arrived_at is None:
                detail = f"{called.person_id} no longer expected: never came"
            else:
                detail = f"{called.person_id} released after the minimum stay"
                if state_of(called.person_id) != "logged_out":
                    run(Logout(called.person_id))
            runner.note(now, called.action, "released", detail, {"person": called.person_id})

    # ------------------------------------------------------------ reading

    def get(self, person_id: str) -> Called | None:
        return self._people.get(person_id)

    def people(self) -> list[Called]:
        """Everyone called in this run, soonest due first."""
        return sorted(self._people.values(), key=lambda c: (c.due, c.person_id))

    def expected(self) -> list[Called]:
        """People called in and not on the line yet (late ones included)."""
        return [c for c in self.people() if c.arrived_at is None and c.released_at is None]

    def due(self, now: float) -> list[Called]:
        """The expected people due by `now`: the simulator's model logs them in then."""
        return [c for c in self.expected() if c.due <= now]

    def wake_at(self) -> float:
        """The earliest time something may be due (an arrival in the simulator, a late
        report, a release), so a driver can skip the reserve until then."""
        times = [c.due for c in self.expected()]
        times.extend(c.due + self.late_after_s for c in self.expected() if not c.reported_late)
        times.extend(
            release
            for c in self._people.values()
            if c.released_at is None and (release := c.release_at(self.min_stay_s)) is not None
        )
        return min(times, default=float("inf"))

    def pending(self) -> list[tuple[float, str]]:
        """(due, agent id) of everyone still expected, soonest first."""
        return [(c.due, c.person_id) for c in self.expected()]

    def shown(self, now: float) -> list[dict[str, Any]]:
        """Each person as the console shows them (times in POSIX seconds)."""
        return [
            {"person_id": c.person_id, "name": c.person.name, "queue": c.action.queue,
             "tier": c.action.tier, "due": c.due, "state": c.state(now, self.late_after_s),
             "arrived_at": c.arrived_at, "release_at": c.release_at(self.min_stay_s),
             "released_at": c.released_at}
            for c in self.people()
        ]  # fmt: skip

    # ------------------------------------------------------------ restore

    @classmethod
    def restore(cls, plan: Plan, entries: Iterable[TimelineEntry]) -> Reserve:
        """The reserve a previous run's timeline (all of it, oldest first) left behind:
        call-ins and their stand-downs from the action entries, arrivals from the
        `... on the line` effects, and the late and released notes. People the plan no
        longer has are skipped."""
        reserve = cls.for_plan(plan)
        people = {p.person_id: p for p in plan.reserve}
        for entry in entries:
            data = entry.data or {}
            if entry.kind == "action" and entry.action_id is not None and data.get("callouts"):
                callouts = tuple(
                    Callout(people[person_id], float(at))
                    for person_id, at in data["callouts"]
                    if person_id in people
                )
                if callouts:
                    step = CallReserve(callouts[0].person.within_s, len(callouts))
                    undo = bool(data.get("undo"))
                    action = Action(entry.action_id, entry.at, entry.queue, entry.tier, step,
                                    undo, callouts)  # fmt: skip
                    reserve.record(action, entry.at)
            elif entry.kind == "effect" and entry.detail.endswith(ON_THE_LINE):
                called = reserve.get(entry.detail.removesuffix(ON_THE_LINE))
                if called is not None and called.arrived_at is None:
                    called.arrived_at = entry.at
            elif entry.kind in ("late", "released"):
                called = reserve.get(str(data.get("person")))
                if called is None:
                    continue
                if entry.kind == "late":
                    called.reported_late = True
                else:
                    called.released_at = entry.at
        return reserve
