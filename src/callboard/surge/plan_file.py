"""Reading surge plan files (TOML or YAML) into a validated `Plan`.

Every problem is a `BadConfig(file, key, problem)` with `key` the dotted path
(`queues.heating.tiers[1].trigger`), raised when the plan loads: a plan is
read in calm times and used in a crisis, so it must not fail in the crisis.
Unknown keys are errors, as in scenario files. Rejected at load: unknown
metrics and actions, bad durations, reserve tiers other than 30m/60m/120m,
more reserve calls than people on the roster, and overflow that loops back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, ClassVar

from callboard.config_file import read_config
from callboard.domain.durations import seconds
from callboard.engine import PREDICTOR_NAMES
from callboard.errors import BadConfig, BadInput
from callboard.surge.expression import parse_trigger
from callboard.surge.names import METRICS
from callboard.surge.plan import (
    RESERVE_TIERS_S,
    AddSupportGroup,
    Announcement,
    CallReserve,
    Mode,
    OfferCallbacks,
    Overflow,
    Plan,
    QueuePlan,
    ReadyReasons,
    ReservePerson,
    Step,
    Tier,
)

_MODES: dict[str, Mode] = {"automatic": "automatic", "recommend": "recommend"}
_NAME = re.compile(r"^[A-Za-z0-9_.:-]+$")


def load_plan(path: str | Path, queues: Collection[str] | None = None) -> Plan:
    """Read and validate a `.toml`, `.yaml` or `.yml` plan; with `queues`, every queue the
    plan names must be one of them."""
    data, name = read_config(path)
    return parse_plan(data, name, queues)


def parse_plan(data: Any, file: str = "<plan>", queues: Collection[str] | None = None) -> Plan:
    """Validate already-parsed plan data; `file` names it in errors."""
    return _Reader(file, queues).plan(data)


class _Reader:
    def __init__(self, file: str, queues: Collection[str] | None) -> None:
        self.file = file
        self.known_queues = queues

    def fail(self, key: str, problem: str) -> BadConfig:
        return BadConfig(self.file, key, problem)

    def plan(self, data: Any) -> Plan:
        optional = ("mode", "deescalate_after", "reserve", "target_sl")
        table = self.table(data, "(top)", required=("name", "queues"), optional=optional)
        mode_text = table.get("mode", "recommend")
        if mode_text not in _MODES:
            raise self.fail("mode", f"{mode_text!r}: use automatic or recommend")
        default_clear = table.get("deescalate_after")
        reserve = self.reserve(table.get("reserve", []))
        queue_tables = self.table(table["queues"], "queues")
        if not queue_tables:
            raise self.fail("queues", "name at least one queue and its tiers")
        plans = tuple(
            self.queue_plan(queue, body, default_clear) for queue, body in queue_tables.items()
        )
        self.check_overflow_cycles(plans)
        self.check_reserve_sizes(plans, reserve)
        target = table.get("target_sl", 0.8)
        if isinstance(target, bool) or not isinstance(target, int | float) or not 0 < target <= 1:
            raise self.fail("target_sl", f"{target!r}: expected a service level in (0, 1]")
        return Plan(self.text(table["name"], "name"), _MODES[mode_text], plans, reserve,
                    float(target))  # fmt: skip

    def queue_plan(self, queue: str, body: Any, default_clear: Any) -> QueuePlan:
        key = f"queues.{queue}"
        self.check_queue(queue, key)
        tiers_data = self.table(body, key, required=("tiers",))["tiers"]
        if not isinstance(tiers_data, list) or not tiers_data:
            raise self.fail(f"{key}.tiers", "give a list of tiers in the order they fire")
        tiers = [
            self.tier(queue, f"{key}.tiers[{index}]", item, default_clear)
            for index, item in enumerate(tiers_data)
        ]
        seen: set[int] = set()
        for index, tier in enumerate(tiers):
            if tier.number in seen:
                raise self.fail(f"{key}.tiers[{index}].tier", f"tier {tier.number} appears twice")
            seen.add(tier.number)
        return QueuePlan(queue, tuple(tiers))

    def tier(self, queue: str, key: str, data: Any, default_clear: Any) -> Tier:
        table = self.table(data, key, required=("tier", "trigger", "actions"),
                           optional=("deescalate_after",))  # fmt: skip
        number = self.integer(table["tier"], f"{key}.tier", minimum=0)
        trigger_text = self.text(table["trigger"], f"{key}.trigger")
        try:
            trigger = parse_trigger(trigger_text, METRICS)
        except BadInput as exc:
            raise self.fail(f"{key}.trigger", str(exc)) from None
        clear = table.get("deescalate_after", default_clear)
        if clear is None:
            raise self.fail(f"{key}.deescalate_after", "say how long the trigger must stay clear "
                            "(here or at the top), such as 15m")  # fmt: skip
        clear_key = f"{key}.deescalate_after" if "deescalate_after" in table else "deescalate_after"
        clear_s = self.duration(clear, clear_key)
        steps = self.actions(queue, f"{key}.actions", table["actions"])
        return Tier(number, trigger, clear_s, steps)

    def actions(self, queue: str, key: str, data: Any) -> tuple[Step, ...]:
        table = self.table(data, key, optional=tuple(self._ACTIONS))
        if not table:
            raise self.fail(key, f"give at least one action: {', '.join(self._ACTIONS)}")
        steps: list[Step] = []
        for name, value in table.items():
            steps.extend(self._ACTIONS[name](self, queue, f"{key}.{name}", value))
        return tuple(steps)

    def ready_reasons(self, queue: str, key: str, value: Any) -> list[Step]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.fail(key, "list the not-ready reasons to end, such as [outbound, training]")
        return [ReadyReasons(tuple(self.identifier(v, key) for v in value))]

    def add_support_group(self, queue: str, key: str, value: Any) -> list[Step]:
        if isinstance(value, str):
            value = {"group": value}
        table = self.table(value, key, required=("group",), optional=("level",))
        level = self.integer(table.get("level", 1), f"{key}.level", minimum=1)
        return [AddSupportGroup(self.identifier(table["group"], f"{key}.group"), level)]

    def call_reserve(self, queue: str, key: str, value: Any) -> list[Step]:
        items = value if isinstance(value, list) else [value]
        steps: list[Step] = []
        for index, item in enumerate(items):
            item_key = f"{key}[{index}]" if isinstance(value, list) else key
            table = self.table(item, item_key, required=("within", "count"))
            within = self.reserve_tier(table["within"], f"{item_key}.within")
            steps.append(CallReserve(within, self.integer(table["count"], f"{item_key}.count", 1)))
        if not steps:
            raise self.fail(key, "give at least one {within, count}")
        return steps

    def announcement(self, queue: str, key: str, value: Any) -> list[Step]:
        return [Announcement(self.text(value, key))]

    def offer_callbacks(self, queue: str, key: str, value: Any) -> list[Step]:
        table = self.table(value, key, required=("ewt_above",), optional=("predictor",))
        predictor = table.get("predictor", "erlang_a")
        if predictor not in PREDICTOR_NAMES:
            raise self.fail(f"{key}.predictor",
                            f"{predictor!r}: use one of {', '.join(PREDICTOR_NAMES)}")  # fmt: skip
        return [OfferCallbacks(self.duration(table["ewt_above"], f"{key}.ewt_above"), predictor)]

    def overflow(self, queue: str, key: str, value: Any) -> list[Step]:
        if isinstance(value, str):
            value = {"to": value}
        table = self.table(value, key, required=("to",), optional=("level",))
        target = self.identifier(table["to"], f"{key}.to")
        self.check_queue(target, f"{key}.to")
        level = self.integer(table.get("level", 1), f"{key}.level", minimum=1)
        return [Overflow(target, level)]

    _ACTIONS: ClassVar[dict[str, Callable[[_Reader, str, str, Any], list[Step]]]] = {
        "ready_reasons": ready_reasons,
        "add_support_group": add_support_group,
        "call_reserve": call_reserve,
        "announcement": announcement,
        "offer_callbacks": offer_callbacks,
        "overflow": overflow,
    }

    def reserve(self, data: Any) -> tuple[ReservePerson, ...]:
        if not isinstance(data, list):
            raise self.fail("reserve", "give a list of people")
        people: list[ReservePerson] = []
        seen: set[str] = set()
        for index, item in enumerate(data):
            key = f"reserve[{index}]"
            table = self.table(item, key, required=("id", "contact", "within"),
                               optional=("name", "skills"))  # fmt: skip
            person_id = self.identifier(table["id"], f"{key}.id")
            if person_id in seen:
                raise self.fail(f"{key}.id", f"{person_id!r} is on the roster twice")
            seen.add(person_id)
            skills = self.table(table.get("skills", {}), f"{key}.skills")
            people.append(
                ReservePerson(
                    person_id=person_id,
                    name=self.text(table.get("name", person_id), f"{key}.name"),
                    contact=self.text(table["contact"], f"{key}.contact"),
                    within_s=self.reserve_tier(table["within"], f"{key}.within"),
                    skills={
                        self.identifier(skill, f"{key}.skills"): self.integer(
                            level, f"{key}.skills.{skill}", minimum=1
                        )
                        for skill, level in skills.items()
                    },
                )
            )
        return tuple(people)

    # ------------------------------------------------------------ whole plan

    def check_overflow_cycles(self, plans: tuple[QueuePlan, ...]) -> None:
        """Overflow from A to B and B back to A (or longer loops) would hand callers
        round in circles; name the loop."""
        targets: dict[str, list[tuple[str, str]]] = {}
        for plan in plans:
            for tier_index, tier in enumerate(plan.tiers):
                for step in tier.steps:
                    if isinstance(step, Overflow):
                        key = f"queues.{plan.queue}.tiers[{tier_index}].actions.overflow.to"
                        targets.setdefault(plan.queue, []).append((step.to, key))
        for start in targets:
            path = [start]
            self.walk_overflow(start, targets, path, {start})

    def walk_overflow(
        self,
        queue: str,
        targets: Mapping[str, list[tuple[str, str]]],
        path: list[str],
        on_path: set[str],
    ) -> None:
        for target, key in targets.get(queue, []):
            if target in on_path:
                loop = " -> ".join([*path[path.index(target) :], target])
                raise self.fail(key, f"overflow loops back: {loop}")
            path.append(target)
            on_path.add(target)
            self.walk_overflow(target, targets, path, on_path)
            on_path.discard(target)
            path.pop()

    def check_reserve_sizes(
        self, plans: tuple[QueuePlan, ...], reserve: tuple[ReservePerson, ...]
    ) -> None:
        wanted: dict[float, int] = {}
        for plan in plans:
            for tier_index, tier in enumerate(plan.tiers):
                for step in tier.steps:
                    if not isinstance(step, CallReserve):
                        continue
                    wanted[step.within_s] = wanted.get(step.within_s, 0) + step.count
                    have = sum(1 for p in reserve if p.within_s == step.within_s)
                    if wanted[step.within_s] > have:
                        key = f"queues.{plan.queue}.tiers[{tier_index}].actions.call_reserve"
                        raise self.fail(key, f"calls {wanted[step.within_s]} people of the "
                                        f"{step.within_s / 60:.0f}m tier in all, but the roster "
                                        f"has {have}; add people under `reserve`")  # fmt: skip

    # ---------------------------------------------------------------- values

    def check_queue(self, queue: str, key: str) -> None:
        if self.known_queues is not None and queue not in self.known_queues:
            raise self.fail(key, f"unknown queue {queue!r}; known: "
                            f"{', '.join(sorted(self.known_queues))}")  # fmt: skip

    def table(
        self,
        data: Any,
        key: str,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] | None = None,
    ) -> dict[str, Any]:
        """A mapping with these keys; `optional` None allows any other keys."""
        if not isinstance(data, dict):
            raise self.fail(key, "expected a table of keys")
        for name in required:
            if name not in data:
                raise self.fail(f"{key}.{name}".removeprefix("(top)."), "missing")
        if optional is not None:
            allowed = set(required) | set(optional)
            for name in data:
                if name not in allowed:
                    raise self.fail(f"{key}.{name}".removeprefix("(top)."),
                                    f"unknown key; use {', '.join(sorted(allowed))}")  # fmt: skip
        return {str(k): v for k, v in data.items()}

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected non-empty text")
        return value

    def identifier(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not _NAME.match(value):
            raise self.fail(key, f"{value!r}: expected a name of letters, digits, _ . : -")
        return value

    def integer(self, value: Any, key: str, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"{value!r}: expected a whole number of at least {minimum}")
        return value

    def duration(self, value: Any, key: str) -> float:
        try:
            return seconds(value)
        except BadInput as exc:
            raise self.fail(key, str(exc)) from None

    def reserve_tier(self, value: Any, key: str) -> float:
        within = self.duration(value, key)
        if within not in RESERVE_TIERS_S:
            raise self.fail(key, f"{value!r}: reserve tiers are 30m, 60m and 120m")
        return within
