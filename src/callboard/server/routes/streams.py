"""Live streams: an agent's own offers over a WebSocket, queue status over SSE.

Browsers cannot set headers on a WebSocket, so it also takes `?token=`, or the
web screens' sign-in cookie, which the browser sends with the handshake.
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


@router.websocket("/agents/{agent_id}/stream")
async def agent_stream(websocket: WebSocket, agent_id: str) -> None:
    token = (
        websocket.query_params.get("token")
        or websocket.headers.get("authorization", "").removeprefix("Bearer ")
        or websocket.cookies.get(TOKEN_COOKIE)
    )
    tokens: TokenCache = websocket.app.state.tokens
    principal = await tokens.verify(token) if token else None
    allowed = principal is not None and (
        principal.role in (Role.ADMIN, Role.SUPERVISOR) or principal.agent_id == agent_id
    )
    if not allowed:
        await websocket.close(code=4403, reason="not allowed to follow this agent")
        return
    hub: Hub = websocket.app.state.hub
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
