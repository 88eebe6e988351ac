"""/api/v1/surge: live figures and the plan's state, supervisor decisions, the audit
timeline, projections, and reserve arrivals.

The status is for every signed-in user, agents included, so that every wallboard shows
the same service level and tier; deciding, the timeline and projections are for
supervisors. A reserve person's arrival may also be confirmed by an integration (a door
badge reader, a workforce tool). The web console and wallboard read these shapes as they are; see
docs/surge.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from callboard.server.auth import require
from callboard.server.inputs import Id
from callboard.server.openapi_responses import SIGNED_IN, declare
from callboard.server.surge_live import (
    AlreadyDecided,
    AlreadyReleased,
    NoScenario,
    NotCalledIn,
    SurgeLive,
    UnknownRecommendation,
    iso,
)
from callboard.server.timeline_words import timeline_words
from callboard.store import Principal, Role
from callboard.surge import Action, describe

router = APIRouter(prefix="/api/v1/surge", tags=["surge"], responses=declare(*SIGNED_IN))
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]
Reader = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.AGENT))]
ArrivalWitness = Annotated[Principal, Depends(require(Role.SUPERVISOR, Role.INTEGRATION))]
_NO_PLAN = "this server runs no surge plan; start it with --plan FILE"


def _surge(request: Request) -> SurgeLive:
    surge: SurgeLive | None = request.app.state.surge
    if surge is None or surge.plan is None:
        raise HTTPException(409, _NO_PLAN)
    return surge


@router.get("")
def status(principal: Reader, request: Request) -> dict[str, Any]:
    """Every queue's live figures, the plan's active tiers where it plans the queue, and
    pending recommendations; plan and mode are null without a plan, and queues empty
    without a live center."""
    surge: SurgeLive | None = request.app.state.surge
    if surge is None:
        return {"plan": None, "mode": None, "queues": [], "pending": [], "reserve": []}
    return surge.status()


@router.post("/recommendations/{recommendation_id}/confirm", responses=declare(404, 409))
def confirm(recommendation_id: Id, principal: Supervisor, request: Request) -> dict[str, Any]:
    """Carry out a recommended tier change now; the confirming supervisor is on the timeline."""
    try:
        actions = _surge(request).confirm(recommendation_id, principal.name)
    except UnknownRecommendation as exc:
        raise HTTPException(404, str(exc)) from None
    except AlreadyDecided as exc:
        raise HTTPException(409, str(exc)) from None
    return {"ok": True, "actions": [_action(a) for a in actions]}


@router.post("/recommendations/{recommendation_id}/decline", responses=declare(404, 409))
def decline(recommendation_id: Id, principal: Supervisor, request: Request) -> dict[str, Any]:
    try:
        _surge(request).decline(recommendation_id, principal.name)
    except UnknownRecommendation as exc:
        raise HTTPException(404, str(exc)) from None
    except AlreadyDecided as exc:
        raise HTTPException(409, str(exc)) from None
    return {"ok": True}


@router.post("/reserve/{person_id}/arrived", responses=declare(404, 409))
def reserve_arrived(person_id: str, principal: ArrivalWitness, request: Request) -> dict[str, Any]:
    """A reserve person called in has come: logged in ready, on the line from now. Saying
    it again answers the same; logging in on the desk does the same."""
    try:
        person = _surge(request).confirm_arrival(person_id)
    except NotCalledIn as exc:
        raise HTTPException(404, str(exc)) from None
    except AlreadyReleased as exc:
        raise HTTPException(409, str(exc)) from None
    return {"ok": True, "person": person}


@router.get("/timeline", responses=declare(409))
def timeline(
    principal: Supervisor, request: Request, limit: Annotated[int, Query(ge=1, le=10_000)] = 200
) -> dict[str, Any]:
    """The last `limit` entries, oldest first; kept across restarts. `detail` is English
    for the log; `words` the same as a catalog key and values, for screens in any language
    (null where only the detail says it; server/timeline_words.py)."""
    surge = _surge(request)
    entries = surge.timeline(limit)
    plan = surge.plan
    said = timeline_words(entries, plan) if plan is not None else [None] * len(entries)
    return {
        "entries": [
            {"at": iso(e.at), "kind": e.kind, "queue": e.queue, "tier": e.tier,
             "detail": e.detail, "by": e.by, "action_id": e.action_id, "words": words}
            for e, words in zip(entries, said, strict=True)
        ]
    }  # fmt: skip


@router.get("/projection", responses=declare(409))
def projection(
    principal: Supervisor,
    request: Request,
    minutes: Annotated[int, Query(ge=5, le=240)] = 60,
    replications: Annotated[int, Query(ge=2, le=1000)] = 30,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
) -> dict[str, Any]:
    """The next `minutes` simulated from the live state under no action and each tier."""
    try:
        result = _surge(request).project(minutes, replications, seed)
    except NoScenario as exc:
        raise HTTPException(409, str(exc)) from None
    return result.as_dict()


def _action(action: Action) -> dict[str, Any]:
    verb = "undo" if action.undo else "do"
    return {"action_id": action.action_id, "queue": action.queue, "tier": action.tier,
            "detail": f"{verb} {describe(action.step, action.callouts)}"}  # fmt: skip
