"""/api/v1/kb: knowledge-base articles for agents, and self-service for the caller widget.

Agents read published articles; supervisors also see drafts and write. The
`/public` routes need no token, because the caller widget is anonymous; they
show published articles only, bound every input, and record what the caller
did (search, view, deflected, escalated) so that deflection can be counted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from callboard.errors import BadInput
from callboard.server.auth import require
from callboard.server.errors import error_response
from callboard.server.inputs import Body, BodyId, Id
from callboard.server.openapi_responses import BODY, PUBLIC, SIGNED_IN, declare
from callboard.server.rate_limit import public_rate_limit
from callboard.server.routes.reports import report_zone
from callboard.store import (
    LANGUAGES,
    LIMITS,
    MAX_QUERY,
    MAX_SESSION,
    Article,
    ArticleNotFound,
    DuplicateArticle,
    InvalidArticle,
    KnowledgeBase,
    Principal,
    Role,
    draft_from,
)

router = APIRouter(prefix="/api/v1/kb", tags=["kb"])
Reader = Annotated[Principal, Depends(require(Role.AGENT, Role.SUPERVISOR))]
Editor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]
# The anonymous routes spend from the caller's rate-limit bucket first.
LIMITED = [Depends(public_rate_limit)]
SIGNED = declare(*SIGNED_IN)
OPEN = declare(*PUBLIC)

SESSION_PATTERN = f"^[A-Za-z0-9._:-]{{1,{MAX_SESSION}}}$"
QueryText = Annotated[str, Query(max_length=MAX_QUERY)]
Language = Annotated[
    str | None,
    Query(description=f"one of {', '.join(LANGUAGES)}", json_schema_extra={"enum": LANGUAGES}),
]
Category = Annotated[str | None, Query(max_length=64)]
Limit = Annotated[int, Query(ge=1, le=100)]
Session = Annotated[str | None, Query(pattern=SESSION_PATTERN)]


def _rule(**schema: Any) -> Any:
    """A required field whose rule the OpenAPI shows and `draft_from` checks."""
    return Field(..., json_schema_extra=schema)


class ArticleIn(Body):
    """Types only; content rules (languages, sizes, non-empty) live in `draft_from`, which
    names every problem at once. The OpenAPI states those rules too (`_rule`)."""

    title: str = _rule(minLength=1, maxLength=LIMITS["title"])
    body: str = _rule(minLength=1, maxLength=LIMITS["body"])
    category: str = _rule(minLength=1, maxLength=LIMITS["category"])
    language: str = _rule(enum=list(LANGUAGES))
    published: bool = True


class Deflection(Body):
    session: str = Field(..., pattern=SESSION_PATTERN)
    article_id: BodyId


class Escalation(Body):
    session: str = Field(..., pattern=SESSION_PATTERN)
    article_id: BodyId | None = None


def _kb(request: Request) -> KnowledgeBase:
    return KnowledgeBase(request.app.state.engine, request.app.state.clock)


def _language(lang: str | None) -> str | None:
    if lang is not None and lang not in LANGUAGES:
        raise HTTPException(422, f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


def _found(kb: KnowledgeBase, article_id: int, *, published_only: bool) -> dict[str, Any]:
    try:
        return kb.get(article_id, published_only=published_only).as_dict()
    except ArticleNotFound as exc:
        raise HTTPException(404, str(exc)) from None


def _write(save: Callable[[], Article]) -> dict[str, Any] | JSONResponse:
    """Run an add or update; bad fields answer 422 naming each, a taken title 409."""
    try:
        article: dict[str, Any] = save().as_dict()
    except InvalidArticle as exc:
        problems = [{"loc": f"body.{field}", "msg": problem} for field, problem in exc.problems]
        return error_response(422, f"invalid article: {exc}", problems)
    except DuplicateArticle as exc:
        raise HTTPException(409, str(exc)) from None
    except ArticleNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    return article


@router.get("/articles", responses=SIGNED)
def search_articles(
    principal: Reader,
    request: Request,
    q: QueryText = "",
    lang: Language = None,
    category: Category = None,
    limit: Limit = 20,
) -> dict[str, Any]:
    """Best matches for `q`; agents see published articles, supervisors drafts too."""
    hits = _kb(request).search(
        q, language=_language(lang), category=category, limit=limit,
        published_only=principal.role == Role.AGENT,
    )  # fmt: skip
    return {"articles": [hit.as_dict() for hit in hits]}


@router.get("/articles/{article_id}", responses={**SIGNED, **declare(404)})
def get_article(article_id: Id, principal: Reader, request: Request) -> dict[str, Any]:
    return _found(_kb(request), article_id, published_only=principal.role == Role.AGENT)


@router.post(
    "/articles", status_code=201, response_model=None,
    responses={**SIGNED, **declare(409, BODY)},
)  # fmt: skip
def add_article(
    body: ArticleIn, principal: Editor, request: Request
) -> dict[str, Any] | JSONResponse:
    kb = _kb(request)
    return _write(lambda: kb.add(draft_from(body.model_dump()), principal.name))


@router.put(
    "/articles/{article_id}", response_model=None, responses={**SIGNED, **declare(404, 409, BODY)}
)
def change_article(
    article_id: Id, body: ArticleIn, principal: Editor, request: Request
) -> dict[str, Any] | JSONResponse:
    kb = _kb(request)
    return _write(lambda: kb.update(article_id, draft_from(body.model_dump()), principal.name))


@router.get("/public/articles", dependencies=LIMITED, responses=OPEN)
def public_search(
    request: Request,
    q: QueryText = "",
    lang: Language = None,
    category: Category = None,
    session: Session = None,
    limit: Limit = 10,
) -> dict[str, Any]:
    """Published articles for the caller widget; a non-empty query counts as a search."""
    kb = _kb(request)
    language = _language(lang)
    hits = kb.search(q, language=language, category=category, limit=limit)
    if q.strip():
        kb.record("search", session=session, language=language, query=q.strip())
    return {"articles": [hit.as_dict() for hit in hits]}


@router.get(
    "/public/articles/{article_id}", dependencies=LIMITED, responses={**OPEN, **declare(404)}
)
def public_article(article_id: Id, request: Request, session: Session = None) -> dict[str, Any]:
    kb = _kb(request)
    article = _found(kb, article_id, published_only=True)
    kb.record("view", session=session, article_id=article_id)
    return article


@router.post("/public/deflections", dependencies=LIMITED, responses={**OPEN, **declare(404, BODY)})
def deflected(body: Deflection, request: Request) -> dict[str, Any]:
    """The caller says an article answered the question and leaves without queueing.

    Repeats from one session are acknowledged but counted once (`recorded`: false).
    """
    return {"ok": True, "recorded": _record(request, "deflected", body.session, body.article_id)}


@router.post("/public/escalations", dependencies=LIMITED, responses={**OPEN, **declare(404, BODY)})
def escalated(body: Escalation, request: Request) -> dict[str, Any]:
    """The caller used the knowledge base and still joined a queue."""
    return {"ok": True, "recorded": _record(request, "escalated", body.session, body.article_id)}


def _record(request: Request, kind: str, session: str, article_id: int | None) -> bool:
    try:
        return _kb(request).record(kind, session=session, article_id=article_id)
    except ArticleNotFound as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/stats", responses=SIGNED)
def stats(
    principal: Editor,
    request: Request,
    start: date | None = None,
    end: date | None = None,
    tz: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """Knowledge-base use per day over [start, end) (default: the last 7 days).

    deflection_rate = deflected / (deflected + escalated); the response states
    the full definition under `definition`. Days are those of the center's
    zone (UTC without a live center) unless `tz` names another.
    """
    zone = report_zone(request, tz)
    today = request.app.state.clock().astimezone(zone).date()
    end = end or today + timedelta(days=1)
    start = start or end - timedelta(days=7)
    try:
        return _kb(request).stats(start, end, zone)
    except BadInput as exc:
        raise HTTPException(422, f"start/end: {exc}") from None
