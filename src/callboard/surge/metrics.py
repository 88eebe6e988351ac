"""Live metrics: rolling per-queue and center-wide figures from the event spine.

`LiveMetrics` consumes canonical events as the engine emits them and answers,
at any later `now`, the figures a wallboard and a surge trigger need, each
under its `names.METRICS` name. Definitions follow KPI.md:

- a contact counts in the window where it *entered the queue* (its
  `contact.queued` event, or its `contact.offered` when routed at once);
- `sl` = A(wait <= T) / (O - Ab_s) and `abandon_rate` = Ab / O, with T the
  queue's service-level threshold and S the short-abandon threshold;
- a contact still unanswered after max(T, S) has already missed the target
  whatever happens next, so it enters the `sl` denominator at once. Without
  this a collapsing queue would show a fine SL, because the callers who are
  missing it have not finished yet.

Windows are the last W seconds, (now - W, now]. Contacts that entered before
the first event seen are not counted. Agent events carry no queue, so the
events give agent counts over the whole center only; a queue's `agents_*`
come from the center (`serving.Eligibility`): the agents who can serve it
now, at their skill level and the widening its waiting callers have reached.

`projected_sl` is the `sl` the current 30-minute interval ([start, start +
30m), start a whole half hour) is heading for, cheap enough to ask every few
seconds:

    projected_sl = (A_T + n * p_T) / (D + n * (1 - p_S))

- A_T and D are the interval's contacts so far: answered within T, and the
  `sl` denominator O - Ab_s plus those already past max(T, S) (as for `sl`);
- n = the interval's contacts still open (in line, not yet a certain miss)
  + lambda * (seconds left in the interval), the callers still to count;
- lambda = arrivals_10m / 600 s; p_T = P(answered and wait <= T) and
  p_S = P(abandoned within S) per caller under Erlang A with that lambda, the
  working agents (ready, reserved, busy, wrap-up) who can serve the queue now
  (`serving`), the mean handle time (talk + ACW) of contacts completed in the
  last 60 minutes (the queue's hint before any), and the patience estimated as
  waited seconds / abandons over the last 60 minutes (Erlang C, patience
  unbounded, before the first abandon).

It treats the rest of the interval as steady state at today's staffing and
the last 10 minutes' rate, and an open caller as a fresh one: an estimate for
acting early, not a forecast; `callboard surge project` simulates properly.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from functools import lru_cache

from callboard.domain import Event, EventType, NotReadyReason
from callboard.engine import OFFERED as CONTACT_OFFERED
from callboard.engine import WAITING, WORKING, Center
from callboard.queueing import abandoned_within, erlang_a, erlang_c
from callboard.surge.names import (
    ARRIVALS,
    ARRIVALS_WINDOW_MIN,
    ESTIMATE_WINDOW_MIN,
    INTERVAL_MIN,
    PROJECTED_SL,
    WINDOWS_MIN,
)
from callboard.surge.windows import (
    ABANDONED,
    ANSWERED_IN_T,
    OFFERED,
    OVERDUE,
    SHORT_ABANDONED,
    Counts,
    Entry,
    EntryWindows,
    RollingSum,
)

Figures = dict[str, float | None]
_OVERDUE_COUNTS: Counts = (0, 0, 0, 0, 1)
_EXITED_COUNTS: Counts = (1, 0, 0, 0, 0)
_NOT_COUNTED: Counts = (0, 0, 0, 0, 0)
_IN_LINE = frozenset((WAITING, CONTACT_OFFERED))  # in the queue, not answered yet


class _QueueTally:
    """One queue's rolling state: its windows, its line of waiting callers in entry order,
    and the handle times, waits and abandons the projected SL's model is estimated from."""

    __slots__ = (
        "abandons",
        "aht_hint_s",
        "arrivals",
        "handled",
        "line",
        "short_s",
        "threshold_s",
        "unsettled",
        "waited",
        "waiting",
        "windows",
    )

    def __init__(self, threshold_s: float, short_s: float, aht_hint_s: float) -> None:
        self.threshold_s = threshold_s
        self.short_s = short_s
        self.aht_hint_s = aht_hint_s
        self.windows = EntryWindows(tuple(60.0 * m for m in WINDOWS_MIN), 60.0 * INTERVAL_MIN)
        self.arrivals = RollingSum(60.0 * ARRIVALS_WINDOW_MIN)
        self.handled = RollingSum(60.0 * ESTIMATE_WINDOW_MIN)  # talk + ACW per completion
        self.waited = RollingSum(60.0 * ESTIMATE_WINDOW_MIN)  # each settled contact's wait
        self.abandons = RollingSum(60.0 * ESTIMATE_WINDOW_MIN)
        self.line: deque[Entry] = deque()  # may hold entries no longer waiting (dropped lazily)
        self.unsettled: deque[Entry] = deque()  # entries whose miss is not yet certain
        self.waiting = 0

    def catch_up(self, now: float) -> None:
        """Slide the windows to `now` and mark callers past max(T, S) as certain misses."""
        self.windows.expire(now)
        edge = now - max(self.threshold_s, self.short_s)
        unsettled = self.unsettled
        while unsettled and (unsettled[0].settled or unsettled[0].entered_at < edge):
            entry = unsettled.popleft()
            if not entry.settled:
                self.windows.change(entry, _OVERDUE_COUNTS, now)

    def oldest_wait(self, now: float) -> float:
        line = self.line
        while line and not line[0].waiting:
            line.popleft()
        return now - line[0].entered_at if line else 0.0

    def projection(self, now: float, agents: int) -> tuple[float, float]:
        """(numerator, denominator) of `projected_sl` for this queue (module docstring);
        call after `catch_up(now)`."""
        windows = self.windows
        so_far = windows.interval
        answered = float(so_far[ANSWERED_IN_T])
        counted = float(so_far[OFFERED] - so_far[SHORT_ABANDONED] + so_far[OVERDUE])
        still_open = max(windows.interval_entered - so_far[OFFERED] - so_far[OVERDUE], 0)
        rate = self.arrivals.count(now) / self.arrivals.span_s
        left_s = windows.interval_start + windows.interval_s - now
        coming = still_open + rate * left_s
        if coming <= 0.0:
            return answered, counted
        handled = self.handled.count(now)
        aht = self.handled.total(now) / handled if handled else self.aht_hint_s
        abandons = self.abandons.count(now)
        patience = self.waited.total(now) / abandons if abandons else math.inf
        in_time, kept = _per_caller(
            round(rate * 3600.0), agents, max(round(aht), 1), _rounded(patience),
            self.threshold_s, self.short_s,
        )  # fmt: skip
        return answered + coming * in_time, counted + coming * kept


def _rounded(patience: float) -> float:
    return patience if math.isinf(patience) else float(max(round(patience), 1))


@lru_cache(maxsize=4096)
def _per_caller(
    rate_h: int, agents: int, aht_s: int, patience_s: float, threshold_s: float, short_s: float
) -> tuple[float, float]:
    """(P(answered within T), 1 - P(abandoned within S)) per caller; cached on inputs
    rounded to a call an hour and whole seconds, so a steady queue computes it once."""
    rate = rate_h / 3600.0
    unbounded = math.isinf(patience_s)
    if agents <= 0:
        return 0.0, 1.0 if unbounded else math.exp(-short_s / patience_s)
    if unbounded:
        return float(erlang_c(rate, aht_s, agents, threshold_s).service_level), 1.0
    in_time = erlang_a(rate, aht_s, patience_s, agents, threshold_s).answered_within
    short = abandoned_within(rate, aht_s, patience_s, agents, short_s)
    return float(in_time), 1.0 - float(short)


class LiveMetrics:
    """Rolling figures from events; feed `observe` in time order, ask `figures(now)`.

    `sl_threshold_s` gives T per queue (default `default_threshold_s`, KPI.md's
    20 s); `short_abandon_s` is S (default 5 s); `aht_hint_s` the handle time
    `projected_sl` assumes per queue until a contact completes there (default
    `default_aht_s`).
    """

    def __init__(
        self,
        sl_threshold_s: Mapping[str, float] | None = None,
        *,
        default_threshold_s: float = 20.0,
        short_abandon_s: float = 5.0,
        aht_hint_s: Mapping[str, float] | None = None,
        default_aht_s: float = 300.0,
    ) -> None:
        self._thresholds = dict(sl_threshold_s or {})
        self._default_threshold_s = default_threshold_s
        self._short_s = short_abandon_s
        self._aht_hints = dict(aht_hint_s or {})
        self._default_aht_s = default_aht_s
        self._tallies: dict[str, _QueueTally] = {}
        self._entries: dict[str, tuple[_QueueTally, Entry]] = {}
        self._agents: dict[str, str] = {}
        self._agent_counts: Counter[str] = Counter()
        self._now = float("-inf")

    def queues(self) -> list[str]:
        """Queues seen so far or given a threshold."""
        return sorted(set(self._tallies) | set(self._thresholds))

    def prime(self, center: Center) -> None:
        """Start from a running center: its agents' states and the callers now in line.

        For a server that (re)starts mid-day. Contacts answered before this are
        unknown, so the SL windows fill over the following hour. Call it before
        any `observe`.
        """
        if self._entries or self._agents or self._now > float("-inf"):
            raise ValueError("prime a LiveMetrics before it observes anything")
        now = center.now
        for agent_id in center.agent_ids():
            state, reason = center.agent_state(agent_id)
            change = {"from": state, "to": state, "reason": reason}
            self._agent_changed(
                Event(EventType.AGENT_STATE_CHANGED, now, None, agent_id, None, change)
            )
        open_contacts = [c for c in center.live_contacts() if c.state in _IN_LINE]
        for contact in sorted(open_contacts, key=lambda c: c.queued_at):
            tally = self._tally(contact.queue)
            flags = {"callback": contact.callback}
            queued = Event(EventType.CONTACT_QUEUED, contact.queued_at, contact.contact_id,
                           None, contact.queue, flags)  # fmt: skip
            self._enter(tally, contact.contact_id, queued)
        self._move_to(now)

    def observe(self, events: Iterable[Event]) -> None:
        """Take events in time order (as `Center.take_events()` returns them)."""
        for event in events:
            self._move_to(event.at)
            if event.type is EventType.AGENT_STATE_CHANGED:
                self._agent_changed(event)
            elif event.queue is not None:
                self._contact_event(event, event.queue)

    def figures(
        self,
        now: float,
        queue: str | None = None,
        agents: Mapping[str, Mapping[str, int]] | None = None,
    ) -> Figures:
        """Every figure at `now` for `queue`, or over all queues when None.

        `agents` gives, per queue, the agents who can serve it now by state key
        (`serving.Eligibility.counts`); the events alone cannot tell which agents
        serve a queue. It supplies a queue's `agents_*` figures (left out without
        it) and the working agents behind `projected_sl`. Over all queues the
        `agents_*` figures count every agent once, from the events.

        Asking does not move the event clock: a live server asks at its wall
        clock's time, and a command journaled a moment later may carry the
        engine's slightly earlier time (clocks are not perfectly monotonic).
        """
        now = max(now, self._now)
        names = list(self._tallies) if queue is None else [queue]
        tallies = [self._tally(name) for name in names]
        for tally in tallies:
            tally.catch_up(now)
        figures = _contact_figures(tallies, now)
        if queue is None:
            figures.update(_agent_figures(self._agent_counts))
        elif agents is not None:
            figures.update(_agent_figures(agents.get(queue, {})))
        if agents is not None:
            pairs = zip(names, tallies, strict=True)
            parts = [tally.projection(now, _working(agents.get(name, {}))) for name, tally in pairs]
            denominator = sum(d for _, d in parts)
            figures[PROJECTED_SL] = (
                min(sum(a for a, _ in parts) / denominator, 1.0) if denominator > 0 else None
            )
        return figures

    # --------------------------------------------------------------- contacts

    def _contact_event(self, event: Event, queue: str) -> None:
        kind = event.type
        tally = self._tally(queue)
        tally.catch_up(event.at)
        contact_id = event.contact_id
        if contact_id is None:
            return
        if kind is EventType.CONTACT_ARRIVED:
            tally.arrivals.add(event.at)
        elif kind is EventType.CONTACT_COMPLETED:
            handled = _seconds(event, "talk_s") + _seconds(event, "acw_s")
            tally.handled.add(event.at, handled)
        elif kind is EventType.CONTACT_QUEUED or kind is EventType.CONTACT_OFFERED:
            if contact_id not in self._entries:
                self._enter(tally, contact_id, event)
        elif kind is EventType.CALLBACK_REQUESTED:
            found = self._entries.get(contact_id)
            if found is not None:
                _stop_waiting(tally, found[1])
        elif kind is EventType.CONTACT_ANSWERED:
            wait = _wait(event, contact_id, self._entries)
            tally.waited.add(event.at, wait)
            self._settle(contact_id, (1, int(wait <= tally.threshold_s), 0, 0, 0), event.at)
        elif kind is EventType.CONTACT_ABANDONED:
            wait = _wait(event, contact_id, self._entries)
            tally.waited.add(event.at, wait)
            tally.abandons.add(event.at)
            self._settle(contact_id, (1, 0, 1, int(wait < tally.short_s), 0), event.at)
        elif kind is EventType.CONTACT_EXITED:
            tally.waited.add(event.at, _wait(event, contact_id, self._entries))
            self._settle(contact_id, _EXITED_COUNTS, event.at)
        elif kind is EventType.CONTACT_BLOCKED:
            self._settle(contact_id, _NOT_COUNTED, event.at)

    def _enter(self, tally: _QueueTally, contact_id: str, event: Event) -> None:
        entry = Entry(event.at)
        tally.windows.add(entry)
        tally.unsettled.append(entry)
        if event.data.get("callback") is True:
            # A refused caller who took a callback: in the queue, but not on the line.
            entry.waiting = False
        else:
            tally.line.append(entry)
            tally.waiting += 1
        self._entries[contact_id] = (tally, entry)

    def _settle(self, contact_id: str, counts: Counts, now: float) -> None:
        found = self._entries.pop(contact_id, None)
        if found is None:
            return  # entered before we started watching
        tally, entry = found
        _stop_waiting(tally, entry)
        entry.settled = True
        tally.windows.change(entry, counts, now)

    def _tally(self, queue: str) -> _QueueTally:
        tally = self._tallies.get(queue)
        if tally is None:
            threshold = self._thresholds.get(queue, self._default_threshold_s)
            aht = self._aht_hints.get(queue, self._default_aht_s)
            tally = self._tallies[queue] = _QueueTally(threshold, self._short_s, aht)
        return tally

    def _move_to(self, now: float) -> None:
        if now < self._now:
            raise ValueError(f"live metrics need time order: {now} after {self._now}")
        self._now = now

    # ----------------------------------------------------------------- agents

    def _agent_changed(self, event: Event) -> None:
        agent_id = event.agent_id
        if agent_id is None:
            return
        state = str(event.data.get("to"))
        key = f"not_ready:{event.data.get('reason')}" if state == "not_ready" else state
        old = self._agents.get(agent_id)
        if old is not None:
            self._agent_counts[old] -= 1
        self._agents[agent_id] = key
        self._agent_counts[key] += 1


def _working(counts: Mapping[str, int]) -> int:
    return sum(n for state, n in counts.items() if state in WORKING)


def _agent_figures(counts: Mapping[str, int]) -> Figures:
    """The `agents_*` figures from agents by state key (`ready`, `not_ready:<reason>`, ...)."""
    reasons = {r.value for r in NotReadyReason} | {
        key.removeprefix("not_ready:") for key in counts if key.startswith("not_ready:")
    }

    def count(key: str) -> int:
        return counts.get(key, 0)

    figures: Figures = {
        "agents_ready": float(count("ready")),
        "agents_busy": float(count("busy") + count("reserved")),
        "agents_wrap_up": float(count("wrap_up")),
        "agents_not_ready": float(sum(count(f"not_ready:{r}") for r in reasons)),
        "agents_outbound": float(count("not_ready:outbound")),
    }
    for reason in sorted(reasons):
        figures[f"agents_not_ready_{reason}"] = float(count(f"not_ready:{reason}"))
    return figures


def _stop_waiting(tally: _QueueTally, entry: Entry) -> None:
    if entry.waiting:
        entry.waiting = False
        tally.waiting -= 1


def _seconds(event: Event, key: str) -> float:
    value = event.data.get(key)
    return float(value) if isinstance(value, int | float) else 0.0


def _wait(event: Event, contact_id: str, entries: Mapping[str, tuple[_QueueTally, Entry]]) -> float:
    """The event's own `wait_s`, else the time since the contact entered the queue."""
    wait = event.data.get("wait_s")
    if isinstance(wait, int | float):
        return float(wait)
    found = entries.get(contact_id)
    return event.at - found[1].entered_at if found is not None else 0.0


def _contact_figures(tallies: list[_QueueTally], now: float) -> Figures:
    figures: Figures = {
        ARRIVALS: float(sum(t.arrivals.count(now) for t in tallies)),
        "waiting": float(sum(t.waiting for t in tallies)),
        "oldest_wait": max((t.oldest_wait(now) for t in tallies), default=0.0),
    }
    for position, minutes in enumerate(WINDOWS_MIN):
        totals = [sum(t.windows.totals[position][i] for t in tallies) for i in range(5)]
        offered = totals[OFFERED]
        denominator = offered - totals[SHORT_ABANDONED] + totals[OVERDUE]
        figures[f"sl_{minutes}m"] = totals[ANSWERED_IN_T] / denominator if denominator > 0 else None
        figures[f"abandon_rate_{minutes}m"] = totals[ABANDONED] / offered if offered else None
    return figures
