"""/api/v1/contacts: callers joining, waiting, giving up, asking for a callback."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from callboard.domain import Channel
from callboard.engine import Center
from callboard.server.auth import require
from callboard.server.clock import now
from callboard.server.live import LiveCenter
from callboard.store.cases import CaseStore
from callboard.store.event_log import EventLog
from callboard.store.users import Principal, Role

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"])
Caller = Annotated[Principal, Depends(require(Role.INTEGRATION, Role.SUPERVISOR))]


class ContactIn(BaseModel):
    queue: str = Field(..., min_length=1, max_length=128)
    channel: Channel = Channel.CALL
    priority: int = Field(0, ge=0, le=9)
    caller: str | None = Field(None, max_length=128)
    region: str | None = Field(None, max_length=128)
    attributes: dict[str, str] = Field(default_factory=dict, max_length=50)


class Message(BaseModel):
    message: str = Field(..., min_length=1, max_length=20_000)


def live(request: Request) -> LiveCenter:
    center: LiveCenter | None = request.app.state.live
    if center is None:
        raise HTTPException(503, "this server runs no live center; start it with --center FILE")
    return center


def status(request: Request, contact_id: str) -> dict[str, Any]:
    """Where the contact is now; a finished one is answered from the event log."""

    def read(center: Center) -> dict[str, Any] | None:
        contact = center.contact(contact_id)
        if contact is None:
            return None
        ewt = center.expected_wait(contact_id)
        return {
            "contact_id": contact_id, "queue": contact.queue, "state": contact.state,
            "position": center.position(contact_id), "ewt_s": ewt,
            "ewt_predictor": contact.announced_by, "agent_id": contact.agent_id,
            "callback": contact.callback, "priority": contact.priority,
        }  # fmt: skip

    found: dict[str, Any] | None = live(request).read(read)
    if found is not None:
        return found
    last = EventLog(request.app.state.engine).last_for_contact(contact_id)
    if last is None:
        raise HTTPException(404, f"no contact {contact_id}")
    return {
        "contact_id": contact_id, "queue": last.queue, "state": "finished",
        "last_event": last.type.value, "position": None, "ewt_s": None, "ewt_predictor": None,
        "agent_id": last.agent_id, "callback": None, "priority": None,
    }  # fmt: skip


@router.post("", status_code=201)
def create(body: ContactIn, principal: Caller, request: Request) -> dict[str, Any]:
    contact_id = uuid.uuid4().hex
    attributes = dict(body.attributes)
    if body.region:
        attributes["region"] = body.region
    attributes["channel"] = body.channel.value
    live(request).execute(
        "arrive", contact_id=contact_id, queue=body.queue, priority=body.priority,
        caller=body.caller, attributes=attributes,
    )  # fmt: skip
    return status(request, contact_id)


@router.get("/{contact_id}")
def get(contact_id: str, principal: Caller, request: Request) -> dict[str, Any]:
    return status(request, contact_id)


@router.post("/{contact_id}/cancel")
def cancel(contact_id: str, principal: Caller, request: Request) -> dict[str, Any]:
    """The caller hung up."""
    if not live(request).execute("abandon", contact_id=contact_id):
        raise HTTPException(409, f"contact {contact_id} is not waiting")
    return status(request, contact_id)


@router.post("/{contact_id}/callback")
def callback(contact_id: str, principal: Caller, request: Request) -> dict[str, Any]:
    """The caller hangs up but keeps the place in line; an agent calls back."""
    if not live(request).execute("request_callback", contact_id=contact_id):
        raise HTTPException(409, f"contact {contact_id} is not waiting")
    return status(request, contact_id)


@router.post("/{contact_id}/voicemail", status_code=201)
def voicemail(
    contact_id: str, body: Message, principal: Caller, request: Request
) -> dict[str, Any]:
    """The caller leaves a message instead of waiting; it becomes a case."""
    before = status(request, contact_id)
    if not live(request).execute("leave_voicemail", contact_id=contact_id):
        raise HTTPException(409, f"contact {contact_id} is not waiting")
    cases: CaseStore = request.app.state.cases
    return cases.open(
        at=now(request), actor=principal.name, category=before["queue"], queue=before["queue"],
        notes=body.message, contact_ids=[contact_id],
    )  # fmt: skip


@router.post("/{contact_id}/decline")
def decline(contact_id: str, principal: Caller, request: Request) -> dict[str, Any]:
    """The caller said no to a callback or voicemail offer: a refused caller is blocked,
    one already in line keeps waiting."""
    if not live(request).execute("decline", contact_id=contact_id):
        raise HTTPException(409, f"contact {contact_id} has no pending offer")
    return status(request, contact_id)
