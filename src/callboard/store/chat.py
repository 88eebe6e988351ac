"""Chat messages of one contact, caller and agent, in the order they were written.

Readers poll with the id of the last message they have: ids only grow, so
"after id" never misses or repeats one, whatever the clocks say.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, insert, select

from callboard.store.schema import chat_messages
from callboard.store.times import aware, utc

Sender = Literal["caller", "agent"]
# One poll returns at most this many; the reader asks again after the last.
PAGE = 200


class ChatStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def post(
        self, contact_id: str, *, sender: Sender, body: str, at: datetime,
        agent_id: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Store a message and return it; committed before this returns."""
        row = _new(contact_id, sender, body, at, agent_id)
        with self.engine.begin() as conn:
            message_id = conn.execute(insert(chat_messages).returning(chat_messages.c.id), row)
            return _as_dict({**row, "id": message_id.scalar_one()})

    @staticmethod
    def post_in(
        conn: Connection, contact_id: str, *, sender: Sender, body: str, at: datetime
    ) -> int:
        """Store a message inside the caller's transaction (with what must commit with it);
        its id."""
        row = _new(contact_id, sender, body, at, None)
        return int(conn.execute(insert(chat_messages).returning(chat_messages.c.id), row)
                   .scalar_one())  # fmt: skip

    def after(self, contact_id: str, after_id: int = 0) -> list[dict[str, Any]]:
        """The contact's messages with ids above `after_id`, oldest first."""
        query = (
            select(chat_messages)
            .where(chat_messages.c.contact_id == contact_id, chat_messages.c.id > after_id)
            .order_by(chat_messages.c.id)
            .limit(PAGE)
        )
        with self.engine.connect() as conn:
            return [_as_dict(dict(row)) for row in conn.execute(query).mappings()]


def _new(
    contact_id: str, sender: Sender, body: str, at: datetime, agent_id: str | None
) -> dict[str, Any]:
    return {"contact_id": contact_id, "at": utc(at), "sender": sender, "agent_id": agent_id,
            "body": body}  # fmt: skip


def _as_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"], "contact_id": row["contact_id"], "at": aware(row["at"]).isoformat(),
        "sender": row["sender"], "agent_id": row["agent_id"], "body": row["body"],
    }  # fmt: skip
