"""Hand-built contact records for KPI tests: one call per line, every field visible."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from callboard.domain import Channel, ContactRecord, Outcome
from callboard.records.schema import records_to_table

# A Monday, so that day-of-week tests read naturally.
MONDAY_9AM = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
_ids = itertools.count()


def contact(
    outcome: Outcome,
    *,
    wait: float | None = None,
    at: datetime = MONDAY_9AM,
    queue: str = "sales",
    talk: float | None = None,
    hold: float | None = None,
    acw: float | None = None,
    agent: str | None = None,
    exit_reason: str | None = None,
    callback: bool = False,
    priority: int = 0,
    channel: Channel = Channel.CALL,
) -> ContactRecord:
    """A contact that entered the queue at `at`; it waited in line unless answered at once."""
    queued = outcome in (Outcome.ABANDONED, Outcome.EXITED) or bool(wait)
    return ContactRecord(
        contact_id=f"t{next(_ids)}",
        source="test",
        queue=queue,
        outcome=outcome,
        arrived_at=at - timedelta(seconds=10),
        queued_at=at,
        channel=channel,
        priority=priority,
        agent=agent,
        queued=queued,
        wait_s=wait,
        talk_s=talk,
        hold_s=hold,
        acw_s=acw,
        exit_reason=exit_reason,
        callback=callback,
    )


def table(*contacts: ContactRecord, tz: str = "UTC") -> pa.Table:
    return records_to_table(contacts, tz)
