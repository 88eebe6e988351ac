"""/api/v1/queues: what the wallboard shows, and a supervisor's open/close/emergency switch."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from callboard.engine import Center, SetMode
from callboard.server.auth import require
from callboard.server.routes.contacts import live
from callboard.store import Principal, Role

router = APIRouter(prefix="/api/v1/queues", tags=["queues"])
Viewer = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT))]
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]


class ModeIn(BaseModel):
    mode: Literal["open", "closed", "emergency"] | None = Field(
        ..., description="null returns the queue to its hours of operation"
    )
    message: str | None = Field(None, max_length=2_000)


@router.get("")
async def all_queues(principal: Viewer, request: Request) -> dict[str, Any]:
    def read(center: Center) -> list[dict[str, Any]]:
        return [center.queue_status(name) for name in center.queue_names()]

    return {"ok": True, "queues": live(request).read(read)}


@router.post("/{queue}/mode")
async def set_mode(
    queue: str, body: ModeIn, principal: Supervisor, request: Request
) -> dict[str, Any]:
    await live(request).submit(SetMode(queue, body.mode, body.message))
    status: dict[str, Any] = live(request).read(lambda center: center.queue_status(queue))
    return status
