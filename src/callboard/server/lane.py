"""The decision lane: the requests every contact makes, without FastAPI's
per-request machinery.

Creating a contact (or a PBX's route), accepting its offer, completing it (or a
PBX's hangup) are most of the API's traffic. For them FastAPI spends about half
a millisecond on routing, solving dependencies and serialising (bench/server
profiles), far more than the live center spends deciding, and it capped one
server process near 280 contacts/s.

This ASGI middleware resolves what those endpoints take (path parameters, the
caller's principal, the body) and calls the very same endpoint functions, so
their behaviour is written once; errors they raise get the app's one error
shape (`errors.response_for`). A request the lane cannot resolve cheaply (no
verified token in the cache, a role those endpoints do not admit, a body that
does not validate, any other route) goes on to FastAPI untouched, which
answers it, errors included, the usual way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, get_type_hints

from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from callboard.server.errors import response_for
from callboard.server.routes import agents, contacts, telephony
from callboard.store import Principal, Role

Endpoint = Callable[..., Awaitable[dict[str, Any]]]
PrincipalOf = Callable[[str], Principal | None]


@dataclass(frozen=True)
class _Hot:
    route: APIRoute
    endpoint: Endpoint
    admitted: frozenset[Role]
    body: type[BaseModel] | None


def _hot(router_routes: list[Any], endpoint: Endpoint, roles: tuple[Role, ...]) -> _Hot:
    """The lane entry for `endpoint`, from its own route: one path template, one body model."""
    route = next(r for r in router_routes if isinstance(r, APIRoute) and r.endpoint is endpoint)
    hints = get_type_hints(endpoint)
    if not {"principal", "request"} <= hints.keys():
        raise TypeError(f"{endpoint.__name__} must take `principal` and `request`")
    body = hints.get("body")
    # `require` admits admin to everything; the lane admits exactly the same roles.
    return _Hot(route, endpoint, frozenset({Role.ADMIN, *roles}), body)


class DecisionLane:
    """ASGI middleware; `principal_of(token)` must answer from a cache, never the store."""

    def __init__(self, app: ASGIApp, principal_of: PrincipalOf) -> None:
        self.app = app
        self.principal_of = principal_of
        self.hot = (
            _hot(contacts.router.routes, contacts.create, contacts.CALLERS),
            _hot(agents.router.routes, agents.accept, agents.STAFF),
            _hot(agents.router.routes, agents.complete, agents.STAFF),
            _hot(telephony.router.routes, telephony.route, telephony.PBXES),
            _hot(telephony.router.routes, telephony.hangup, telephony.PBXES),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            path = scope["path"]
            for hot in self.hot:
                match = hot.route.path_regex.match(path)
                if match is not None:
                    await self._serve(hot, match.groupdict(), scope, receive, send)
                    return
        await self.app(scope, receive, send)

    async def _serve(
        self, hot: _Hot, params: dict[str, Any], scope: Scope, receive: Receive, send: Send
    ) -> None:
        body = b""
        message: Message = {"more_body": True}
        while message.get("more_body"):
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body += message.get("body", b"")
        arguments = self._resolve(hot, scope, body)
        if arguments is None:
            await self.app(scope, _replay(body, receive), send)
            return
        request = Request(scope, receive)
        try:
            result = await hot.endpoint(**params, **arguments, request=request)
        except Exception as exc:
            response = response_for(exc)
        else:
            response = JSONResponse(result, status_code=hot.route.status_code or 200)
        await response(scope, receive, send)

    def _resolve(self, hot: _Hot, scope: Scope, body: bytes) -> dict[str, Any] | None:
        """The endpoint's principal and body, or None to leave the request to FastAPI."""
        authorization = content_type = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value
            elif name == b"content-type":
                content_type = value
        if not authorization.startswith(b"Bearer "):
            return None
        principal = self.principal_of(authorization[7:].decode("latin-1"))
        if principal is None or principal.role not in hot.admitted:
            return None
        if hot.body is None:
            return {"principal": principal}
        if content_type and not content_type.startswith(b"application/json"):
            return None
        try:
            return {"principal": principal, "body": hot.body.model_validate_json(body)}
        except ValidationError:
            return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the already-read body over again, then carries on."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed
