"""The SLA clock: case escalations fire at their due time, on the server's own clock.

The clock asks the store when each open case next falls due (`due_times`),
keeps that in memory, and goes to the database only when a case was written
(`take_touched`) or a due time has passed; it reads the server's injected
clock, so an accelerated demo clock drives it like the wall clock. Firing is
`CaseStore.escalate_due`: the target, its history entry, the policy's effects
and the channels still to tell commit together, so a target fires once across
restarts and `kill -9`.

Telling is separate from firing, so a slow mail relay never delays the next
escalation: each channel's delivery is recorded as a `notified` entry, and on
start the clock resends what was fired and not yet told (`unnotified`), for a
week back. A crash after a delivery and before its entry is written sends that
one notice again; every notice carries a stable `notice_id` for receivers that
must not act twice. A failed delivery is retried with growing pauses, and its
first failure is written to the case's history.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from callboard.cases import OnBreach
from callboard.server.clock import Clock
from callboard.store import CaseStore, Escalation
from callboard.surge import EmailNotifier, LogNotifier, Notification, Notifier, WebhookNotifier

log = logging.getLogger(__name__)
# The clock is read this often at most (wall seconds), so a clock moved by a test or
# an accelerated demo is noticed promptly; the database is not touched by reading it.
MAX_SLEEP_S = 0.25
# Every case is looked at again this often (wall seconds), in case one was written by
# another process (`serve` is the store's one writer, so this is a safety net only).
RESCAN_S = 600.0
RETRY_S = (5.0, 30.0, 120.0, 600.0)  # pauses after a failed delivery, the last repeated
LOOKBACK = timedelta(days=7)  # how far back a restart resends notices not yet told


@dataclass(frozen=True)
class EscalationNotice(Notification):
    """A surge notifier's message about a case: the webhook posts every field, so the
    case's own fields ride along; `contact` is the policy's `notify` address."""

    kind: str = "sla.escalated"
    notice_id: str = ""
    case_id: int = 0
    target: str = ""
    due: str | None = None
    priority: int = 0
    assignee: str | None = None

    @property
    def subject(self) -> str:
        return f"Callboard case {self.case_id}: {self.target.replace('_', ' ')} escalated"


def notice(escalation: Escalation, zone: ZoneInfo) -> EscalationNotice:
    due = None if escalation.due is None else escalation.due.astimezone(zone)
    what = escalation.target.replace("_", " ")
    where = ", ".join(x for x in (escalation.category, escalation.queue) if x)
    text = (
        f"Case {escalation.case_id}{f' ({where})' if where else ''}: {what} was due "
        f"{due.strftime('%Y-%m-%d %H:%M %z') if due else 'earlier'}; escalated, priority "
        f"{escalation.priority}"
        + (f", assigned to {escalation.assignee}" if escalation.assignee else "")
    )
    return EscalationNotice(
        at=escalation.at.timestamp(), person_id=escalation.assignee or "",
        name=f"case {escalation.case_id}", contact=escalation.notify or "",
        queue=escalation.queue or "", tier=0,
        arrives_at=escalation.due.timestamp() if escalation.due else escalation.at.timestamp(),
        stand_down=False, message=text,
        notice_id=f"case-{escalation.case_id}-{escalation.target}",
        case_id=escalation.case_id, target=escalation.target,
        due=None if due is None else due.isoformat(), priority=escalation.priority,
        assignee=escalation.assignee,
    )  # fmt: skip


def channel(notifier: Notifier) -> str:
    """A notifier's name in the history, stable across restarts with the same options."""
    if isinstance(notifier, WebhookNotifier):
        return f"webhook {notifier.url}"
    if isinstance(notifier, EmailNotifier):
        return f"smtp {notifier.host}:{notifier.port}"
    if isinstance(notifier, LogNotifier):
        return "log"
    return type(notifier).__name__


@dataclass
class _Delivery:
    escalation: Escalation
    channel: str
    tries: int = 0
    next_try: float = 0.0  # monotonic seconds


class SlaClock:
    def __init__(self, store: CaseStore, clock: Clock, notifiers: Sequence[Notifier] = ()):
        self.store = store
        self.clock = clock
        every = (LogNotifier(logging.getLogger("callboard.sla")), *notifiers)
        self.notifiers = {channel(n): n for n in every}
        self.dues: dict[int, datetime] = {}
        self._scanned_at = float("-inf")
        self._outbox: list[_Delivery] = []
        self._resent = False
        self._lock = threading.Lock()

    def channels(self, action: OnBreach) -> list[str]:
        """Where an escalation goes: every notifier; the SMTP ones only with an address."""
        return [
            name for name, notifier in self.notifiers.items()
            if action.notify or not isinstance(notifier, EmailNotifier)
        ]  # fmt: skip

    async def run(self) -> None:
        """Fire and tell until cancelled; a failed step (the store unreachable for a
        moment) is logged and tried again."""
        await asyncio.gather(self._loop(self.step), self._loop(self.deliver))

    async def _loop(self, work: Callable[[], datetime | None]) -> None:
        while True:
            try:
                wake = await asyncio.to_thread(work)
            except Exception:
                log.exception("SLA clock: %s failed; retrying", getattr(work, "__name__", work))
                wake = None
            ahead = MAX_SLEEP_S if wake is None else (wake - self.clock()).total_seconds()
            # Due now and not fired: the clock has not moved past it yet; look again later.
            await asyncio.sleep(min(ahead, MAX_SLEEP_S) if ahead > 0 else MAX_SLEEP_S)

    def step(self) -> datetime | None:
        """Fire what has fallen due; returns the next due time, if any.

        After a failure (the store unreachable for a moment) the next step looks at
        every case again and reloads what is untold, since the failure may have come
        after some escalations committed or after the written cases were taken.
        """
        now = self.clock()
        try:
            if not self._resent:  # what an earlier run (or a failed step) fired and did not tell
                self._queue(self.store.unnotified(now - LOOKBACK))
                self._resent = True
            if not self.store.policies.configured:  # no case has an SLA: nothing ever falls due
                return None
            self._track(now)
            with self._lock:
                due = [case_id for case_id, at in self.dues.items() if at <= now]
            if due:
                fired = self.store.escalate_due(now, ids=due, channels=self.channels)
                self._refresh(now, due)
                self._queue(fired)
        except Exception:
            self._resent, self._scanned_at = False, float("-inf")
            raise
        with self._lock:
            return min(self.dues.values(), default=None)

    def _track(self, now: datetime) -> None:
        """Bring the due times up to date with the cases written since the last step."""
        touched = self.store.take_touched()
        if touched is None or time.monotonic() - self._scanned_at > RESCAN_S:
            dues = self.store.due_times(now)
            with self._lock:
                self.dues = dues
            self._scanned_at = time.monotonic()
        elif touched:
            self._refresh(now, touched)

    def soon_due(self, now: datetime, within: timedelta) -> list[tuple[int, datetime]]:
        """Open cases with a target falling due before `now + within`, soonest first."""
        with self._lock:
            soon = [(c, at) for c, at in self.dues.items() if at <= now + within]
        return sorted(soon, key=lambda item: item[1])

    def deliver(self) -> datetime | None:
        """Tell each channel whose turn has come; keep what failed for a later try."""
        with self._lock:
            ready = [d for d in self._outbox if d.next_try <= time.monotonic()]
        for delivery in ready:
            self._try(delivery)
        return None

    def _try(self, delivery: _Delivery) -> None:
        escalation = delivery.escalation
        notifier = self.notifiers.get(delivery.channel)
        if notifier is None:
            log.warning("case %s: %s is no longer configured; not told of its %s escalation",
                        escalation.case_id, delivery.channel, escalation.target)  # fmt: skip
            self._drop(delivery)
            return
        try:
            notifier.notify(notice(escalation, self.store.zone))
        except Exception as exc:  # NotificationFailed, or a notifier's own bug
            log.warning("case %s: %s failed: %s", escalation.case_id, delivery.channel, exc)
            if delivery.tries == 0:
                self.store.notified(escalation, delivery.channel, at=self.clock(), error=str(exc))
            delivery.next_try = time.monotonic() + RETRY_S[min(delivery.tries, len(RETRY_S) - 1)]
            delivery.tries += 1
            return
        self.store.notified(escalation, delivery.channel, at=self.clock())
        self._drop(delivery)

    def _drop(self, delivery: _Delivery) -> None:
        with self._lock:
            self._outbox.remove(delivery)

    def _queue(self, fired: Sequence[Escalation]) -> None:
        """Add deliveries not already waiting (a reload finds those still being sent)."""
        with self._lock:
            waiting = {(d.escalation.case_id, d.escalation.target, d.channel) for d in self._outbox}
            for escalation in fired:
                for name in escalation.channels:
                    if (escalation.case_id, escalation.target, name) not in waiting:
                        self._outbox.append(_Delivery(escalation, name))

    def _refresh(self, now: datetime, ids: Sequence[int] | set[int]) -> None:
        fresh = self.store.due_times(now, ids=list(ids))
        with self._lock:
            for case_id in ids:
                self.dues.pop(case_id, None)
            self.dues.update(fresh)
