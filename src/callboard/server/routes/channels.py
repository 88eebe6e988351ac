"""/api/v1/channels: messenger bridges post customers' messages here, and agents read
and answer e-mail contacts (docs/channels.md).

A messenger's conversation becomes a chat contact: the desk's chat panel reads
and writes it through /api/v1/contacts/{id}/messages like any chat, and each
agent message on it is queued for the bridge's webhook (`relay`). An e-mail
contact's conversation is its case's thread; a reply goes out by SMTP.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from callboard.channels import EmailDesk, MessengerDesk, NotAnEmail
from callboard.engine import Center
from callboard.server.auth import require
from callboard.server.channels_live import ChannelsLive
from callboard.server.clock import now
from callboard.server.inputs import MAX_ID, Body, Id
from callboard.server.openapi_responses import BODY, SIGNED_IN, declare
from callboard.server.routes import contacts
from callboard.store import Principal, Role

router = APIRouter(prefix="/api/v1/channels", tags=["channels"], responses=declare(*SIGNED_IN))
Bridge = Annotated[Principal, Depends(require(Role.INTEGRATION, Role.SUPERVISOR))]
Staff = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT))]
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]
# An e-mail reply may be long; a document belongs in an attachment.
MAX_REPLY = 50_000


class MessengerIn(Body):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    conversation: str = Field(..., min_length=1, max_length=255,
                              description="the messenger's chat or user id")  # fmt: skip
    text: str = Field(..., min_length=1, max_length=4_000)
    sender_name: str | None = Field(None, max_length=100)
    message_id: str | None = Field(
        None, min_length=1, max_length=255,
        description="the messenger's id of this message; a retried post with it is taken once",
    )  # fmt: skip


class ReplyIn(Body):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    body: str = Field(..., min_length=1, max_length=MAX_REPLY)


def _channels(request: Request) -> ChannelsLive:
    found: ChannelsLive = request.app.state.channels
    return found


def _messenger_desk(request: Request) -> MessengerDesk:
    desk = _channels(request).messenger
    if desk is None:
        raise HTTPException(503, "this server runs no live center; start it with --center FILE")
    return desk


@router.get("")
async def configured(principal: Supervisor, request: Request) -> dict[str, Any]:
    """The channels this server takes contacts from (never their passwords)."""
    setup = _channels(request).setup
    return {
        "email": [{"mailbox": m.name, "queue": m.queue, "address": m.address}
                  for m in setup.mailboxes],
        "smtp": None if setup.smtp is None else f"{setup.smtp.host}:{setup.smtp.port}",
        "messengers": [{"name": m.name, "queue": m.queue} for m in setup.messengers],
    }  # fmt: skip


@router.post("/{name}/messages", status_code=201, responses=declare(404, 409, BODY))
async def inbound(
    name: str, body: MessengerIn, principal: Bridge, request: Request
) -> dict[str, Any]:
    """A customer's message from a messenger bridge: written into the conversation's open
    chat contact, or into a new one that joins the messenger's queue."""
    desk = _messenger_desk(request)
    messenger = desk.messengers.get(name)
    if messenger is None:
        known = ", ".join(sorted(desk.messengers)) or "none (start serve with --messenger)"
        raise HTTPException(404, f"no messenger channel {name[:64]}; configured: {known}")
    taken = await run_in_threadpool(
        lambda: desk.receive(messenger, body.conversation, body.text,
                             sender_name=body.sender_name, message_id=body.message_id,
                             at=now(request))
    )  # fmt: skip
    return {"contact_id": taken.contact_id, "message_id": taken.message_id,
            "new_contact": taken.new_contact, "duplicate": taken.duplicate}  # fmt: skip


async def relay(request: Request, contact_id: str, message: dict[str, Any]) -> None:
    """Queue an agent's chat message for its messenger bridge, if it came from one."""
    desk = _channels(request).messenger
    if desk is not None:
        await run_in_threadpool(desk.relay, contact_id, message, now(request))


def _email(request: Request) -> EmailDesk:
    return _channels(request).email


def _holds(center: Center, agent_id: str, contact_id: str) -> bool:
    try:
        return contact_id in center.agent_view(agent_id)["contacts"]
    except ValueError:
        return False


async def _email_case(request: Request, contact_id: str, principal: Principal) -> int:
    """The case of an e-mail contact the caller may read: an agent only one it holds."""
    agent_id = principal.agent_id
    if principal.role == Role.AGENT and not (
        agent_id and contacts.live(request).read(lambda c: _holds(c, agent_id, contact_id))
    ):
        raise HTTPException(404, f"no contact {contact_id[:64]} held by you")
    try:
        return await run_in_threadpool(_email(request).case_of, contact_id)
    except NotAnEmail as exc:
        raise HTTPException(409, str(exc)) from None


@router.get("/email/contacts/{contact_id}/messages", responses=declare(404, 409))
async def email_thread(
    contact_id: str, principal: Staff, request: Request,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> dict[str, Any]:  # fmt: skip
    """The e-mail contact's case thread (customer's messages and answers), oldest first."""
    case_id = await _email_case(request, contact_id, principal)
    messages = await run_in_threadpool(_email(request).thread, case_id, after)
    return {"contact_id": contact_id, "case_id": case_id, "messages": messages}


@router.post(
    "/email/contacts/{contact_id}/messages", status_code=201, responses=declare(404, 409, BODY)
)
async def email_reply(
    contact_id: str, body: ReplyIn, principal: Staff, request: Request
) -> dict[str, Any]:
    """Answer the customer: queued at once and sent by SMTP, threaded, with the case
    number in the subject; the first answer stops the case's first-response clock."""
    case_id = await _email_case(request, contact_id, principal)
    if _channels(request).setup.smtp is None:
        raise HTTPException(409, "this server sends no e-mail; start it with --smtp URL")
    author = principal.agent_id or principal.name
    try:
        return await run_in_threadpool(
            lambda: _email(request).reply(case_id, body.body, contact_id=contact_id,
                                          agent_id=author, at=now(request))
        )  # fmt: skip
    except NotAnEmail as exc:
        raise HTTPException(409, str(exc)) from None


@router.get("/email/cases/{case_id}/messages", responses=declare(404))
async def case_thread(case_id: Id, principal: Supervisor, request: Request) -> dict[str, Any]:
    """A case's whole e-mail thread, for supervisors (agents read it through the contact)."""
    await run_in_threadpool(request.app.state.cases.get, case_id, now=now(request))
    messages = await run_in_threadpool(_email(request).thread, case_id)
    return {"case_id": case_id, "messages": messages}


@router.get(
    "/email/attachments/{attachment_id}",
    responses={**declare(404, 409), 200: {"content": {"application/octet-stream": {}}}},
)
async def attachment(attachment_id: Id, principal: Supervisor, request: Request) -> Response:
    """An attachment as it came; 409 for one over the size limit, which was not kept."""
    found = await run_in_threadpool(_email(request).store.attachment, attachment_id)
    if found is None:
        raise HTTPException(404, f"no attachment {attachment_id}")
    facts, data = found
    if data is None:
        raise HTTPException(409, f"attachment {attachment_id} was over the size limit and "
                                 "was not kept")  # fmt: skip
    name = str(facts["filename"]).replace('"', "'")
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
