"""The surge plan file as config models, checked when the plan loads.

A plan is read in calm times and used in a crisis, so it must not fail in
the crisis: rejected at load are unknown metrics and actions, bad durations,
reserve tiers other than 30m/60m/120m, queues the center does not have (when
the loader is told them), more reserve calls than people on the roster, and
overflow that loops back. `plan_file` turns a checked file into a `Plan`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from callboard.config import (
    Count,
    Duration,
    Name,
    OneOrMany,
    Section,
    Text,
    Whole,
    among,
    checked,
    duration,
    name,
    problem,
    shown,
)
from callboard.engine import PREDICTOR_NAMES
from callboard.errors import BadInput
from callboard.surge.expression import Trigger, parse_trigger
from callboard.surge.names import METRICS
from callboard.surge.plan import RESERVE_TIERS_S


def _trigger(value: Any) -> Trigger:
    if not isinstance(value, str) or not value.strip():
        raise problem(f"must be a trigger such as 'waiting > 10 for 2m', got {shown(value)}")
    try:
        return parse_trigger(value, METRICS)
    except BadInput as exc:
        raise problem(str(exc)) from None


def _reserve_tier(value: Any) -> float:
    within = duration(value)
    if within not in RESERVE_TIERS_S:
        raise problem(f"{value!r}: reserve tiers are 30m, 60m and 120m")
    return within


def _reasons(value: Any) -> tuple[str, ...]:
    """A not-ready reason, or a list of them."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise problem("list the not-ready reasons to end, such as [outbound, training]")
    return tuple(name(item) for item in items)


def _target(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise problem(f"{value!r}: expected a service level in (0, 1]")
    return float(value)


def _known_queues(info: ValidationInfo) -> Collection[str] | None:
    """The center's queues, when the loader was told them."""
    return (info.context or {}).get("queues")


ReserveTier = Annotated[float, checked(_reserve_tier)]


class _NamedTarget(Section):
    """A table whose one required key may be written alone: `overflow: billing` for
    `overflow: {to: billing}`."""

    alone: ClassVar[str]
    level: Count = 1

    @model_validator(mode="before")
    @classmethod
    def _name_alone(cls, data: Any) -> Any:
        return {cls.alone: data} if isinstance(data, str) else data


class SupportGroupTable(_NamedTarget):
    alone = "group"
    group: Name


class ReserveCallTable(Section):
    within: ReserveTier = Field(description="the reserve tier: 30m, 60m or 120m")
    count: Count


class CallbackOfferTable(Section):
    ewt_above: Duration
    predictor: Annotated[str, among(PREDICTOR_NAMES)] = "erlang_a"


class OverflowTable(_NamedTarget):
    alone = "to"
    to: Name


class ActionsTable(Section):
    """What a tier does, in the order the file lists it."""

    ready_reasons: Annotated[tuple[str, ...], checked(_reasons)] | None = None
    add_support_group: SupportGroupTable | None = None
    call_reserve: Annotated[list[ReserveCallTable], OneOrMany] | None = None
    announcement: Text | None = None
    offer_callbacks: CallbackOfferTable | None = None
    overflow: OverflowTable | None = None
    _order: tuple[str, ...] = PrivateAttr(())

    @field_validator("call_reserve")
    @classmethod
    def _some_call(cls, value: list[ReserveCallTable] | None) -> Any:
        if value is not None and not value:
            raise problem("give at least one {within, count}")
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _in_file_order(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        actions = handler(data)
        if not actions.model_fields_set:
            raise problem(f"give at least one action: {', '.join(cls.allowed_keys())}")
        actions._order = tuple(key for key in data if key in actions.model_fields_set)
        return actions

    @property
    def order(self) -> tuple[str, ...]:
        return self._order


class TierTable(Section):
    tier: Whole
    trigger: Annotated[Trigger, checked(_trigger)] = Field(
        description="a condition such as 'waiting > 10 for 2m'"
    )
    deescalate_after: Duration | None = None
    actions: ActionsTable = Field(description="what the tier does, such as ready_reasons")


class QueuePlanTable(Section):
    tiers: list[TierTable]

    @field_validator("tiers")
    @classmethod
    def _some_tier(cls, tiers: list[TierTable]) -> Any:
        if not tiers:
            raise problem("give a list of tiers in the order they fire")
        return tiers

    @model_validator(mode="after")
    def _each_tier_once(self) -> Self:
        seen: set[int] = set()
        for index, tier in enumerate(self.tiers):
            if tier.tier in seen:
                raise problem(f"tier {tier.tier} appears twice", "tiers", index, "tier")
            seen.add(tier.tier)
        return self


class ReservePersonTable(Section):
    id: Name
    contact: Text
    within: ReserveTier
    name: Text | None = None
    skills: dict[str, Count] = Field(default_factory=dict)


class PlanFile(Section):
    name: Text
    mode: Literal["automatic", "recommend"] = "recommend"
    deescalate_after: Duration | None = None
    reserve: list[ReservePersonTable] = Field(default_factory=list)
    target_sl: Annotated[float, checked(_target)] = 0.8
    late_after: Duration = Field(
        600.0, description="how long past their due time a reserve person is reported late"
    )
    min_stay: Duration = Field(
        7200.0, description="how long a reserve person works before a stand-down releases them"
    )
    queues: dict[str, QueuePlanTable]

    @field_validator("queues")
    @classmethod
    def _some_queue(cls, queues: dict[str, QueuePlanTable]) -> Any:
        if not queues:
            raise problem("name at least one queue and its tiers")
        return queues

    @model_validator(mode="after")
    def _whole_plan(self, info: ValidationInfo) -> Self:
        self._queues_exist(_known_queues(info))
        self._clear_times_given()
        self._roster_once()
        self._no_overflow_loop()
        self._roster_large_enough()
        return self

    def clear_after(self, tier: TierTable) -> float:
        """The tier's own clear time, else the plan's (one of them is given)."""
        own = tier.deescalate_after
        return own if own is not None else float(self.deescalate_after or 0.0)

    def _queues_exist(self, known: Collection[str] | None) -> None:
        if known is None:
            return

        def check(queue: str, *at: str | int) -> None:
            if queue not in known:
                raise problem(f"unknown queue {queue!r}; known: {', '.join(sorted(known))}", *at)

        for queue, plan in self.queues.items():
            check(queue, "queues", queue)
            for index, tier in enumerate(plan.tiers):
                if tier.actions.overflow is not None:
                    at = ("queues", queue, "tiers", index, "actions", "overflow", "to")
                    check(tier.actions.overflow.to, *at)

    def _clear_times_given(self) -> None:
        if self.deescalate_after is not None:
            return
        for queue, plan in self.queues.items():
            for index, tier in enumerate(plan.tiers):
                if tier.deescalate_after is None:
                    raise problem(
                        "say how long the trigger must stay clear (here or at the top), "
                        "such as 15m",
                        "queues", queue, "tiers", index, "deescalate_after",
                    )  # fmt: skip

    def _roster_once(self) -> None:
        seen: set[str] = set()
        for index, person in enumerate(self.reserve):
            if person.id in seen:
                raise problem(f"{person.id!r} is on the roster twice", "reserve", index, "id")
            seen.add(person.id)

    def _no_overflow_loop(self) -> None:
        """Overflow from A to B and B back to A (or longer loops) would hand callers
        round in circles; name the loop."""
        targets: dict[str, list[tuple[str, tuple[str | int, ...]]]] = {}
        for queue, plan in self.queues.items():
            for index, tier in enumerate(plan.tiers):
                if tier.actions.overflow is not None:
                    at = ("queues", queue, "tiers", index, "actions", "overflow", "to")
                    targets.setdefault(queue, []).append((tier.actions.overflow.to, at))
        for start in targets:
            _walk_overflow(start, targets, [start])

    def _roster_large_enough(self) -> None:
        wanted: dict[float, int] = {}
        for queue, plan in self.queues.items():
            for index, tier in enumerate(plan.tiers):
                for call in tier.actions.call_reserve or ():
                    wanted[call.within] = wanted.get(call.within, 0) + call.count
                    have = sum(1 for p in self.reserve if p.within == call.within)
                    if wanted[call.within] > have:
                        raise problem(
                            f"calls {wanted[call.within]} people of the {call.within / 60:.0f}m "
                            f"tier in all, but the roster has {have}; add people under `reserve`",
                            "queues", queue, "tiers", index, "actions", "call_reserve",
                        )  # fmt: skip


def _walk_overflow(
    queue: str, targets: Mapping[str, list[tuple[str, tuple[str | int, ...]]]], path: list[str]
) -> None:
    for target, at in targets.get(queue, []):
        if target in path:
            loop = " -> ".join([*path[path.index(target) :], target])
            raise problem(f"overflow loops back: {loop}", *at)
        _walk_overflow(target, targets, [*path, target])
