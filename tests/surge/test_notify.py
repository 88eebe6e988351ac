"""Notifiers: the webhook against a real local HTTP server, and the log notifier."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from callboard.surge.actions import Action, Callout
from callboard.surge.notify import (
    LogNotifier,
    NotificationFailed,
    WebhookNotifier,
    notifications,
)
from callboard.surge.plan import CallReserve, ReservePerson

PERSON = ReservePerson("r1", "Ana Ruiz", "+49 30 5550101", 1800.0)


class _Receiver(HTTPServer):
    received: list[Any]
    status: int


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(json.loads(body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver(("127.0.0.1", 0), _Handler)
    server.received = []
    server.status = 204
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def call_in(undo: bool = False) -> Action:
    callout = Callout(PERSON, 1000.0 + 1800.0)
    return Action(7, 1000.0, "heating", 1, CallReserve(1800.0, 1), undo, (callout,))


def test_the_webhook_posts_each_notification_as_json(receiver: _Receiver) -> None:
    url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    notifier = WebhookNotifier(url)
    for notification in notifications(call_in()):
        notifier.notify(notification)
    (body,) = receiver.received
    assert body["person_id"] == "r1"
    assert body["contact"] == "+49 30 5550101"
    assert body["arrives_at"] == 2800.0
    assert body["stand_down"] is False
    assert "log in to heating by 00:46 UTC" in body["message"]


def test_a_refusing_webhook_is_a_failure(receiver: _Receiver) -> None:
    receiver.status = 500
    notifier = WebhookNotifier(f"http://127.0.0.1:{receiver.server_address[1]}/hook")
    with pytest.raises(NotificationFailed, match="answered 500 for r1"):
        notifier.notify(notifications(call_in())[0])


def test_an_unreachable_webhook_is_a_failure(receiver: _Receiver) -> None:
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
