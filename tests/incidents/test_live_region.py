"""A live contact's region and category survive the journal into the folded records, on
SQLite and PostgreSQL: the engine's arrival event carries neither, so the journal
copies them from the `Arrive` command."""

from __future__ import annotations

from sqlalchemy import Engine

from callboard.domain import EventType
from callboard.engine import Abandon, Arrive, Center, QueueSpec
from callboard.records import ContactFold
from callboard.store import EventLog
from callboard.store.journal import Journal, JournalEntry


def test_region_and_category_reach_the_live_records(store: Engine) -> None:
    center = Center([QueueSpec("help", announce=None)], start=0.0, record_events=True)
    attributes = {"region": "north", "category": "outage", "note": "kept out of the log"}
    arrive = Arrive("c1", "help", 0, None, attributes)
    output = center.apply(10.0, arrive)
    assert any(e.type is EventType.CONTACT_ARRIVED for e in output.events)
    gone = center.apply(40.0, Abandon("c1"))
    Journal(store).write([(JournalEntry(1, 10.0, arrive), output.events),
                          (JournalEntry(2, 40.0, Abandon("c1")), gone.events)])  # fmt: skip
    fold = ContactFold({"help": "call"})
    for _, event in EventLog(store).contact_events(0, 0.0, 100):
        fold.feed(event)
    (record,) = fold.take_ended()
    assert record.region == "north"
    assert record.attributes == {"category": "outage"}
