"""Journals written before command formats were numbered are rewritten, not lost.

A store holding format-1 rows (defaults left out, an agent's display name
under `name`) is migrated to format 2, replays to the same center as the
same commands applied by hand, and can be taken back down to format 1.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, create_engine, select, text

from callboard.engine import Accept, AddAgent, Arrive, Center, Complete, Login, QueueSpec
from callboard.store.journal import Journal
from callboard.store.migrate import downgrade, upgrade
from callboard.store.schema import journal

# What a server before format 2 journaled: an agent added and logged in, one call.
FORMAT_1: list[tuple[str, dict[str, Any]]] = [
    ("add_agent", {"agent_id": "ann", "name": "Ann", "skills": {"q": 1}}),
    ("login", {"agent_id": "ann"}),
    ("arrive", {"contact_id": "c1", "queue": "q", "caller": "+100"}),
    ("accept", {"agent_id": "ann", "contact_id": "c1"}),
    ("complete", {"agent_id": "ann", "contact_id": "c1"}),
]
FORMAT_2 = [
    AddAgent("ann", "Ann", {"q": 1}),
    Login("ann", ready=True),
    Arrive("c1", "q", caller="+100"),
    Accept("ann", "c1"),
    Complete("ann", "c1", acw_s=None),
]


def _store_at_0006(url: str) -> Engine:
    engine = create_engine(url)
    upgrade(engine, "0006")
    insert = text("INSERT INTO journal (seq, at, command, args) VALUES (:seq, :at, :c, :a)")
    with engine.begin() as conn:
        for seq, (command, args) in enumerate(FORMAT_1, start=1):
            row = {"seq": seq, "at": float(seq), "c": command, "a": json.dumps(args)}
            conn.execute(insert, row)
    return engine


def test_format_1_rows_become_the_same_commands_in_format_2(store_url: str) -> None:
    engine = _store_at_0006(store_url)
    upgrade(engine)
    entries = list(Journal(engine).after(0))
    assert [e.command for e in entries] == FORMAT_2
    assert [e.at for e in entries] == [1.0, 2.0, 3.0, 4.0, 5.0]

    replayed = Center([QueueSpec("q")])
    for entry in entries:
        replayed.apply(entry.at, entry.command)
    by_hand = Center([QueueSpec("q")])
    for at, command in enumerate(FORMAT_2, start=1):
        by_hand.apply(float(at), command)
    assert replayed.snapshot() == by_hand.snapshot()
    assert replayed.agent_view("ann")["state"] == "ready"
    engine.dispose()


def test_downgrade_gives_back_format_1_rows(store_url: str) -> None:
    engine = _store_at_0006(store_url)
    upgrade(engine)
    downgrade(engine, "0006")
    with engine.connect() as conn:
        rows = conn.execute(select(journal.c.command, text("args"))).all()
    added = json.loads(rows[0][1]) if isinstance(rows[0][1], str) else rows[0][1]
    assert added["name"] == "Ann" and "agent_name" not in added
    engine.dispose()
