"""/api/v1/contacts: callers joining, waiting, giving up, asking for a callback.

Routes here and in agents, queues and telephony are coroutines: a command is
microseconds of engine work under the live lock, and the wait for its group
commit is awaited on the event loop rather than holding a worker thread.
Store reads (a finished contact's last event and `arrive` command, cases) still go
to a thread.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from callboard.domain import Channel
from callboard.engine import (
    Abandon,
    Arrive,
    Center,
    Contact,
    Decline,
    LeaveVoicemail,
    RequestCallback,
)
from callboard.server.auth import require
from callboard.server.clock import now
from callboard.server.inputs import Body
from callboard.server.live import LiveCenter
from callboard.server.openapi_responses import BODY, SIGNED_IN, declare
from callboard.store import CaseStore, EventLog, Journal, Principal, Role

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"], responses=declare(*SIGNED_IN))
# Who may act for callers; server/lane.py admits the same roles on its fast path.
CALLERS = (Role.INTEGRATION, Role.SUPERVISOR)
Caller = Annotated[Principal, Depends(require(*CALLERS))]
# Agents also read contacts, but only those offered to or held by them.
Reader = Annotated[Principal, Depends(require(*CALLERS, Role.AGENT))]
# The caller widget keeps the SHA-256 of a contact's secret among its attributes
# (routes/widget.py); no reader is ever shown it.
SECRET_ATTRIBUTE = "widget_secret_sha256"


class ContactIn(Body):
    queue: str = Field(..., min_length=1, max_length=128)
    channel: Channel = Channel.CALL
    priority: int = Field(0, ge=0, le=9)
    caller: str | None = Field(None, max_length=128)
    region: str | None = Field(None, max_length=128)
    attributes: dict[str, str] = Field(default_factory=dict, max_length=50)


class Message(Body):
    message: str = Field(..., min_length=1, max_length=20_000)


def live(request: Request) -> LiveCenter:
    center: LiveCenter | None = request.app.state.live
    if center is None:
        raise HTTPException(503, "this server runs no live center; start it with --center FILE")
    return center


def _in_center(center: Center, contact_id: str) -> dict[str, Any] | None:
    contact = center.contact(contact_id)
    return None if contact is None else _status_of(center, contact)


def _status_of(center: Center, contact: Contact) -> dict[str, Any]:
    contact_id = contact.contact_id
    return {
        "contact_id": contact_id, "queue": contact.queue, "state": contact.state,
        "position": center.position(contact_id), "ewt_s": center.expected_wait(contact_id),
        "ewt_predictor": contact.announced_by, "agent_id": contact.agent_id,
        "callback": contact.callback, "priority": contact.priority,
    }  # fmt: skip


def caller_details(
    caller: str | None, attributes: dict[str, str] | None, channel: str | None = None
) -> dict[str, Any]:
    """Who is calling and what they told the IVR or the widget: what an agent needs to
    answer, taken from the `arrive` command's arguments. `create` records the channel
    among the attributes; `channel` is the engine's, for contacts that came otherwise."""
    shown = {k: v for k, v in (attributes or {}).items() if k != SECRET_ATTRIBUTE}
    return {
        "caller": caller, "name": shown.get("name"), "channel": shown.get("channel", channel),
        "attributes": shown,
    }  # fmt: skip


def held(center: Center, contact: Contact, now: float) -> dict[str, Any]:
    """A contact still in the center, with its caller and how long it has waited by `now`,
    the live clock: the engine's own time stands still between commands."""
    caller = caller_details(contact.caller, contact.attributes, contact.channel)
    return {
        **_status_of(center, contact),
        **caller,
        "waited_s": max(now, center.now) - contact.queued_at,
    }


def arrival(request: Request, contact_id: str) -> dict[str, Any] | None:
    """The contact's `arrive` arguments (queue, caller, attributes): from memory while it
    is in the center, from the journal once it has left. Blocking: call it in a thread."""

    def read(center: Center) -> dict[str, Any] | None:
        contact = center.contact(contact_id)
        if contact is None:
            return None
        return {"queue": contact.queue, "caller": contact.caller, "attributes": contact.attributes}

    found: dict[str, Any] | None = live(request).read(read)
    if found is not None:
        return found
    # The event log is indexed by contact, so an unknown id costs one lookup; the
    # arrival's time then narrows the journal (indexed on `at`) to that instant.
    engine = request.app.state.engine
    at = EventLog(engine).arrived_at(contact_id)
    return None if at is None else Journal(engine).arrival_args(contact_id, at)


def _prompt(center: LiveCenter, contact_id: str) -> dict[str, Any] | None:
    """The offer the caller is asked to answer (server/prompts.py), as shown to readers."""
    prompt = center.prompt(contact_id)
    return None if prompt is None else prompt.shown()


async def status(request: Request, contact_id: str) -> dict[str, Any]:
    """Where the contact is now, with the offer the caller is asked to answer (`prompt`,
    server/prompts.py); a finished one is answered from the event log."""
    center = live(request)
    found: dict[str, Any] | None = center.read(lambda c: _in_center(c, contact_id))
    if found is not None:
        return {**found, "prompt": _prompt(center, contact_id)}
    log = EventLog(request.app.state.engine)
    last = await run_in_threadpool(log.last_for_contact, contact_id)
    if last is None:
        raise HTTPException(404, f"no contact {contact_id}")
    return {
        "contact_id": contact_id, "queue": last.queue, "state": "finished",
        "last_event": last.type.value, "position": None, "ewt_s": None, "ewt_predictor": None,
        "agent_id": last.agent_id, "callback": None, "priority": None, "prompt": None,
    }  # fmt: skip


@router.post("", status_code=201, responses=declare(409, BODY))
async def create(body: ContactIn, principal: Caller, request: Request) -> dict[str, Any]:
    contact_id = uuid.uuid4().hex
    attributes = dict(body.attributes)
    if body.region:
        attributes["region"] = body.region
    attributes["channel"] = body.channel.value
    await live(request).submit(
        Arrive(contact_id, body.queue, body.priority, body.caller, attributes)
    )
    return await status(request, contact_id)


@router.get("/{contact_id}", responses=declare(404))
async def get(contact_id: str, principal: Reader, request: Request) -> dict[str, Any]:
    """The contact's status and its caller. An agent reads only a contact offered to it or
    connected with it; any other looks like it does not exist. A finished contact's
    caller is read back from its `arrive` command in the journal."""
    live_center = live(request)
    at = live_center.clock()

    def read(center: Center) -> dict[str, Any] | None:
        contact = center.contact(contact_id)
        return None if contact is None else held(center, contact, at)

    found: dict[str, Any] | None = live_center.read(read)
    if found is not None:
        found["prompt"] = _prompt(live_center, contact_id)
    if principal.role == Role.AGENT:
        if found is None or found["agent_id"] != principal.agent_id:
            raise HTTPException(404, f"no contact {contact_id} offered to or held by you")
        return found
    if found is not None:
        return found
    finished = await status(request, contact_id)
    args = await run_in_threadpool(arrival, request, contact_id) or {}
    return {
        **finished, **caller_details(args.get("caller"), args.get("attributes")),
        "waited_s": None,
    }  # fmt: skip


@router.post("/{contact_id}/cancel", responses=declare(404, 409))
async def cancel(contact_id: str, principal: Caller, request: Request) -> dict[str, Any]:
    """The caller hung up."""
    if not await live(request).submit(Abandon(contact_id)):
        raise HTTPException(409, f"contact {contact_id} is not waiting")
    return await status(request, contact_id)


@router.post("/{contact_id}/callback", responses=declare(404, 409))
async def callback(contact_id: str, principal: Caller, request: Request) -> dict[str, Any]:
    """The caller hangs up but keeps the place in line; an agent calls back."""
    if not await live(request).submit(RequestCallback(contact_id)):
        raise HTTPException(409, f"contact {contact_id} is not waiting")
    return await status(request, contact_id)


@router.post("/{contact_id}/voicemail", status_code=201, responses=declare(404, 409, BODY))
async def voicemail(
    contact_id: str, body: Message, principal: Caller, request: Request
) -> dict[str, Any]:
    """The caller leaves a message instead of waiting; it becomes a case, opened with the
    caller's number so an agent can call back and the caller's history finds it."""
    found = live(request).read(lambda c: c.contact(contact_id))
    if found is None:
        await status(request, contact_id)  # 404 for an id the center never had
        raise HTTPException(409, f"contact {contact_id} is not waiting")
    # Read before the command: a contact that leaves a voicemail leaves the center.
    queue, caller = found.queue, found.caller
    if not await live(request).submit(LeaveVoicemail(contact_id)):
        raise HTTPException(409, f"contact {contact_id} is not waiting")
    cases: CaseStore = request.app.state.cases
    opened: dict[str, Any] = await run_in_threadpool(
        partial(cases.open, at=now(request), actor=principal.name, caller=caller,
                category=queue, queue=queue, notes=body.message, contact_ids=[contact_id]),
    )  # fmt: skip
    return opened


@router.post("/{contact_id}/decline", responses=declare(404, 409))
async def decline(contact_id: str, principal: Caller, request: Request) -> dict[str, Any]:
    """The caller said no to a callback or voicemail offer: a refused caller is blocked,
    one already in line keeps waiting."""
    if not await live(request).submit(Decline(contact_id)):
        raise HTTPException(409, f"contact {contact_id} has no pending offer")
    return await status(request, contact_id)
