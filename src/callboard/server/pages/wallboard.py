"""The wallboard: every queue's line, service level and agents, for a TV across the room.

The page is rendered with one panel per queue so that every label is in the
page's language before any script runs; wallboard.js then fills the figures
from the queue SSE stream (once a second) and the surge figures (every 2 s).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from callboard.domain import NotReadyReason
from callboard.server.live import LiveCenter
from callboard.server.pages.common import render, signed_in
from callboard.store import Role

router = APIRouter(include_in_schema=False)
# (figure, KPI.md definition name shown beside it); the names are the fields wallboard.js fills.
FIGURES: list[tuple[str, str | None]] = [
    ("waiting", None),
    ("oldest_wait", None),
    ("callbacks", None),
    ("sl_15m", "sl"),
    ("sl_30m", "sl"),
    ("sl_today", "sl"),
    ("abandon_rate_30m", "abandon_rate"),
    ("abandon_rate_today", "abandon_rate"),
]
# Figures read from the live KPI report, which only supervisors may read; the rolling
# ones from /api/v1/surge are on every wallboard, an agent's too.
SUPERVISOR_FIGURES = {"sl_today", "abandon_rate_today"}
# Agent states as the engine's queue_status counts them; reserved ones show as busy.
STATES = ["ready", "busy", "wrap_up"] + [f"not_ready:{reason.value}" for reason in NotReadyReason]


def queue_names(request: Request) -> list[str]:
    """The live center's queues, or none when this server runs no center."""
    live: LiveCenter | None = request.app.state.live
    if live is None:
        return []
    names: list[str] = live.read(lambda center: center.queue_names())
    return names


@router.get("/wallboard", response_class=HTMLResponse)
def wallboard(request: Request) -> HTMLResponse:
    principal = signed_in(request, "wallboard")
    supervises = principal is not None and principal.role in (Role.SUPERVISOR, Role.ADMIN)
    figures = [f for f in FIGURES if supervises or f[0] not in SUPERVISOR_FIGURES]
    return render(
        request, "wallboard.html", screen="wallboard", principal=principal,
        script="wallboard.js", queues=queue_names(request),
        figures=figures, states=STATES,
    )  # fmt: skip
