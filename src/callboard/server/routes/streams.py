"""Live streams: an agent's own offers over a WebSocket, queue status over SSE.

The WebSocket authenticates without the token ever being in its URL (where
server and proxy logs would keep it): by the web screens' sign-in cookie,
which the browser sends with the handshake; by an `Authorization: Bearer`
header, for clients that can set one; or, for a browser page holding a token
of its own, by its first message, `{"type": "auth", "token": "cb_..."}`.
A handshake from a foreign page is refused before it gets here
(server/security.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse
from starlette.websockets import WebSocketState

from callboard.engine import Center
from callboard.server.auth import TOKEN_COOKIE, TokenCache, require
from callboard.server.live import LiveCenter
from callboard.server.routes import contacts
from callboard.server.routes import queues as queues_api
from callboard.server.routes.contacts import live
from callboard.server.streams import Hub
from callboard.store import Principal, Role

router = APIRouter(prefix="/api/v1", tags=["streams"])
Viewer = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT))]
# SSE clients get at most one update a second: a wallboard needs no more, and
# a hundred of them must not cost the engine anything.
SSE_PERIOD_S = 1.0
# How long a socket without a credential may take to send its `auth` message.
AUTH_WAIT_S = 10.0
_NOT_ALLOWED = 4403
_NO_URL_TOKENS = "tokens do not go in URLs: use the cookie, a bearer header or an auth message"


@router.websocket("/agents/{agent_id}/stream")
async def agent_stream(websocket: WebSocket, agent_id: str) -> None:
    if "token" in websocket.query_params:
        await websocket.close(code=_NOT_ALLOWED, reason=_NO_URL_TOKENS)
        return
    bearer = websocket.headers.get("authorization", "")
    token = bearer.removeprefix("Bearer ").strip() or websocket.cookies.get(TOKEN_COOKIE)
    if not token:
        await websocket.accept()  # no credential yet: the first message must bring one
        token = await _first_message_token(websocket)
        if token is None:
            await websocket.close(
                code=_NOT_ALLOWED, reason='send {"type": "auth", "token": ...} first'
            )
            return
    tokens: TokenCache = websocket.app.state.tokens
    principal = await tokens.verify(token)
    allowed = principal is not None and (
        principal.role in (Role.ADMIN, Role.SUPERVISOR) or principal.agent_id == agent_id
    )
    if not allowed:
        await websocket.close(code=_NOT_ALLOWED, reason="not allowed to follow this agent")
        return
    hub: Hub = websocket.app.state.hub
    if websocket.client_state == WebSocketState.CONNECTING:
        await websocket.accept()
    queue = hub.subscribe(agent_id)
    forward = asyncio.create_task(_forward(websocket, queue, websocket.app.state.live))
    try:
        # Desks only listen, but reading notices a closed desk at once, not at the
        # next offer, so the handler ends and the server can shut down cleanly.
        while (await websocket.receive())["type"] != "websocket.disconnect":
            continue
    except WebSocketDisconnect:
        return
    finally:
        forward.cancel()
        hub.unsubscribe(agent_id, queue)


async def _first_message_token(websocket: WebSocket) -> str | None:
    """The token of an `auth` message, if one comes within `AUTH_WAIT_S`."""
    try:
        message = await asyncio.wait_for(websocket.receive_json(), AUTH_WAIT_S)
    except (TimeoutError, ValueError, KeyError, WebSocketDisconnect, RuntimeError):
        return None
    if not isinstance(message, dict) or message.get("type") != "auth":
        return None
    token = message.get("token")
    return token if isinstance(token, str) and token else None


async def _forward(
    websocket: WebSocket, queue: asyncio.Queue[dict[str, Any]], center: LiveCenter
) -> None:
    """Send the agent's messages as they come; a plain loop, since this is the path
    every offer and state change takes (several per contact). An offer goes out with
    its caller, so the desk can show who is calling without asking again."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):  # the desk went away
        while True:
            message = await queue.get()
            if message["type"] == "offer":
                message = {
                    **message,
                    **center.read(partial(_caller, message["contact_id"], center.clock())),
                }
            await websocket.send_json(message)


def _caller(contact_id: str, now: float, center: Center) -> dict[str, Any]:
    """The offered contact's caller and wait; None once it has left (the offer is stale then)."""
    contact = center.contact(contact_id)
    if contact is None:
        return {**contacts.caller_details(None, None), "waited_s": None}
    details = contacts.caller_details(contact.caller, contact.attributes, contact.channel)
    return {**details, "waited_s": max(now, center.now) - contact.queued_at}


@router.get("/stream/queues")
async def queue_stream(principal: Viewer, request: Request) -> StreamingResponse:
    """Server-Sent Events: every queue's status, once a second."""
    center = live(request)

    async def events() -> AsyncIterator[str]:
        while not await request.is_disconnected():
            queues = await asyncio.to_thread(center.read, queues_api.figures)
            yield f"event: queues\ndata: {json.dumps({'at': center.clock(), 'queues': queues})}\n\n"
            await asyncio.sleep(SSE_PERIOD_S)

    return StreamingResponse(events(), media_type="text/event-stream")
