"""An incident: one queue's stretch of missed service, as detection finds it.

The id is the queue and the local start (`billing@1999-01-07T10:00`), so the
same records always give the same ids and a report can be asked for by id
a month later without a store of incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from callboard.errors import BadInput

ID_SEPARATOR = "@"


@dataclass(frozen=True, slots=True)
class Incident:
    """`start`/`end` are naive local times (the center's wall clock), half-open.

    `lost` is the service lost: answered-within-T contacts short of the target,
    sl_target × (offered − short abandons) − answered within T, over the whole span.
    `trigger` says what made it: "sl", "abandonment", "surge" or several of them.
    """

    queue: str
    start: datetime
    end: datetime
    offered: int
    answered: int
    abandoned: int
    answered_within: int
    eligible: int
    sl: float | None
    abandon_rate: float | None
    lost: float
    trigger: tuple[str, ...]

    @property
    def incident_id(self) -> str:
        return incident_id(self.queue, self.start)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.incident_id, "queue": self.queue, "start": self.start.isoformat(),
            "end": self.end.isoformat(), "offered": self.offered, "answered": self.answered,
            "abandoned": self.abandoned, "answered_within": self.answered_within,
            "sl": self.sl, "abandon_rate": self.abandon_rate, "lost": round(self.lost, 2),
            "trigger": list(self.trigger),
        }  # fmt: skip


def incident_id(queue: str, start: datetime) -> str:
    return f"{queue}{ID_SEPARATOR}{start.strftime('%Y-%m-%dT%H:%M')}"


def parse_incident_id(text: str) -> tuple[str, datetime]:
    """The queue and local start an id names; a malformed id is a clear error."""
    queue, separator, when = text.rpartition(ID_SEPARATOR)
    try:
        start = datetime.strptime(when, "%Y-%m-%dT%H:%M")
    except ValueError:
        start = None
    if not separator or not queue or start is None:
        raise BadInput(
            f"{text!r} is not an incident id; ids look like QUEUE@YYYY-MM-DDTHH:MM "
            "(see `callboard incident list`)"
        )
    return queue, start
