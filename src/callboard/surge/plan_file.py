"""Reading surge plan files (TOML or YAML) into a validated `Plan`.

The config models in `plan_model` check the file; every problem is a
`BadConfig(file, key, problem)` with `key` the dotted path
(`queues.heating.tiers[1].trigger`), raised when the plan loads. This module
turns the checked file into the runner's types.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from callboard.config import read_config, validate
from callboard.surge.plan import (
    AddSupportGroup,
    Announcement,
    CallReserve,
    OfferCallbacks,
    Overflow,
    Plan,
    QueuePlan,
    ReadyReasons,
    ReservePerson,
    Step,
    Tier,
)
from callboard.surge.plan_model import ActionsTable, PlanFile


def load_plan(path: str | Path, queues: Collection[str] | None = None) -> Plan:
    """Read and validate a `.toml`, `.yaml` or `.yml` plan; with `queues`, every queue the
    plan names must be one of them."""
    data, name = read_config(path, "plan")
    return parse_plan(data, name, queues)


def parse_plan(data: Any, file: str = "<plan>", queues: Collection[str] | None = None) -> Plan:
    """Validate already-parsed plan data; `file` names it in errors."""
    checked = validate(PlanFile, data, file, {"queues": queues})
    plans = tuple(
        QueuePlan(
            queue,
            tuple(
                Tier(tier.tier, tier.trigger, checked.clear_after(tier), _steps(tier.actions))
                for tier in body.tiers
            ),
        )
        for queue, body in checked.queues.items()
    )
    reserve = tuple(
        ReservePerson(
            person_id=person.id,
            name=person.name or person.id,
            contact=person.contact,
            within_s=person.within,
            skills=dict(person.skills),
        )
        for person in checked.reserve
    )
    return Plan(checked.name, checked.mode, plans, reserve, checked.target_sl,
                late_after_s=checked.late_after, min_stay_s=checked.min_stay)  # fmt: skip


def _steps(actions: ActionsTable) -> tuple[Step, ...]:
    steps: list[Step] = []
    for action in actions.order:
        if action == "ready_reasons" and actions.ready_reasons:
            steps.append(ReadyReasons(actions.ready_reasons))
        elif action == "add_support_group" and actions.add_support_group:
            group = actions.add_support_group
            steps.append(AddSupportGroup(group.group, group.level))
        elif action == "call_reserve":
            steps.extend(CallReserve(c.within, c.count) for c in actions.call_reserve or ())
        elif action == "announcement" and actions.announcement:
            steps.append(Announcement(actions.announcement))
        elif action == "offer_callbacks" and actions.offer_callbacks:
            offer = actions.offer_callbacks
            steps.append(OfferCallbacks(offer.ewt_above, offer.predictor))
        elif action == "overflow" and actions.overflow:
            steps.append(Overflow(actions.overflow.to, actions.overflow.level))
    return tuple(steps)
