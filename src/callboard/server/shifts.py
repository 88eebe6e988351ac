"""`serve --center FILE --follow-shifts`: the scenario's shifts and breaks, live.

People normally log in on their desks; a center that runs a scenario's rota
(a demo, a drill, a site whose staff follow a fixed plan) can instead have the
server log the scenario's agents in and out and start their breaks at the
scenario's times, by the simulator's own rule (`callboard.sim.shift_commands`).

The live center asks the follower for the commands due before each command and
each advance, under its lock, and journals them as ordinary commands ahead of
whatever comes next (`LiveCenter.schedule`). So every command the journal holds
at time t comes after every shift change due by t: after a restart the follower
starts from the recovered center's time, and what fired before the crash is not
fired again. A change that would do nothing (a login of someone logged in, a
break of someone logged out) is skipped, so a person's own choice on the desk
stands until the rota next changes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from callboard.engine import Center, Command, Login, Logout, SetNotReady, SetReady
from callboard.errors import UnknownAgent
from callboard.sim import Scenario, shift_commands

DAY_S = 86_400.0
# Shift changes are computed this far ahead at a time.
HORIZON_S = 7 * DAY_S


class ShiftFollower:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._pending: deque[tuple[float, Command]] = deque()
        self._until: float | None = None  # computed up to here (exclusive)

    def restart(self) -> None:
        """Start again from the center's time at the next ask (after a failed write the
        center reloads from the store, without the changes that were not written)."""
        self._pending.clear()
        self._until = None

    def next_at(self, after: float) -> float | None:
        """When the next shift change falls due; `after` is the center's time."""
        self._extend(after, after)
        return self._pending[0][0] if self._pending else None

    def due(self, center: Center, until: float) -> Iterator[tuple[float, Command]]:
        """The changes due by `until`, in time order, each checked against the center as
        it is when its turn comes (the caller applies one before asking for the next)."""
        self._extend(center.now, until)
        pending = self._pending
        while pending and pending[0][0] <= until:
            at, command = pending.popleft()
            if _changes(center, command):
                yield at, command

    def _extend(self, after: float, until: float) -> None:
        if self._until is None:
            self._until = after
        while self._until <= until + DAY_S:
            start, self._until = self._until, self._until + HORIZON_S
            self._pending.extend(self._window(start, self._until))

    def _window(self, start: float, end: float) -> list[tuple[float, Command]]:
        """The changes from `start` to `end`, led at `start` by what puts each agent where
        the rota has them by then (on shift, on a break), read from the day before: a
        restart or a new week may fall in the middle of a shift or of a break."""
        by_then: dict[str, list[Command]] = {}
        window = []
        for at, command in shift_commands(self.scenario, start - DAY_S, end):
            if at >= start:
                window.append((at, command))
                continue
            agent_id = command.to_data()["agent_id"]
            if isinstance(command, Login):
                by_then[agent_id] = [command]
            elif isinstance(command, Logout):
                by_then.pop(agent_id, None)
            elif agent_id in by_then:
                by_then[agent_id] = [by_then[agent_id][0], command]
        return [(start, command) for led in by_then.values() for command in led] + window


def _changes(center: Center, command: Command) -> bool:
    """Whether the command would change the agent: no login of someone logged in, nothing
    else for someone logged out, no break for someone on it, no ready for the ready."""
    try:
        state, reason = center.agent_state(command.to_data()["agent_id"])
    except UnknownAgent:  # removed from the center since it was built
        return False
    if isinstance(command, Login):
        return state == "logged_out"
    if state == "logged_out":
        return False
    if isinstance(command, SetNotReady):
        return (state, reason) != ("not_ready", command.reason)
    return not (isinstance(command, SetReady) and state == "ready")
