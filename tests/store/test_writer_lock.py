"""One writer per store: a second lock on the same store is refused and names the holder;
it is free again once the holder releases it or its session ends."""

from __future__ import annotations

import os
import socket

import pytest
from sqlalchemy import Engine, text

from callboard.store import StoreLocked, writer_lock
from callboard.store.writer_lock import ADVISORY_KEY, AdvisoryLock


def test_a_second_writer_is_refused_with_the_holder_named(store: Engine) -> None:
    first = writer_lock(store, "http://10.0.0.1:8080")
    first.take_or_refuse()
    second = writer_lock(store, "http://10.0.0.2:8080")
    with pytest.raises(StoreLocked) as refused:
        second.take_or_refuse()
    holder = refused.value.holder
    assert holder is not None
    assert (holder.host, holder.pid, holder.address) == (
        socket.gethostname(), os.getpid(), "http://10.0.0.1:8080"
    )  # fmt: skip
    message = str(refused.value)
    assert f"pid {os.getpid()}" in message and "since" in message and "--standby" in message
    first.release()
    second.take_or_refuse()
    assert second.held() and not first.try_take()
    second.release()


@pytest.mark.postgres
def test_a_lost_postgresql_session_loses_the_lock(store: Engine) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("sessions are PostgreSQL's")
    lock = writer_lock(store, "http://127.0.0.1:1")
    assert isinstance(lock, AdvisoryLock) and lock.try_take()
    other = writer_lock(store, "http://127.0.0.1:2")
    with store.connect() as conn:
        pid = conn.execute(
            text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                 "AND (classid::bigint << 32) + objid::bigint = :key"),
            {"key": ADVISORY_KEY},
        ).scalar_one()  # fmt: skip
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    assert not lock.held()
    assert other.try_take()
    assert not lock.try_take()
    other.release()
    lock.release()
