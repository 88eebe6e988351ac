"""/api/v1/triage: ask for a suggestion, and record an agent's correction of one.

Every contact and case is classified as it arrives (server/triage_hook.py);
these routes are for the rest: a desk or a CRM asking about a text, and the
desk telling what the category really was. A correction is kept in the event
log (`callboard.triage.Corrections`); `callboard triage train` learns from it.
A correction may name only its contact: the text and the suggestion are then
read back from the contact's arrival.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from callboard.server.auth import require
from callboard.server.clock import now
from callboard.server.inputs import MAX_ID, Body
from callboard.server.openapi_responses import BODY, SIGNED_IN, declare
from callboard.server.routes import contacts
from callboard.store import Principal, Role
from callboard.triage import CATEGORY, Correction, Corrections, Triage, request_text

router = APIRouter(prefix="/api/v1/triage", tags=["triage"], responses=declare(*SIGNED_IN))
Asker = Annotated[Principal, Depends(require(Role.AGENT, Role.SUPERVISOR, Role.INTEGRATION))]
Staff = Annotated[Principal, Depends(require(Role.AGENT, Role.SUPERVISOR))]
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]
MAX_TEXT = 20_000  # an e-mail body's worth


class TextIn(Body):
    text: str = Field(..., min_length=1, max_length=MAX_TEXT)
    priority: int = Field(0, ge=0, le=9, description="the priority the request came with")


class CorrectionIn(Body):
    category: str = Field(..., min_length=1, max_length=128, pattern=r"\S")
    text: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    suggested: str | None = Field(None, max_length=128)
    case_id: int | None = Field(None, ge=1, le=MAX_ID)
    contact_id: str | None = Field(None, min_length=1, max_length=128)


def _triage(request: Request) -> Triage:
    triage: Triage = request.app.state.triage
    return triage


@router.get("")
def about(principal: Asker, request: Request) -> dict[str, Any]:
    """What this server classifies with: the model's categories and threshold, the rules."""
    triage = _triage(request)
    model = triage.model
    return {
        "model": None if model is None else {
            "categories": list(model.labels), "threshold": model.threshold,
        },
        "rules": [{"name": r.name, "priority": r.priority} for r in triage.rules.rules],
    }  # fmt: skip


@router.post("/classify", responses=declare(BODY))
def classify(body: TextIn, principal: Asker, request: Request) -> dict[str, object]:
    return _triage(request).suggest(body.text, body.priority).as_dict()


@router.post("/corrections", status_code=201, responses=declare(404, BODY))
async def correct(body: CorrectionIn, principal: Staff, request: Request) -> dict[str, object]:
    """Record that `category` is right for a request, whatever was suggested."""
    text, suggested = body.text, body.suggested
    if body.contact_id is not None and (text is None or suggested is None):
        arrival = await run_in_threadpool(contacts.arrival, request, body.contact_id)
        if arrival is None:
            raise HTTPException(404, f"no contact {body.contact_id}")
        attributes = arrival.get("attributes") or {}
        text = text or request_text(attributes) or None
        suggested = suggested or attributes.get(CATEGORY)
    if text is None:
        raise HTTPException(422, "give the request's text, or a contact_id whose arrival has one")
    correction = Correction(
        text, suggested, body.category.strip(), principal.name, now(request).timestamp(),
        body.case_id, body.contact_id,
    )  # fmt: skip
    await run_in_threadpool(Corrections(request.app.state.engine).record, correction)
    return correction.as_dict()


@router.get("/corrections")
def corrections(principal: Supervisor, request: Request) -> dict[str, Any]:
    """Every correction recorded, oldest first."""
    found = Corrections(request.app.state.engine).all()
    return {"corrections": [c.as_dict() for c in found]}
