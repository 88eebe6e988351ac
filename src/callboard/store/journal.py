"""Durable commands for the live engine: journal rows, their events, and snapshots.

`write` stores a batch of commands, the events each produced and, optionally,
a snapshot, in one transaction: when it returns, the whole batch is durable.
The live center commits many commands this way with one fsync (group commit);
after a crash, the latest snapshot plus the journal rows after it rebuild the
same center.

The live center numbers commands itself (`seq`), so it knows an entry's place
before the row is written, and a snapshot names the last command it includes.
Rows hold the engine's command records in their journal form
(`callboard.engine.commands`, format 2; docs/journal.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, Table, bindparam, delete, insert, select
from sqlalchemy.exc import DBAPIError

from callboard.domain import Event
from callboard.engine import COMMAND_FORMAT, Arrive, Command, parse_command
from callboard.errors import BadInput
from callboard.records import ARRIVAL_TAGS
from callboard.store.event_log import event_row
from callboard.store.schema import events, journal, snapshots

# Snapshots kept by default: the newest is what recovery needs; older ones are a
# margin for an operator (58 unpruned snapshots once took 85 MB of a 118 MB store).
KEEP_SNAPSHOTS = 3


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """Command `seq`, applied at `at` (POSIX seconds)."""

    seq: int
    at: float
    command: Command


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The engine's whole state after command `journal_seq`."""

    journal_seq: int
    taken_at: float
    state: dict[str, Any]


class _RowInsert:
    """A table's INSERT, compiled once for the store's driver and run as one
    driver-level `executemany` inside the caller's transaction.

    The journal's writer stores thousands of rows a second from one thread, and
    SQLAlchemy's per-statement and per-row work would cost more than the
    database does; rows arrive with their JSON columns already serialised.
    """

    def __init__(self, table: Table, columns: Sequence[str], dialect: Dialect) -> None:
        compiled = insert(table).values({c: bindparam(c) for c in columns}).compile(dialect=dialect)
        self.sql = str(compiled)
        self.keys = compiled.positiontup if compiled.positional else None

    def run(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        keys = self.keys
        params = rows if keys is None else [tuple(row[k] for k in keys) for row in rows]
        conn.exec_driver_sql(self.sql, params)


class Journal:
    """Reads from the pool; writes go through one connection kept open, since
    `write` runs hundreds of times a second from one thread and a pool checkout
    costs a round trip (PostgreSQL's pre-ping) each time. `write` must not run
    in two threads at once."""

    def __init__(self, engine: Engine, *, keep_snapshots: int = KEEP_SNAPSHOTS) -> None:
        if keep_snapshots < 1:
            raise ValueError(
                f"keep_snapshots must be at least 1 (recovery needs one), not {keep_snapshots}"
            )
        self.engine = engine
        self.keep_snapshots = keep_snapshots
        self._writer: Connection | None = None
        dialect = engine.dialect
        self._commands = _RowInsert(journal, ("seq", "at", "command", "args", "format"), dialect)
        self._events = _RowInsert(
            events, ("type", "at", "contact_id", "agent_id", "queue", "data"), dialect
        )

    def write(
        self,
        entries: Sequence[tuple[JournalEntry, Sequence[Event]]],
        snapshot: Snapshot | None = None,
    ) -> None:
        """Store commands in `seq` order with their events, and the snapshot, in one transaction.

        Event rows go in command order, so the event log's `seq` follows the journal's.
        """
        dumps = json.dumps
        rows_of_commands = [
            {"seq": e.seq, "at": e.at, "command": e.command.name,
             "args": dumps(e.command.to_data()), "format": COMMAND_FORMAT}
            for e, _ in entries
        ]  # fmt: skip
        rows = [_tagged(event_row(event), e.command) for e, emitted in entries for event in emitted]
        for row in rows:
            row["data"] = dumps(row["data"])
        for retry in (True, False):
            if self._writer is None:
                self._writer = self.engine.connect()
            conn = self._writer
            try:
                self._write(conn, rows_of_commands, rows, snapshot)
                return
            except Exception as exc:
                # The connection may be broken: drop it, so the next write starts afresh.
                self._writer = None
                conn.invalidate()
                conn.close()
                # A connection that went stale while idle (a database restart) is worth
                # one more try; if the first commit did land, the journal's primary
                # key refuses the copy and the whole retry rolls back.
                if not (retry and isinstance(exc, DBAPIError) and exc.connection_invalidated):
                    raise

    def _write(
        self,
        conn: Connection,
        commands: list[dict[str, Any]],
        rows: list[dict[str, Any]],
        snapshot: Snapshot | None,
    ) -> None:
        with conn.begin():
            if commands:
                self._commands.run(conn, commands)
            if rows:
                self._events.run(conn, rows)
            if snapshot is not None:
                conn.execute(
                    insert(snapshots),
                    {"journal_seq": snapshot.journal_seq, "taken_at": snapshot.taken_at,
                     "state": snapshot.state},
                )  # fmt: skip
                self._prune(conn)

    def _prune(self, conn: Connection) -> None:
        """Delete all but the newest `keep_snapshots` snapshots, in the transaction that
        wrote the newest: recovery reads only the latest, so it is never among them.
        Journal rows stay (the widget reads ended contacts' arrivals from them)."""
        newest_kept = (
            select(snapshots.c.id).order_by(snapshots.c.id.desc())
            .offset(self.keep_snapshots - 1).limit(1).scalar_subquery()
        )  # fmt: skip
        conn.execute(delete(snapshots).where(snapshots.c.id < newest_kept))

    def after(self, seq: int) -> Iterator[JournalEntry]:
        query = select(journal).where(journal.c.seq > seq).order_by(journal.c.seq)
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                seq = int(row["seq"])
                if row["format"] != COMMAND_FORMAT:
                    raise BadInput(
                        f"journal row {seq} is in format {row['format']}, not "
                        f"{COMMAND_FORMAT}; open the store with this version to migrate it"
                    )
                command = parse_command(row["command"], row["args"])
                yield JournalEntry(seq, float(row["at"]), command)

    def arrival_args(self, contact_id: str, at: float) -> dict[str, Any] | None:
        """The `arrive` command that created a contact, found by its arrival time (the
        journal is indexed on `at`): what a finished contact was created with."""
        query = select(journal.c.args).where(
            journal.c.at == at,
            journal.c.command == "arrive",
            journal.c.args["contact_id"].as_string() == contact_id,
        )
        with self.engine.connect() as conn:
            args = conn.execute(query.limit(1)).scalar()
        return None if args is None else dict(args)

    def latest_snapshot(self) -> Snapshot | None:
        query = select(snapshots).order_by(snapshots.c.id.desc()).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else Snapshot(int(row.journal_seq), row.taken_at, row.state)


def _tagged(row: dict[str, Any], command: Command) -> dict[str, Any]:
    """An arrival's row with the region and category its `Arrive` gave, which the
    engine's event leaves out, so the records folded from the log keep them."""
    if row["type"] == "contact.arrived" and type(command) is Arrive and command.attributes:
        tags = {key: command.attributes[key] for key in ARRIVAL_TAGS if key in command.attributes}
        if tags:
            row["data"] = {**row["data"], **tags}
    return row
