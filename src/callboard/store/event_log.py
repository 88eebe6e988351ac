"""The append-only event log: the durable copy of the event spine.

`append` returns only after the transaction commits, so an API may acknowledge
a change as soon as `append` returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, RowMapping, func, insert, select

from callboard.domain import Event, EventType
from callboard.store.schema import events


def event_row(event: Event) -> dict[str, object]:
    """An event as a row of `events`; the journal writes the same rows."""
    return {
        "type": event.type.value, "at": event.at, "contact_id": event.contact_id,
        "agent_id": event.agent_id, "queue": event.queue, "data": dict(event.data),
    }  # fmt: skip


def _event(row: RowMapping) -> Event:
    return Event(
        type=EventType(row["type"]), at=float(row["at"]), contact_id=row["contact_id"],
        agent_id=row["agent_id"], queue=row["queue"], data=row["data"],
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class AuditRow:
    """A row of `events` that records a decision, not an engine event: the surge
    timeline's entries. Its `type` starts with its owner's prefix (`surge.`), which
    keeps it out of `EventLog.read`, and it names no contact or agent."""

    type: str
    at: float
    queue: str | None
    data: Mapping[str, Any]


class EventLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def append(self, batch: Iterable[Event]) -> int:
        rows = [event_row(e) for e in batch]
        if not rows:
            return 0
        with self.engine.begin() as conn:
            conn.execute(insert(events), rows)
        return len(rows)

    def read(self, after: int = 0, limit: int = 10_000) -> Iterator[tuple[int, Event]]:
        """Engine events with sequence number above `after`, in the order they were appended.

        Audit rows (`AuditRow`, such as the surge timeline's `surge.*`) share this
        table; they are not engine events, and are read by their owner through `audit`.
        """
        query = (
            select(events)
            .where(events.c.seq > after, ~events.c.type.startswith("surge."))
            .order_by(events.c.seq)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                yield int(row["seq"]), _event(row)

    def contact_events(self, after: int, since: float, limit: int) -> list[tuple[int, Event]]:
        """Contact events (those with a contact id) with sequence number above `after` and
        time at or after `since`, in order: what a live report folds into records.
        Agent-state events, half the log, are never read."""
        query = (
            select(events)
            .where(events.c.seq > after, events.c.at >= since, events.c.contact_id.is_not(None))
            .order_by(events.c.seq)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(int(row["seq"]), _event(row)) for row in conn.execute(query).mappings()]

    def append_audit(self, rows: Iterable[AuditRow]) -> None:
        """Write audit rows in one transaction, committed when this returns."""
        values = [
            {"type": r.type, "at": r.at, "contact_id": None, "agent_id": None,
             "queue": r.queue, "data": dict(r.data)}
            for r in rows
        ]  # fmt: skip
        if values:
            with self.engine.begin() as conn:
                conn.execute(insert(events), values)

    def audit(self, prefix: str) -> list[AuditRow]:
        """Every audit row whose type starts with `prefix`, oldest first."""
        query = (
            select(events.c.type, events.c.at, events.c.queue, events.c.data)
            .where(events.c.type.startswith(prefix))
            .order_by(events.c.seq)
        )
        with self.engine.connect() as conn:
            return [AuditRow(r.type, float(r.at), r.queue, r.data) for r in conn.execute(query)]

    def first_at(self) -> float | None:
        """When the log begins: a comparison with an older window has nothing to read."""
        with self.engine.connect() as conn:
            first = conn.execute(select(func.min(events.c.at))).scalar()
        return None if first is None else float(first)

    def arrivals_between(self, start: float, end: float) -> dict[str, list[float]]:
        """Arrival times in (start, end] per queue, ascending; one range read on `at`."""
        query = (
            select(events.c.queue, events.c.at)
            .where(events.c.at > start, events.c.at <= end,
                   events.c.type == EventType.CONTACT_ARRIVED.value)
            .order_by(events.c.at)
        )  # fmt: skip
        times: dict[str, list[float]] = {}
        with self.engine.connect() as conn:
            for queue, at in conn.execute(query):
                times.setdefault(queue or "", []).append(float(at))
        return times

    def arrived_at(self, contact_id: str) -> float | None:
        """When a contact arrived, by the contact index; None for an unknown id."""
        query = select(events.c.at).where(
            events.c.contact_id == contact_id, events.c.type == EventType.CONTACT_ARRIVED.value
        )
        with self.engine.connect() as conn:
            at = conn.execute(query.limit(1)).scalar()
        return None if at is None else float(at)

    def last_for_contact(self, contact_id: str) -> Event | None:
        """The most recent event of a contact: how a finished contact's status is answered."""
        query = (
            select(events)
            .where(events.c.contact_id == contact_id)
            .order_by(events.c.seq.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _event(row)
