"""Plain types shared by every layer: contacts, agents, queues, cases and events.

Nothing here does I/O or reads a clock; it is safe to import from anywhere.
"""

from callboard.domain.agent import Agent, AgentState, AgentStateSpan, NotReadyReason
from callboard.domain.case import Case, CaseStatus
from callboard.domain.contact import Channel, ContactRecord, Outcome
from callboard.domain.events import Event, EventType
from callboard.domain.queue import Queue

__all__ = [
    "Agent",
    "AgentState",
    "AgentStateSpan",
    "Case",
    "CaseStatus",
    "Channel",
    "ContactRecord",
    "Event",
    "EventType",
    "NotReadyReason",
    "Outcome",
    "Queue",
]
