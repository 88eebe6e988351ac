"""Routing policies: which of the eligible idle agents gets a newly routable contact.

A policy sees the idle pools of the contact's queue for every widening tier
the contact has reached. Each pool is a dict in the order its agents became
idle, so the first entry is that pool's longest-idle agent. Policies are
registered by name in `POLICIES`, the same registry an outside policy uses,
and snapshots refer to them by that name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from callboard.engine.agents import LiveAgent
from callboard.errors import BadInput

Pool = dict[str, LiveAgent]


class RoutingPolicy(Protocol):
    name: str

    def choose(self, now: float, skill: str, pools: Sequence[Pool]) -> LiveAgent | None:
        """Pick one agent from `pools` (at least one is non-empty), or None to keep waiting."""
        ...


POLICIES: dict[str, Callable[[], RoutingPolicy]] = {}


def register_policy(name: str) -> Callable[[type], type]:
    def add(cls: type) -> type:
        POLICIES[name] = cls
        return cls

    return add


def make_policy(name: str) -> RoutingPolicy:
    try:
        return POLICIES[name]()
    except KeyError:
        raise BadInput(
            f"unknown routing policy {name!r}; known: {', '.join(sorted(POLICIES))}"
        ) from None


class LongestIdle:
    """The agent idle the longest; O(number of tiers) because pools are idle-ordered."""

    name = "longest_idle"

    def choose(self, now: float, skill: str, pools: Sequence[Pool]) -> LiveAgent | None:
        best: LiveAgent | None = None
        for pool in pools:
            if pool:
                first = next(iter(pool.values()))
                if best is None or first.idle_since < best.idle_since:
                    best = first
        return best


def _lowest(
    pools: Sequence[Pool], key: Callable[[LiveAgent], tuple[float, float]]
) -> LiveAgent | None:
    """The agent with the smallest key across the pools; the first seen on ties."""
    best: LiveAgent | None = None
    best_key: tuple[float, float] | None = None
    for pool in pools:
        for agent in pool.values():
            agent_key = key(agent)
            if best_key is None or agent_key < best_key:
                best, best_key = agent, agent_key
    return best


class LeastOccupancy:
    """The agent with the lowest occupancy so far, longest idle on ties: spreads the work."""

    name = "least_occupancy"

    def choose(self, now: float, skill: str, pools: Sequence[Pool]) -> LiveAgent | None:
        return _lowest(pools, lambda agent: (agent.occupancy(now), agent.idle_since))


class BestSkillThenLongestIdle:
    """The highest level in the queue's skill, longest idle among equals."""

    name = "best_skill"

    def choose(self, now: float, skill: str, pools: Sequence[Pool]) -> LiveAgent | None:
        return _lowest(pools, lambda agent: (-agent.skills.get(skill, 0), agent.idle_since))


# Registered after the classes rather than by decorating them: mypyc compiles a
# decorated class as a plain Python class, and cannot compile the closures above in one.
register_policy("longest_idle")(LongestIdle)
register_policy("least_occupancy")(LeastOccupancy)
register_policy("best_skill")(BestSkillThenLongestIdle)
