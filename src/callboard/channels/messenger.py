"""Messenger bridges (a Telegram bot, a WhatsApp Business webhook, ...): each
conversation id becomes a chat contact, and agents' replies go back through the
bridge's webhook (docs/channels.md).

    serve --messenger NAME:QUEUE:WEBHOOK_URL

`NAME` is the channel in `POST /api/v1/channels/NAME/messages`; `QUEUE` the
queue its conversations join (a chat queue); `WEBHOOK_URL` receives replies.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime

from callboard.channels.intake import LiveContacts
from callboard.domain import Channel
from callboard.errors import BadInput
from callboard.store import Conversations, Outbox

NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Messenger:
    name: str
    queue: str
    webhook: str

    @property
    def outbox_channel(self) -> str:
        return f"webhook:{self.name}"


def messenger_from_option(text: str, what: str = "--messenger") -> Messenger:
    name, _, rest = text.partition(":")
    queue, _, webhook = rest.partition(":")
    if not NAME.match(name) or not queue or not webhook.startswith(("http://", "https://")):
        raise BadInput(f"{what} {text!r}: expected NAME:QUEUE:WEBHOOK_URL, such as "
                       "telegram:support:https://bridge.example.org/replies "
                       "(NAME lower-case letters, digits, - and _)")  # fmt: skip
    return Messenger(name, queue, webhook)


@dataclass(frozen=True)
class Inbound:
    contact_id: str
    message_id: int  # the chat message's id
    new_contact: bool
    duplicate: bool


class MessengerDesk:
    """Inbound messages into chat contacts, and agents' replies into the outbox."""

    def __init__(self, messengers: dict[str, Messenger], conversations: Conversations,
                 outbox: Outbox, center: LiveContacts) -> None:  # fmt: skip
        self.messengers = messengers
        self.conversations = conversations
        self.outbox = outbox
        self.center = center
        # Two first messages of one conversation at once must not open two contacts.
        self._lock = threading.Lock()

    def receive(
        self, messenger: Messenger, conversation: str, text: str, *, sender_name: str | None,
        message_id: str | None, at: datetime,
    ) -> Inbound:  # fmt: skip
        """Write a customer's message into the conversation's open chat contact, opening
        one (the contact joins the messenger's queue) when none is in the center."""
        if message_id is not None:
            seen = self.conversations.seen(messenger.name, message_id)
            if seen is not None:
                return Inbound(seen[0], seen[1], False, True)
        with self._lock:
            contact_id, new = self._contact(messenger, conversation, sender_name, at)
        chat_id = self.conversations.post(messenger.name, message_id, contact_id, text, at)
        return Inbound(contact_id, chat_id, new, False)

    def _contact(
        self, messenger: Messenger, conversation: str, sender_name: str | None, at: datetime
    ) -> tuple[str, bool]:
        newest = self.conversations.newest_contact(messenger.name, conversation)
        if newest is not None and self.center.in_center(newest):
            return newest, False
        if newest is not None and not self.center.arrived(newest):
            contact_id = newest  # linked, then a crash before it joined the queue
        else:
            contact_id = uuid.uuid4().hex
            # Linked before it arrives: a crash between leaves a link the next message
            # finds unarrived (above), never a contact no conversation knows.
            self.conversations.link(messenger.name, conversation, contact_id, at)
        attributes = {"channel": Channel.CHAT.value, "source": messenger.name,
                      "conversation": conversation[:200]}  # fmt: skip
        if sender_name:
            attributes["name"] = sender_name[:100]
        self.center.arrive(contact_id, messenger.queue, conversation[:128], attributes)
        return contact_id, True

    def relay(self, contact_id: str, message: dict[str, object], at: datetime) -> bool:
        """Queue an agent's chat message for the bridge, if the contact came from one."""
        found = self.conversations.of_contact(contact_id)
        if found is None or found[0] not in self.messengers:
            return False
        messenger = self.messengers[found[0]]
        payload = {"channel": messenger.name, "conversation": found[1], "contact_id": contact_id,
                   "message": message}  # fmt: skip
        key = f"{messenger.name}:{contact_id}:{message['id']}"
        self.outbox.add(messenger.outbox_channel, key, payload, at)
        return True
