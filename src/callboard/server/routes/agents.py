"""/api/v1/agents: log in, go ready or not, take offers, finish calls.

An agent may act only as itself; supervisors may act for anyone.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from callboard.domain import NotReadyReason
from callboard.engine import Accept, AddAgent, Center, Command, Logout, SetNotReady, SetReady
from callboard.engine import Complete as CompleteCommand
from callboard.engine import Login as LoginCommand
from callboard.engine import Reject as RejectCommand
from callboard.errors import UnknownAgent
from callboard.server.auth import require
from callboard.server.inputs import Body
from callboard.server.openapi_responses import BODY, SIGNED_IN, declare
from callboard.server.routes import contacts
from callboard.server.routes.contacts import live
from callboard.store import Principal, Role, UserStore

router = APIRouter(prefix="/api/v1/agents", tags=["agents"], responses=declare(*SIGNED_IN))
# Who may act for agents; server/lane.py admits the same roles on its fast path.
STAFF = (Role.SUPERVISOR, Role.AGENT)
Staff = Annotated[Principal, Depends(require(*STAFF))]
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]


class AgentIn(Body):
    agent_id: str = Field(..., min_length=1, max_length=128)
    name: str = Field("", max_length=200)
    skills: dict[str, int] = Field(default_factory=dict, max_length=200)
    capacity: dict[str, int] = Field(default_factory=lambda: {"call": 1}, max_length=10)
    group: str | None = Field(None, max_length=128)


class Login(Body):
    ready: bool = True


class StateIn(Body):
    state: Literal["ready", "not_ready"]
    reason: NotReadyReason | None = None


class Reject(Body):
    reason: str = Field("other", max_length=64)


class Complete(Body):
    acw_s: float | None = Field(None, ge=0, le=3600)


def _self_or_supervisor(principal: Principal, agent_id: str) -> None:
    if principal.role == Role.AGENT and principal.agent_id != agent_id:
        raise HTTPException(403, "agents may act only as themselves")


def _known(request: Request, agent_id: str) -> None:
    def exists(center: Center) -> bool:
        try:
            center.agent_state(agent_id)
        except UnknownAgent:
            return False
        return True

    if not live(request).read(exists):
        raise HTTPException(404, f"no agent {agent_id}; add it with POST /api/v1/agents")


def _row(center: Center, agent_id: str, names: dict[str, str]) -> dict[str, Any]:
    return {**center.agent_view(agent_id), "name": names.get(agent_id)}


def _names(request: Request) -> dict[str, str]:
    """Each agent id's user name: the person signed in as that agent. Blocking."""
    store: UserStore = request.app.state.users
    return store.agent_names()


def _view(request: Request, agent_id: str) -> dict[str, Any]:
    def read(center: Center) -> dict[str, Any]:
        state, reason = center.agent_state(agent_id)
        return {"agent_id": agent_id, "state": state, "reason": reason}

    result: dict[str, Any] = live(request).read(read)
    return result


@router.post("", status_code=201, responses=declare(409, BODY))
async def add(body: AgentIn, principal: Supervisor, request: Request) -> dict[str, Any]:
    agent = AddAgent(body.agent_id, body.name, body.skills, body.capacity, body.group)
    await live(request).submit(agent)
    return _view(request, body.agent_id)


@router.get("")
async def list_agents(principal: Staff, request: Request) -> dict[str, Any]:
    """Every agent with its state, skills and the contacts it holds, in one read, for the
    supervisor console; an agent sees only itself."""
    names = await run_in_threadpool(_names, request)

    def read(center: Center) -> list[dict[str, Any]]:
        ids = sorted(center.agent_ids())
        if principal.role == Role.AGENT:
            ids = [i for i in ids if i == principal.agent_id]
        return [_row(center, agent_id, names) for agent_id in ids]

    return {"ok": True, "agents": live(request).read(read)}


@router.get("/{agent_id}/contacts", responses=declare(404))
async def held_contacts(agent_id: str, principal: Staff, request: Request) -> dict[str, Any]:
    """The contacts offered to or connected with the agent, each with its caller."""
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    clock = live(request).clock

    def read(center: Center) -> list[dict[str, Any]]:
        now = clock()
        found = (center.contact(c) for c in center.agent_view(agent_id)["contacts"])
        return [contacts.held(center, contact, now) for contact in found if contact is not None]

    return {"ok": True, "contacts": live(request).read(read)}


@router.get("/{agent_id}/callbacks", responses=declare(404))
async def callbacks(
    agent_id: str,
    principal: Staff,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Callers waiting to be called back in the queues the agent can serve, longest in
    line first (in service order within a queue), each with its place in line."""
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    clock = live(request).clock

    def read(center: Center) -> list[dict[str, Any]]:
        now = clock()
        queues: list[str] = center.agent_view(agent_id)["queues"]
        in_line = [center.contact(c) for queue in queues for c in center.waiting(queue)]
        waiting = [c for c in in_line if c is not None and c.callback]
        waiting.sort(key=lambda c: c.queued_at)  # stable: service order within a queue
        return [contacts.held(center, contact, now) for contact in waiting[:limit]]

    return {"ok": True, "callbacks": live(request).read(read)}


@router.get("/{agent_id}", responses=declare(404))
async def get(agent_id: str, principal: Staff, request: Request) -> dict[str, Any]:
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    return _view(request, agent_id)


async def _command(
    request: Request, principal: Principal, agent_id: str, command: Command
) -> dict[str, Any]:
    """One of the agent's own commands (or a supervisor's for it), answered with the
    agent's state once the command is durable."""
    _self_or_supervisor(principal, agent_id)
    _known(request, agent_id)
    await live(request).submit(command)
    return _view(request, agent_id)


@router.post("/{agent_id}/login", responses=declare(404, 409, BODY))
async def login(agent_id: str, body: Login, principal: Staff, request: Request) -> dict[str, Any]:
    return await _command(request, principal, agent_id, LoginCommand(agent_id, body.ready))


@router.post("/{agent_id}/logout", responses=declare(404, 409))
async def logout(agent_id: str, principal: Staff, request: Request) -> dict[str, Any]:
    return await _command(request, principal, agent_id, Logout(agent_id))


@router.post("/{agent_id}/state", responses=declare(404, 409, BODY))
async def set_state(
    agent_id: str, body: StateIn, principal: Staff, request: Request
) -> dict[str, Any]:
    if body.state == "ready":
        return await _command(request, principal, agent_id, SetReady(agent_id))
    reason = (body.reason or NotReadyReason.OTHER).value
    return await _command(request, principal, agent_id, SetNotReady(agent_id, reason))


@router.post("/{agent_id}/offers/{contact_id}/accept", responses=declare(404, 409))
async def accept(
    agent_id: str, contact_id: str, principal: Staff, request: Request
) -> dict[str, Any]:
    return await _command(request, principal, agent_id, Accept(agent_id, contact_id))


@router.post("/{agent_id}/offers/{contact_id}/reject", responses=declare(404, 409, BODY))
async def reject(
    agent_id: str, contact_id: str, body: Reject, principal: Staff, request: Request
) -> dict[str, Any]:
    command = RejectCommand(agent_id, contact_id, body.reason)
    return await _command(request, principal, agent_id, command)


@router.post("/{agent_id}/contacts/{contact_id}/complete", responses=declare(404, 409, BODY))
async def complete(
    agent_id: str, contact_id: str, body: Complete, principal: Staff, request: Request
) -> dict[str, Any]:
    command = CompleteCommand(agent_id, contact_id, body.acw_s)
    return await _command(request, principal, agent_id, command)
