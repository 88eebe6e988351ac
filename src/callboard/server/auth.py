"""Bearer-token and cookie authentication, and role checks, for the API."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.responses import Response

from callboard.store import SESSION_S, Principal, Role, UserStore

_bearer = HTTPBearer(auto_error=False)
# The web screens keep their session token in this HttpOnly cookie: a browser cannot
# put a bearer header on an EventSource, and scripts never need to read the token.
TOKEN_COOKIE = "callboard_token"
# A verified token is trusted this long without asking the store again: every
# API call would otherwise cost a query. Revoking a token takes effect within it.
TOKEN_CACHE_S = 5.0


class TokenCache:
    """Principals of recently verified tokens, keyed by the token's SHA-256."""

    def __init__(self, users: UserStore, ttl_s: float = TOKEN_CACHE_S) -> None:
        self.users = users
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._known: dict[str, tuple[float, Principal]] = {}

    def cached(self, token: str) -> Principal | None:
        """The principal of a token verified within the last `ttl_s`; never asks the store."""
        key = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            cached = self._known.get(key)
        if cached is not None and time.monotonic() - cached[0] < self.ttl_s:
            return cached[1]
        return None

    async def verify(self, token: str) -> Principal | None:
        """`authenticate` for the event loop: a cached token costs a hash and a lookup
        on the loop; only a token not seen for a while goes to the store, in a thread,
        so a slow store never stalls the requests and streams sharing the loop."""
        return self.cached(token) or await asyncio.to_thread(self.authenticate, token)

    def authenticate(self, token: str) -> Principal | None:
        found = self.cached(token)
        if found is not None:
            return found
        key = hashlib.sha256(token.encode()).hexdigest()
        now = time.monotonic()
        principal = self.users.authenticate(token)
        with self._lock:
            if principal is None:
                self._known.pop(key, None)
            else:
                self._known[key] = (now, principal)
        return principal


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    token = credentials.credentials if credentials else request.cookies.get(TOKEN_COOKIE)
    if not token:
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    tokens: TokenCache = request.app.state.tokens
    principal = await tokens.verify(token)
    if principal is None:
        raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
    return principal


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting only `roles`; admin is always admitted."""
    allowed = {Role.ADMIN, *roles}

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(allowed))
            raise HTTPException(403, f"role {principal.role} may not do this; needs one of {names}")
        return principal

    return check


def keep_session(response: Response, request: Request, token: str) -> Response:
    """Put a sign-in session's token in the browser: HttpOnly (scripts never see it),
    SameSite=Lax (not sent on a foreign page's requests, yet a link from a mail still
    opens a screen signed in), and Secure once the browser reached us over HTTPS,
    as the scheme stands after a trusted proxy's headers (server/launch.py)."""
    response.set_cookie(
        TOKEN_COOKIE, token, max_age=int(SESSION_S), httponly=True, samesite="lax",
        secure=request.url.scheme == "https", path="/",
    )  # fmt: skip
    return response
