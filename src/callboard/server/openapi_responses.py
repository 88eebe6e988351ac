"""The error answers each route declares in the OpenAPI, all in the one error shape.

Integrators (and the API fuzzer, tests/server/test_fuzz.py) read from the
OpenAPI which codes a route can give; an answer the document does not name is
a bug, the same as a 500. Routers declare a named set for what every route of
theirs can answer (`responses=` on the `APIRouter`), and each route adds only
its own (`declare(404, 409, BODY)`).

Every route can answer 503 (a store outage, a standby, a server without a live
center), and 422 for input that breaks a declared rule. FastAPI's own 422
schema (`{"detail": [...]}`) is replaced, since server/errors.py answers every
error in one shape.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class FieldProblem(BaseModel):
    loc: str = Field(..., description="where the problem is, e.g. body.queue or query.limit")
    msg: str


class ErrorBody(BaseModel):
    """The one error shape (server/errors.py)."""

    ok: Literal[False]
    status: int = Field(..., description="the HTTP status again")
    error: str = Field(..., description="what went wrong, for a person to read")
    errors: list[FieldProblem] = Field(..., description="field-level problems, if any")


_MEANINGS = {
    400: "the request is well formed but cannot be carried out as asked; `error` says why",
    401: "no token, or an unknown or revoked one",
    403: "the token's role may not do this",
    404: "no such resource (or one this caller may not see)",
    409: "the request conflicts with the current state",
    413: "the request body is larger than the server accepts (1 MB)",
    422: "the input breaks a declared rule; `errors` names each field",
    429: "too many requests from this address; Retry-After says when to try again",
    503: "the store is unavailable for a moment, or this server cannot serve this now "
    "(a standby, or no live center); Retry-After says when to try again",
}

Responses = dict[int | str, dict[str, Any]]


def declare(*codes: int) -> Responses:
    """The OpenAPI responses for `codes`, each with the one error shape."""
    return {code: {"model": ErrorBody, "description": _MEANINGS[code]} for code in codes}


# What any route can answer: bad input, or a store that is away.
ANY = (422, 503)
# A route behind a bearer token (server/auth.py).
SIGNED_IN = (401, 403, *ANY)
# An anonymous route: the widget's and the public knowledge base's (server/rate_limit.py).
PUBLIC = (429, *ANY)
# A route that takes a request body (server/request_limits.py).
BODY = 413
