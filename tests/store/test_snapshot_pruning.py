"""Snapshots older than the newest N are pruned as each new one is written; the newest,
which recovery reads, is always kept."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from callboard.engine import Arrive
from callboard.store.journal import Journal, JournalEntry, Snapshot
from callboard.store.schema import snapshots


def _kept(store: Engine) -> list[int]:
    query = select(snapshots.c.journal_seq).order_by(snapshots.c.id)
    with store.connect() as conn:
        return [int(seq) for seq in conn.execute(query).scalars()]


def test_only_the_newest_snapshots_are_kept(store: Engine) -> None:
    journal = Journal(store, keep_snapshots=3)
    for seq in range(1, 8):
        entry = JournalEntry(seq, float(seq), Arrive(f"c{seq}", "q"))
        journal.write([(entry, [])], Snapshot(seq, float(seq), {"n": seq}))
        assert _kept(store) == list(range(max(1, seq - 2), seq + 1))
    assert journal.latest_snapshot() == Snapshot(7, 7.0, {"n": 7})
    # The journal itself is never pruned.
    assert [e.seq for e in journal.after(0)] == list(range(1, 8))


def test_keeping_one_keeps_the_one_recovery_needs(store: Engine) -> None:
    journal = Journal(store, keep_snapshots=1)
    journal.write([], Snapshot(0, 0.0, {"n": 0}))
    journal.write([], Snapshot(0, 1.0, {"n": 1}))
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(snapshots)).scalar() == 1
    assert journal.latest_snapshot() == Snapshot(0, 1.0, {"n": 1})


def test_keeping_none_is_refused(store: Engine) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Journal(store, keep_snapshots=0)
