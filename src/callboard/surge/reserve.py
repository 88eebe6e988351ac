"""Reserve people on their way: called in, not yet due on the line.

The simulator (`SurgeControl`) and the live server both log each person in
when their arrival time comes, and forget them when their tier stands down
first, so both keep this same small heap.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection

from callboard.surge.actions import Action, Effect
from callboard.surge.apply import reserve_logins

ON_THE_LINE = " on the line"


def arrived(agent_id: str) -> Effect:
    """The effect a call-in has when one of its people logs in (`ON_THE_LINE` ends it)."""
    return Effect(agent_id + ON_THE_LINE)


class OnTheWay:
    def __init__(self) -> None:
        self._heap: list[tuple[float, str, int]] = []  # (due, agent id, action id)
        self._actions: dict[int, Action] = {}

    def add(self, action: Action, arrived: Collection[str] = ()) -> None:
        """Remember the people `action` calls in (none for other actions), but those in
        `arrived`: on the line already (a restarted server rebuilding its list)."""
        for at, agent_id in reserve_logins(action):
            if agent_id in arrived:
                continue
            self._actions[action.action_id] = action
            heapq.heappush(self._heap, (at, agent_id, action.action_id))

    def stand_down(self, action: Action) -> None:
        """An undone call-in: its people stay at home."""
        if not (action.undo and action.callouts):
            return
        home = {c.person.person_id for c in action.callouts}
        self._heap = [login for login in self._heap if login[1] not in home]
        heapq.heapify(self._heap)

    def due(self, now: float) -> list[tuple[str, Action]]:
        """(agent id, the call-in action) of everyone due by `now`, taken off the heap."""
        arrived = []
        while self._heap and self._heap[0][0] <= now:
            _, agent_id, action_id = heapq.heappop(self._heap)
            arrived.append((agent_id, self._actions[action_id]))
        return arrived

    def pending(self) -> list[tuple[float, str]]:
        """(due, agent id) of everyone still on the way, soonest first."""
        return sorted((at, agent_id) for at, agent_id, _ in self._heap)
