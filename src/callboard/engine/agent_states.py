"""Agent states in `Center`: registering, logging in and out, ready and not ready,
skills, and the time accounts and pool membership those changes move.

A mixin, like `CenterQueries`, so that `center.py` keeps to contacts and
routing; the attributes and the two routing hooks it declares are the
center's own.
"""

from __future__ import annotations

from typing import Final

from callboard.domain import Agent, EventType
from callboard.engine.agents import (
    BUSY,
    HANDLING,
    LOGGED_OUT,
    NOT_READY,
    READY,
    WORKING,
    WRAP_UP,
    LiveAgent,
)
from callboard.engine.outputs import RawEvent
from callboard.engine.queries import CenterQueries
from callboard.errors import CommandRefused

_AGENT: Final = EventType.AGENT_STATE_CHANGED


class AgentStates(CenterQueries):
    _record: bool
    _events: list[RawEvent]

    def _free(self, now: float, agent: LiveAgent) -> None:
        """The agent can take work. Routing lives in the center, which overrides this; it
        is a method rather than a declared attribute because mypyc would give such an
        attribute a slot of its own, left undefined."""
        raise NotImplementedError

    def _check_time(self, now: float) -> None:
        if now < self._now:
            raise CommandRefused(f"time went backwards: {now} after {self._now}")
        self._now = now

    def _withdraw(self, agent: LiveAgent) -> None:
        agent_id = agent.agent_id
        for _, pool in agent.pools:
            if agent_id in pool:
                del pool[agent_id]

    def _bind(self, agent: LiveAgent) -> None:
        """Derive the agent's pool list from its tiers (after any change of either)."""
        queues = self._queues
        agent.pools = [
            (queues[name].spec.channel, queues[name].pools[tier])
            for name, tier in agent.tiers.items()
        ]
        agent.serves = [(queues[name], tier) for name, tier in agent.tiers.items()]

    def add_agent(self, agent: Agent) -> None:
        """Register an agent, logged out."""
        if agent.agent_id in self._agents:
            raise CommandRefused(f"agent {agent.agent_id!r} is already in the center")
        live_agent = LiveAgent(agent, self._tiers(agent.skills))
        self._bind(live_agent)
        self._agents[agent.agent_id] = live_agent

    def login(self, now: float, agent_id: str, ready: bool = True) -> None:
        self._check_time(now)
        agent = self._agent(agent_id)
        if agent.state != LOGGED_OUT:
            return
        if ready:
            self._set_state(now, agent, READY, None)
            self._free(now, agent)
        else:
            self._set_state(now, agent, NOT_READY, "other")

    def logout(self, now: float, agent_id: str) -> None:
        """Log out now, or after the current contacts if the agent has any."""
        self._check_time(now)
        agent = self._agent(agent_id)
        if agent.contacts:
            agent.pending = (LOGGED_OUT, None)
            return
        self._withdraw(agent)
        if agent.state != LOGGED_OUT:
            self._set_state(now, agent, LOGGED_OUT, None)

    def set_ready(self, now: float, agent_id: str) -> None:
        """Ready now (ending wrap-up or not-ready early), or after the current contacts."""
        self._check_time(now)
        agent = self._agent(agent_id)
        if agent.contacts:
            agent.pending = None
            return
        if agent.state in (NOT_READY, WRAP_UP, LOGGED_OUT):
            self._set_state(now, agent, READY, None)
            self._free(now, agent)

    def set_not_ready(self, now: float, agent_id: str, reason: str) -> None:
        """Not ready for `reason` now, or once the current contacts are done."""
        self._check_time(now)
        agent = self._agent(agent_id)
        if agent.contacts:
            agent.pending = (NOT_READY, reason)
            return
        if agent.state == LOGGED_OUT:
            return
        self._withdraw(agent)
        self._set_state(now, agent, NOT_READY, reason)

    def set_skills(self, now: float, agent_id: str, skills: dict[str, int]) -> None:
        """Change what an agent may serve, as surge plans do when adding a support group."""
        self._check_time(now)
        agent = self._agent(agent_id)
        working = agent.state in WORKING
        self._withdraw(agent)
        if working:
            self._count_staffed(agent, -1)
        agent.skills = dict(skills)
        agent.tiers = self._tiers(agent.skills)
        self._bind(agent)
        if working:
            self._count_staffed(agent, +1)
        if agent.state == READY or (agent.state == BUSY and agent.contacts):
            self._free(now, agent)

    def _tiers(self, skills: dict[str, int]) -> dict[str, int]:
        """For each queue, the first tier whose requirement the skills meet."""
        tiers: dict[str, int] = {}
        for name, live_queue in self._queues.items():
            for tier, requirement in enumerate(live_queue.spec.tier_requirements()):
                if any(skills.get(skill, 0) >= level for skill, level in requirement.items()):
                    tiers[name] = tier
                    break
        return tiers

    def _set_state(self, now: float, agent: LiveAgent, state: str, reason: str | None) -> None:
        old = agent.state
        elapsed = now - agent.since
        if old == READY:
            agent.idle_s += elapsed
        elif old in HANDLING:
            agent.handle_s += elapsed
        if (old in WORKING) != (state in WORKING):
            self._count_staffed(agent, 1 if state in WORKING else -1)
        agent.state = state
        agent.reason = reason
        agent.since = now
        if self._record:
            data = {"from": old, "to": state, "reason": reason}
            self._events.append((_AGENT, now, None, agent.agent_id, None, data))

    def _count_staffed(self, agent: LiveAgent, change: int) -> None:
        for name, tier in agent.tiers.items():
            if tier == 0:
                self._queues[name].stats.staffed += change
