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
the first event seen are not counted. Agent events carry no queue, so agent
counts are center-wide, in the overall figures and in every queue's.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping

from callboard.domain import Event, EventType, NotReadyReason
from callboard.engine import Center
from callboard.engine import contact as engine_contact
from callboard.surge.names import ARRIVALS_WINDOW_MIN, WINDOWS_MIN
from callboard.surge.windows import (
    ABANDONED,
    ANSWERED_IN_T,
    OFFERED,
    OVERDUE,
    SHORT_ABANDONED,
    ArrivalWindow,
    Counts,
    Entry,
    EntryWindows,
)

Figures = dict[str, float | None]
_OVERDUE_COUNTS: Counts = (0, 0, 0, 0, 1)
_EXITED_COUNTS: Counts = (1, 0, 0, 0, 0)
_NOT_COUNTED: Counts = (0, 0, 0, 0, 0)
_IN_LINE = frozenset(
    (engine_contact.WAITING, engine_contact.OFFERED)
)  # in the queue, not answered yet


class _QueueTally:
    """One queue's rolling state: its windows, its line of waiting callers in entry order."""

    __slots__ = ("arrivals", "line", "short_s", "threshold_s", "unsettled", "waiting", "windows")

    def __init__(self, threshold_s: float, short_s: float) -> None:
        self.threshold_s = threshold_s
        self.short_s = short_s
        self.windows = EntryWindows(tuple(60.0 * m for m in WINDOWS_MIN))
        self.arrivals = ArrivalWindow(60.0 * ARRIVALS_WINDOW_MIN)
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


class LiveMetrics:
    """Rolling figures from events; feed `observe` in time order, ask `figures(now)`.

    `sl_threshold_s` gives T per queue (default `default_threshold_s`, KPI.md's
    20 s); `short_abandon_s` is S (default 5 s).
    """

    def __init__(
        self,
        sl_threshold_s: Mapping[str, float] | None = None,
        *,
        default_threshold_s: float = 20.0,
        short_abandon_s: float = 5.0,
    ) -> None:
        self._thresholds = dict(sl_threshold_s or {})
        self._default_threshold_s = default_threshold_s
        self._short_s = short_abandon_s
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

    def figures(self, now: float, queue: str | None = None) -> Figures:
        """Every figure at `now` for `queue`, or over all queues when None."""
        self._move_to(now)
        tallies = list(self._tallies.values()) if queue is None else [self._tally(queue)]
        for tally in tallies:
            tally.catch_up(now)
        figures = _contact_figures(tallies, now)
        figures.update(self._agent_figures())
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
        elif kind is EventType.CONTACT_QUEUED or kind is EventType.CONTACT_OFFERED:
            if contact_id not in self._entries:
                self._enter(tally, contact_id, event)
        elif kind is EventType.CALLBACK_REQUESTED:
            found = self._entries.get(contact_id)
            if found is not None:
                _stop_waiting(tally, found[1])
        elif kind is EventType.CONTACT_ANSWERED:
            wait = _wait(event, contact_id, self._entries)
            self._settle(contact_id, (1, int(wait <= tally.threshold_s), 0, 0, 0), event.at)
        elif kind is EventType.CONTACT_ABANDONED:
            wait = _wait(event, contact_id, self._entries)
            self._settle(contact_id, (1, 0, 1, int(wait < tally.short_s), 0), event.at)
        elif kind is EventType.CONTACT_EXITED:
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
            tally = self._tallies[queue] = _QueueTally(threshold, self._short_s)
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

    def _agent_figures(self) -> Figures:
        counts = self._agent_counts
        reasons = {r.value for r in NotReadyReason} | {
            key.removeprefix("not_ready:") for key in counts if key.startswith("not_ready:")
        }
        figures: Figures = {
            "agents_ready": float(counts["ready"]),
            "agents_busy": float(counts["busy"] + counts["reserved"]),
            "agents_wrap_up": float(counts["wrap_up"]),
            "agents_not_ready": float(sum(counts[f"not_ready:{r}"] for r in reasons)),
            "agents_outbound": float(counts["not_ready:outbound"]),
        }
        for reason in sorted(reasons):
            figures[f"agents_not_ready_{reason}"] = float(counts[f"not_ready:{reason}"])
        return figures


def _stop_waiting(tally: _QueueTally, entry: Entry) -> None:
    if entry.waiting:
        entry.waiting = False
        tally.waiting -= 1


def _wait(event: Event, contact_id: str, entries: Mapping[str, tuple[_QueueTally, Entry]]) -> float:
    """The event's own `wait_s`, else the time since the contact entered the queue."""
    wait = event.data.get("wait_s")
    if isinstance(wait, int | float):
        return float(wait)
    found = entries.get(contact_id)
    return event.at - found[1].entered_at if found is not None else 0.0


def _contact_figures(tallies: list[_QueueTally], now: float) -> Figures:
    figures: Figures = {
        f"arrivals_{ARRIVALS_WINDOW_MIN}m": float(sum(t.arrivals.count(now) for t in tallies)),
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
