"""The supervisor console: queues and agents live, surge decisions, the timeline, projections,
and, where SLA policies run, the cases that have escalated or fall due soon.

The page is rendered with a row and a labelled form per queue and per agent,
so every control has its label in the page's language before any script
runs; console.js keeps the figures live and sends the supervisor's commands
to the same /api/v1 a CRM would use.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from callboard.domain import NotReadyReason
from callboard.engine import Center
from callboard.server.live import LiveCenter
from callboard.server.pages.common import render, signed_in
from callboard.server.pages.wallboard import queue_names

router = APIRouter(include_in_schema=False)
# What a supervisor may set an agent to; console.js maps each to its API call.
AGENT_CHOICES = ["login", "ready"] + [f"not_ready:{r.value}" for r in NotReadyReason] + ["logout"]
QUEUE_MODES = ["hours", "open", "closed", "emergency"]


@dataclass(frozen=True)
class AgentRow:
    agent_id: str
    state: str
    reason: str | None


def agents(request: Request) -> list[AgentRow]:
    """Every agent the live center knows, with the state it is in now."""
    live: LiveCenter | None = request.app.state.live
    if live is None:
        return []

    def read(center: Center) -> list[AgentRow]:
        return [AgentRow(a, *center.agent_state(a)) for a in sorted(center.agent_ids())]

    rows: list[AgentRow] = live.read(read)
    return rows


@router.get("/console", response_class=HTMLResponse)
def console(request: Request) -> HTMLResponse:
    principal = signed_in(request, "console")
    return render(
        request, "console.html", screen="console", principal=principal, script="console.js",
        queues=queue_names(request), agents=agents(request), agent_choices=AGENT_CHOICES,
        queue_modes=QUEUE_MODES, sla=request.app.state.cases.policies.configured,
    )  # fmt: skip
