"""What a browser must not be tricked into: cross-origin writes, framing, inline script.

A browser sends the sign-in cookie with any request to this server, including
one a hostile page makes it send. So a state change (POST, PUT, PATCH, DELETE)
that authenticates by the cookie, and every WebSocket handshake, must come
from a page of this server's own origin or of one named in
`serve --allowed-origins`. The test is the one Django's CSRF middleware makes
first: the `Origin` header, and where a browser left it out, the `Referer`.
A signed-in request with neither is refused, since every current browser sends
`Origin` on a cross-site POST; a WebSocket with neither is no browser's, and
must bring a credential of its own. Requests with `Authorization: Bearer` are
never checked: a page cannot make a browser add that header, and integrations
need not send an Origin. `POST /login` is checked even without a cookie, so a
foreign page cannot sign a browser in as someone else.

Pages get a Content-Security-Policy: scripts only from this server (or an
inline one carrying the page's nonce), no plugins, no framing except the
caller widget's, which any site may frame unless `serve
--widget-frame-ancestors` names the sites that embed it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from callboard.errors import BadInput
from callboard.server.auth import TOKEN_COOKIE
from callboard.server.errors import error_response

R = TypeVar("R", bound=Response)

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_WEB_SCHEMES = {"ws": "http", "wss": "https"}
_COOKIE = f"{TOKEN_COOKIE}=".encode()
# Paths that sign a browser in: checked whether or not a cookie came along.
_SIGN_IN_PATHS = frozenset({"/login"})
# The screens' server list (web/static/js/servers.js) reads every listed server's
# health, which any page may read (server/standby.py); only that path, at any address.
_HEALTH_ANYWHERE = ("http://*:*/api/v1/health", "https://*:*/api/v1/health")
# A WebSocket refused before it is accepted gets an HTTP 403 from the server.
_REFUSED = 4403


@dataclass(frozen=True)
class SecuritySettings:
    """`serve`'s browser-facing security options."""

    # Origins besides the server's own whose pages may write with the cookie and open
    # WebSockets (another server of a failover pair, a proxy's public name).
    allowed_origins: frozenset[str] = frozenset()
    # CSP frame-ancestors sources of the caller widget; every other page is 'none'. By
    # default any site may embed it (it is public and anonymous, and made to be framed
    # on a hotline's own site); naming the sites keeps everyone else's frames out.
    widget_frame_ancestors: tuple[str, ...] = ("*",)

    @classmethod
    def parse(
        cls, allowed_origins: Iterable[str] = (), widget_frame_ancestors: Iterable[str] = ()
    ) -> SecuritySettings:
        """From command-line values (each may list several, separated by spaces or commas);
        BadInput names a value that is not an origin."""
        origins = frozenset(_origin_option(value) for value in _split(allowed_origins))
        ancestors = tuple(_ancestor_option(value) for value in _split(widget_frame_ancestors))
        return cls(origins, ancestors or cls.widget_frame_ancestors)


@dataclass(frozen=True)
class PagePolicy:
    """One page's Content-Security-Policy: its nonce and who may frame it."""

    frame_ancestors: tuple[str, ...] = ("'none'",)
    connect: frozenset[str] = frozenset()
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    def header(self) -> str:
        connect = " ".join(("'self'", *sorted(self.connect), *_HEALTH_ANYWHERE))
        return "; ".join((
            "default-src 'self'",
            f"script-src 'self' 'nonce-{self.nonce}'",
            # plotly.js adds <style> elements as it draws; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {' '.join(self.frame_ancestors)}",
        ))  # fmt: skip

    def apply(self, response: R) -> R:
        response.headers["Content-Security-Policy"] = self.header()
        return protect(response)


def protect(response: R) -> R:
    """Headers every page and static file carries: no MIME sniffing, and a Referer
    that never carries a path (or a one-time code in it) to another site."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


class OriginGuard:
    """ASGI middleware refusing cross-origin cookie writes and WebSocket handshakes."""

    def __init__(self, app: ASGIApp, settings: SecuritySettings) -> None:
        self.app = app
        self.allowed = settings.allowed_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http" and scope["method"] not in _SAFE_METHODS:
            refusal = self._refusal(scope, signing_in=scope["path"] in _SIGN_IN_PATHS)
            if refusal is not None:
                await error_response(403, refusal)(scope, receive, send)
                return
        elif kind == "websocket":
            refusal = self._refusal(scope, signing_in=False)
            if refusal is not None:
                await receive()  # websocket.connect
                await send({"type": "websocket.close", "code": _REFUSED, "reason": refusal})
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, *, signing_in: bool) -> str | None:
        """Why this request is refused, or None. Runs on every POST of the hot path, so
        it reads the headers once and decides on bytes where it can."""
        origin = referer = host = None
        cookie = False
        for name, value in scope["headers"]:
            if name == b"authorization":
                return None  # a bearer token: not something a foreign page can send
            if name == b"cookie":
                cookie = cookie or _COOKIE in value
            elif name == b"origin":
                origin = value
            elif name == b"referer":
                referer = value
            elif name == b"host":
                host = value
        websocket = scope["type"] == "websocket"
        if not (cookie or signing_in or websocket):
            return None  # anonymous: nothing of a signed-in user's to misuse
        if origin is None and referer is None:
            if websocket:
                return None  # no browser's handshake; it must authenticate on its own
            return (
                "a signed-in request without Origin or Referer is refused; "
                "API clients send Authorization: Bearer"
            )
        claimed = (origin or referer or b"").decode("latin-1")
        source = normalized_origin(claimed)
        own = _own_origin(scope, host)
        if source is not None and (source == own or source in self.allowed):
            return None
        header = "Origin" if origin is not None else "Referer"
        return (
            f"cross-origin request refused: {header} {claimed!r} is not this server's "
            f"origin ({own}); pages elsewhere must be named in serve --allowed-origins"
        )


def normalized_origin(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, lower-cased and without a default port; None for
    anything that is no http(s) origin (such as the "null" of a sandboxed page)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    if port is not None and str(port) != _DEFAULT_PORTS[parts.scheme]:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


def _own_origin(scope: Scope, host: bytes | None) -> str | None:
    """The origin the browser reached: the request's scheme (after trusted proxy headers,
    server/launch.py) and its Host header."""
    if host is None:
        return None
    scheme = scope.get("scheme", "http")
    return normalized_origin(f"{_WEB_SCHEMES.get(scheme, scheme)}://{host.decode('latin-1')}")


def _split(values: Iterable[str]) -> list[str]:
    return [part for value in values for part in value.replace(",", " ").split()]


def _origin_option(value: str) -> str:
    origin = normalized_origin(value)
    parts = urlsplit(value)
    if origin is None or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise BadInput(
            f"--allowed-origins {value!r}: expected an origin such as https://callboard.example.org"
        )
    return origin


def _ancestor_option(value: str) -> str:
    """A frame-ancestors source: a keyword, a scheme, or a host with an optional * label."""
    if value in ("'self'", "'none'", "*", "https:", "http:"):
        return value
    parts = urlsplit(value if "://" in value else f"https://{value}")
    host = (parts.hostname or "").removeprefix("*.")
    if not host or parts.path not in ("", "/") or any(c in value for c in ";, '\""):
        raise BadInput(
            f"--widget-frame-ancestors {value!r}: expected a site such as "
            "https://www.example.org or https://*.example.org, or 'self'"
        )
    return value.rstrip("/")
