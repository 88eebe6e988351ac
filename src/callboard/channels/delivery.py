"""The outbox's sender: every reply still to deliver is tried until it is delivered,
with a growing pause between tries, and given up (logged, kept) after a day.

Transports are named by the outbox row's channel: `smtp` sends a case's stored
e-mail, `webhook:<name>` posts a messenger reply to that bridge's URL. Each try
carries the row's idempotency key (the Message-ID, or the Idempotency-Key
header), so a receiver can tell a retry from a new message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

import httpx

from callboard.channels.smtp import SmtpServer, message_of
from callboard.store import Delivery, MailStore, Outbox

log = logging.getLogger(__name__)
FIRST_PAUSE_S = 5.0
MAX_PAUSE_S = 3600.0
GIVE_UP_AFTER = 30  # tries: about a day with the pauses doubling up to an hour
Transport = Callable[[Delivery], None]


class Undeliverable(Exception):
    """The receiver refused for good (a 4xx other than 408 and 429): trying again is useless."""


def pause(attempts: int) -> float:
    return float(min(FIRST_PAUSE_S * 2 ** max(attempts, 0), MAX_PAUSE_S))


class Deliverer:
    def __init__(self, outbox: Outbox, transports: Mapping[str, Transport],
                 clock: Callable[[], datetime]) -> None:  # fmt: skip
        self.outbox = outbox
        self.transports = dict(transports)
        self.clock = clock

    def run_due(self) -> int:
        """Try every delivery that is due once; how many were delivered."""
        delivered = 0
        for delivery in self.outbox.due(self.clock()):
            transport = self.transports.get(delivery.channel)
            if transport is None:
                continue  # a channel this server was not started with: left for one that is
            try:
                transport(delivery)
            except Undeliverable as exc:
                log.error("outbox %s %s: refused, not retried: %s", delivery.channel,
                          delivery.key, exc)  # fmt: skip
                self.outbox.failed(delivery.id, str(exc), None)
            except Exception as exc:
                tries = delivery.attempts + 1
                retry = None if tries >= GIVE_UP_AFTER else (
                    self.clock() + timedelta(seconds=pause(delivery.attempts)))  # fmt: skip
                log.warning("outbox %s %s: try %d failed: %s", delivery.channel, delivery.key,
                            tries, exc)  # fmt: skip
                self.outbox.failed(delivery.id, str(exc) or type(exc).__name__, retry)
            else:
                self.outbox.delivered(delivery.id, self.clock())
                delivered += 1
        return delivered


def smtp_transport(server: SmtpServer, mail: MailStore) -> Transport:
    def send(delivery: Delivery) -> None:
        row = mail.get(int(delivery.payload["mail_id"]))
        server.send(message_of(row, automatic=row.agent_id is None))
        mail.sent(row.id)

    return send


def webhook_transport(url: str, timeout_s: float = 10.0) -> Transport:
    """POST the payload as JSON with the Idempotency-Key header; a 2xx is delivered."""

    def post(delivery: Delivery) -> None:
        response = httpx.post(url, json=delivery.payload, timeout=timeout_s,
                              headers={"Idempotency-Key": delivery.key})  # fmt: skip
        if response.is_success:
            return
        if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            raise Undeliverable(f"{url} answered {response.status_code}: {response.text[:200]}")
        response.raise_for_status()
        raise RuntimeError(f"{url} answered {response.status_code}")

    return post
