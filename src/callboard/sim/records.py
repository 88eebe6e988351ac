"""Finished engine contacts as `ContactRecord`s (source "sim"), the unit every KPI counts.

The simulator writes exactly what an importer writes, so the KPI engine and
every report read a simulated day the way they read a real one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from callboard.domain import Channel, ContactRecord, Outcome
from callboard.engine import Contact

_OUTCOMES = {o.value: o for o in Outcome}
_CHANNELS = {c.value: c for c in Channel}


def to_record(contact: Contact, source: str = "sim") -> ContactRecord:
    """One record; `wait_s` runs from queue entry to the answer, or to leaving (KPI.md)."""
    outcome = _OUTCOMES[contact.outcome or "blocked"]
    answered = contact.answered_at
    ended = contact.ended_at
    offered = contact.offered_at
    if answered is not None:
        wait: float | None = answered - contact.queued_at
    elif outcome is Outcome.BLOCKED or ended is None:
        wait = None
    else:
        wait = ended - contact.queued_at
    attributes: dict[str, str] = dict(contact.attributes or {})
    if contact.announced_by is not None and contact.announced_ewt_s is not None:
        attributes["ewt_s"] = f"{contact.announced_ewt_s:.1f}"
        attributes["ewt_predictor"] = contact.announced_by
    return ContactRecord(
        contact_id=contact.contact_id,
        source=source,
        queue=contact.queue,
        outcome=outcome,
        arrived_at=_when(contact.arrived_at),
        queued_at=_when(contact.queued_at),
        call_id=contact.contact_id,
        channel=_CHANNELS.get(contact.channel, Channel.CALL),
        priority=contact.priority,
        caller=contact.caller,
        agent=contact.agent_id if answered is not None else None,
        answered_at=None if answered is None else _when(answered),
        ended_at=None if ended is None else _when(ended),
        queued=contact.queued,
        wait_s=wait,
        ring_s=None if answered is None or offered is None else answered - offered,
        talk_s=None if answered is None or ended is None else ended - answered,
        acw_s=contact.acw_s,
        exit_reason=contact.exit_reason,
        callback=contact.callback,
        attributes=attributes,
    )


def _when(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)
