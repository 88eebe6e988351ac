"""The telephony bridge: a PBX asks where a call goes and reports hangups.

The contract is two JSON webhooks (see docs/telephony.md), simple enough for an
Asterisk dialplan's CURL(), a FreeSWITCH `curl` app or a Twilio-style webhook.
Contact ids are derived from the PBX's call id, so a retried request is
idempotent and the hangup finds its call.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from callboard.engine import Abandon, Arrive, Center, Complete
from callboard.server.auth import require
from callboard.server.routes.contacts import live, status
from callboard.store import Principal, Role

router = APIRouter(prefix="/api/v1/telephony", tags=["telephony"])
Pbx = Annotated[Principal, Depends(require(Role.INTEGRATION))]


class RouteIn(BaseModel):
    call_id: str = Field(..., min_length=1, max_length=100, description="the PBX's unique call id")
    queue: str = Field(..., min_length=1, max_length=128)
    caller: str | None = Field(None, max_length=128)
    priority: int = Field(0, ge=0, le=9)


class RouteOut(BaseModel):
    action: Literal["connect", "queue", "finished"]
    contact_id: str
    agent_id: str | None = Field(None, description="ring this agent when action is connect")
    position: int | None = None
    ewt_s: float | None = Field(None, description="expected wait to announce, seconds")
    ewt_predictor: str | None = None


class HangupIn(BaseModel):
    call_id: str = Field(..., min_length=1, max_length=100)


def contact_id(call_id: str) -> str:
    return f"pbx:{call_id}"


@router.post("/route")
async def route(body: RouteIn, principal: Pbx, request: Request) -> RouteOut:
    """Where does this call go? Queues it on first ask; later asks report its progress."""
    cid = contact_id(body.call_id)
    center = live(request)
    known = center.read(lambda c: c.contact(cid) is not None)
    if not known:
        arrive = Arrive(cid, body.queue, body.priority, body.caller, {"pbx_call_id": body.call_id})
        await center.submit(arrive)
    now = await status(request, cid)
    if now["state"] == "finished":
        action: Literal["connect", "queue", "finished"] = "finished"
    else:
        action = "connect" if now["agent_id"] else "queue"
    return RouteOut(
        action=action, contact_id=cid, agent_id=now["agent_id"], position=now["position"],
        ewt_s=now["ewt_s"], ewt_predictor=now["ewt_predictor"],
    )  # fmt: skip


@router.post("/hangup")
async def hangup(body: HangupIn, principal: Pbx, request: Request) -> dict[str, Any]:
    """The caller hung up: an abandon while waiting, the end of the call once connected."""
    cid = contact_id(body.call_id)
    center = live(request)

    def where(c: Center) -> tuple[str | None, str | None]:
        contact = c.contact(cid)
        return (None, None) if contact is None else (contact.state, contact.agent_id)

    state, agent_id = center.read(where)
    if state == "connected" and agent_id is not None:
        await center.submit(Complete(agent_id, cid))
    elif state is not None:
        await center.submit(Abandon(cid))
    return {"ok": True, **(await status(request, cid))}
