"""A contact that has left a center, as the `ContactRecord` every KPI counts.

The simulator's finished contacts (the engine's `Contact`) and the live
center's, folded back from the event log (`ContactFold`), both pass through
`to_record`, so a simulated day, a live day and an imported day are counted by
the same code. The contact is described by a protocol rather than the engine's
class, so records stay below the engine in the layers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from callboard.domain import Channel, ContactRecord, Outcome

_OUTCOMES = {o.value: o for o in Outcome}
_CHANNELS = {c.value: c for c in Channel}


class FinishedContact(Protocol):
    """What a record is built from; times are POSIX seconds, None until they happen."""

    contact_id: str
    queue: str
    priority: int
    channel: str
    caller: str | None
    attributes: dict[str, str] | None
    arrived_at: float
    queued_at: float
    queued: bool
    callback: bool
    agent_id: str | None
    offered_at: float | None
    answered_at: float | None
    ended_at: float | None
    outcome: str | None
    exit_reason: str | None
    announced_ewt_s: float | None
    announced_by: str | None
    acw_s: float | None


def to_record(contact: FinishedContact, source: str = "sim") -> ContactRecord:
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
    # The region has a column of its own (KPIs group by it); every other
    # attribute, the contact type `category` among them, stays an attribute.
    region = attributes.pop("region", None)
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
        region=region,
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
