"""An agent as the engine tracks it: state, load per channel and time accounting.

Routing policies read `idle_since`, `skills` and `occupancy()`; only the engine
writes. State names are the values of `callboard.domain.AgentState`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from callboard.domain import Agent

if TYPE_CHECKING:
    from callboard.engine.queues import LiveQueue

LOGGED_OUT: Final = "logged_out"
READY: Final = "ready"
RESERVED: Final = "reserved"
BUSY: Final = "busy"
WRAP_UP: Final = "wrap_up"
NOT_READY: Final = "not_ready"

WORKING: Final = frozenset((READY, RESERVED, BUSY, WRAP_UP))
HANDLING: Final = frozenset((RESERVED, BUSY, WRAP_UP))


# The slots, named outside the class because mypyc compiles no class-level `__slots__` access.
_FIELDS = (
    "agent_id",
    "capacity",
    "channel",
    "contacts",
    "group",
    "handle_s",
    "idle_s",
    "idle_since",
    "pending",
    "pools",
    "reason",
    "serves",
    "since",
    "skills",
    "state",
    "tiers",
)


class LiveAgent:
    """One agent in the center.

    `contacts` are those held on `channel` (offered or connected); an agent
    holds one channel at a time, up to `capacity[channel]` contacts of it.
    `idle_since` is when it last became free to take a contact.
    `tiers` maps each queue the agent can serve to the first widening tier in
    which it becomes eligible. `handle_s` and `idle_s` accumulate time in
    past states: handling (reserved, busy, wrap-up) and ready, for the
    least-occupancy policy. `pending` is a state to enter once the current
    work is done, such as a break that came due mid-call. `pools` lists the
    idle pools the agent joins when free, with each queue's channel, and
    `serves` the queues with the agent's tier in each; the center derives
    both from `tiers` so that the hot path makes no lookups.
    """

    __slots__ = _FIELDS

    def __init__(self, agent: Agent, tiers: dict[str, int]) -> None:
        self.agent_id = agent.agent_id
        self.skills = dict(agent.skills)
        self.capacity = dict(agent.capacity)
        self.group = agent.group
        self.tiers = tiers
        self.pools: list[tuple[str, dict[str, LiveAgent]]] = []
        self.serves: list[tuple[LiveQueue, int]] = []
        self.state = LOGGED_OUT
        self.reason: str | None = None
        self.pending: tuple[str, str | None] | None = None
        self.since = 0.0
        self.idle_since = 0.0
        self.channel: str | None = None
        self.contacts: list[str] = []
        self.handle_s = 0.0
        self.idle_s = 0.0

    def occupancy(self, now: float) -> float:
        """Handle time over handle plus ready-idle time so far (KPI.md), 0 with no history."""
        current = now - self.since
        idle = self.idle_s + (current if self.state == READY else 0.0)
        handle = self.handle_s + (current if self.state in HANDLING else 0.0)
        total = idle + handle
        return handle / total if total > 0.0 else 0.0

    def to_data(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _DATA_FIELDS}
        data["pending"] = list(self.pending) if self.pending else None
        data["contacts"] = list(self.contacts)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> LiveAgent:
        # Through __init__ rather than `cls.__new__`, which mypyc cannot compile for
        # its native classes; `pools` and `serves` start empty, the rest is overwritten.
        agent = cls(Agent(data["agent_id"]), {})
        for name in _PLAIN_FIELDS:
            setattr(agent, name, data[name])
        agent.pending = tuple(data["pending"]) if data["pending"] else None
        agent.contacts = list(data["contacts"])
        agent.skills = dict(data["skills"])
        agent.capacity = dict(data["capacity"])
        agent.tiers = dict(data["tiers"])
        return agent


_DATA_FIELDS = tuple(name for name in _FIELDS if name not in ("pools", "serves"))
# Those `from_data` sets as they come; it copies or converts the others.
_PLAIN_FIELDS = tuple(
    name
    for name in _DATA_FIELDS
    if name not in ("pending", "contacts", "skills", "capacity", "tiers")
)
