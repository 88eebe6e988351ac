"""One writer per store: the live server holds an exclusive lock for as long as it writes.

Two servers appending to one journal would each replay a history the other
never saw (issue 14's split brain), so `callboard serve` takes this lock
before it recovers the center, and a second one refuses or waits as a standby.

- SQLite: `fcntl.flock` on `<database>.lock` beside the file. The kernel drops
  the lock when the process ends, however it ends, so a `kill -9` frees it.
- PostgreSQL: a session advisory lock on a connection kept for nothing else.
  It ends with the session: when a killed server's socket closes, the
  database releases it at once; for a machine that vanishes, the session's TCP
  keepalives (set below) bound how long it lingers.

Whoever takes the lock records itself in `store_writer` (host, pid, address,
since), so a refusal can name the holder. The row is advisory; the lock is the
truth. Behind both, the journal's `seq` primary key refuses a second writer's
row, so even a writer that lost its lock unawares cannot interleave histories.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, delete, insert, select, text
from sqlalchemy.pool import NullPool

from callboard.errors import CallboardError
from callboard.store.schema import store_writer

# pg_advisory_lock's key: any fixed bigint; advisory locks are per database, so
# stores in different databases of one cluster never share it.
ADVISORY_KEY = 0x43616C6C626F6172  # "Callboar"
# A dead client's session (and its lock) must not outlive a few seconds of silence.
_KEEPALIVES = ("tcp_keepalives_idle = 3", "tcp_keepalives_interval = 1", "tcp_keepalives_count = 3")


@dataclass(frozen=True)
class Holder:
    """The server process that holds (or last held) a store's writer lock."""

    host: str
    pid: int
    address: str
    since: datetime

    def __str__(self) -> str:
        since = self.since.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"pid {self.pid} on {self.host} (serving {self.address}) since {since}"


class StoreLocked(CallboardError):
    """Another server process writes this store."""

    def __init__(self, store: str, holder: Holder | None) -> None:
        who = str(holder) if holder is not None else "another server (not yet recorded)"
        super().__init__(
            f"{store} is already served by {who}; stop that server first, or start this "
            "one with --standby to take over when it stops"
        )
        self.holder = holder


class WriterLock(ABC):
    """An exclusive, process-lifetime lock on one store."""

    def __init__(self, engine: Engine, address: str) -> None:
        self.engine = engine
        self.address = address

    @abstractmethod
    def try_take(self) -> bool:
        """Take the lock if it is free; True when this process holds it afterwards."""

    @abstractmethod
    def held(self) -> bool:
        """Whether this process still holds the lock (a PostgreSQL session can be lost)."""

    @abstractmethod
    def release(self) -> None: ...

    def take_or_refuse(self) -> None:
        """Take the lock now and record this process as its holder, or raise StoreLocked."""
        if not self.try_take():
            raise StoreLocked(self.describe(), self.holder())
        self.record()

    def record(self) -> None:
        """Name this process as the holder (call once the lock is taken)."""
        row = {
            "id": 1,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "address": self.address,
            "since": datetime.now(UTC),
        }
        with self.engine.begin() as conn:
            conn.execute(delete(store_writer))
            conn.execute(insert(store_writer), row)

    def holder(self) -> Holder | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(store_writer)).first()
        if row is None:
            return None
        since = row.since if row.since.tzinfo else row.since.replace(tzinfo=UTC)
        return Holder(row.host, int(row.pid), row.address, since)

    def describe(self) -> str:
        return f"the store {self.engine.url.render_as_string(hide_password=True)}"


class FileLock(WriterLock):
    """SQLite: flock on `<database>.lock`; never lost while the process lives."""

    def __init__(self, engine: Engine, address: str) -> None:
        super().__init__(engine, address)
        database = engine.url.database
        if not database:
            raise ValueError("an in-memory SQLite store has no file to lock")
        self.path = Path(f"{database}.lock")
        self._fd: int | None = None

    def try_take(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def describe(self) -> str:
        return f"the store {self.engine.url.database}"


class AdvisoryLock(WriterLock):
    """PostgreSQL: a session advisory lock on a dedicated, autocommit connection."""

    def __init__(self, engine: Engine, address: str) -> None:
        super().__init__(engine, address)
        # Its own engine without a pool: the lock lives exactly as long as this session.
        self._sessions = create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self._session: Connection | None = None

    def try_take(self) -> bool:
        if self._session is not None and self.held():
            return True
        session = self._sessions.connect()
        try:
            for setting in _KEEPALIVES:
                session.execute(text(f"SET {setting}"))
            query = text("SELECT pg_try_advisory_lock(:key)")
            taken = bool(session.execute(query, {"key": ADVISORY_KEY}).scalar())
        except Exception:
            session.close()
            raise
        if not taken:
            session.close()
            return False
        self._session = session
        return True

    def held(self) -> bool:
        session = self._session
        if session is None:
            return False
        try:
            session.execute(text("SELECT 1"))
        except Exception:
            self._forget()
            return False
        return True

    def release(self) -> None:
        if self._session is not None:
            # If the session is gone, the lock went with it.
            with contextlib.suppress(Exception):
                unlock = text("SELECT pg_advisory_unlock(:key)")
                self._session.execute(unlock, {"key": ADVISORY_KEY})
            self._forget()
        self._sessions.dispose()

    def _forget(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.invalidate()
            session.close()


def writer_lock(engine: Engine, address: str) -> WriterLock:
    """The writer lock for the store behind `engine`; `address` is where this server listens."""
    if engine.dialect.name == "sqlite":
        return FileLock(engine, address)
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine, address)
    raise ValueError(f"no writer lock for a {engine.dialect.name} store")
