"""The supervisor console: queues and agents live, surge decisions, the timeline, projections,
and, where SLA policies run, the cases that have escalated or fall due soon.

The page is rendered with a row and a labelled form per queue and per agent,
so every control has its label in the page's language before any script
runs; console.js keeps the figures live and sends the supervisor's commands
to the same /api/v1 a CRM would use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from callboard.domain import NotReadyReason
from callboard.engine import Center
from callboard.server.live import LiveCenter
from callboard.server.pages.common import render, signed_in
from callboard.server.pages.wallboard import queue_names
from callboard.server.routes.reports import report_zone

router = APIRouter(include_in_schema=False)
# What a supervisor may set an agent to; console.js maps each to its API call.
AGENT_CHOICES = ["login", "ready"] + [f"not_ready:{r.value}" for r in NotReadyReason] + ["logout"]
QUEUE_MODES = ["hours", "open", "closed", "emergency"]


DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class AgentRow:
    """`since` is when the agent entered its state (POSIX seconds, the center's clock)."""

    agent_id: str
    state: str
    reason: str | None
    since: float
    contacts: list[str]

    @property
    def default_choice(self) -> str:
        """The change a supervisor most likely wants: log in someone logged out, put a
        not-ready agent back to ready, send anyone else (ready or busy: after the call)
        on a break."""
        if self.state == "logged_out":
            return "login"
        return "ready" if self.state == "not_ready" else "not_ready:break"


def natural(name: str) -> list[str | int]:
    """A sort key that puts heating-2 before heating-10, as people count."""
    return [int(part) if part.isdigit() else part.casefold() for part in DIGITS.split(name)]


def agents(request: Request) -> list[AgentRow]:
    """Every agent the live center knows, with its state, since when, and what it holds."""
    live: LiveCenter | None = request.app.state.live
    if live is None:
        return []

    def read(center: Center) -> list[AgentRow]:
        # The engine keeps when each agent entered its state only in its snapshot; the
        # page reads it once, and console.js follows the changes from there.
        since = {a["agent_id"]: a["since"] for a in center.snapshot()["agents"]}
        return [
            AgentRow(a, *center.agent_state(a), since.get(a, center.now),
                     center.agent_view(a)["contacts"])
            for a in sorted(center.agent_ids(), key=natural)
        ]  # fmt: skip

    rows: list[AgentRow] = live.read(read)
    return rows


@router.get("/console", response_class=HTMLResponse)
def console(request: Request) -> HTMLResponse:
    principal = signed_in(request, "console")
    return render(
        request, "console.html", screen="console", principal=principal, script="console.js",
        queues=queue_names(request), agents=agents(request), agent_choices=AGENT_CHOICES,
        queue_modes=QUEUE_MODES, sla=request.app.state.cases.policies.configured,
        zone=report_zone(request).key,
    )  # fmt: skip
