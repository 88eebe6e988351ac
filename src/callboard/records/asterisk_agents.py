"""Agent-state spans from Asterisk queue_log agent events.

An agent is logged in while it is a member of at least one queue (ADDMEMBER
or AGENTLOGIN, until REMOVEMEMBER or AGENTLOGOFF) and paused between PAUSE or
PAUSEALL and UNPAUSE or UNPAUSEALL. Pauses are taken per agent, not per queue:
app_queue pauses a member in one queue at a time, but an agent paused in any
queue is not taking that queue's calls, and occupancy is an agent figure.
A span still open when the log ends is closed at the log's last event and
counted (`open_agent_spans`), because a rotated log has no end of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from callboard.domain import AgentStateSpan

LOGIN = frozenset({"ADDMEMBER", "AGENTLOGIN", "AGENTCALLBACKLOGIN"})
LOGOFF = frozenset({"REMOVEMEMBER", "AGENTLOGOFF", "AGENTCALLBACKLOGOFF"})
PAUSE = frozenset({"PAUSE", "PAUSEALL"})
UNPAUSE = frozenset({"UNPAUSE", "UNPAUSEALL"})


@dataclass
class _Agent:
    queues: set[str] = field(default_factory=set)
    logged_in_at: float | None = None
    paused_at: float | None = None
    pause_reason: str | None = None


def agent_spans(
    events: Iterable[tuple[float, str, str, str, tuple[str, ...]]], source: str
) -> tuple[list[AgentStateSpan], Counter[str]]:
    """Spans from agent events given in time order."""
    agents: dict[str, _Agent] = {}
    spans: list[AgentStateSpan] = []
    counters: Counter[str] = Counter()
    last = None

    def close_pause(name: str, agent: _Agent, at: float) -> None:
        if agent.paused_at is not None:
            spans.append(_span(name, "paused", agent.paused_at, at, source, agent.pause_reason))
            agent.paused_at, agent.pause_reason = None, None

    for at, name, queue, event, data in events:
        last = at
        if not name or name == "NONE":
            continue
        agent = agents.setdefault(name, _Agent())
        if event in LOGIN:
            agent.queues.add(queue)
            if agent.logged_in_at is None:
                agent.logged_in_at = at
            if event == "ADDMEMBER" and data[:1] == ("PAUSED",) and agent.paused_at is None:
                agent.paused_at = at
        elif event in LOGOFF:
            agent.queues.discard(queue)
            if event != "REMOVEMEMBER" or not agent.queues:
                close_pause(name, agent, at)
                if agent.logged_in_at is not None:
                    spans.append(_span(name, "logged_in", agent.logged_in_at, at, source))
                agent.logged_in_at = None
                agent.queues.clear()
        elif event in PAUSE and agent.paused_at is None:
            agent.paused_at = at
            agent.pause_reason = (data[0] or None) if data else None
        elif event in UNPAUSE:
            close_pause(name, agent, at)
    if last is not None:
        for name, agent in agents.items():
            if agent.paused_at is not None:
                counters["open_agent_spans"] += 1
                close_pause(name, agent, last)
            if agent.logged_in_at is not None:
                counters["open_agent_spans"] += 1
                spans.append(_span(name, "logged_in", agent.logged_in_at, last, source))
    return [s for s in spans if s.end_at > s.start_at], counters


def _span(
    agent: str, state: str, start: float, end: float, source: str, reason: str | None = None
) -> AgentStateSpan:
    return AgentStateSpan(
        agent=agent, state=state, source=source, reason=reason,
        start_at=datetime.fromtimestamp(start, UTC), end_at=datetime.fromtimestamp(end, UTC),
    )  # fmt: skip
