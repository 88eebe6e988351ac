"""Signing in and out of the web screens.

People sign in with their name and password (argon2id, store/passwords.py) or
with a one-time link (`/login?code=...`, which `serve`, `demo` and
`callboard user link` print); an API token still works in the form, for
someone who holds one. Each way ends the same: a new session token, which
expires, in the HttpOnly cookie (server/auth.py's `keep_session`). A token
never travels in a URL.

A link opened from the address bar, a terminal or a mail client (the browser
says `Sec-Fetch-Site: none`) signs in at once. One followed from another site
shows a "continue as ..." button instead, so a foreign page cannot sign a
browser in as somebody else (login CSRF) and a mail scanner fetching the link
does not use it up. The form's POST passes the same Origin check as every
cookie write (server/security.py) and the anonymous rate limit.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from callboard.server.auth import TOKEN_COOKIE, TokenCache, keep_session
from callboard.server.pages.common import local, render
from callboard.server.rate_limit import public_rate_limit
from callboard.store import Principal, UserStore

router = APIRouter(include_in_schema=False)
# Navigations the user made themselves, not ones another site started.
_OWN_NAVIGATION = ("none", "same-origin")


@router.get("/login", response_model=None)
def login_page(request: Request, next: str = "/wallboard", code: str | None = None) -> Response:
    """The sign-in form; with `?code=` a one-time link (see the module's docstring)."""
    if not code:
        return _form(request, next)
    users: UserStore = request.app.state.users
    if request.headers.get("sec-fetch-site") in _OWN_NAVIGATION:
        return _signed_in(request, users.redeem_login_code(code), next, "login.link_used")
    holder = users.login_code_holder(code)
    if holder is None:
        return _form(request, next, error="login.link_used")
    return _form(request, next, code=code, holder=holder)


@router.post("/login", response_model=None, dependencies=[Depends(public_rate_limit)])
def login_form(
    request: Request,
    name: Annotated[str, Form(max_length=128)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    token: Annotated[str, Form(max_length=256)] = "",
    code: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/wallboard",
) -> Response:
    users: UserStore = request.app.state.users
    if code:
        return _signed_in(request, users.redeem_login_code(code), next, "login.link_used")
    if token:
        tokens: TokenCache = request.app.state.tokens
        return _signed_in(request, tokens.authenticate(token), next, "login.unknown_token")
    principal = users.check_password(name.strip(), password) if name and password else None
    return _signed_in(request, principal, next, "login.bad_password", name=name)


@router.post("/logout", response_model=None)
def logout(request: Request, next: Annotated[str, Form(max_length=2048)] = "") -> Response:
    """Sign-out ends the session in the store too, so a copied cookie stops working."""
    token = request.cookies.get(TOKEN_COOKIE)
    if token:
        users: UserStore = request.app.state.users
        users.end_session(token)
    target = f"/login?next={quote(local(next))}" if next else "/login"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(TOKEN_COOKIE, path="/")
    return response


def _signed_in(
    request: Request, principal: Principal | None, next_url: str, error: str, name: str = ""
) -> Response:
    """A fresh session for `principal` and the way on, or the form again with `error`."""
    if principal is None:
        return _form(request, next_url, error=error, name=name, status=401)
    users: UserStore = request.app.state.users
    response = RedirectResponse(local(next_url), status_code=303)
    return keep_session(response, request, users.open_session(principal.name))


def _form(request: Request, next_url: str, *, status: int = 200, **context: Any) -> Response:
    page = render(
        request, "login.html", screen="login", principal=None, next=local(next_url), **context
    )
    page.status_code = status
    return page
