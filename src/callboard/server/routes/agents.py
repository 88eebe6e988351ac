"""/api/v1/agents: log in, go ready or not, take offers, finish calls.

An agent may act only as itself; supervisors may act for anyone.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from callboard.domain import NotReadyReason
from callboard.engine import Center
from callboard.server.auth import require
from callboard.server.routes.contacts import live
from callboard.store.users import Principal, Role

router = APIRouter(prefix="/api/v1/agents", tags=["agents"])
Staff = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT))]
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]


class AgentIn(BaseModel):
    agent_id: str = Field(..., min_length=1, max_length=128)
    name: str = Field("", max_length=200)
    skills: dict[str, int] = Field(default_factory=dict, max_length=200)
    capacity: dict[str, int] = Field(default_factory=lambda: {"call": 1}, max_length=10)
    group: str | None = Field(None, max_length=128)


class Login(BaseModel):
    ready: bool = True


class StateIn(BaseModel):
    state: Literal["ready", "not_ready"]
    reason: NotReadyReason | None = None


class Reject(BaseModel):
    reason: str = Field("other", max_length=64)


class Complete(BaseModel):
    acw_s: float | None = Field(None, ge=0, le=3600)


def _self_or_supervisor(principal: Principal, agent_id: str) -> None:
    if principal.role == Role.AGENT and principal.agent_id != agent_id:
        raise HTTPException(403, "agents may act only as themselves")


def _known(request: Request, agent_id: str) -> None:
    def exists(center: Center) -> bool:
        try:
            center.agent_state(agent_id)
        except (KeyError, ValueError):
            return False
        return True

    if not live(request).read(exists):
        raise HTTPException(404, f"no agent {agent_id}; add it with POST /api/v1/agents")


def _view(request: Request, agent_id: str) -> dict[str, Any]:
    def read(center: Center) -> dict[str, Any]:
        state, reason = center.agent_state(agent_id)
        return {"agent_id": agent_id, "state": state, "reason": reason}

    result: dict[str, Any] = live(request).read(read)
    return result


@router.post("", status_code=201)
def add(body: AgentIn, principal: Supervisor, request: Request) -> dict[str, Any]:
    live(request).execute("add_agent", **body.model_dump())
    return _view(request, body.agent_id)


@router.get("/{agent_id}")
def get(agent_id: str, principal: Staff, request: Request) -> dict[str, Any]:
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    return _view(request, agent_id)


@router.post("/{agent_id}/login")
def login(agent_id: str, body: Login, principal: Staff, request: Request) -> dict[str, Any]:
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    live(request).execute("login", agent_id=agent_id, ready=body.ready)
    return _view(request, agent_id)


@router.post("/{agent_id}/logout")
def logout(agent_id: str, principal: Staff, request: Request) -> dict[str, Any]:
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    live(request).execute("logout", agent_id=agent_id)
    return _view(request, agent_id)


@router.post("/{agent_id}/state")
def set_state(agent_id: str, body: StateIn, principal: Staff, request: Request) -> dict[str, Any]:
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    if body.state == "ready":
        live(request).execute("set_ready", agent_id=agent_id)
    else:
        reason = (body.reason or NotReadyReason.OTHER).value
        live(request).execute("set_not_ready", agent_id=agent_id, reason=reason)
    return _view(request, agent_id)


@router.post("/{agent_id}/offers/{contact_id}/accept")
def accept(agent_id: str, contact_id: str, principal: Staff, request: Request) -> dict[str, Any]:
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    live(request).execute("accept", agent_id=agent_id, contact_id=contact_id)
    return _view(request, agent_id)


@router.post("/{agent_id}/offers/{contact_id}/reject")
def reject(
    agent_id: str, contact_id: str, body: Reject, principal: Staff, request: Request
) -> dict[str, Any]:
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    live(request).execute("reject", agent_id=agent_id, contact_id=contact_id, reason=body.reason)
    return _view(request, agent_id)


@router.post("/{agent_id}/contacts/{contact_id}/complete")
def complete(
    agent_id: str, contact_id: str, body: Complete, principal: Staff, request: Request
) -> dict[str, Any]:
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    live(request).execute("complete", agent_id=agent_id, contact_id=contact_id, acw_s=body.acw_s)
    return _view(request, agent_id)
