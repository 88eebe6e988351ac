"""A queue as the engine runs it: spec, mode, waiting line, idle pools and live statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from callboard.engine.lines import WaitingLine
from callboard.engine.routing import Pool
from callboard.engine.spec import QueueSpec, spec_to_data

if TYPE_CHECKING:
    from callboard.engine.agents import LiveAgent
    from callboard.engine.contact import Contact

# Weight of the newest observation in the smoothed handle time and arrival gap.
SMOOTHING: Final = 0.02
# How many observations the spec's hints count for before the queue has its own.
_PRIOR_WEIGHT: Final = 20.0


# The slots, named outside the class because mypyc compiles no class-level `__slots__` access.
_STATS_FIELDS = (
    "abandons",
    "aht_s",
    "arrival_gap_s",
    "exposure_s",
    "last_arrival_at",
    "last_wait_s",
    "staffed",
)


class QueueStats:
    """Running estimates the expected-wait predictors use; all seconds.

    `abandons / exposure_s` is the maximum-likelihood abandonment rate for
    exponential patience (abandons per second waited), seeded with the
    spec's patience hint as `_PRIOR_WEIGHT` pseudo-observations.
    `staffed` counts working agents eligible at the base tier.
    """

    __slots__ = _STATS_FIELDS

    def __init__(self, spec: QueueSpec) -> None:
        self.aht_s = spec.aht_hint_s
        hint = spec.patience_hint_s
        self.abandons = _PRIOR_WEIGHT if hint else 0.0
        self.exposure_s = _PRIOR_WEIGHT * hint if hint else 0.0
        self.last_wait_s = 0.0
        self.arrival_gap_s: float | None = None
        self.last_arrival_at: float | None = None
        self.staffed = 0

    def abandon_rate(self) -> float:
        return self.abandons / self.exposure_s if self.exposure_s > 0.0 else 0.0

    def arrival_rate(self) -> float:
        """Smoothed arrivals per second, 0 before two arrivals."""
        gap = self.arrival_gap_s
        return 1.0 / gap if gap else 0.0

    def to_data(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _STATS_FIELDS}

    def load(self, data: dict[str, Any]) -> None:
        for name in _STATS_FIELDS:
            setattr(self, name, data[name])


class LiveQueue:
    """`pools[t]` holds the idle agents first eligible at tier t, longest idle first.

    `manual_mode` overrides the hours when set; `in_hours` follows the hours
    timer; `accepting` caches the result for the arrival path.
    `thresholds[t]` is the waiting time at which tier t opens.

    `channel`, `skill`, `announce`, `max_length`, `max_wait_s` and `acw_s` are
    the spec's, copied because the spec is an interpreted dataclass: each of
    its attributes costs the hot path a dictionary lookup, these a native read.
    """

    __slots__ = (
        "accepting",
        "acw_s",
        "announce",
        "base_pools",
        "channel",
        "in_hours",
        "line",
        "manual_mode",
        "max_length",
        "max_wait_s",
        "message",
        "pools",
        "skill",
        "spec",
        "stats",
        "thresholds",
    )

    def __init__(self, spec: QueueSpec) -> None:
        self.spec = spec
        self.channel = spec.channel
        self.skill = spec.skill
        self.announce = spec.announce
        self.max_length = spec.max_length
        self.max_wait_s = spec.max_wait_s
        self.acw_s = spec.acw_s
        self.line = WaitingLine()
        self.thresholds = spec.tier_thresholds()
        self.pools: list[Pool] = []
        self.base_pools: list[Pool] = []
        self.set_pools([{} for _ in self.thresholds])
        self.stats = QueueStats(spec)
        self.manual_mode: str | None = None
        self.message: str | None = None
        self.in_hours = True
        self.accepting = True

    def set_pools(self, pools: list[Pool]) -> None:
        """Install the idle pools; `base_pools` is the tier-0 slice new contacts may use."""
        self.pools = pools
        self.base_pools = pools[:1]

    def update_accepting(self) -> None:
        """Whether arrivals are let in: open or emergency, by hand or by the hours."""
        self.accepting = self.mode != "closed"

    @property
    def mode(self) -> str:
        """open, closed or emergency: the manual setting, else the hours."""
        if self.manual_mode is not None:
            return self.manual_mode
        return "open" if self.in_hours else "closed"

    def to_data(self) -> dict[str, Any]:
        """Mode, statistics, line and idle-pool order, as plain data: a snapshot's queue."""
        return {
            "spec": spec_to_data(self.spec),
            "manual_mode": self.manual_mode,
            "message": self.message,
            "in_hours": self.in_hours,
            "stats": self.stats.to_data(),
            "line": self.line.to_data(),
            "pools": [list(pool) for pool in self.pools],
        }

    def load(
        self, data: dict[str, Any], contacts: dict[str, Contact], agents: dict[str, LiveAgent]
    ) -> None:
        """Take the state `to_data` gave, with the center's contacts and agents by id."""
        self.manual_mode = data["manual_mode"]
        self.message = data["message"]
        self.in_hours = data["in_hours"]
        self.stats.load(data["stats"])
        self.line.load(data["line"], contacts)
        self.set_pools([{i: agents[i] for i in ids} for ids in data["pools"]])
        self.update_accepting()

    def tier_at(self, waited_s: float) -> int:
        """The widest tier a contact has reached after waiting `waited_s`."""
        tier = 0
        for index in range(1, len(self.thresholds)):
            if waited_s >= self.thresholds[index]:
                tier = index
            else:
                break
        return tier
