"""What every screen shares: the layout, who is signed in, language, static files.

Pages are rendered on the server with Jinja2 and then kept live by small ES
modules that call the same /api/v1 a PBX or CRM uses; the pages hold no data
of their own. The session token sits in an HttpOnly cookie (pages/sign_in.py
sets it) so that EventSource, fetch and the WebSocket carry it without scripts
ever seeing it. Every page goes out with its Content-Security-Policy
(server/security.py).
"""

from __future__ import annotations

import mimetypes
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from callboard.server.auth import TOKEN_COOKIE, TokenCache
from callboard.server.pages.i18n import LANG_COOKIE, LANGUAGES, WEB, catalog, catalog_json, choose
from callboard.server.security import PagePolicy, SecuritySettings, protect
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

_templates = Environment(
    loader=FileSystemLoader(WEB / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class PageRefusal(Exception):
    """A screen the signed-in user may not open: answered with a page saying so
    (`refusal_page`, registered in server/app.py), not with the API's JSON."""

    def __init__(self, principal: Principal, screen: str) -> None:
        super().__init__(f"role {principal.role} may not open the {screen} screen")
        self.principal = principal
        self.screen = screen


def signed_in(request: Request, screen: str) -> Principal | None:
    """The principal behind the cookie, if it may open `screen`; public screens need none.

    Without one the browser is sent to /login (a 303 with Location, which the
    API's error handler keeps) and comes back here after signing in; with the
    wrong role it gets a page naming the screens it may open (PageRefusal).
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
        raise PageRefusal(principal, screen)
    return principal


async def refusal_page(request: Request, exc: Exception) -> Response:
    """403 as a page: who is signed in, what the screen needs, where they may go instead."""
    assert isinstance(exc, PageRefusal)
    page = render(
        request, "refused.html", screen="refused", principal=exc.principal,
        refused=exc.screen, needs=[role.value for role in SCREENS.get(exc.screen, ())],
    )  # fmt: skip
    page.status_code = 403
    return page


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
    security: SecuritySettings = request.app.state.security
    policy = PagePolicy(
        frame_ancestors=security.widget_frame_ancestors if screen == "widget" else ("'none'",),
        connect=security.allowed_origins,
    )
    page = _templates.get_template(template).render(
        t=lambda key, **values: _translate(text, key, values),
        lang=lang,
        languages=LANGUAGES,
        screen=screen,
        screens=allowed,
        principal=principal,
        script=script,
        catalog_json=catalog_json(lang),
        csp_nonce=policy.nonce,  # for an inline <script nonce="...">, should a page need one
        **context,
    )
    response = policy.apply(HTMLResponse(page))
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/", response_model=None)
def home(request: Request) -> Response:
    return RedirectResponse("/wallboard", status_code=303)


@router.get("/static/vendor/plotly.min.js", response_model=None)
def plotly_js() -> Response:
    """plotly.js from the installed `plotly` package: nothing third-party is copied in."""
    return protect(FileResponse(PLOTLY_JS, media_type="text/javascript"))


@router.get("/static/{path:path}", response_model=None)
def static(path: str) -> Response:
    target = (STATIC / path).resolve()
    if not target.is_relative_to(STATIC) or not target.is_file():
        raise HTTPException(404, f"no static file {path!r}")
    media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if target.suffix == ".js":
        media_type = "text/javascript"  # ES modules must be served as JavaScript
    return protect(FileResponse(target, media_type=media_type))


def _translate(text: dict[str, str], key: str, values: dict[str, Any]) -> str:
    return text.get(key, key).format(**values)


def _may_open(principal: Principal | None, screen: str) -> bool:
    if principal is None:
        return False
    return principal.role == Role.ADMIN or principal.role in SCREENS[screen]


def local(url: str) -> str:
    """Only redirect within this site, so a crafted login link cannot send people away."""
    if not url.startswith("/") or url.startswith("//"):
        return "/wallboard"
    return url
