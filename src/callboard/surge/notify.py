"""Telling reserve people to come in (or stand down), through a pluggable notifier.

The runner only decides who is called (`Action.callouts`); `notifications`
turns an action into messages, and a `Notifier` delivers them. Delivery is
I/O, so it lives here at the edge and the server calls it, never the runner.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Protocol

import httpx

from callboard.errors import CallboardError
from callboard.surge.actions import Action


class NotificationFailed(CallboardError):
    """A notifier could not deliver; the caller decides whether to retry or escalate."""


@dataclass(frozen=True)
class Notification:
    """One message to one reserve person; `arrives_at` is POSIX seconds."""

    at: float
    person_id: str
    name: str
    contact: str
    queue: str
    tier: int
    arrives_at: float
    stand_down: bool
    message: str

    @property
    def subject(self) -> str:
        """The e-mail subject; kinds of message other than a call-out say their own."""
        return f"Callboard surge: {self.queue} tier {self.tier}"


def notifications(action: Action, min_stay_s: float = 7200.0) -> list[Notification]:
    """The messages an action sends: a call-in, or a stand-down when it is undone. A call-in
    is a commitment (`surge.reserve`), so the stand-down says when the person may leave."""
    result: list[Notification] = []
    for callout in action.callouts:
        person = callout.person
        due = datetime.fromtimestamp(callout.arrives_at, UTC).strftime("%H:%M UTC")
        if action.undo:
            text = (
                f"Stand down: the {action.queue} surge (tier {action.tier}) is over. Your "
                f"call-in stands: you are released {min_stay_s / 60:.0f} minutes after you "
                "came on the line, or now if that has passed."
            )
        else:
            text = f"Please log in to {action.queue} by {due} (surge tier {action.tier})."
        result.append(
            Notification(
                at=action.at,
                person_id=person.person_id,
                name=person.name,
                contact=person.contact,
                queue=action.queue,
                tier=action.tier,
                arrives_at=callout.arrives_at,
                stand_down=action.undo,
                message=text,
            )
        )
    return result


class Notifier(Protocol):
    def notify(self, notification: Notification) -> None:
        """Deliver one message or raise `NotificationFailed`."""


class LogNotifier:
    """Writes each message to a logger: the default, and a record when nothing else is set up."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = logger or logging.getLogger("callboard.surge")

    def notify(self, notification: Notification) -> None:
        self.logger.info(
            "notify %s (%s) at %s: %s",
            notification.name, notification.person_id, notification.contact,
            notification.message,
        )  # fmt: skip


class WebhookNotifier:
    """POSTs each message as JSON to `url`; any non-2xx answer is a failure."""

    def __init__(self, url: str, *, client: httpx.Client | None = None, timeout_s: float = 5.0):
        self.url = url
        self.client = client or httpx.Client(timeout=timeout_s)

    def notify(self, notification: Notification) -> None:
        try:
            response = self.client.post(self.url, json=asdict(notification))
        except httpx.HTTPError as exc:
            raise NotificationFailed(f"webhook {self.url}: {exc}") from exc
        if not response.is_success:
            raise NotificationFailed(
                f"webhook {self.url} answered {response.status_code} for {notification.person_id}"
            )


class EmailNotifier:
    """Sends each message over SMTP to the person's contact, which must be an e-mail address.

    A roster entry with a phone number fails here (`NotificationFailed`)
    rather than being skipped, so the timeline shows who was not reached.
    Plain SMTP, as to a local relay; the relay handles authentication and TLS.
    """

    def __init__(self, host: str, port: int, sender: str, *, timeout_s: float = 10.0) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout_s = timeout_s

    def notify(self, notification: Notification) -> None:
        if "@" not in notification.contact:
            raise NotificationFailed(
                f"{notification.person_id}: {notification.contact!r} is not an e-mail address"
            )
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = notification.contact
        message["Subject"] = notification.subject
        message.set_content(f"{notification.name},\n\n{notification.message}\n")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise NotificationFailed(f"smtp {self.host}:{self.port}: {exc}") from exc
