"""The wallboard: every queue's line, service level and agents, for a TV across the room.

The page is rendered with one panel per queue so that every label is in the
page's language before any script runs; wallboard.js then fills the figures
from the queue SSE stream (once a second) and the surge figures (every 2 s),
and judges each against the queue's targets (server/targets.py). The clock is
the center's, in its zone; `?kiosk=1` leaves out the navigation for a wall.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from callboard.domain import NotReadyReason
from callboard.server.live import LiveCenter
from callboard.server.pages.common import render, signed_in
from callboard.server.routes.reports import report_zone
from callboard.server.surge_live import SurgeLive
from callboard.server.targets import NO_TARGETS, Targets, plan_targets
from callboard.store import Role

router = APIRouter(include_in_schema=False)
# (figure, KPI.md definition name, shown in its tooltip); the names are the fields wallboard.js
# fills, and the definition name is also the target the figure is judged against.
FIGURES: list[tuple[str, str | None]] = [
    ("waiting", None),
    ("oldest_wait", "longest_wait"),
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


def targets(request: Request) -> Targets:
    """The server's targets file (`serve --targets`), else the plan's target SL, else none."""
    configured: Targets | None = request.app.state.targets
    if configured is not None:
        return configured
    surge: SurgeLive | None = request.app.state.surge
    plan = None if surge is None else surge.plan
    return NO_TARGETS if plan is None else plan_targets(plan)


@router.get("/wallboard", response_class=HTMLResponse)
def wallboard(request: Request, kiosk: bool = False) -> HTMLResponse:
    principal = signed_in(request, "wallboard")
    supervises = principal is not None and principal.role in (Role.SUPERVISOR, Role.ADMIN)
    figures = [f for f in FIGURES if supervises or f[0] not in SUPERVISOR_FIGURES]
    judged = targets(request)
    queues = queue_names(request)
    return render(
        request, "wallboard.html", screen="wallboard", principal=principal,
        script="wallboard.js", queues=queues, figures=figures, states=STATES, kiosk=kiosk,
        zone=report_zone(request).key, targets_source=judged.source,
        targets={queue: judged.of(queue).as_dict() for queue in queues},
    )  # fmt: skip
