"""Live streams: an agent's own offers over a WebSocket, queue status over SSE.

Browsers cannot set headers on a WebSocket, so it also takes `?token=`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse

from callboard.engine import Center
from callboard.server.auth import TokenCache, require
from callboard.server.routes.contacts import live
from callboard.server.streams import Hub
from callboard.store.users import Principal, Role

router = APIRouter(prefix="/api/v1", tags=["streams"])
Viewer = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT))]
# SSE clients get at most one update a second: a wallboard needs no more, and
# a hundred of them must not cost the engine anything.
SSE_PERIOD_S = 1.0


@router.websocket("/agents/{agent_id}/stream")
async def agent_stream(websocket: WebSocket, agent_id: str) -> None:
    token = websocket.query_params.get("token") or websocket.headers.get(
        "authorization", ""
    ).removeprefix("Bearer ")
    tokens: TokenCache = websocket.app.state.tokens
    principal = tokens.authenticate(token) if token else None
    allowed = principal is not None and (
        principal.role in (Role.ADMIN, Role.SUPERVISOR) or principal.agent_id == agent_id
    )
    if not allowed:
        await websocket.close(code=4403, reason="not allowed to follow this agent")
        return
    hub: Hub = websocket.app.state.hub
    await websocket.accept()
    queue = hub.subscribe(agent_id)
    # Wait on the client too: a closed desk must end this handler at once, not
    # at the next offer, or the server cannot shut down cleanly.
    receiver = asyncio.ensure_future(websocket.receive())
    try:
        while True:
            getter = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
            if receiver in done:
                getter.cancel()
                if receiver.result()["type"] == "websocket.disconnect":
                    return
                receiver = asyncio.ensure_future(websocket.receive())  # desks only listen
                continue
            await websocket.send_json(getter.result())
    except WebSocketDisconnect:
        return
    finally:
        receiver.cancel()
        hub.unsubscribe(agent_id, queue)


@router.get("/stream/queues")
async def queue_stream(principal: Viewer, request: Request) -> StreamingResponse:
    """Server-Sent Events: every queue's status, once a second."""
    center = live(request)

    def read(c: Center) -> list[dict[str, Any]]:
        return [c.queue_status(name) for name in c.queue_names()]

    async def events() -> AsyncIterator[str]:
        while not await request.is_disconnected():
            queues = await asyncio.to_thread(center.read, read)
            yield f"event: queues\ndata: {json.dumps({'at': center.clock(), 'queues': queues})}\n\n"
            await asyncio.sleep(SSE_PERIOD_S)

    return StreamingResponse(events(), media_type="text/event-stream")
