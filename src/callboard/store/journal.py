"""Durable commands for the live engine: journal rows, their events, and snapshots.

`record` writes the command and the events it produced in one transaction, so
when it returns the change is acknowledged: after a crash, the latest snapshot
plus the journal rows after it rebuild the same center.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select

from callboard.domain import Event
from callboard.store.event_log import event_row
from callboard.store.schema import events, journal, snapshots


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    at: float
    command: str
    args: dict[str, Any]


class Journal:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(
        self, at: float, command: str, args: dict[str, Any], emitted: Iterable[Event]
    ) -> int:
        rows = [event_row(e) for e in emitted]
        with self.engine.begin() as conn:
            seq = conn.execute(
                insert(journal).returning(journal.c.seq),
                {"at": at, "command": command, "args": args},
            ).scalar_one()
            if rows:
                conn.execute(insert(events), rows)
        return int(seq)

    def after(self, seq: int) -> Iterator[JournalEntry]:
        query = select(journal).where(journal.c.seq > seq).order_by(journal.c.seq)
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                yield JournalEntry(int(row["seq"]), float(row["at"]), row["command"], row["args"])

    def save_snapshot(self, journal_seq: int, taken_at: float, state: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(snapshots),
                {"journal_seq": journal_seq, "taken_at": taken_at, "state": state},
            )

    def latest_snapshot(self) -> tuple[int, dict[str, Any]] | None:
        query = select(snapshots.c.journal_seq, snapshots.c.state).order_by(snapshots.c.id.desc())
        with self.engine.connect() as conn:
            row = conn.execute(query.limit(1)).first()
        return None if row is None else (int(row.journal_seq), row.state)
