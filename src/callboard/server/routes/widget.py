"""/api/v1/widget: the caller widget's public API, for anonymous callers on a hotline's site.

A caller has no account, so joining hands out a random secret that opens that
one contact and nothing else. Only its SHA-256 is kept, in the contact's
attributes: the journal stores those with the `arrive` command, so the secret
still opens the contact after a restart and after it has ended (the CSAT
survey comes then). Every field is bounded, and only open queues and the chat
channel are offered, because anyone on the internet can call this.

A caller's status carries the offer they are asked to answer (`prompt`: a
callback at the queue's maximum wait or in a surge, voicemail when the line is
full) and an emergency queue's announcement in the caller's language (`?lang=`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from pydantic import ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from callboard.domain import CaseStatus, Channel
from callboard.server import announcements
from callboard.server.clock import now
from callboard.server.inputs import Body
from callboard.server.openapi_responses import BODY, PUBLIC, declare
from callboard.server.rate_limit import public_rate_limit
from callboard.server.routes import chat, contacts
from callboard.store import CaseFilter, CaseStore, Principal, Role

# Anonymous: every route spends from the caller's rate-limit bucket first.
router = APIRouter(
    prefix="/api/v1/widget",
    tags=["widget"],
    dependencies=[Depends(public_rate_limit)],
    responses=declare(*PUBLIC),
)
# The audit trail names the widget as the actor of what callers do through it.
WIDGET = Principal("widget", Role.INTEGRATION, None)
NAME_ATTRIBUTE = "name"
QUEUE_NAME = r"^[A-Za-z0-9_.-]{1,64}$"
# Digits with the usual separators; an agent dials it back, so nothing else fits.
PHONE = r"^\+?[0-9 ()./-]{5,32}$"
MAX_CONTACT_ID = 64
Secret = Annotated[str, Header(alias="X-Widget-Secret", min_length=16, max_length=128)]
Language = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$", description="en, ru, ...")
]


class Strict(Body):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class JoinIn(Strict):
    queue: str = Field(..., pattern=QUEUE_NAME)
    channel: Literal["chat", "callback"] = Field(
        "chat", description="callback: hang up at once and keep the place; needs a phone"
    )
    name: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, pattern=PHONE)
    # Triaged before the contact queues (server/triage_hook.py), then the first chat message.
    message: str | None = Field(None, min_length=1, max_length=chat.MAX_BODY)


class MessageIn(Strict):
    message: str = Field(..., min_length=1, max_length=4_000)


class CsatIn(Strict):
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=1_000)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _caller_view(found: dict[str, Any]) -> dict[str, Any]:
    """What a caller may know about their own contact: not which agent or predictor."""
    return {
        "contact_id": found["contact_id"], "queue": found["queue"], "state": found["state"],
        "position": found["position"], "ewt_s": found["ewt_s"], "callback": found["callback"],
        "last_event": found.get("last_event"), "prompt": found.get("prompt"),
    }  # fmt: skip


def _announcement(status: dict[str, Any], language: str | None) -> str | None:
    """An emergency queue's message in the caller's language; None in any other mode."""
    if status["mode"] != "emergency":
        return None
    return announcements.text_for(status["message"], language)


def _logged_in(status: dict[str, Any]) -> int:
    """Agents signed in who serve the queue, so the widget never promises an agent when
    nobody is there to answer."""
    return sum(n for state, n in status["agents"].items() if state != "logged_out")


async def _own(request: Request, contact_id: str, secret: str) -> dict[str, Any]:
    """The contact's `arrive` arguments, if `secret` opens it; otherwise as if there were
    no such contact, so that guessing ids and secrets teaches nothing."""
    too_long = len(contact_id) > MAX_CONTACT_ID
    found = None if too_long else await run_in_threadpool(contacts.arrival, request, contact_id)
    stored = (found.get("attributes") or {}).get(contacts.SECRET_ATTRIBUTE) if found else None
    if found is None or stored is None or not hmac.compare_digest(stored, _digest(secret)):
        raise HTTPException(404, f"no contact {contact_id[:MAX_CONTACT_ID]} opens with this secret")
    return found


@router.get("/queues/{queue}", responses=declare(404))
async def queue_info(queue: str, request: Request, lang: Language = None) -> dict[str, Any]:
    """Whether the widget may offer to join, the hotline's announcement if any, in the
    caller's language where the queue has it, and how many agents serving it are signed
    in (none: the widget offers a callback or a message rather than an agent)."""
    if queue not in contacts.live(request).read(lambda center: center.queue_names()):
        raise HTTPException(404, f"no queue {queue[:64]}")
    status: dict[str, Any] = contacts.live(request).read(lambda c: c.queue_status(queue))
    return {
        "queue": queue, "mode": status["mode"], "open": status["mode"] != "closed",
        "message": announcements.text_for(status["message"], lang),
        "agents_logged_in": _logged_in(status),
    }  # fmt: skip


@router.post("/contacts", status_code=201, responses=declare(404, 409, BODY))
async def join(body: JoinIn, request: Request) -> dict[str, Any]:
    """Join a queue over chat (or straight into a kept-place callback); returns the secret
    once: it is needed for every later call about this contact."""
    info = await queue_info(body.queue, request)
    if not info["open"]:
        raise HTTPException(
            409, f"queue {body.queue} is closed now; please come back during opening hours"
        )
    if body.channel == "callback" and not body.phone:
        raise HTTPException(422, "a callback needs a phone number to call")
    secret = secrets.token_urlsafe(32)
    attributes = {contacts.SECRET_ATTRIBUTE: _digest(secret), "source": "widget"}
    if body.name:
        attributes[NAME_ATTRIBUTE] = body.name
    if body.message:
        attributes["message"] = body.message
    contact_in = contacts.ContactIn(
        queue=body.queue,
        channel=Channel.CHAT,
        priority=0,
        caller=body.phone,
        region=None,
        attributes=attributes,
    )
    joined = await contacts.create(contact_in, WIDGET, request)
    if body.message:
        await chat.post(request, joined["contact_id"], chat.ChatIn(body=body.message), "caller")
    if body.channel == "callback":
        joined = await contacts.callback(joined["contact_id"], WIDGET, request)
    return {**_caller_view(joined), "secret": secret}


@router.get("/contacts/{contact_id}", responses=declare(404))
async def where(
    contact_id: str, secret: Secret, request: Request, lang: Language = None
) -> dict[str, Any]:
    """The caller's place, expected wait, pending offer and any emergency announcement."""
    await _own(request, contact_id, secret)
    found = _caller_view(await contacts.status(request, contact_id))
    if found["state"] == "finished":
        return {**found, "announcement": None, "agents_logged_in": None}
    status = contacts.live(request).read(lambda c: c.queue_status(found["queue"]))
    return {**found, "announcement": _announcement(status, lang),
            "agents_logged_in": _logged_in(status)}  # fmt: skip


@router.post("/contacts/{contact_id}/decline", responses=declare(404, 409))
async def keep_waiting(contact_id: str, secret: Secret, request: Request) -> dict[str, Any]:
    """No to the offer: a caller in line keeps waiting; one refused for a full line leaves."""
    await _own(request, contact_id, secret)
    return _caller_view(await contacts.decline(contact_id, WIDGET, request))


@router.post("/contacts/{contact_id}/callback", responses=declare(404, 409))
async def call_me_back(contact_id: str, secret: Secret, request: Request) -> dict[str, Any]:
    """Hang up and keep the place; the number given on joining is called back."""
    args = await _own(request, contact_id, secret)
    if not args.get("caller"):
        raise HTTPException(409, "no phone number was given on joining, so nobody could call back")
    return _caller_view(await contacts.callback(contact_id, WIDGET, request))


@router.post("/contacts/{contact_id}/cancel", responses=declare(404, 409))
async def leave(contact_id: str, secret: Secret, request: Request) -> dict[str, Any]:
    await _own(request, contact_id, secret)
    return _caller_view(await contacts.cancel(contact_id, WIDGET, request))


@router.post("/contacts/{contact_id}/message", status_code=201, responses=declare(404, 409, BODY))
async def leave_message(
    contact_id: str, body: MessageIn, secret: Secret, request: Request
) -> dict[str, Any]:
    """Leave the line with a message; it becomes a case an agent follows up."""
    args = await _own(request, contact_id, secret)
    name = (args.get("attributes") or {}).get(NAME_ATTRIBUTE)
    text = f"{name}: {body.message}" if name else body.message
    case = await contacts.voicemail(contact_id, contacts.Message(message=text), WIDGET, request)
    return {"ok": True, "case_id": case["id"], "status": case["status"]}


@router.post("/contacts/{contact_id}/messages", status_code=201, responses=declare(404, 409, BODY))
async def write(
    contact_id: str, body: chat.ChatIn, secret: Secret, request: Request
) -> dict[str, Any]:
    """Write to the agent; allowed while waiting too, so the agent reads it on accepting."""
    await _own(request, contact_id, secret)
    return await chat.post(request, contact_id, body, "caller")


@router.get("/contacts/{contact_id}/messages", responses=declare(404, 409))
async def conversation(
    contact_id: str, secret: Secret, request: Request, after: chat.After = 0
) -> dict[str, Any]:
    """The conversation so far, or the part after message `after`; readable after it ends."""
    chat.require_chat(await _own(request, contact_id, secret), contact_id)
    return await chat.history(request, contact_id, after, show_agent=False)


@router.post("/contacts/{contact_id}/csat", responses=declare(404, 409, BODY))
async def survey(contact_id: str, body: CsatIn, secret: Secret, request: Request) -> dict[str, Any]:
    """The caller rates the case their contact became, once an agent has resolved it."""
    await _own(request, contact_id, secret)
    return await run_in_threadpool(_rate, request, contact_id, body)


def _rate(request: Request, contact_id: str, body: CsatIn) -> dict[str, Any]:
    store: CaseStore = request.app.state.cases
    # The newest case linking the contact: an agent may have filed a second one.
    linked = store.search(CaseFilter(contact_id=contact_id, limit=1), now=now(request))
    if not linked:
        raise HTTPException(409, "this conversation has no case to rate yet")
    case = linked[0]
    if case["status"] not in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        raise HTTPException(409, "your case is still being worked on; rate it once it is resolved")
    if case["csat_score"] is not None:
        raise HTTPException(409, "this case has been rated already; thank you")
    rated = store.rate(
        case["id"], score=body.score, comment=body.comment, at=now(request),
        actor=WIDGET.name,
    )  # fmt: skip
    return {"ok": True, "case_id": rated["id"], "score": rated["csat_score"]}
