"""What every screen shares: the layout, sign-in by token cookie, language, static files.

Pages are rendered on the server with Jinja2 and then kept live by small ES
modules that call the same /api/v1 a PBX or CRM uses; the pages hold no data
of their own. The token sits in an HttpOnly cookie so that EventSource and
fetch carry it without scripts ever seeing it.
"""

from __future__ import annotations

import mimetypes
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from callboard.server.auth import TOKEN_COOKIE, TokenCache
from callboard.server.pages.i18n import LANG_COOKIE, LANGUAGES, WEB, catalog, catalog_json, choose
from callboard.store import Principal, Role

router = APIRouter(include_in_schema=False)
STATIC = WEB / "static"
PLOTLY_JS = Path(str(files("plotly") / "package_data" / "plotly.min.js"))
# Which screens each role may open; the navigation shows only these.
SCREENS: dict[str, tuple[Role, ...]] = {
    "wallboard": (Role.SUPERVISOR, Role.AGENT),
    "console": (Role.SUPERVISOR,),
    "agent": (Role.AGENT,),
    "reports": (Role.SUPERVISOR,),
    "kb": (Role.SUPERVISOR, Role.AGENT),
    "widget": (),
}
COOKIE_AGE_S = 12 * 3600  # one long shift

_templates = Environment(
    loader=FileSystemLoader(WEB / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def signed_in(request: Request, screen: str) -> Principal | None:
    """The principal behind the cookie, if it may open `screen`; public screens need none.

    Without one the browser is sent to /login (a 303 with Location, which the
    API's error handler keeps) and comes back here after signing in.
    """
    roles = SCREENS[screen]
    token = request.cookies.get(TOKEN_COOKIE)
    tokens: TokenCache = request.app.state.tokens
    principal = tokens.authenticate(token) if token else None
    if not roles:
        return principal
    if principal is None:
        query = f"?{request.url.query}" if request.url.query else ""
        target = quote(request.url.path + query)
        raise HTTPException(303, "sign in first", headers={"Location": f"/login?next={target}"})
    if not _may_open(principal, screen):
        raise HTTPException(403, f"role {principal.role} may not open the {screen} screen")
    return principal


def render(
    request: Request,
    template: str,
    *,
    screen: str,
    principal: Principal | None,
    script: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page in the request's language, with that language's catalog for its script."""
    lang = choose(request)
    text = catalog(lang)
    allowed = [name for name in SCREENS if SCREENS[name] and _may_open(principal, name)]
    page = _templates.get_template(template).render(
        t=lambda key, **values: _translate(text, key, values),
        lang=lang,
        languages=LANGUAGES,
        screen=screen,
        screens=allowed,
        principal=principal,
        script=script,
        catalog_json=catalog_json(lang),
        **context,
    )
    response = HTMLResponse(page)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/", response_model=None)
def home(request: Request) -> Response:
    return RedirectResponse("/wallboard", status_code=303)


@router.get("/login", response_model=None)
def login_page(request: Request, next: str = "/wallboard", token: str | None = None) -> Response:
    """A link with `?token=` signs in at once (the demo prints one); otherwise a form."""
    if token:
        return _sign_in(request, token, next)
    return render(request, "login.html", screen="login", principal=None, next=_local(next))


@router.post("/login", response_model=None)
def login_form(
    request: Request, token: str = Form(...), next: str = Form("/wallboard")
) -> Response:
    return _sign_in(request, token, next)


@router.post("/logout", response_model=None)
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(TOKEN_COOKIE)
    return response


@router.get("/static/vendor/plotly.min.js", response_model=None)
def plotly_js() -> Response:
    """plotly.js from the installed `plotly` package: nothing third-party is copied in."""
    return FileResponse(PLOTLY_JS, media_type="text/javascript")


@router.get("/static/{path:path}", response_model=None)
def static(path: str) -> Response:
    target = (STATIC / path).resolve()
    if not target.is_relative_to(STATIC) or not target.is_file():
        raise HTTPException(404, f"no static file {path!r}")
    media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if target.suffix == ".js":
        media_type = "text/javascript"  # ES modules must be served as JavaScript
    return FileResponse(target, media_type=media_type)


def _sign_in(request: Request, token: str, next_url: str) -> Response:
    tokens: TokenCache = request.app.state.tokens
    if tokens.authenticate(token) is None:
        page = render(
            request, "login.html", screen="login", principal=None, next=_local(next_url),
            error="login.unknown_token",
        )  # fmt: skip
        page.status_code = 401
        return page
    response = RedirectResponse(_local(next_url), status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, max_age=COOKIE_AGE_S, httponly=True, samesite="strict")
    return response


def _translate(text: dict[str, str], key: str, values: dict[str, Any]) -> str:
    return text.get(key, key).format(**values)


def _may_open(principal: Principal | None, screen: str) -> bool:
    if principal is None:
        return False
    return principal.role == Role.ADMIN or principal.role in SCREENS[screen]


def _local(url: str) -> str:
    """Only redirect within this site, so a crafted login link cannot send people away."""
    if not url.startswith("/") or url.startswith("//"):
        return "/wallboard"
    return url
