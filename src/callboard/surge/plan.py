"""A surge plan as validated plain data (see `plan_file` for the file form).

A plan holds, per queue, ordered tiers: each has a trigger that must hold for
its duration, the steps to take when it fires, and how long the trigger must
stay clear before the tier stands down. Times are seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from callboard.surge.expression import Trigger

Mode = Literal["automatic", "recommend"]
# Reserve arrival tiers: on the line within 30 minutes, 1 hour or 2 hours.
RESERVE_TIERS_S = (1800.0, 3600.0, 7200.0)


@dataclass(frozen=True)
class ReservePerson:
    """Someone on the reserve roster; `within_s` is the arrival tier they belong to.

    `skills` are the skills they log in with; empty means the calling queue's.
    """

    person_id: str
    name: str
    contact: str
    within_s: float
    skills: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadyReasons:
    """Agents not ready for any of `reasons` (outbound, training, ...) go ready."""

    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AddSupportGroup:
    """Agents of `group` get the queue's skill at `level`."""

    group: str
    level: int


@dataclass(frozen=True)
class CallReserve:
    """Call in `count` reserve people of the `within_s` arrival tier."""

    within_s: float
    count: int


@dataclass(frozen=True)
class Announcement:
    """Switch the queue to emergency mode with this message."""

    message: str


@dataclass(frozen=True)
class OfferCallbacks:
    """Offer a callback to every caller whose expected wait exceeds `ewt_above_s`."""

    ewt_above_s: float
    predictor: str


@dataclass(frozen=True)
class Overflow:
    """Agents who serve queue `to` may also serve this queue, at skill `level`."""

    to: str
    level: int


Step = ReadyReasons | AddSupportGroup | CallReserve | Announcement | OfferCallbacks | Overflow


@dataclass(frozen=True)
class Tier:
    number: int
    trigger: Trigger
    deescalate_after_s: float
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class QueuePlan:
    """The tiers of one queue, in the order they fire."""

    queue: str
    tiers: tuple[Tier, ...]


@dataclass(frozen=True)
class Plan:
    """`target_sl` is the `sl` (KPI.md) a projection must restore for an option to count.

    A reserve call-in is a commitment: a person not on the line `late_after_s` past their
    due time is reported late, and everyone called works at least `min_stay_s` on the
    line before a stand-down releases them.
    """

    name: str
    mode: Mode
    queues: tuple[QueuePlan, ...]
    reserve: tuple[ReservePerson, ...] = ()
    target_sl: float = 0.8
    late_after_s: float = 600.0
    min_stay_s: float = 7200.0
