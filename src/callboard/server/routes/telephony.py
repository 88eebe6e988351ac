"""The telephony bridge: a PBX asks where a call goes, reports the caller's choices and
hangups.

The contract is three JSON webhooks (see docs/telephony.md), simple enough for an
Asterisk AGI script, a FreeSWITCH `curl` app or a Twilio-style webhook. Contact
ids are derived from the PBX's call id, so a retried request is idempotent and
the hangup finds its call: a call id that has finished (answered, abandoned,
blocked, sent to voicemail) answers `finished` for ever, found in the event log,
and is never queued again. Requests about one call run one at a time, so a
route that races its own hangup cannot queue the call a second time.

`route` and `hangup` go through the decision lane (server/lane.py): every call
makes them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from callboard.engine import Abandon, Arrive, Complete, Decline, RequestCallback
from callboard.server import announcements
from callboard.server.auth import require
from callboard.server.inputs import Body
from callboard.server.openapi_responses import BODY, SIGNED_IN, declare
from callboard.server.routes import contacts
from callboard.server.routes.contacts import live, status
from callboard.store import EventLog, Principal, Role

router = APIRouter(prefix="/api/v1/telephony", tags=["telephony"], responses=declare(*SIGNED_IN))
# Who may call the bridge; server/lane.py admits the same roles on its fast path.
PBXES = (Role.INTEGRATION,)
Pbx = Annotated[Principal, Depends(require(*PBXES))]
LANGUAGE_ATTRIBUTE = "language"
Action = Literal[
    "connect", "queue", "finished", "offer_callback", "offer_voicemail", "announce", "hangup"
]
_OFFERS: dict[str, Action] = {"callback": "offer_callback", "voicemail": "offer_voicemail"}


class RouteIn(Body):
    call_id: str = Field(..., min_length=1, max_length=100, description="the PBX's unique call id")
    queue: str = Field(..., min_length=1, max_length=128)
    caller: str | None = Field(None, max_length=128)
    priority: int = Field(0, ge=0, le=9)
    language: str | None = Field(
        None, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$",
        description="the caller's language (en, ru, uk, zh, ...), for announcements",
    )  # fmt: skip


class RouteOut(BaseModel):
    action: Action = Field(
        ..., description="connect: ring agent_id; queue: play hold and ask again; "
        "offer_callback / offer_voicemail: ask the caller and report on /choice; announce: "
        "play `announcement`, then ask again; hangup: the caller's part is over; finished: "
        "this call has ended and is never queued again",
    )  # fmt: skip
    contact_id: str
    agent_id: str | None = Field(None, description="ring this agent when action is connect")
    position: int | None = None
    ewt_s: float | None = Field(None, description="expected wait to announce, seconds")
    ewt_predictor: str | None = None
    announcement: str | None = Field(None, description="the text to play, caller's language")
    prompt_reason: str | None = Field(None, description="max_wait, surge or full")


class HangupIn(Body):
    call_id: str = Field(..., min_length=1, max_length=100)


class ChoiceIn(Body):
    call_id: str = Field(..., min_length=1, max_length=100)
    choice: Literal["accept", "decline"]
    recording: str | None = Field(
        None, max_length=500, description="where the PBX stored an accepted voicemail"
    )


def contact_id(call_id: str) -> str:
    return f"pbx:{call_id}"


class _OneAtATime:
    """An asyncio lock per call id, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


_calls = _OneAtATime()


@router.post("/route", response_model=RouteOut, responses=declare(409, BODY))
async def route(body: RouteIn, principal: Pbx, request: Request) -> dict[str, Any]:
    """Where does this call go? Queues it on first ask; later asks report its progress,
    and the offer the caller should hear, if any."""
    cid = contact_id(body.call_id)
    center = live(request)
    async with _calls.hold(cid):
        if center.read(lambda c: c.contact(cid) is None):
            log = EventLog(request.app.state.engine)
            if await run_in_threadpool(log.arrived_at, cid) is not None:
                return await _answer(request, cid, body.language)
            attributes = {"pbx_call_id": body.call_id}
            if body.language:
                attributes[LANGUAGE_ATTRIBUTE] = body.language
            arrive = Arrive(cid, body.queue, body.priority, body.caller, attributes)
            await center.submit(arrive)
            return await _answer(request, cid, body.language, arrived=True)
        return await _answer(request, cid, body.language)


@router.post("/choice", response_model=RouteOut, responses=declare(404, 409, BODY))
async def choice(body: ChoiceIn, principal: Pbx, request: Request) -> dict[str, Any]:
    """The caller answered an `offer_callback` or `offer_voicemail`. An accepted callback
    keeps the caller's place (answer `hangup`: an agent calls back); an accepted voicemail
    becomes a case (answer `hangup` once recorded); a decline goes on as `route` would."""
    cid = contact_id(body.call_id)
    center = live(request)
    async with _calls.hold(cid):
        prompt = center.prompt(cid)
        if prompt is None:
            raise HTTPException(409, f"call {body.call_id} has no offer to answer")
        if body.choice == "decline":
            await center.submit(Decline(cid))
            return await _answer(request, cid, None)
        if prompt.offer == "callback":
            await center.submit(RequestCallback(cid))
        else:
            where = body.recording or "the PBX did not say where"
            message = contacts.Message(message=f"Voicemail recorded by the PBX: {where}")
            await contacts.voicemail(cid, message, principal, request)
        return {**(await _answer(request, cid, None)), "action": "hangup"}


@router.post("/hangup", responses=declare(404, 409, BODY))
async def hangup(body: HangupIn, principal: Pbx, request: Request) -> dict[str, Any]:
    """The caller hung up: an abandon while waiting, the end of the call once connected.
    A retry, or a hangup after a kept-place callback, changes nothing."""
    cid = contact_id(body.call_id)
    center = live(request)
    async with _calls.hold(cid):
        found = center.read(lambda c: c.contact(cid))
        if found is not None and not found.callback:
            if found.state == "connected" and found.agent_id is not None:
                await center.submit(Complete(found.agent_id, cid))
            else:
                await center.submit(Abandon(cid))
        return {"ok": True, **(await status(request, cid))}


async def _answer(
    request: Request, cid: str, language: str | None, *, arrived: bool = False
) -> dict[str, Any]:
    """What the PBX does next with the call, from its status; an emergency queue's message
    is announced once, on the ask that queued the call."""
    now = await status(request, cid)
    prompt = now["prompt"]
    text = None
    if now["state"] == "finished":
        action: Action = "finished"
    elif now["callback"]:
        action = "hangup"
    elif prompt is not None:
        action = _OFFERS[prompt["offer"]]
    else:
        action = "connect" if now["agent_id"] else "queue"
        queue = live(request).read(lambda c: c.queue_status(now["queue"]))
        if arrived and queue["mode"] == "emergency":
            text = announcements.text_for(queue["message"], language)
            action = "announce" if text else action
    return {
        "action": action, "contact_id": cid, "agent_id": now["agent_id"],
        "position": now["position"], "ewt_s": now["ewt_s"], "ewt_predictor": now["ewt_predictor"],
        "announcement": text, "prompt_reason": None if prompt is None else prompt["reason"],
    }  # fmt: skip
