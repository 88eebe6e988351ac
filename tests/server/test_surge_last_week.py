"""`arrivals_10m_last_week` from the store's event log, on SQLite and PostgreSQL: the same
10 minutes 7 days earlier, read once per block of last week rather than once per ask."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event

from callboard.domain import Event, EventType
from callboard.server.surge_live import WEEK_S, ArrivalsLastWeek
from callboard.store.event_log import EventLog
from tests.server.hotline import T0, Hotline, call

NOW = T0.timestamp()
WEEK_AGO = NOW - WEEK_S


def arrivals(queue: str, *times: float) -> list[Event]:
    return [Event(EventType.CONTACT_ARRIVED, t, f"{queue}-{t}", None, queue) for t in times]


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs meanwhile."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_arrivals_in_the_same_ten_minutes_last_week_are_read_once_per_block(
    store: Engine,
) -> None:
    log = EventLog(store)
    log.append(arrivals("heating", WEEK_AGO - 900, WEEK_AGO - 600, WEEK_AGO - 599, WEEK_AGO - 1))
    log.append(arrivals("heating", WEEK_AGO, WEEK_AGO + 1, WEEK_AGO + 50))
    log.append(arrivals("billing", WEEK_AGO - 300))
    log.append([Event(EventType.CONTACT_QUEUED, WEEK_AGO - 5, "q", None, "heating")])
    last_week = ArrivalsLastWeek(EventLog(store))
    with statements(store) as seen:
        # (week ago - 600, week ago]: the one exactly 10 minutes older is out, as in arrivals_10m.
        assert last_week("heating", NOW) == 3.0
        assert last_week("billing", NOW) == 1.0
        assert last_week("sales", NOW) == 0.0
        assert last_week("heating", NOW + 60) == 4.0  # the window moved a minute
        assert last_week("heating", NOW + 3000) == 0.0
    assert last_week.reads == 1 and len(seen) == 2  # the log's first event, one range
    assert last_week("heating", NOW + 3601) == 0.0  # past the block: the next one is read
    assert last_week.reads == 2


def test_no_value_while_the_log_does_not_reach_back_a_week(store: Engine) -> None:
    last_week = ArrivalsLastWeek(EventLog(store))
    assert last_week("heating", NOW) is None  # an empty log
    EventLog(store).append(arrivals("heating", WEEK_AGO - 599, WEEK_AGO - 100))
    assert last_week("heating", NOW) is None  # the window starts before the log
    assert last_week("heating", NOW + 1) == 1.0  # (week ago - 599, week ago + 1]
    assert last_week.reads == 1


def test_the_live_status_shows_last_weeks_arrivals(hotline_db: Hotline) -> None:
    EventLog(hotline_db.engine).append(
        arrivals("heating", WEEK_AGO - 3600, WEEK_AGO - 60, WEEK_AGO - 30)
    )
    with hotline_db.serve() as url:
        hotline_db.url = url
        call(hotline_db, "heating")
        heating, billing = hotline_db.as_("ann").get("/api/v1/surge").json()["queues"]
        assert heating["figures"]["arrivals_10m_last_week"] == 2.0
        assert heating["figures"]["arrivals_10m"] == 1.0
        assert billing["figures"]["arrivals_10m_last_week"] == 0.0


def test_the_servers_own_arrivals_count_a_week_later(hotline_db: Hotline) -> None:
    """Through the journal's event rows, across a restart a week on."""
    with hotline_db.serve() as url:
        hotline_db.url = url
        sue = hotline_db.as_("sue")
        added = sue.post("/api/v1/agents", json={"agent_id": "ann", "skills": {"heating": 1}})
        assert added.status_code == 201, added.text
        assert sue.post("/api/v1/agents/ann/login", json={}).status_code == 200  # the log's start
        hotline_db.time.now += timedelta(seconds=1)
        call(hotline_db, "heating")
        call(hotline_db, "heating")
    hotline_db.time.now += timedelta(days=7, seconds=599)  # (T0, T0 + 600] a week ago
    with hotline_db.serve() as url:
        hotline_db.url = url
        heating, _ = hotline_db.as_("ann").get("/api/v1/surge").json()["queues"]
        assert heating["figures"]["arrivals_10m_last_week"] == 2.0
        assert heating["figures"]["arrivals_10m"] == 0.0
