"""/api/v1/contacts/{id}/messages: chat between a widget caller and the agent holding them.

Both sides share the checks here: only a contact that came in on the chat
channel has a conversation, and only one still in the center (waiting,
offered or connected) takes new messages, so a caller cannot write into a
conversation nobody will read. Callers may write while they wait: the agent
sees the history on accepting. Reading stays open after the contact ends.
An agent reaches only a contact it holds; any other looks like it does not
exist, as in routes/contacts.py.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from callboard.domain import Channel
from callboard.engine import Center
from callboard.server.auth import require
from callboard.server.clock import now
from callboard.server.inputs import MAX_ID, Body
from callboard.server.openapi_responses import BODY, SIGNED_IN, declare
from callboard.server.routes import channels, contacts
from callboard.store import ChatStore, Principal, Role, Sender

router = APIRouter(prefix="/api/v1/contacts", tags=["chat"], responses=declare(*SIGNED_IN))
Staff = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT))]
# Long enough for a paragraph, short enough that nobody pastes a document into a chat.
MAX_BODY = 2_000
After = Annotated[int, Query(ge=0, le=MAX_ID, description="only messages with a larger id")]


class ChatIn(Body):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    body: str = Field(..., min_length=1, max_length=MAX_BODY)


def _channel(center: Center, contact_id: str) -> str | None:
    """The contact's channel while it is in the center, None once it has left. `create`
    records the channel among the attributes; the engine's own is the fallback."""
    contact = center.contact(contact_id)
    if contact is None:
        return None
    return str((contact.attributes or {}).get("channel", contact.channel))


def require_chat(arrival: dict[str, Any], contact_id: str) -> None:
    """409 unless the contact (its `arrive` arguments) came in on the chat channel."""
    if (arrival.get("attributes") or {}).get("channel") != Channel.CHAT.value:
        raise HTTPException(409, f"contact {contact_id} is not a chat")


async def post(
    request: Request, contact_id: str, body: ChatIn, sender: Sender, agent_id: str | None = None
) -> dict[str, Any]:
    """Store a message on an open chat contact; 409 if it is not a chat or has ended."""
    channel = contacts.live(request).read(lambda c: _channel(c, contact_id))
    if channel is None:
        raise HTTPException(409, f"the conversation on contact {contact_id} has ended")
    if channel != Channel.CHAT.value:
        raise HTTPException(409, f"contact {contact_id} is not a chat")
    chat = ChatStore(request.app.state.engine)
    message: dict[str, Any] = await run_in_threadpool(
        lambda: chat.post(contact_id, sender=sender, body=body.body, at=now(request),
                          agent_id=agent_id)
    )  # fmt: skip
    return message


async def history(
    request: Request, contact_id: str, after: int, *, show_agent: bool = True
) -> dict[str, Any]:
    """The messages after id `after`; without `show_agent` (for callers) not which agent
    wrote them, as the widget never names the agent either."""
    chat = ChatStore(request.app.state.engine)
    found = await run_in_threadpool(chat.after, contact_id, after)
    if not show_agent:
        found = [{k: v for k, v in m.items() if k != "agent_id"} for m in found]
    return {"contact_id": contact_id, "messages": found}


def _holds(center: Center, agent_id: str, contact_id: str) -> bool:
    """Whether the agent holds the contact; an agent not in the center holds nothing."""
    try:
        return contact_id in center.agent_view(agent_id)["contacts"]
    except ValueError:
        return False


async def _reachable(request: Request, contact_id: str, principal: Principal) -> None:
    """404 for an agent not holding the contact; then 404 for an unknown contact and
    409 for one that is not a chat (supervisors included)."""
    agent_id = principal.agent_id
    if principal.role == Role.AGENT and not (
        agent_id and contacts.live(request).read(lambda c: _holds(c, agent_id, contact_id))
    ):
        raise HTTPException(404, f"no contact {contact_id} held by you")
    found = await run_in_threadpool(contacts.arrival, request, contact_id)
    if found is None:
        raise HTTPException(404, f"no contact {contact_id}")
    require_chat(found, contact_id)


@router.post("/{contact_id}/messages", status_code=201, responses=declare(404, 409, BODY))
async def reply(
    contact_id: str, body: ChatIn, principal: Staff, request: Request
) -> dict[str, Any]:
    """Write to the caller as the agent holding the contact (or as a supervisor); a
    messenger's contact also gets it through the bridge (routes/channels.py)."""
    await _reachable(request, contact_id, principal)
    message = await post(request, contact_id, body, "agent", principal.agent_id or principal.name)
    await channels.relay(request, contact_id, message)
    return message


@router.get("/{contact_id}/messages", responses=declare(404, 409))
async def read(
    contact_id: str, principal: Staff, request: Request, after: After = 0
) -> dict[str, Any]:
    """The conversation so far, or the part after message `after`, oldest first."""
    await _reachable(request, contact_id, principal)
    return await history(request, contact_id, after)
