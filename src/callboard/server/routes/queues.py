"""/api/v1/queues: what the wallboard shows, and a supervisor's open/close/emergency switch.

Figures are read at the current time (the live center catches up first), so the
longest wait grows between commands.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from callboard.engine import Center, SetMode
from callboard.server import announcements
from callboard.server.auth import require
from callboard.server.inputs import Body
from callboard.server.openapi_responses import BODY, SIGNED_IN, declare
from callboard.server.routes.contacts import live
from callboard.store import Principal, Role

router = APIRouter(prefix="/api/v1/queues", tags=["queues"], responses=declare(*SIGNED_IN))
Viewer = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT))]
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]


class ModeIn(Body):
    mode: Literal["open", "closed", "emergency"] | None = Field(
        ..., description="null returns the queue to its hours of operation"
    )
    message: str | None = Field(None, max_length=2_000)
    messages: dict[str, str] = Field(
        default_factory=dict, max_length=20,
        description="the message by caller language (en, ru, uk, zh, ...); the PBX and the "
        "widget announce the caller's own",
    )  # fmt: skip


def figures(center: Center) -> list[dict[str, Any]]:
    """Every queue's status as the API, the SSE feed and the wallboard show it."""
    return [announcements.shown(center.queue_status(name)) for name in center.queue_names()]


@router.get("")
async def all_queues(principal: Viewer, request: Request) -> dict[str, Any]:
    return {"ok": True, "queues": live(request).read(figures)}


@router.post("/{queue}/mode", responses=declare(404, 409, BODY))
async def set_mode(
    queue: str, body: ModeIn, principal: Supervisor, request: Request
) -> dict[str, Any]:
    message = announcements.encode(body.message, body.messages)
    await live(request).submit(SetMode(queue, body.mode, message))
    status: dict[str, Any] = live(request).read(lambda center: center.queue_status(queue))
    return announcements.shown(status)
