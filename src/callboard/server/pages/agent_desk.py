"""The agent desk: state, offers, the caller, the case form, wrap-up, callbacks and the KB.

The page only renders; agent.js drives the public /api/v1 as the signed-in
agent (its state, the contacts it holds and the callbacks it can serve, cases,
the agent WebSocket), so the desk can do nothing a CRM could not.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from callboard.domain import CaseStatus, NotReadyReason
from callboard.server.pages.common import render, signed_in

router = APIRouter(include_in_schema=False)
# What the desk offers as an outcome; stored as the key, shown translated.
OUTCOMES = (
    "answered", "advice_given", "technician_sent", "escalated", "callback_promised",
    "wrong_number", "other",
)  # fmt: skip
CATEGORIES = ("no_heat", "hot_water", "billing", "meter_reading", "outage", "complaint", "other")
CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.PENDING, CaseStatus.RESOLVED)
WRAP_UP_S = (0, 30, 60, 120, 300)


@router.get("/agent", response_class=HTMLResponse)
def agent_desk(request: Request) -> HTMLResponse:
    principal = signed_in(request, "agent")
    if principal is None or principal.agent_id is None:
        raise HTTPException(403, "the agent desk needs a user that is an agent (has an agent id)")
    return render(
        request, "agent.html", screen="agent", principal=principal, script="agent.js",
        agent_id=principal.agent_id, reasons=list(NotReadyReason),
        categories=CATEGORIES, outcomes=OUTCOMES, statuses=CASE_STATUSES, wrap_up=WRAP_UP_S,
    )  # fmt: skip
