"""The SLA clock's steps against a real store (SQLite and PostgreSQL), with failures put in
where a running server meets them: a store error halfway through firing, a notifier down."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest

from callboard.cases import SlaPolicies, SlaPolicy, parse_target
from callboard.server import sla_clock
from callboard.server.sla_clock import SlaClock
from callboard.store import CaseStore, Escalation, open_store
from callboard.surge import Notification, NotificationFailed
from tests.server.hotline import T0, FakeTime

POLICIES = SlaPolicies(default=SlaPolicy("default", parse_target("10m"), parse_target("1h")))


class Recorder:
    """A notifier that keeps what it was told; `failures` tries fail first."""

    def __init__(self, failures: int = 0) -> None:
        self.told: list[Notification] = []
        self.failures = failures

    def notify(self, notification: Notification) -> None:
        if self.failures:
            self.failures -= 1
            raise NotificationFailed("the receiver is down")
        self.told.append(notification)


@pytest.fixture
def cases(store_url: str) -> Iterator[CaseStore]:
    engine = open_store(store_url)
    yield CaseStore(engine, POLICIES)
    engine.dispose()


def actions(store: CaseStore, number: int) -> list[str]:
    return [h["action"] for h in store.history(number)]


def test_a_store_error_halfway_through_firing_loses_and_doubles_nothing(
    cases: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    time, recorder = FakeTime(), Recorder()
    clock = SlaClock(cases, time, [recorder])
    first, second = (cases.open(at=T0, actor="sue")["id"] for _ in range(2))
    assert clock.step() == T0 + timedelta(minutes=10)
    time.now = T0 + timedelta(minutes=11)
    escalate = cases.escalate_due

    def fails_after_one(now: datetime, *, ids: Sequence[int], **rest: Any) -> list[Escalation]:
        escalate(now, ids=ids[:1], **rest)  # committed, then the connection drops
        raise ConnectionError("the store went away")

    monkeypatch.setattr(cases, "escalate_due", fails_after_one)
    with pytest.raises(ConnectionError):
        clock.step()
    monkeypatch.setattr(cases, "escalate_due", escalate)
    clock.step()
    clock.deliver()
    assert sorted(n.message.split(":")[0] for n in recorder.told) == [
        f"Case {first}",
        f"Case {second}",
    ]
    for number in (first, second):
        assert actions(cases, number).count("escalated") == 1
        assert actions(cases, number).count("notified") == 2  # the log and the recorder
    clock.step()
    clock.deliver()
    assert len(recorder.told) == 2


def test_a_notifier_that_is_down_is_tried_again_and_told_once(
    cases: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sla_clock, "RETRY_S", (0.0,))
    time, recorder = FakeTime(), Recorder(failures=2)
    clock = SlaClock(cases, time, [recorder])
    number = cases.open(at=T0, actor="sue")["id"]
    clock.step()
    time.now = T0 + timedelta(minutes=11)
    clock.step()
    for _ in range(3):
        clock.deliver()
    assert len(recorder.told) == 1
    history = cases.history(number)
    failed = [h["changes"] for h in history if h["action"] == "notify_failed"]
    assert failed == [
        {"target": "first_response", "channel": "Recorder", "error": "the receiver is down"}
    ]
    assert [h["changes"]["channel"] for h in history if h["action"] == "notified"] == [
        "log",
        "Recorder",
    ]


def test_a_written_case_is_seen_at_the_next_step_and_a_response_stops_its_clock(
    cases: CaseStore,
) -> None:
    time = FakeTime()
    clock = SlaClock(cases, time)
    assert clock.step() is None
    number = cases.open(at=T0, actor="sue")["id"]
    assert clock.step() == T0 + timedelta(minutes=10)
    cases.respond(number, at=T0 + timedelta(minutes=5), actor="sue", message="on it")
    assert clock.step() == T0 + timedelta(hours=1)  # only the resolution is left
    time.now = T0 + timedelta(hours=2)
    assert clock.step() is None
    assert actions(cases, number) == ["opened", "responded", "escalated"]
    assert clock.soon_due(time.now, timedelta(hours=1)) == []
