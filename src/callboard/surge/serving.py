"""Who can serve each queue now: the per-queue `agents_*` figures.

The events carry no queue for agent changes, so `LiveMetrics` alone can only
count agents center-wide; a queue's figures must come from the center. An
agent serves a queue at the first widening tier whose requirement its skills
meet, at the required level (the engine's own rule, from
`QueueSpec.tier_requirements`), and can serve it *now* once the queue's
longest-waiting contact has waited into that tier: with nobody waiting, only
the base tier counts. A back-office agent lent to heating after 60 s of
waiting is a heating agent while a caller has waited 60 s, and not before.

Counts are keyed as `Center.queue_status` keys them: the state, or
`not_ready:<reason>`; logged-out agents are left out. The engine offers no
query for a queue's spec, so the specs are read once from the snapshot (they
never change while the center runs); skills are read per agent, since surge
plans change them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from callboard.engine import Center, QueueSpec, WideningStep

AgentCounts = dict[str, int]


class Eligibility:
    """Each queue's tier requirements and the waits at which the tiers open."""

    def __init__(self, specs: Iterable[QueueSpec]) -> None:
        self._tiers = {
            spec.name: list(zip(spec.tier_thresholds(), spec.tier_requirements(), strict=True))
            for spec in specs
        }

    @classmethod
    def of(cls, center: Center) -> Eligibility:
        """The rules of `center`'s queues, from its snapshot (read once)."""
        return cls(_spec(queue["spec"]) for queue in center.snapshot()["queues"])

    def counts(self, center: Center, now: float | None = None) -> dict[str, AgentCounts]:
        """Per queue, the agents who can serve it at `now` (default the center's time;
        a live server asks at its clock, a moment past the last command), by state key."""
        at = center.now if now is None else max(now, center.now)
        reached: dict[str, list[dict[str, int]]] = {}
        for queue, tiers in self._tiers.items():
            status = center.queue_status(queue)
            in_line = status["waiting"] + status["callbacks"] > 0
            waited = status["oldest_wait_s"] + at - center.now if in_line else 0.0
            reached[queue] = [requirement for opens, requirement in tiers if waited >= opens]
        result: dict[str, AgentCounts] = {queue: {} for queue in self._tiers}
        for agent_id in center.agent_ids():
            view = center.agent_view(agent_id)
            if view["state"] == "logged_out":
                continue
            key = view["state"] if view["state"] != "not_ready" else f"not_ready:{view['reason']}"
            skills: Mapping[str, int] = view["skills"]
            for queue, requirements in reached.items():
                if any(_meets(skills, requirement) for requirement in requirements):
                    counts = result[queue]
                    counts[key] = counts.get(key, 0) + 1
        return result


def _meets(skills: Mapping[str, int], requirement: Mapping[str, int]) -> bool:
    return any(skills.get(skill, 0) >= level for skill, level in requirement.items())


def _spec(data: Mapping[str, Any]) -> QueueSpec:
    widening = tuple(WideningStep(float(s["after_s"]), dict(s["skills"])) for s in data["widening"])
    return QueueSpec(str(data["name"]), str(data["skill"]), int(data["min_level"]),
                     widening=widening)  # fmt: skip
