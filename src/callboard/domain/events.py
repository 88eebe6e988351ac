"""The event spine: every change to a contact or an agent, in one schema.

Producers (the engine, telephony adapters, importers, the simulator) emit
`Event`s; consumers (store, live metrics, surge control, reports) read them, so
a replayed day, a simulated day and a live day look alike downstream.

`at` is POSIX seconds (UTC) as a float rather than a datetime: the engine emits
millions of events per simulated day, and converting at the edges is cheaper.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType

_EMPTY: Mapping[str, object] = MappingProxyType({})


class EventType(StrEnum):
    CONTACT_ARRIVED = "contact.arrived"
    CONTACT_QUEUED = "contact.queued"
    CONTACT_OFFERED = "contact.offered"
    CONTACT_ANSWERED = "contact.answered"
    CONTACT_ABANDONED = "contact.abandoned"
    CONTACT_EXITED = "contact.exited"
    CONTACT_BLOCKED = "contact.blocked"
    CONTACT_COMPLETED = "contact.completed"
    CONTACT_TRANSFERRED = "contact.transferred"
    CALLBACK_REQUESTED = "callback.requested"
    CALLBACK_CONNECTED = "callback.connected"
    AGENT_STATE_CHANGED = "agent.state_changed"


@dataclass(frozen=True, slots=True)
class Event:
    type: EventType
    at: float
    contact_id: str | None = None
    agent_id: str | None = None
    queue: str | None = None
    data: Mapping[str, object] = field(default_factory=lambda: _EMPTY)

    @property
    def when(self) -> datetime:
        return datetime.fromtimestamp(self.at, tz=UTC)
