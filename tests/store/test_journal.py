"""The journal's batch write: one transaction per batch, rows in command order."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from callboard.domain import Event, EventType
from callboard.engine import Arrive
from callboard.store.journal import Journal, JournalEntry, Snapshot
from callboard.store.schema import events


def _batch(first: int, count: int) -> list[tuple[JournalEntry, list[Event]]]:
    return [
        (
            JournalEntry(seq, 100.0 + seq, Arrive(f"c{seq}", "q")),
            [
                Event(EventType.CONTACT_ARRIVED, 100.0 + seq, f"c{seq}", None, "q", {"n": seq}),
                Event(EventType.CONTACT_QUEUED, 100.0 + seq, f"c{seq}", None, "q"),
            ],
        )
        for seq in range(first, first + count)
    ]


def test_a_batch_is_read_back_in_order_with_its_snapshot(store: Engine) -> None:
    journal = Journal(store)
    journal.write(_batch(1, 3))
    journal.write(_batch(4, 2), Snapshot(5, 105.0, {"state": [1, 2]}))
    assert [(e.seq, e.command) for e in journal.after(2)] == [
        (3, Arrive("c3", "q")), (4, Arrive("c4", "q")), (5, Arrive("c5", "q")),
    ]  # fmt: skip
    assert journal.latest_snapshot() == Snapshot(5, 105.0, {"state": [1, 2]})
    with store.connect() as conn:
        rows = conn.execute(select(events.c.contact_id, events.c.type, events.c.data)).all()
    # The event log follows the journal: each command's events, commands in order.
    assert [r.contact_id for r in rows] == [f"c{n}" for n in range(1, 6) for _ in range(2)]
    assert rows[0].type == "contact.arrived" and rows[0].data == {"n": 1}


def test_a_failed_batch_leaves_nothing_behind_and_the_next_one_is_written(store: Engine) -> None:
    journal = Journal(store)
    journal.write(_batch(1, 2))
    with pytest.raises(IntegrityError):
        journal.write(_batch(3, 1) + _batch(2, 1))  # seq 2 again: the whole batch is refused
    journal.write(_batch(3, 1))
    assert [e.seq for e in journal.after(0)] == [1, 2, 3]
    with store.connect() as conn:
        written = conn.execute(select(events.c.contact_id)).scalars().all()
    assert written == ["c1", "c1", "c2", "c2", "c3", "c3"]
