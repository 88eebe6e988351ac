"""The store's one time convention: aware UTC in, aware UTC out.

SQLite keeps no offset, so every stored time is written in UTC and every time
read back without a zone is taken to be UTC. Cases, the knowledge base and any
later table share these two functions so the convention cannot drift.
"""

from __future__ import annotations

from datetime import UTC, datetime

from callboard.errors import BadInput


def utc(value: datetime) -> datetime:
    """`value` in UTC, ready to store; a naive time is refused, since its zone is a guess."""
    if value.tzinfo is None:
        raise BadInput(f"time {value.isoformat()} has no time zone")
    return value.astimezone(UTC)


def aware(value: datetime) -> datetime:
    """A stored time as read back: SQLite hands back naive datetimes, written in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
