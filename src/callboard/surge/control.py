"""Surge control in one process: metrics, the runner and `apply`, wired to a center.

This is what the simulator needs to run the same plan the live server runs.
Pass a `SurgeControl` as `callboard.sim.driver.run(..., on_events=control)`:
after every engine step it feeds the new events to `LiveMetrics`, logs in
reserve people whose arrival time has come, and every `every_s` seconds of
center time asks the runner what to do and applies it. In recommend mode a
simulation has nobody to ask, so `confirm_as` names the stand-in supervisor
who accepts every recommendation.

Reserve people log in at the first engine step at or after their arrival time
(the driver offers no way to schedule a callback at an exact time); with
calls arriving every few seconds that is within seconds of it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from callboard.engine import Center
from callboard.surge.actions import Action, Effect
from callboard.surge.apply import apply, reserve_logins
from callboard.surge.expression import Figures
from callboard.surge.metrics import LiveMetrics
from callboard.surge.names import ARRIVALS_WINDOW_MIN
from callboard.surge.runner import PlanRunner

# forecast(queue, now) -> expected arrivals in the ARRIVALS_WINDOW_MIN minutes before now
Forecast = Callable[[str, float], float]


class SurgeControl:
    def __init__(
        self,
        runner: PlanRunner,
        metrics: LiveMetrics,
        *,
        every_s: float = 30.0,
        forecast: Forecast | None = None,
        confirm_as: str | None = None,
    ) -> None:
        self.runner = runner
        self.metrics = metrics
        self.every_s = every_s
        self.forecast = forecast
        self.confirm_as = confirm_as
        # Reserve people on their way, as a heap of (due, agent id, action id).
        self.logins: list[tuple[float, str, int]] = []
        self._callouts: dict[int, Action] = {}
        self._next_check = float("-inf")

    def __call__(self, center: Center) -> None:
        now = center.now
        self.metrics.observe(center.take_events())
        while self.logins and self.logins[0][0] <= now:
            _, agent_id, action_id = heapq.heappop(self.logins)
            center.login(now, agent_id)
            self.runner.record_effect(
                now, self._callouts[action_id], Effect(f"{agent_id} on the line")
            )
        if now < self._next_check:
            return
        self._next_check = now + self.every_s
        actions = self.runner.update(now, self.figures(now))
        if self.confirm_as is not None:
            for recommendation in self.runner.pending():
                rid = recommendation.recommendation_id
                actions.extend(self.runner.confirm(now, rid, self.confirm_as))
        for action in actions:
            self._carry_out(center, now, action)

    def figures(self, now: float) -> dict[str, Figures]:
        """Each planned queue's live figures, with the forecast when one is given."""
        result: dict[str, Figures] = {}
        for plan in self.runner.plan.queues:
            figures = self.metrics.figures(now, plan.queue)
            if self.forecast is not None:
                figures[f"forecast_{ARRIVALS_WINDOW_MIN}m"] = self.forecast(plan.queue, now)
            result[plan.queue] = figures
        return result

    def _carry_out(self, center: Center, now: float, action: Action) -> None:
        if action.undo and action.callouts:
            # Stood down before arriving: they stay at home.
            home = {c.person.person_id for c in action.callouts}
            self.logins = [login for login in self.logins if login[1] not in home]
            heapq.heapify(self.logins)
        effect = apply(center, now, action)
        self.runner.record_effect(now, action, effect)
        for at, agent_id in reserve_logins(action):
            self._callouts[action.action_id] = action
            heapq.heappush(self.logins, (at, agent_id, action.action_id))
