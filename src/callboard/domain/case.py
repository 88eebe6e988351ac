"""Cases: the registration record every handled contact creates or updates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CaseStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"  # waiting on the caller; the SLA clock pauses
    RESOLVED = "resolved"
    CLOSED = "closed"


@dataclass(slots=True)
class Case:
    case_id: str
    opened_at: datetime
    caller: str | None = None
    category: str | None = None
    priority: int = 0
    status: CaseStatus = CaseStatus.NEW
    outcome: str | None = None
    notes: str = ""
    contact_ids: list[str] = field(default_factory=list)
