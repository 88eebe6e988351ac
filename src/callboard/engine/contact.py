"""A contact as the engine tracks it while it is in the center.

Mutable and slotted: the engine touches several fields per event and a
simulated day creates millions of these. Drivers and routing policies read
them; only the engine writes them.
"""

from __future__ import annotations

from typing import Any, Final

# Contact states. Strings rather than an Enum keep the hot path cheap and the
# snapshot plain.
PROMPTED: Final = "prompted"  # refused entry (queue full) and asked to choose callback/voicemail
WAITING: Final = "waiting"  # in line, on the phone or as a virtual callback
OFFERED: Final = "offered"  # reserved for an agent who has not accepted yet
CONNECTED: Final = "connected"  # talking to an agent
DONE: Final = "done"  # left the center; `outcome` says how


# The slots, named outside the class because mypyc compiles no class-level `__slots__` access.
_FIELDS = (
    "acw_s",
    "agent_id",
    "announced_by",
    "announced_ewt_s",
    "answered_at",
    "arrived_at",
    "attributes",
    "callback",
    "caller",
    "channel",
    "contact_id",
    "ended_at",
    "exit_reason",
    "offered_at",
    "outcome",
    "predictions",
    "priority",
    "queue",
    "queued",
    "queued_at",
    "state",
)


class Contact:
    """One contact; times are POSIX seconds, `None` until they happen.

    `queued_at` never changes once set: it is the contact's place in line,
    kept through callbacks and returned offers. `announced_ewt_s` is the
    wait told to the caller on arrival by predictor `announced_by`;
    `predictions` holds every scored predictor's estimate at arrival.
    """

    __slots__ = _FIELDS

    def __init__(
        self,
        contact_id: str,
        queue: str,
        at: float,
        priority: int = 0,
        channel: str = "call",
        caller: str | None = None,
        attributes: dict[str, str] | None = None,
    ) -> None:
        self.contact_id = contact_id
        self.queue = queue
        self.priority = priority
        self.channel = channel
        self.caller = caller
        self.attributes = attributes
        self.arrived_at = at
        self.queued_at = at
        self.state = WAITING
        self.queued = False
        self.callback = False
        self.agent_id: str | None = None
        self.offered_at: float | None = None
        self.answered_at: float | None = None
        self.ended_at: float | None = None
        self.outcome: str | None = None
        self.exit_reason: str | None = None
        self.announced_ewt_s: float | None = None
        self.announced_by: str | None = None
        self.predictions: dict[str, float] | None = None
        self.acw_s: float | None = None

    def to_data(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Contact:
        # Through __init__ rather than `cls.__new__`, which mypyc cannot compile for
        # its native classes; every field is overwritten next.
        contact = cls(data["contact_id"], data["queue"], data["arrived_at"])
        for name in _FIELDS:
            setattr(contact, name, data[name])
        return contact
