"""Replies still to deliver: an SMTP reply, a messenger webhook call.

A reply is written here in the transaction that records it, and tried until it
is delivered, so an answer the API acknowledged survives a crash and a
receiver that is down for a while. Every try carries the row's `key`, the
idempotency key (an e-mail's Message-ID, a webhook's Idempotency-Key header),
so a receiver that got a try whose answer was lost can tell the retry apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from callboard.store.schema import outbox
from callboard.store.times import aware, utc


@dataclass(frozen=True)
class Delivery:
    """One reply to deliver: which channel carries it, its idempotency key and payload."""

    id: int
    channel: str
    key: str
    payload: dict[str, Any]
    attempts: int


class Outbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_in(
        self, conn: Connection, channel: str, key: str, payload: Mapping[str, Any], at: datetime
    ) -> int:
        """Queue a delivery inside the caller's transaction; due at once."""
        row = {"channel": channel, "key": key, "payload": dict(payload), "created_at": utc(at),
               "attempts": 0, "next_at": utc(at)}  # fmt: skip
        return int(conn.execute(insert(outbox).returning(outbox.c.id), row).scalar_one())

    def add(self, channel: str, key: str, payload: Mapping[str, Any], at: datetime) -> int:
        with self.engine.begin() as conn:
            return self.add_in(conn, channel, key, payload, at)

    def due(self, now: datetime, limit: int = 50) -> list[Delivery]:
        """Deliveries whose next try is due, oldest first."""
        query = (
            select(outbox)
            .where(outbox.c.next_at.is_not(None), outbox.c.next_at <= utc(now))
            .order_by(outbox.c.next_at, outbox.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query).mappings())
        return [
            Delivery(int(r["id"]), r["channel"], r["key"], dict(r["payload"]), int(r["attempts"]))
            for r in rows
        ]

    def delivered(self, delivery_id: int, at: datetime) -> None:
        self._set(delivery_id, delivered_at=utc(at), next_at=None, last_error=None)

    def failed(self, delivery_id: int, error: str, next_at: datetime | None) -> None:
        """A failed try; `next_at` None gives up (the error stays for an operator)."""
        retry = None if next_at is None else utc(next_at)
        self._set(delivery_id, next_at=retry, last_error=error[:2000])

    def get(self, delivery_id: int) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(select(outbox).where(outbox.c.id == delivery_id)).mappings().one()
        found = dict(row)
        for key in ("created_at", "next_at", "delivered_at"):
            found[key] = None if row[key] is None else aware(row[key]).isoformat()
        return found

    def _set(self, delivery_id: int, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == delivery_id)
                .values(attempts=outbox.c.attempts + 1, **values)
            )
