"""/api/v1/cases: the registration protocol. Agents see and change only their own cases.

Every time returned is in the center's zone, with its offset (`CaseStore`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import Field, WithJsonSchema, field_validator

from callboard.domain import CaseStatus
from callboard.server.auth import require
from callboard.server.clock import now
from callboard.server.inputs import Body, Id, Offset
from callboard.server.openapi_responses import BODY, SIGNED_IN, declare
from callboard.server.sla_clock import SlaClock
from callboard.store import CaseFilter, CaseStore, Principal, Role

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=declare(*SIGNED_IN))
Staff = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT))]
Opener = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT, Role.INTEGRATION))]
Rater = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.INTEGRATION))]
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]
BOARD_LIMIT = 50
Name = Annotated[str | None, Query(max_length=128)]
# A change may leave these out, but not set them to null: every case has both.
# The OpenAPI says so too (no `null` among the choices).
Status = Annotated[
    CaseStatus | None, WithJsonSchema({"type": "string", "enum": [s.value for s in CaseStatus]})
]
Priority = Annotated[int | None, WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 9})]


class CaseIn(Body):
    caller: str | None = Field(None, max_length=128)
    category: str | None = Field(None, max_length=128)
    queue: str | None = Field(None, max_length=128)
    region: str | None = Field(None, max_length=128)
    priority: int = Field(0, ge=0, le=9)
    assignee: str | None = Field(None, max_length=128)
    notes: str = Field("", max_length=20_000)
    contact_ids: list[str] = Field(default_factory=list, max_length=100)


class CaseChange(Body):
    status: Status = None
    caller: str | None = Field(None, max_length=128)
    category: str | None = Field(None, max_length=128)
    queue: str | None = Field(None, max_length=128)
    region: str | None = Field(None, max_length=128)
    priority: Priority = Field(None, ge=0, le=9)
    outcome: str | None = Field(None, max_length=128)
    assignee: str | None = Field(None, max_length=128)
    notes: str | None = Field(None, max_length=20_000, description="appended to the case notes")

    @field_validator("status", "priority", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Runs only on values given, so a field left out stays as it is."""
        if value is None:
            raise ValueError("may be left out, but not null")
        return value


class Response(Body):
    message: str = Field(..., min_length=1, max_length=20_000)


class Csat(Body):
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2_000)


def _cases(request: Request) -> CaseStore:
    store: CaseStore = request.app.state.cases
    return store


def _clock(request: Request) -> SlaClock:
    clock: SlaClock = request.app.state.sla_clock
    return clock


def _visible(case: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """An agent may touch only cases assigned to it; others look like they do not exist."""
    if principal.role == Role.AGENT and case["assignee"] != principal.agent_id:
        raise HTTPException(404, f"no case {case['id']}")
    return case


@router.post("", status_code=201, responses=declare(BODY))
def open_case(body: CaseIn, principal: Opener, request: Request) -> dict[str, Any]:
    values = body.model_dump()
    if principal.role == Role.AGENT:
        values["assignee"] = principal.agent_id
    return _cases(request).open(at=now(request), actor=principal.name, **values)


@router.get("", responses=declare(400))
def search_cases(
    principal: Staff,
    request: Request,
    status: Annotated[list[CaseStatus] | None, Query()] = None,
    category: Name = None,
    caller: Name = None,
    assignee: Name = None,
    queue: Name = None,
    contact_id: Annotated[str | None, Query(max_length=128)] = None,
    text: Annotated[str | None, Query(max_length=200)] = None,
    opened_from: datetime | None = None,
    opened_to: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    if principal.role == Role.AGENT:
        assignee = principal.agent_id
    for name, value in (("opened_from", opened_from), ("opened_to", opened_to)):
        if value is not None and value.tzinfo is None:
            raise HTTPException(400, f"{name} needs a time zone, e.g. 2026-11-23T08:00:00Z")
    where = CaseFilter(
        status=status or (), category=category, caller=caller, assignee=assignee, queue=queue,
        contact_id=contact_id, text=text, opened_from=opened_from, opened_to=opened_to,
        limit=limit, offset=offset,
    )  # fmt: skip
    return {"ok": True, "cases": _cases(request).search(where, now=now(request))}


@router.get("/escalations")
def escalation_board(
    _: Supervisor,
    request: Request,
    within: Annotated[int, Query(ge=0, le=7 * 86400, description="seconds ahead")] = 3600,
) -> dict[str, Any]:
    """The console's panel: open cases that have escalated, latest first, and open cases
    with a target falling due within `within` seconds, soonest first."""
    store, clock = _cases(request), _clock(request)
    at = now(request)
    soon = clock.soon_due(at, timedelta(seconds=within))[:BOARD_LIMIT]
    due_soon = [
        {**store.get(case_id, now=at), "next_due": store.shown(due)} for case_id, due in soon
    ]
    return {
        "ok": True,
        "escalated": store.escalated(now=at, limit=BOARD_LIMIT),
        "due_soon": due_soon,
    }


@router.get("/{case_id}", responses=declare(404))
def get_case(case_id: Id, principal: Staff, request: Request) -> dict[str, Any]:
    return _visible(_cases(request).get(case_id, now=now(request)), principal)


@router.patch("/{case_id}", responses=declare(404, 409, BODY))
def change_case(
    case_id: Id, body: CaseChange, principal: Staff, request: Request
) -> dict[str, Any]:
    store = _cases(request)
    _visible(store.get(case_id, now=now(request)), principal)
    changes = body.model_dump(exclude_unset=True)
    if principal.role == Role.AGENT and "assignee" in changes:
        raise HTTPException(403, "agents cannot reassign cases; ask a supervisor")
    return store.update(case_id, at=now(request), actor=principal.name, changes=changes)


@router.post("/{case_id}/responses", responses=declare(404, BODY))
def respond(case_id: Id, body: Response, principal: Staff, request: Request) -> dict[str, Any]:
    store = _cases(request)
    _visible(store.get(case_id, now=now(request)), principal)
    return store.respond(case_id, at=now(request), actor=principal.name, message=body.message)


@router.post("/{case_id}/csat", responses=declare(400, 404, BODY))
def rate(case_id: Id, body: Csat, principal: Rater, request: Request) -> dict[str, Any]:
    return _cases(request).rate(
        case_id, score=body.score, comment=body.comment, at=now(request), actor=principal.name
    )


@router.get("/{case_id}/history", responses=declare(404))
def history(case_id: Id, principal: Staff, request: Request) -> dict[str, Any]:
    _visible(_cases(request).get(case_id, now=now(request)), principal)
    return {"ok": True, "history": _cases(request).history(case_id)}
