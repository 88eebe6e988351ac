"""Agents and the states an agent moves through."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class AgentState(StrEnum):
    LOGGED_OUT = "logged_out"
    READY = "ready"
    RESERVED = "reserved"  # a contact has been offered and not yet accepted
    BUSY = "busy"
    WRAP_UP = "wrap_up"  # after-call work
    NOT_READY = "not_ready"


class NotReadyReason(StrEnum):
    BREAK = "break"
    LUNCH = "lunch"
    TRAINING = "training"
    MEETING = "meeting"
    OUTBOUND = "outbound"
    OTHER = "other"


@dataclass(slots=True)
class Agent:
    """An agent's identity and skills; `skills` maps queue name to level (higher is better)."""

    agent_id: str
    name: str = ""
    skills: dict[str, int] = field(default_factory=dict)
    capacity: dict[str, int] = field(default_factory=lambda: {"call": 1})
    group: str | None = None


@dataclass(frozen=True, slots=True)
class AgentStateSpan:
    """A stretch of time an agent spent logged in, or paused within that.

    Spans of one agent may nest (a pause inside a login) but two spans of the
    same state never overlap. Times are timezone-aware; `end_at` is exclusive.
    """

    agent: str
    state: str  # "logged_in" or "paused"
    start_at: datetime
    end_at: datetime
    source: str
    reason: str | None = None
