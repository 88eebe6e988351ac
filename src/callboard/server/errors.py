"""One JSON shape for every API error, so integrators parse failures one way.

    {"ok": false, "status": 404, "error": "no case 7", "errors": []}

`errors` lists field-level problems (validation), each with `loc` and `msg`.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from callboard.cases import InvalidTransition
from callboard.errors import CallboardError, CommandRefused, UnknownAgent, UnknownContact
from callboard.server.live import StoreUnavailable
from callboard.store import CaseNotFound

log = logging.getLogger(__name__)


# How long a client should wait before trying again after a 503: a store outage or
# a failover is over in seconds (docs/operations.md).
RETRY_AFTER_S = 2

# SQLSTATE classes of a database that is away rather than a request that is wrong:
# connection exceptions, operator intervention (shutdown, starting up), insufficient
# resources, and a read-only transaction (connected to a standby during failover).
_STORE_DOWN_STATES = ("08", "57P", "53", "25006")


def error_response(
    status: int, message: str, errors: list[dict[str, str]] | None = None
) -> JSONResponse:
    """The one error shape; every 503 says when to try again."""
    body = {"ok": False, "status": status, "error": message, "errors": errors or []}
    response = JSONResponse(body, status_code=status)
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def store_down(exc: BaseException) -> bool:
    """Whether `exc` means the store cannot be reached right now (a 503, never a 500):
    the connection failed or broke, the pool is exhausted, or the database is
    shutting down, starting up, or read-only during a failover."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout | DisconnectionError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        state = getattr(exc.orig, "sqlstate", None) or ""
        return state.startswith(_STORE_DOWN_STATES)
    return False


def response_for(exc: Exception) -> JSONResponse:
    """The answer to an exception raised while serving a request: one mapping for the
    app's exception handlers and for the decision lane (`server/lane.py`)."""
    if isinstance(exc, HTTPException) and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI's 400 for a body that is not UTF-8; malformed JSON is already a 422.
        problem = {"loc": "body", "msg": f"not UTF-8 JSON: {exc.__cause__}"}
        return error_response(422, f"invalid request: body: {problem['msg']}", [problem])
    if isinstance(exc, HTTPException):
        response = error_response(exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response
    if isinstance(exc, RequestValidationError):
        errors = [
            {"loc": ".".join(str(part) for part in e.get("loc", ())), "msg": str(e.get("msg"))}
            for e in exc.errors()
        ]
        summary = "; ".join(f"{e['loc']}: {e['msg']}" for e in errors[:3])
        return error_response(422, f"invalid request: {summary}", errors)
    if isinstance(exc, CaseNotFound | UnknownAgent | UnknownContact):
        return error_response(404, str(exc))
    # UnknownQueue is a refusal too: the queue comes in a request's body, so the request
    # conflicts with how the center is set up rather than naming a missing resource.
    if isinstance(exc, InvalidTransition | CommandRefused):
        return error_response(409, str(exc))
    if isinstance(exc, StoreUnavailable):
        return error_response(503, str(exc))
    if store_down(exc):
        log.warning("store unavailable: %s", exc)
        return error_response(503, "the store is unavailable for a moment; try again shortly")
    if isinstance(exc, CallboardError):
        return error_response(400, str(exc))
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal error; the server log has the details")


def install(app: FastAPI) -> None:
    async def handle(_: Request, exc: Exception) -> JSONResponse:
        return response_for(exc)

    # SQLAlchemyError by name: a handler for it runs in Starlette's ExceptionMiddleware
    # and the connection stays open. Only `Exception` is left to ServerErrorMiddleware,
    # which re-raises after answering, and uvicorn then closes the connection: that was
    # where a store outage's "resets with no response" came from.
    for kind in (HTTPException, RequestValidationError, CallboardError, SQLAlchemyError, Exception):
        app.add_exception_handler(kind, handle)
