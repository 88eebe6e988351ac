"""How a queue is configured: skills, widening, limits, hours and announcements.

A spec is frozen plain data so that a snapshot can carry it as a dict and a
scenario file can be validated into it once, before any contact arrives.
Times are seconds; clock times of day are seconds after local midnight.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

MaxWaitAction = Literal["exit", "voicemail", "callback"]
FullAction = Literal["block", "voicemail", "callback"]
Mode = Literal["open", "closed", "emergency"]
# An offer nobody accepts in this time counts as missed: the agent goes not ready and the
# contact back to the head of its line, so a desk that went away strands nobody.
DEFAULT_OFFER_TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True)
class WideningStep:
    """After `after_s` seconds of waiting, agents with any of `skills` at or above the
    given level may also serve the contact, which keeps its place in line."""

    after_s: float
    skills: dict[str, int]


# What the calibrated expected-wait predictor reads, in its coefficients' order.
EWT_FEATURES = ("intercept", "queue_length", "head_of_line", "last_to_enter", "position", "staffed")


@dataclass(frozen=True, slots=True)
class EwtModel:
    """Coefficients of the calibrated predictor over `EWT_FEATURES`: the mean wait and
    its 10% and 90% quantiles, each a linear function of the same features.

    Fitted from records by `callboard ewt fit`; plain data so that it travels
    in snapshots and to worker processes with its spec.
    """

    mean: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]

    def __post_init__(self) -> None:
        for name in ("mean", "low", "high"):
            if len(getattr(self, name)) != len(EWT_FEATURES):
                raise ValueError(
                    f"ewt model {name}: {len(EWT_FEATURES)} coefficients expected "
                    f"({', '.join(EWT_FEATURES)})"
                )

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> EwtModel:
        return cls(*(tuple(float(v) for v in data[name]) for name in ("mean", "low", "high")))


@dataclass(frozen=True, slots=True)
class OpenHours:
    """Open from `open_s` to `close_s` (seconds after local midnight) on `days` (0 = Monday)."""

    days: tuple[int, ...]
    open_s: float
    close_s: float


@dataclass(frozen=True, slots=True)
class QueueSpec:
    """One queue.

    The base requirement is `skill` at level `min_level` or more (`skill`
    defaults to the queue name); `widening` steps must have increasing
    `after_s`. `hours` empty means always open. `aht_hint_s` and
    `patience_hint_s` seed the expected-wait predictors until the queue has
    its own history. `announce` names the predictor whose estimate is told to
    each arriving caller and recorded beside the wait that followed.
    `offer_timeout_s` None lets an offer ring until it is answered.
    `ewt_model` holds the coefficients the `calibrated` predictor announces with.
    """

    name: str
    skill: str = ""
    min_level: int = 1
    channel: str = "call"
    sl_threshold_s: float = 20.0
    max_wait_s: float | None = None
    max_wait_action: MaxWaitAction = "exit"
    max_length: int | None = None
    full_action: FullAction = "block"
    widening: tuple[WideningStep, ...] = ()
    hours: tuple[OpenHours, ...] = ()
    timezone: str = "UTC"
    acw_s: float = 0.0
    offer_timeout_s: float | None = DEFAULT_OFFER_TIMEOUT_S
    aht_hint_s: float = 300.0
    patience_hint_s: float | None = None
    announce: str | None = "queue_length"
    ewt_model: EwtModel | None = None

    def __post_init__(self) -> None:
        if not self.skill:
            object.__setattr__(self, "skill", self.name)
        previous = 0.0
        for step in self.widening:
            if step.after_s <= previous:
                raise ValueError(
                    f"queue {self.name!r}: widening steps need increasing after_s > 0, "
                    f"got {step.after_s} after {previous}"
                )
            previous = step.after_s
        if self.max_length is not None and self.max_length < 0:
            raise ValueError(f"queue {self.name!r}: max_length must be >= 0")

    def tier_requirements(self) -> list[dict[str, int]]:
        """The skill requirement of each tier; tier 0 is the base, tier t adds step t-1.

        Tiers are cumulative: an agent eligible in tier t is eligible in every
        later tier, which is what lets a contact keep its place while widening.
        """
        return [{self.skill: self.min_level}] + [dict(step.skills) for step in self.widening]

    def tier_thresholds(self) -> list[float]:
        """Waiting seconds at which each tier opens (0 for the base)."""
        return [0.0] + [step.after_s for step in self.widening]


def spec_to_data(spec: QueueSpec) -> dict[str, Any]:
    """Plain JSON-ready form, the inverse of `spec_from_data`."""
    data = asdict(spec)
    data["widening"] = [{"after_s": s.after_s, "skills": dict(s.skills)} for s in spec.widening]
    data["hours"] = [
        {"days": list(h.days), "open_s": h.open_s, "close_s": h.close_s} for h in spec.hours
    ]
    return data


def spec_from_data(data: dict[str, Any]) -> QueueSpec:
    fields = dict(data)
    fields["widening"] = tuple(
        WideningStep(float(s["after_s"]), dict(s["skills"])) for s in data.get("widening", ())
    )
    fields["hours"] = tuple(
        OpenHours(tuple(h["days"]), float(h["open_s"]), float(h["close_s"]))
        for h in data.get("hours", ())
    )
    model = data.get("ewt_model")
    fields["ewt_model"] = EwtModel.from_data(model) if model else None
    return QueueSpec(**fields)
