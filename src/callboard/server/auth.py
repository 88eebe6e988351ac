"""Bearer-token authentication and role checks for the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from callboard.store.users import Principal, Role, UserStore

_bearer = HTTPBearer(auto_error=False)


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    users: UserStore = request.app.state.users
    principal = users.authenticate(credentials.credentials)
    if principal is None:
        raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
    return principal


def require(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting only `roles`; admin is always admitted."""
    allowed = {Role.ADMIN, *roles}

    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(allowed))
            raise HTTPException(403, f"role {principal.role} may not do this; needs one of {names}")
        return principal

    return check
