"""What a center can be asked without changing it: positions, expected waits, states.

A mixin of `Center`, kept apart so that the command side stays readable; the
attributes it reads are the center's own.
"""

from __future__ import annotations

from typing import Any

from callboard.engine.agents import NOT_READY, LiveAgent
from callboard.engine.contact import OFFERED, WAITING, Contact
from callboard.engine.ewt import Accuracy, Predictor, calibrated_range
from callboard.engine.queues import LiveQueue
from callboard.errors import UnknownAgent, UnknownQueue


class CenterQueries:
    _queues: dict[str, LiveQueue]
    _agents: dict[str, LiveAgent]
    _contacts: dict[str, Contact]
    _predictors: dict[str, Predictor]
    _accuracy: dict[tuple[str, str], Accuracy]
    _now: float

    @property
    def now(self) -> float:
        """The time of the latest command or timer."""
        return self._now

    def queue_names(self) -> list[str]:
        return list(self._queues)

    def in_center(self) -> int:
        """Contacts not finished yet: waiting, prompted, offered or connected."""
        return len(self._contacts)

    def live_contacts(self) -> list[Contact]:
        """Every contact in the center, oldest arrival first (read-only by convention)."""
        return sorted(self._contacts.values(), key=lambda c: (c.arrived_at, c.contact_id))

    def contact(self, contact_id: str) -> Contact | None:
        """A contact still in the center (read-only by convention)."""
        return self._contacts.get(contact_id)

    def position(self, contact_id: str) -> int | None:
        """1-based place in its queue's service order, None if not waiting."""
        contact = self._contacts.get(contact_id)
        if contact is None or contact.state != WAITING:
            return None
        return self._queues[contact.queue].line.position(contact)

    def expected_wait(self, contact_id: str, predictor: str | None = None) -> float | None:
        """Remaining expected wait from `predictor` (default: the queue's announced one)."""
        contact = self._contacts.get(contact_id)
        if contact is None or contact.state != WAITING:
            return None
        live_queue = self._queues[contact.queue]
        name = predictor or live_queue.spec.announce or "queue_length"
        position = live_queue.line.position(contact)
        return self._predictors[name].predict(live_queue, position, self._now)

    def expected_wait_range(self, contact_id: str) -> tuple[float, float] | None:
        """The 10–90% range of the remaining wait, for queues with a calibrated model."""
        contact = self._contacts.get(contact_id)
        if contact is None or contact.state != WAITING:
            return None
        live_queue = self._queues[contact.queue]
        return calibrated_range(live_queue, live_queue.line.position(contact), self._now)

    def waiting(self, queue: str) -> list[str]:
        """Ids of the contacts waiting in `queue`, in service order."""
        return [c.contact_id for c in self._queue(queue).line.waiting()]

    def agent_ids(self) -> list[str]:
        return list(self._agents)

    def agent_state(self, agent_id: str) -> tuple[str, str | None]:
        agent = self._agent(agent_id)
        return agent.state, agent.reason

    def agent_view(self, agent_id: str) -> dict[str, Any]:
        """An agent as a supervisor's console shows it: state, skills, the queues it
        serves now (widening included) and the contacts it holds."""
        agent = self._agent(agent_id)
        return {
            "agent_id": agent_id,
            "state": agent.state,
            "reason": agent.reason,
            "skills": dict(agent.skills),
            "queues": sorted(agent.tiers),
            "group": agent.group,
            "contacts": list(agent.contacts),
        }

    def queue_status(self, queue: str) -> dict[str, Any]:
        """What a wallboard shows for one queue right now."""
        live_queue = self._queue(queue)
        waiting = live_queue.line.waiting()
        by_state: dict[str, int] = {}
        for agent in self._agents.values():
            if queue in agent.tiers:
                key = agent.state if agent.state != NOT_READY else f"not_ready:{agent.reason}"
                by_state[key] = by_state.get(key, 0) + 1
        return {
            "queue": queue,
            "mode": live_queue.mode,
            "message": live_queue.message,
            "waiting": sum(1 for c in waiting if not c.callback),
            "callbacks": sum(1 for c in waiting if c.callback),
            "oldest_wait_s": self._now - min((c.queued_at for c in waiting), default=self._now),
            "agents": by_state,
        }

    def offer_timer_stale(self, timer: tuple[float, int, str, str, float]) -> bool:
        """An offer timeout whose offer ended, which can never fire; snapshots leave it out."""
        if timer[2] != "offer_timeout":
            return False
        contact = self._contacts.get(timer[3])
        return contact is None or contact.state != OFFERED or contact.offered_at != timer[4]

    def ewt_accuracy(self) -> dict[str, dict[str, dict[str, float | int | None]]]:
        """Per queue, per predictor: announced versus actual waits so far."""
        report: dict[str, dict[str, dict[str, float | int | None]]] = {}
        for (queue, name), accuracy in sorted(self._accuracy.items()):
            report.setdefault(queue, {})[name] = accuracy.summary()
        return report

    def _agent(self, agent_id: str) -> LiveAgent:
        try:
            return self._agents[agent_id]
        except KeyError:
            raise UnknownAgent(f"unknown agent {agent_id!r}") from None

    def _queue(self, name: str) -> LiveQueue:
        try:
            return self._queues[name]
        except KeyError:
            known = ", ".join(sorted(self._queues))
            raise UnknownQueue(f"unknown queue {name!r}; known: {known}") from None
