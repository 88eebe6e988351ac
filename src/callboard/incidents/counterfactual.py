"""The causes as changes to a replay: each one sets one part of the window back to normal.

A `Cause` holds what is normal for its part; `apply` returns the window with
that part changed. Randomness (which arrivals to drop, where to add them) comes
from a generator seeded by the replication and the cause, so every combination
of causes in one replication sees the same draws: common random numbers, which
is what keeps the Shapley differences from drowning in simulation noise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from callboard.sim import ReplayWindow, WindowGroup, WindowQueue

VOLUME = "volume"
HANDLING = "handling_time"
STAFFING = "staffing"
NOT_SCHEDULED = "not_scheduled"
SHRINKAGE = "shrinkage"
ROUTING = "routing"

LABELS = {
    VOLUME: "volume above forecast",
    HANDLING: "longer handling time",
    STAFFING: "fewer agents on the line than required",
    NOT_SCHEDULED: "agents not scheduled (logged in below required)",
    SHRINKAGE: "scheduled but not available (breaks, not-ready time)",
    ROUTING: "agents without their usual skills",
}


@dataclass(frozen=True)
class Cause:
    """`normal` is the cause's own description of normal: forecast counts per queue and
    slot (volume), a mean talk time per queue (handling), the queues and extra agents
    per slot (staffing), or each agent's usual skills (routing)."""

    name: str
    normal: object

    def apply(self, window: ReplayWindow, rng: np.random.Generator) -> ReplayWindow:
        if self.name == VOLUME:
            assert isinstance(self.normal, Mapping)
            return _volume(window, self.normal, rng)
        if self.name == HANDLING:
            assert isinstance(self.normal, Mapping)
            return _handling(window, self.normal)
        if self.name in (STAFFING, NOT_SCHEDULED, SHRINKAGE):
            assert isinstance(self.normal, tuple)
            skills, extra = self.normal
            return add_agents(window, skills, extra, f"x-{self.name}")
        assert isinstance(self.normal, Mapping)
        return _routing(window, self.normal)


def apply_all(
    window: ReplayWindow, causes: Sequence[Cause], normal: frozenset[str], seed: int
) -> ReplayWindow:
    for index, cause in enumerate(causes):
        if cause.name in normal:
            window = cause.apply(window, np.random.default_rng([seed, index]))
    return window


def add_agents(
    window: ReplayWindow, skills: tuple[str, ...], extra: Sequence[int], name: str
) -> ReplayWindow:
    """The window with `extra[slot]` more agents serving the queues `skills`."""
    counts = tuple(max(int(n), 0) for n in extra)
    if not any(counts):
        return window
    return replace(window, groups=(*window.groups, WindowGroup(name, skills, counts)))


def _volume(
    window: ReplayWindow, forecast: Mapping[str, np.ndarray], rng: np.random.Generator
) -> ReplayWindow:
    for queue in window.queues:
        expected = forecast.get(queue.name)
        if expected is None:
            continue
        offsets = np.asarray(queue.offsets)
        priorities = np.asarray(queue.priorities)
        slot_of = (offsets // window.interval_s).astype(np.int64)
        kept_offsets, kept_priorities = [], []
        for slot in range(window.slots):
            mine = np.flatnonzero(slot_of == slot)
            target = int(np.floor(expected[slot] + rng.random()))  # stochastic rounding
            if target <= len(mine):
                chosen = np.sort(rng.choice(mine, size=target, replace=False))
                kept_offsets.append(offsets[chosen])
                kept_priorities.append(priorities[chosen])
            else:
                extra = target - len(mine)
                low = slot * window.interval_s
                kept_offsets.append(
                    np.concatenate([offsets[mine], low + rng.random(extra) * window.interval_s])
                )
                pool = priorities[mine] if len(mine) else np.zeros(1, dtype=np.int64)
                kept_priorities.append(np.concatenate([priorities[mine], rng.choice(pool, extra)]))
        all_offsets = np.concatenate(kept_offsets) if kept_offsets else np.empty(0)
        all_priorities = np.concatenate(kept_priorities) if kept_priorities else np.empty(0)
        order = np.argsort(all_offsets, kind="stable")
        window = window.with_queue(replace(
            queue, offsets=tuple(all_offsets[order].tolist()),
            priorities=tuple(int(p) for p in all_priorities[order]),
        ))  # fmt: skip
    return window


def _handling(window: ReplayWindow, usual: Mapping[str, float]) -> ReplayWindow:
    for queue in window.queues:
        mean = usual.get(queue.name)
        if mean is None or not np.isfinite(mean):
            continue
        scale = mean / queue.service_mean_s
        window = window.with_queue(replace(
            queue, service_mean_s=mean, service_sd_s=queue.service_sd_s * scale
        ))  # fmt: skip
    return window


def _routing(window: ReplayWindow, usual: Mapping[str, frozenset[str]]) -> ReplayWindow:
    groups = []
    for group in window.groups:
        skills = set(group.skills)
        for agent in group.agents:
            skills |= usual.get(agent, frozenset())
        groups.append(replace(group, skills=tuple(sorted(skills))))
    return replace(window, groups=tuple(groups))


def routing_differs(window: ReplayWindow, usual: Mapping[str, frozenset[str]]) -> bool:
    """Whether any agent on the line lacked a queue of the window they usually serve."""
    names = {q.name for q in window.queues}
    return any(
        (usual.get(agent, frozenset()) & names) - set(group.skills)
        for group in window.groups
        for agent in group.agents
        if max(group.on_duty, default=0) > 0
    )


def queue_of(window: ReplayWindow, name: str) -> WindowQueue | None:
    return next((q for q in window.queues if q.name == name), None)
