"""Surge control in one process: metrics, the runner and `apply`, wired to a center.

This is what the simulator needs to run the same plan the live server runs.
Pass a `SurgeControl` as `callboard.sim.driver.run(..., on_output=control)`:
it is told the outputs of every command the driver applies, feeds their events
to `LiveMetrics`, logs in reserve people whose arrival time has come, and
every `every_s` seconds of center time asks the runner what to do and carries
it out. Its commands go through the driver's `issue`, so their outputs (a
surge's callback offers, say) reach the callers and the metrics like any other. In recommend mode a
simulation has nobody to ask, so `confirm_as` names the stand-in supervisor
who accepts every recommendation.

Reserve people log in at the first engine step at or after their arrival time
(the driver offers no way to schedule a callback at an exact time); with
calls arriving every few seconds that is within seconds of it. This is the
simulator's model of a person who keeps their call-in: live, the same person
is on the way until they log in (`surge.reserve`). A stand-down releases them
only after the plan's `min_stay` on the line, in both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from callboard.engine import Center, Command, Login, Outputs
from callboard.surge.actions import Action
from callboard.surge.apply import carry_out
from callboard.surge.commands import plan_commands
from callboard.surge.expression import Figures
from callboard.surge.metrics import LiveMetrics
from callboard.surge.names import FORECAST, LAST_WEEK
from callboard.surge.reserve import Reserve
from callboard.surge.runner import PlanRunner
from callboard.surge.serving import AgentCounts, Eligibility

# forecast(queue, now) -> expected arrivals in the ARRIVALS_WINDOW_MIN minutes before now
Forecast = Callable[[str, float], float]
# last_week(queue, now) -> arrivals in the same minutes 7 days before; None when unknown
LastWeek = Callable[[str, float], float | None]


def queue_figures(
    queues: Iterable[str],
    metrics: LiveMetrics,
    now: float,
    agents: Mapping[str, AgentCounts],
    *,
    forecast: Forecast | None = None,
    last_week: LastWeek | None = None,
) -> dict[str, Figures]:
    """Each queue's live figures, its `agents_*` and `projected_sl` from `agents` (who can
    serve each queue now, `Eligibility.counts`), plus `forecast_10m` and
    `arrivals_10m_last_week` when their sources are given."""
    result: dict[str, Figures] = {}
    for queue in queues:
        figures = metrics.figures(now, queue, agents)
        if forecast is not None:
            figures[FORECAST] = forecast(queue, now)
        if last_week is not None:
            figures[LAST_WEEK] = last_week(queue, now)
        result[queue] = figures
    return result


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
        self.reserve = Reserve.for_plan(runner.plan)
        self._eligibility: Eligibility | None = None
        self._reserve_at = float("inf")  # when the reserve next needs a look
        self._next_check = float("-inf")

    def __call__(
        self, center: Center, output: Outputs, issue: Callable[[Command], Outputs]
    ) -> None:
        now = center.now
        self.metrics.observe(output.events)
        if now >= self._reserve_at:
            for called in self.reserve.due(now):
                issue(Login(called.person_id))
                self.reserve.arrive(called.person_id, now, self.runner)
            self.reserve.follow_up(now, self.runner, lambda a: center.agent_state(a)[0], issue)
            self._reserve_at = self.reserve.wake_at()
        if now < self._next_check:
            return
        self._next_check = now + self.every_s
        actions = self.runner.update(now, self.figures(center))
        if self.confirm_as is not None:
            for recommendation in self.runner.pending():
                rid = recommendation.recommendation_id
                actions.extend(self.runner.confirm(now, rid, self.confirm_as))
        for action in actions:
            self._carry_out(center, now, action, issue)

    def figures(self, center: Center) -> dict[str, Figures]:
        """The planned queues' figures now. A simulation has no event log of last week,
        so `arrivals_10m_last_week` has no value there (a tier naming it never fires)."""
        if self._eligibility is None:
            self._eligibility = Eligibility.of(center)
        queues = [q.queue for q in self.runner.plan.queues]
        return queue_figures(queues, self.metrics, center.now,
                             self._eligibility.counts(center), forecast=self.forecast)  # fmt: skip

    def _carry_out(
        self, center: Center, now: float, action: Action, issue: Callable[[Command], Outputs]
    ) -> None:
        effect = carry_out(action, plan_commands(center, action), lambda c: issue(c).result)
        self.runner.record_effect(now, action, effect)
        self.reserve.record(action, now)
        self._reserve_at = min(self._reserve_at, self.reserve.wake_at())
