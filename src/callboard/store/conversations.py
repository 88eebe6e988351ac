"""Messenger conversations and the chat contacts they became.

A conversation id (a Telegram chat, a WhatsApp number) maps to its contacts, one
at a time: the newest one takes the next message while it is in the center, and
a message after it ended starts another. A bridge's own message id is kept, so a
bridge that retries a post whose answer it lost does not write the message twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from callboard.store.chat import ChatStore
from callboard.store.schema import channel_conversations, channel_inbound
from callboard.store.times import utc


class Conversations:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def newest_contact(self, channel: str, conversation: str) -> str | None:
        query = (
            select(channel_conversations.c.contact_id)
            .where(channel_conversations.c.channel == channel,
                   channel_conversations.c.conversation == conversation)
            .order_by(channel_conversations.c.id.desc())
            .limit(1)
        )  # fmt: skip
        with self.engine.connect() as conn:
            found = conn.execute(query).scalar()
        return None if found is None else str(found)

    def link(self, channel: str, conversation: str, contact_id: str, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(channel_conversations), {
                "channel": channel, "conversation": conversation, "contact_id": contact_id,
                "opened_at": utc(at),
            })  # fmt: skip

    def of_contact(self, contact_id: str) -> tuple[str, str] | None:
        """The (channel, conversation) a contact came from; None for any other contact."""
        query = select(channel_conversations.c.channel, channel_conversations.c.conversation)
        with self.engine.connect() as conn:
            row = conn.execute(
                query.where(channel_conversations.c.contact_id == contact_id)
            ).first()  # fmt: skip
        return None if row is None else (str(row[0]), str(row[1]))

    def seen(self, channel: str, message_id: str) -> tuple[str, int] | None:
        """The contact and chat message an inbound message already became, if it did."""
        query = select(channel_inbound.c.contact_id, channel_inbound.c.chat_message_id).where(
            channel_inbound.c.channel == channel, channel_inbound.c.message_id == message_id
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (str(row[0]), int(row[1]))

    def post(
        self, channel: str, message_id: str | None, contact_id: str, body: str, at: datetime
    ) -> int:
        """Write the caller's message, and its bridge id in the same transaction; the chat
        message's id. A concurrent retry of the same id loses the race and gets the first."""
        if message_id is None:
            return int(ChatStore(self.engine).post(contact_id, sender="caller", body=body,
                                                   at=at)["id"])  # fmt: skip
        try:
            with self.engine.begin() as conn:
                chat_id = ChatStore.post_in(conn, contact_id, sender="caller", body=body, at=at)
                conn.execute(insert(channel_inbound), {
                    "channel": channel, "message_id": message_id, "contact_id": contact_id,
                    "chat_message_id": chat_id,
                })  # fmt: skip
        except IntegrityError:
            found = self.seen(channel, message_id)
            if found is None:
                raise
            return found[1]
        return chat_id
