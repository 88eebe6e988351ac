"""Surge control in the live server: live figures for every queue, and the plan.

- `SurgeLive` runs whenever the server has a live center, plan or not: every
  command's events reach `LiveMetrics` through a `LiveCenter` listener, and
  the metrics are primed from the center when the server starts, so a
  restart mid-surge still sees the callers in line and the agents' states.
  `status` reports every queue's figures (the wallboard reads them), with the
  plan's tiers where a plan is configured.
- `arrivals_10m_last_week` is read from the store's event log
  (`ArrivalsLastWeek`); `projected_sl` needs the queues' staffing, read from
  the center under its lock.
- A queue's `agents_*` figures count the agents who can serve it now
  (`Eligibility`: skill level and the widening its callers have reached),
  read from the center under its lock.
- `step` (called by the app's background task when there is a plan) runs the
  runner every `every_s` seconds of center time. Actions become
  `LiveCenter.execute` commands, so they are journaled and replayed like a
  supervisor's own.
- Reserve people called in are *on the way* until they log in on the desk
  (`step` notices within a tick) or an integration confirms their arrival
  (`confirm_arrival`, which logs them in); nobody logs them in at their due
  time. Past it by the plan's `late_after` they are reported late, once; a
  stand-down releases (logs out) each only after the plan's `min_stay` on
  the line (`surge.Reserve`).
- Reserve call-outs and stand-downs go through the notifiers after the lock is
  released, so a slow mail relay never holds up anything else.
- Every timeline entry is written to the `events` table as `surge.<kind>`
  (data: tier, detail, by, action_id, the runner's restore data), which is
  the audit a restart keeps and what the runner is rebuilt from on start
  (`PlanRunner.restore`, `Reserve.restore`): tiers in force, pending
  recommendations, and every reserve person called in: on the way or late,
  on the line since when, stood down, released.

Locks, always taken in this order: `_lock` guards the runner and the reserve
list for a whole step, commands included (`execute` waits for the journal
writer, which never waits for us); `_metrics_lock` guards the metrics (and
the last-week cache) for microseconds at a time; the live center's own lock
is taken last, for reads. The metrics listener runs on the live center's
notifier thread, which also delivers offers to agents, so it takes only
`_metrics_lock` and never waits for a step's commands.
"""

from __future__ import annotations

import logging
import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from callboard.engine import Center, Command, Login, Outputs
from callboard.errors import CallboardError, UnknownAgent
from callboard.server.live import LiveCenter
from callboard.sim import Projection, Scenario, local_executor, project
from callboard.store import AuditRow, EventLog
from callboard.surge import (
    ARRIVALS,
    ARRIVALS_WINDOW_MIN,
    FORECAST,
    Action,
    Effect,
    Eligibility,
    Figures,
    Forecast,
    LiveMetrics,
    LogNotifier,
    Notification,
    NotificationFailed,
    Notifier,
    Plan,
    PlanRunner,
    Recommendation,
    Reserve,
    TimelineEntry,
    carry_out,
    load_plan,
    notifications,
    plan_commands,
    queue_figures,
)

log = logging.getLogger(__name__)
EVENT_PREFIX = "surge."
WEEK_S = 7 * 86400.0


@dataclass(frozen=True)
class SurgeSetup:
    """A plan for the live server. `scenario` (the center's scenario file) supplies the
    forecast for `forecast_10m` and the callers a projection simulates; without it
    neither is available. `every_s` is center seconds between runner checks."""

    plan: Plan
    scenario: Scenario | None = None
    notifiers: tuple[Notifier, ...] = ()
    every_s: float = 30.0
    workers: int = 2


def surge_setup(
    plan_file: Path | None, scenario: Scenario, notifiers: Sequence[Notifier] = ()
) -> SurgeSetup | None:
    """The plan in `plan_file`, else the one the scenario names, for the center the
    scenario describes; None when there is neither. A plan file is validated against
    the scenario's queues (`BadConfig`). The log notifier is always among the notifiers."""
    plan = scenario.plan
    if plan_file is not None:
        plan = load_plan(plan_file, queues=[q.spec.name for q in scenario.queues])
    return None if plan is None else SurgeSetup(plan, scenario, (LogNotifier(), *notifiers))


class UnknownRecommendation(CallboardError):
    """No recommendation has this id (404)."""


class AlreadyDecided(CallboardError):
    """The recommendation was confirmed or declined already (409)."""


class NoPlan(CallboardError):
    """The server runs no surge plan (409 on everything but the status)."""


class NoScenario(CallboardError):
    """A projection needs the center's scenario file (`serve --center`)."""


class NotCalledIn(CallboardError):
    """Nobody of this id has been called in by the plan (404)."""


class AlreadyReleased(CallboardError):
    """The person was released after their minimum stay; a new call-in brings them back
    (409)."""


class SurgeTimeline:
    """The audit timeline in the `events` table, one `surge.<kind>` row per entry."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def append(self, entries: Sequence[TimelineEntry], last_id: int) -> None:
        """`last_id` (the runner's highest id so far) rides along, so ids stay unique
        after a restart."""
        if not entries:
            return
        EventLog(self.engine).append_audit(
            AuditRow(EVENT_PREFIX + e.kind, e.at, e.queue,
                     {"tier": e.tier, "detail": e.detail, "by": e.by, "action_id": e.action_id,
                      "last_id": last_id, "restore": e.data})
            for e in entries
        )  # fmt: skip

    def load(self) -> tuple[list[TimelineEntry], int]:
        """Every stored entry, oldest first, and the highest id used."""
        entries: list[TimelineEntry] = []
        last_id = 0
        for row in EventLog(self.engine).audit(EVENT_PREFIX):
            data = row.data
            entries.append(TimelineEntry(
                row.at, row.type.removeprefix(EVENT_PREFIX), row.queue or "",
                int(data["tier"]), str(data["detail"]), data.get("by"), data.get("action_id"),
                data.get("restore"),
            ))  # fmt: skip
            last_id = max(last_id, int(data.get("last_id") or 0))
        return entries, last_id


@dataclass
class _Outbox:
    """Notifications decided under the lock, sent after it is released."""

    items: list[tuple[Action, Notification]] = field(default_factory=list)


class ArrivalsLastWeek:
    """`arrivals_10m_last_week`: arrivals per queue in the same 10 minutes 7 days earlier,
    from the `contact.arrived` rows of the store's event log.

    The wallboard asks every 2 s and the runner every 30 s, so each ask must not be
    a query: one range read over the `at` index loads the arrival times of a block
    of `block_s` seconds of last week (plus the 10 minutes before it), and asks whose
    window lies inside the block are answered by bisection in memory. A new block is
    read when the window leaves it, once per `block_s` of center time. The value is
    None while the log does not reach back to the window's start (a store younger
    than a week), so a trigger naming it cannot fire on an empty comparison.
    """

    def __init__(self, log: EventLog, block_s: float = 3600.0) -> None:
        self.log = log
        self.block_s = block_s
        self.span_s = 60.0 * ARRIVALS_WINDOW_MIN
        self.reads = 0  # range reads so far
        self._start = self._end = float("-inf")  # the block loaded: arrivals in (start, end]
        self._times: dict[str, list[float]] = {}
        self._first: float | None = None  # the oldest event's time, once the log has one

    def __call__(self, queue: str, now: float) -> float | None:
        end = now - WEEK_S
        start = end - self.span_s
        if not self._reaches(start):
            return None
        if not self._start <= start <= end <= self._end:
            self._load(start, start + self.span_s + self.block_s)
        times = self._times.get(queue, [])
        return float(bisect_right(times, end) - bisect_right(times, start))

    def _reaches(self, start: float) -> bool:
        if self._first is None:
            self._first = self.log.first_at()
        return self._first is not None and self._first <= start

    def _load(self, start: float, end: float) -> None:
        times = self.log.arrivals_between(start, end)
        self._start, self._end, self._times = start, end, times
        self.reads += 1


class SurgeLive:
    """Live figures for every queue of the center and, with a `setup`, its surge plan."""

    def __init__(self, setup: SurgeSetup | None, live: LiveCenter, engine: Engine) -> None:
        self.setup = setup
        self.live = live
        self.store = SurgeTimeline(engine)
        self.last_week = ArrivalsLastWeek(EventLog(engine))
        self.reserve = Reserve()
        self.runner: PlanRunner | None = None
        self.history: list[TimelineEntry] = []
        self._decided: set[int] = set()
        self._saved = 0  # runner.timeline entries already stored
        self._lock = threading.RLock()
        self._metrics_lock = threading.Lock()
        self._next_check = float("-inf")
        # When the runner last looked at the figures (center time): shows how fresh
        # the tier states are, and lets a test wait for a check at a time it set.
        self.checked_at = float("-inf")
        if setup is not None:
            self._restore(setup.plan)
        with live.lock:
            specs = [q["spec"] for q in live.center.snapshot()["queues"]]
            self.eligibility = Eligibility.of(live.center)
            self.queues = [str(spec["name"]) for spec in specs]
            self.metrics = LiveMetrics(
                {str(spec["name"]): float(spec["sl_threshold_s"]) for spec in specs},
                aht_hint_s={str(spec["name"]): float(spec["aht_hint_s"]) for spec in specs},
            )
            self.metrics.prime(live.center)
            live.listeners.append(self._observe)

    @property
    def plan(self) -> Plan | None:
        return None if self.setup is None else self.setup.plan

    def _restore(self, plan: Plan) -> None:
        """Rebuild the runner and the reserve people called in from the stored timeline."""
        self.history, last_id = self.store.load()
        self.runner = PlanRunner.restore(plan, self.history, last_id=last_id)
        self.reserve = Reserve.restore(plan, self.history)
        for entry in self.history:
            if entry.kind in ("confirmed", "declined") and entry.data:
                self._decided.add(int(entry.data["recommendation_id"]))

    def _observe(self, output: Outputs) -> None:
        with self._metrics_lock:
            self.metrics.observe(output.events)

    def _planned(self) -> tuple[SurgeSetup, PlanRunner]:
        if self.setup is None or self.runner is None:
            raise NoPlan("this server runs no surge plan; start it with --plan FILE")
        return self.setup, self.runner

    # ------------------------------------------------------------- running

    def step(self) -> None:
        """Note reserve people who have logged in, report the late and release those whose
        minimum stay is over; every `every_s`, run the plan."""
        setup, runner = self._planned()
        outbox = _Outbox()
        with self._lock:
            now = self._now()
            for person_id in self.live.read(self._logged_in):
                self.reserve.arrive(person_id, now, runner)
            self.reserve.follow_up(now, runner, self._state_of, self._run)
            if now >= self._next_check:
                self._next_check = now + setup.every_s
                figures = self._figures(now, [q.queue for q in setup.plan.queues])
                self._carry_out(now, runner.update(now, figures), outbox)
                self.checked_at = now
            self._save()
        self._send(outbox)

    def confirm(self, recommendation_id: int, supervisor: str) -> list[Action]:
        """A supervisor accepts a recommendation; returns the actions carried out."""
        _, runner = self._planned()
        outbox = _Outbox()
        with self._lock:
            self._check_pending(runner, recommendation_id)
            now = self._now()
            actions = runner.confirm(now, recommendation_id, supervisor)
            self._decided.add(recommendation_id)
            self._carry_out(now, actions, outbox)
            self._save()
        self._send(outbox)
        return actions

    def confirm_arrival(self, person_id: str) -> dict[str, Any]:
        """An integration (or a supervisor) says a reserve person has come: they log in,
        ready, and are on the line from now. Saying it again changes nothing. Returns
        the person as the status shows them."""
        _, runner = self._planned()
        with self._lock:
            called = self.reserve.get(person_id)
            if called is None:
                raise NotCalledIn(f"{person_id!r} has not been called in")
            if called.released_at is not None:
                raise AlreadyReleased(f"{person_id!r} was released at {iso(called.released_at)}")
            if called.arrived_at is None:
                self.live.execute(Login(person_id))
                self.reserve.arrive(person_id, self._now(), runner)
                self._save()
            now = self._now()
            (shown,) = [p for p in self.reserve.shown(now) if p["person_id"] == person_id]
            return reserve_view(shown)

    def decline(self, recommendation_id: int, supervisor: str) -> None:
        _, runner = self._planned()
        with self._lock:
            self._check_pending(runner, recommendation_id)
            runner.decline(self._now(), recommendation_id, supervisor)
            self._decided.add(recommendation_id)
            self._save()

    # ------------------------------------------------------------- reading

    def status(self) -> dict[str, Any]:
        """Every queue's figures (those with no value left out), with the plan's tiers."""
        figures = self._figures(self._now(), self.queues)
        with self._lock:
            queues = []
            for queue in self.queues:
                active = [] if self.runner is None else self.runner.active_tiers(queue)
                shown = {k: v for k, v in figures[queue].items() if v is not None}
                tier = min(active) if active else None
                queues.append({"queue": queue, "active_tiers": active,
                               "tier": tier, "figures": shown})  # fmt: skip
            pending = [] if self.runner is None else self.runner.pending()
            reserve = [reserve_view(person) for person in self.reserve.shown(self._now())]
        plan = self.plan
        return {"plan": None if plan is None else plan.name,
                "mode": None if plan is None else plan.mode, "queues": queues,
                "pending": [_recommendation(r) for r in pending],
                "reserve": reserve}  # fmt: skip

    def timeline(self, limit: int) -> list[TimelineEntry]:
        self._planned()
        with self._lock:
            return self.history[-limit:] if limit > 0 else []

    def project(self, minutes: int, replications: int, seed: int = 0) -> Projection:
        """Project the next `minutes` from the live state under each option of the plan.

        Arrivals are the scenario's profile (its timed events left out) times each
        queue's live trend: arrivals in the last 10 minutes over the forecast.
        """
        setup, runner = self._planned()
        plan, scenario = setup.plan, setup.scenario
        if scenario is None:
            raise NoScenario("a projection needs the center's scenario: serve with --center FILE")
        with self._lock:
            now = self._now()
            figures = self._figures(now, [q.queue for q in plan.queues])
            arriving = self.reserve.pending()
            called = runner.called()
            snapshot = self.live.read(lambda center: center.snapshot())
        volume = {queue: _trend(values) for queue, values in figures.items()}
        return project(
            snapshot, scenario, plan, now=now, minutes=minutes, replications=replications,
            seed=seed, volume=volume, with_events=False, arriving=arriving, called=called,
            executor=local_executor(setup.workers),
        )  # fmt: skip

    # ------------------------------------------------------------ internals

    def _figures(self, now: float, queues: list[str]) -> dict[str, Figures]:
        agents = self.live.read(partial(self.eligibility.counts, now=now))
        scenario = None if self.setup is None else self.setup.scenario
        forecast: Forecast | None = None if scenario is None else scenario.forecast_window
        with self._metrics_lock:
            return queue_figures(queues, self.metrics, now, agents, forecast=forecast,
                                 last_week=self.last_week)  # fmt: skip

    def _logged_in(self, center: Center) -> list[str]:
        """The reserve people still expected who have logged in on the desk."""
        return [c.person_id for c in self.reserve.expected()
                if _state(center, c.person_id) != "logged_out"]  # fmt: skip

    def _state_of(self, agent_id: str) -> str:
        return str(self.live.read(partial(_state, agent_id=agent_id)))

    def _now(self) -> float:
        return float(self.live.read(lambda center: max(self.live.clock(), center.now)))

    def _check_pending(self, runner: PlanRunner, recommendation_id: int) -> None:
        if any(r.recommendation_id == recommendation_id for r in runner.pending()):
            return
        if recommendation_id in self._decided:
            raise AlreadyDecided(f"recommendation {recommendation_id} was already decided")
        raise UnknownRecommendation(f"no recommendation {recommendation_id}")

    def _carry_out(self, now: float, actions: list[Action], outbox: _Outbox) -> None:
        setup, runner = self._planned()
        for action in actions:
            refused: list[str] = []

            def run(command: Command, refused: list[str] = refused) -> Any:
                return self._run(command, refused)

            planned = self.live.read(partial(plan_commands, action=action))
            effect = carry_out(action, planned, run)
            if refused:
                effect = Effect(f"{effect.summary}; refused: {'; '.join(refused)}", effect.changes)
            runner.record_effect(now, action, effect)
            self.reserve.record(action, now)
            outbox.items.extend((action, n) for n in notifications(action, setup.plan.min_stay_s))

    def _run(self, command: Command, refused: list[str] | None = None) -> Any:
        """One command through the journal; a refusal is noted, not raised, so the rest of
        the action still happens."""
        try:
            return self.live.execute(command)
        except CallboardError as exc:
            log.warning("surge command %s refused: %s", command, exc)
            if refused is not None:
                who = getattr(command, "agent_id", "")
                refused.append(f"{command.name} {who}: {exc}")
            return None

    def _save(self) -> None:
        _, runner = self._planned()
        new = runner.timeline[self._saved :]
        self.store.append(new, runner.last_id)
        self.history.extend(new)
        self._saved = len(runner.timeline)

    def _send(self, outbox: _Outbox) -> None:
        if not outbox.items:
            return
        setup, runner = self._planned()
        results: list[tuple[Action, str, str]] = []
        for action, notification in outbox.items:
            for notifier in setup.notifiers:
                name = type(notifier).__name__
                try:
                    notifier.notify(notification)
                except NotificationFailed as exc:
                    results.append((action, "notify_failed", f"{name}: {exc}"))
                else:
                    whom = f"{notification.person_id} ({notification.contact})"
                    results.append((action, "notified", f"{name}: {whom}"))
        with self._lock:
            now = self._now()
            for action, kind, detail in results:
                runner.note(now, action, kind, detail)
            self._save()


def _trend(figures: Figures) -> float:
    """Arrivals over the forecast for the last 10 minutes; 1 without a usable forecast."""
    forecast, seen = figures.get(FORECAST), figures.get(ARRIVALS)
    if forecast is None or seen is None or forecast < 1.0:
        return 1.0
    return seen / forecast


def _state(center: Center, agent_id: str) -> str:
    """An agent's state; one the center does not know (yet) counts as logged out."""
    try:
        return center.agent_state(agent_id)[0]
    except UnknownAgent:
        return "logged_out"


def reserve_view(person: dict[str, Any]) -> dict[str, Any]:
    """A reserve person as the API shows them: `Reserve.shown` with ISO times."""
    times = ("due", "arrived_at", "release_at", "released_at")
    return {key: (iso(value) if key in times and value is not None else value)
            for key, value in person.items()}  # fmt: skip


def _recommendation(recommendation: Recommendation) -> dict[str, Any]:
    return {
        "recommendation_id": recommendation.recommendation_id,
        "at": iso(recommendation.at),
        "queue": recommendation.queue,
        "tier": recommendation.tier,
        "escalate": recommendation.escalate,
        "reason": recommendation.reason,
    }


def iso(at: float) -> str:
    """POSIX seconds as the API's ISO-8601 UTC text."""
    return datetime.fromtimestamp(at, UTC).isoformat()
