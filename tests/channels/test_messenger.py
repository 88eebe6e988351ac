"""A messenger bridge on the live server: its conversations become chat contacts, and the
agent's replies reach a real local HTTP receiver through the outbox, retried with the
same idempotency key until the receiver takes them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx

from tests.channels.conftest import Desk


class Bridge(HTTPServer):
    """Records each delivery with its Idempotency-Key; answers the statuses queued first."""

    received: list[tuple[str, dict[str, Any], int]]
    answers: list[int]


class _Handler(BaseHTTPRequestHandler):
    server: Bridge

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status = self.server.answers.pop(0) if self.server.answers else 200
        self.server.received.append((self.headers["Idempotency-Key"], body, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@contextmanager
def bridge_at(desk: Desk) -> Iterator[Bridge]:
    """The receiver, listening where the desk's messenger webhook points."""
    port = int(desk.bridge.url.rsplit(":", 1)[1].split("/")[0])
    desk.bridge.shutdown()
    desk.bridge.server_close()
    server = Bridge(("127.0.0.1", port), _Handler)
    server.received, server.answers = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def wait_for(check, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 30
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def post(client: httpx.Client, **body: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/channels/telegram/messages", json=body)
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_a_conversation_is_one_chat_contact_and_replies_reach_the_bridge(desk: Desk) -> None:
    pbx = desk.site.as_("pbx")  # the integration role, as a bridge signs in
    first = post(pbx, conversation="tg:4711", text="My radiator is cold", sender_name="Olena",
                 message_id="tg-1")  # fmt: skip
    again = post(pbx, conversation="tg:4711", text="My radiator is cold", message_id="tg-1")
    second = post(pbx, conversation="tg:4711", text="Flat 4", message_id="tg-2")
    other = post(pbx, conversation="tg:9000", text="Hello", message_id="tg-3")
    assert first["new_contact"] and not second["new_contact"] and other["new_contact"]
    assert again == {**first, "new_contact": False, "duplicate": True}
    assert first["contact_id"] == second["contact_id"] != other["contact_id"]

    ann = desk.site.as_("ann")
    assert ann.post("/api/v1/agents/ann/login", json={"ready": True}).status_code == 200
    contact_id = first["contact_id"]
    assert ann.post(f"/api/v1/agents/ann/offers/{contact_id}/accept").status_code == 200
    history = ann.get(f"/api/v1/contacts/{contact_id}/messages").json()["messages"]
    assert [m["body"] for m in history] == ["My radiator is cold", "Flat 4"]

    with bridge_at(desk) as bridge:
        bridge.answers = [503]  # the bridge is down for the first try
        sent = ann.post(f"/api/v1/contacts/{contact_id}/messages",
                        json={"body": "An engineer is on the way."})  # fmt: skip
        assert sent.status_code == 201, sent.text
        wait_for(lambda: len(bridge.received) == 1, "the first try")
        desk.site.time.now += timedelta(minutes=1)  # past the retry's pause
        wait_for(lambda: len(bridge.received) == 2, "the retry")
    (key1, body1, status1), (key2, body2, status2) = bridge.received
    assert (status1, status2) == (503, 200)
    assert key1 == key2 and body1 == body2  # the same idempotency key on every try
    assert body1["conversation"] == "tg:4711" and body1["channel"] == "telegram"
    assert body1["message"]["body"] == "An engineer is on the way."


def test_unknown_channels_and_bad_posts_are_refused_in_the_error_shape(desk: Desk) -> None:
    pbx = desk.site.as_("pbx")
    unknown = pbx.post("/api/v1/channels/viber/messages", json={"conversation": "1", "text": "x"})
    assert unknown.status_code == 404 and "configured: telegram" in unknown.json()["error"]
    empty = pbx.post("/api/v1/channels/telegram/messages", json={"conversation": "1", "text": ""})
    assert empty.status_code == 422 and empty.json()["ok"] is False
    agent = desk.site.as_("ann").post(
        "/api/v1/channels/telegram/messages", json={"conversation": "1", "text": "x"}
    )
    assert agent.status_code == 403
