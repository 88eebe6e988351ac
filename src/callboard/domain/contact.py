"""The contact record: one row per queue contact, the unit every KPI counts.

A call that is transferred from one queue to another yields two records that
share a `call_id`. Times are timezone-aware datetimes; durations are seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Channel(StrEnum):
    CALL = "call"
    CHAT = "chat"
    EMAIL = "email"
    CALLBACK = "callback"


class Outcome(StrEnum):
    """How a contact left the queue; maps onto the counting symbols of KPI.md."""

    ANSWERED = "answered"  # A
    ABANDONED = "abandoned"  # Ab: the caller left while queued
    EXITED = "exited"  # X: timeout, exit key, leave-empty, overflow
    BLOCKED = "blocked"  # B: refused before queueing; reported, not offered
    IVR_ABANDONED = "ivr_abandoned"  # hung up in the IVR; never offered
    PHANTOM = "phantom"  # a virtual or test call; kept but left out of KPIs

    @property
    def offered(self) -> bool:
        return self in (Outcome.ANSWERED, Outcome.ABANDONED, Outcome.EXITED)


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One queue contact as it finally happened.

    `queued_at` is when the contact reached the queue point: for a contact
    answered without waiting it is the answer time, and for a blocked or
    IVR-abandoned one it is when it left the IVR. KPIs count the contact in the
    interval of `queued_at`. `queued` says whether it actually had to wait in
    line, which is distinct from `wait_s > 0` when a source rounds to seconds.
    """

    contact_id: str
    source: str
    queue: str
    outcome: Outcome
    arrived_at: datetime
    queued_at: datetime
    call_id: str = ""
    channel: Channel = Channel.CALL
    priority: int = 0
    caller: str | None = None
    region: str | None = None
    agent: str | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    queued: bool = False
    wait_s: float | None = None
    ivr_s: float | None = None
    ring_s: float | None = None
    talk_s: float | None = None
    hold_s: float | None = None
    acw_s: float | None = None
    exit_reason: str | None = None
    callback: bool = False
    attributes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("arrived_at", "queued_at", "answered_at", "ended_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"ContactRecord.{name} must be timezone-aware, got {value!r}")
