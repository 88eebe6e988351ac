"""Notifiers: the webhook against a real local HTTP server, and the log notifier."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from callboard.surge.actions import Action, Callout
from callboard.surge.notify import (
    EmailNotifier,
    LogNotifier,
    NotificationFailed,
    WebhookNotifier,
    notifications,
)
from callboard.surge.plan import CallReserve, ReservePerson
from tests.fixtures.ports import free_port
from tests.surge.receivers import WebhookReceiver, smtp_receiver, webhook_receiver

PERSON = ReservePerson("r1", "Ana Ruiz", "+49 30 5550101", 1800.0)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as server:
        yield server


def call_in(undo: bool = False, person: ReservePerson = PERSON) -> Action:
    callout = Callout(person, 1000.0 + 1800.0)
    return Action(7, 1000.0, "heating", 1, CallReserve(1800.0, 1), undo, (callout,))


def test_the_webhook_posts_each_notification_as_json(receiver: WebhookReceiver) -> None:
    notifier = WebhookNotifier(receiver.url)
    for notification in notifications(call_in()):
        notifier.notify(notification)
    (body,) = receiver.received
    assert body["person_id"] == "r1"
    assert body["contact"] == "+49 30 5550101"
    assert body["arrives_at"] == 2800.0
    assert body["stand_down"] is False
    assert "log in to heating by 00:46 UTC" in body["message"]


def test_a_refusing_webhook_is_a_failure(receiver: WebhookReceiver) -> None:
    receiver.status = 500
    notifier = WebhookNotifier(receiver.url)
    with pytest.raises(NotificationFailed, match="answered 500 for r1"):
        notifier.notify(notifications(call_in())[0])


def test_an_unreachable_webhook_is_a_failure(receiver: WebhookReceiver) -> None:
    port = receiver.server_address[1]
    receiver.shutdown()
    receiver.server_close()
    notifier = WebhookNotifier(f"http://127.0.0.1:{port}/hook", timeout_s=2.0)
    with pytest.raises(NotificationFailed, match="webhook"):
        notifier.notify(notifications(call_in())[0])


def test_undoing_a_call_in_tells_people_to_stand_down(caplog: pytest.LogCaptureFixture) -> None:
    (message,) = notifications(call_in(undo=True))
    assert message.stand_down
    with caplog.at_level(logging.INFO, logger="callboard.surge"):
        LogNotifier().notify(message)
    assert "Ana Ruiz (r1) at +49 30 5550101: Stand down" in caplog.text


def test_the_email_notifier_sends_through_a_real_smtp_server() -> None:
    person = ReservePerson("r2", "Ben Okafor", "ben@example.org", 1800.0)
    with smtp_receiver() as (port, mailbox):
        notifier = EmailNotifier("127.0.0.1", port, "surge@callboard.example")
        for notification in notifications(call_in(person=person)):
            notifier.notify(notification)
    ((recipients, message),) = mailbox.messages
    assert recipients == ["ben@example.org"]
    assert message["Subject"] == "Callboard surge: heating tier 1"
    assert message["From"] == "surge@callboard.example"
    assert "log in to heating by 00:46 UTC" in message.get_payload()


def test_email_to_a_phone_number_or_a_dead_server_is_a_failure() -> None:
    notifier = EmailNotifier("127.0.0.1", free_port(), "surge@callboard.example", timeout_s=2.0)
    with pytest.raises(NotificationFailed, match="not an e-mail address"):
        notifier.notify(notifications(call_in())[0])
    person = ReservePerson("r2", "Ben Okafor", "ben@example.org", 1800.0)
    with pytest.raises(NotificationFailed, match=r"smtp 127\.0\.0\.1"):
        notifier.notify(notifications(call_in(person=person))[0])
