"""Plain types shared by every layer: contacts, agents, queues, cases and events,
and the one parser of durations and clock times ("90s", "1h30m", "08:30").

Nothing here does I/O or reads a clock; it is safe to import from anywhere.
"""

from callboard.domain.agent import Agent, AgentState, AgentStateSpan, NotReadyReason
from callboard.domain.case import Case, CaseStatus
from callboard.domain.contact import Channel, ContactRecord, Outcome
from callboard.domain.durations import interval_minutes, seconds, time_of_day
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
    "interval_minutes",
    "seconds",
    "time_of_day",
]
