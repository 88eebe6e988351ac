"""What surge control asks for, and what carrying it out did.

The runner decides (`Action`); `apply` carries an action out on a center and
reports an `Effect`. Keeping the two apart lets a recommend-mode plan show a
supervisor exactly what will happen, and lets de-escalation undo exactly what
was done (the effect holds each agent's state and skills before the change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from callboard.surge.plan import ReservePerson, Step


@dataclass(frozen=True)
class Callout:
    """A reserve person to notify, and when they are due on the line."""

    person: ReservePerson
    arrives_at: float


@dataclass(frozen=True)
class AgentChange:
    """One agent as it was before an action changed it; `skills` None if they were kept."""

    agent_id: str
    state: str
    reason: str | None
    skills: Mapping[str, int] | None = None


@dataclass(frozen=True)
class Effect:
    """What an action did, in words for the timeline and as changes to undo."""

    summary: str
    changes: tuple[AgentChange, ...] = ()


@dataclass(frozen=True)
class Action:
    """Carry out `step` for `queue` (or undo it when `undo`, using `reverts`)."""

    action_id: int
    at: float
    queue: str
    tier: int
    step: Step
    undo: bool = False
    callouts: tuple[Callout, ...] = ()
    reverts: Effect | None = None


@dataclass(frozen=True)
class Recommendation:
    """A tier change waiting for a supervisor: escalate to `tier`, or stand it down."""

    recommendation_id: int
    at: float
    queue: str
    tier: int
    escalate: bool
    reason: str


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the audit timeline.

    `kind` is fired, recommended, confirmed, declined, action, effect, cleared,
    stood_down, notified, notify_failed, late (a reserve person not on the line
    by their due time plus the plan's `late_after`) or released (a reserve
    person sent home after their minimum stay); `by` names the supervisor for
    confirmations and declines.
    """

    at: float
    kind: str
    queue: str
    tier: int
    detail: str
    by: str | None = None
    action_id: int | None = None
    # Plain-JSON facts a restarted runner is rebuilt from (`PlanRunner.restore`): an
    # action's step and call-outs, an effect's agent changes, a recommendation's id.
    data: Mapping[str, Any] | None = None
