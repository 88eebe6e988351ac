"""Hostile clients (issue 14): spoofed addresses, foreign origins, tokens in URLs, framing.

Everything runs against a real uvicorn: the address spoofing through the
`callboard serve` process itself, since which proxy headers are believed is
decided where uvicorn is started.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from callboard.errors import BadInput
from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.server.security import SecuritySettings, normalized_origin
from callboard.store import UserStore, open_store
from tests.fixtures import serve_process
from tests.fixtures.live_server import serving
from tests.server.hotline import Hotline, hotline

FOREIGN = "https://evil.example"


def _join(client: httpx.Client, spoofed: str, **headers: str) -> int:
    answer = client.get(
        "/api/v1/widget/queues/heating", headers={"X-Forwarded-For": spoofed, **headers}
    )
    return answer.status_code


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_does_not_pass_the_rate_limit(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'callboard.db'}"
    with serve_process.serving(url, tmp_path) as served, httpx.Client(base_url=served.base) as c:
        answers = [_join(c, f"203.0.113.{i}") for i in range(100)]
    # One bucket for the real peer, whatever each request claims: the default burst
    # of 30 passes (with what refills while the requests run, 3 a second), the rest
    # are refused.
    assert answers.count(200) < 50 and answers.count(429) == 100 - answers.count(200)


def test_a_trusted_proxy_names_the_client_and_the_scheme(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'callboard.db'}"
    trusting = serve_process.serving(url, tmp_path, "--forwarded-allow-ips", "127.0.0.1")
    with trusting as served, httpx.Client(base_url=served.base) as proxy:
        answers = [_join(proxy, f"203.0.113.{i}") for i in range(100)]
        assert answers.count(200) == 100  # a bucket per client the proxy names
        UserStore(open_store(url)).add("sue", "supervisor", password="correct horse")
        form = {"name": "sue", "password": "correct horse"}
        https = {"X-Forwarded-Proto": "https", "Origin": "https://cb.example.org"}
        signed = proxy.post("/login", data=form, headers={**https, "Host": "cb.example.org"})
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


@dataclass
class Site:
    api: Hotline
    url: str
    session: str  # the signed-in supervisor's sign-in cookie

    def browser(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, cookies={"callboard_token": self.session})


@pytest.fixture
def site(hotline_db: Hotline) -> Iterator[Site]:
    """The hotline served with a signed-in supervisor's session, and ann's password set."""
    users = UserStore(hotline_db.engine)
    users.set_password("ann", "ann's long password")
    config = ServerConfig(
        clock=hotline_db.time, center=hotline,
        security=SecuritySettings.parse(["https://desk.example.org"], ["https://www.example.org"]),
    )  # fmt: skip
    with serving(build_app(hotline_db.engine, config)) as url:
        hotline_db.url = url
        sue = hotline_db.as_("sue")
        assert sue.post("/api/v1/agents", json={"agent_id": "ann", "skills": {"heating": 1}})
        yield Site(hotline_db, url, users.open_session("sue"))


def test_cookie_writes_need_this_servers_origin_or_an_allowed_one(site: Site) -> None:
    own = site.url
    path = "/api/v1/agents/ann/login"
    with site.browser() as browser:
        refused = browser.post(path, json={}, headers={"Origin": FOREIGN})
        assert refused.status_code == 403
        body = refused.json()
        assert body["ok"] is False and body["status"] == 403 and body["errors"] == []
        assert "cross-origin" in body["error"] and FOREIGN in body["error"]
        assert browser.post(path, json={}).status_code == 403  # neither Origin nor Referer
        assert browser.post(path, json={}, headers={"Referer": f"{FOREIGN}/x"}).status_code == 403
        assert browser.post(path, json={}, headers={"Origin": "null"}).status_code == 403
        assert browser.post(path, json={}, headers={"Origin": own}).status_code == 200
        assert browser.post(path, json={}, headers={"Referer": f"{own}/agent"}).status_code == 200
        allowed = {"Origin": "https://desk.example.org"}
        assert browser.post(path, json={}, headers=allowed).status_code == 200
        # Reading is not a state change: a GET with the cookie is not checked.
        assert browser.get("/api/v1/queues", headers={"Origin": FOREIGN}).status_code == 200
    # Bearer-token integrations are unaffected, whatever Origin they send.
    pbx = site.api.as_("pbx")
    created = pbx.post("/api/v1/contacts", json={"queue": "heating"}, headers={"Origin": FOREIGN})
    assert created.status_code == 201
    # Anonymous callers have no cookie to misuse: the widget needs no Origin.
    widget = httpx.post(f"{site.url}/api/v1/widget", json={"queue": "heating"})
    assert widget.status_code != 403


def test_sign_in_from_a_foreign_origin_is_refused(site: Site) -> None:
    form = {"name": "ann", "password": "ann's long password"}
    refused = httpx.post(f"{site.url}/login", data=form, headers={"Origin": FOREIGN})
    assert refused.status_code == 403 and refused.json()["status"] == 403
    assert "set-cookie" not in refused.headers
    signed = httpx.post(f"{site.url}/login", data=form, headers={"Origin": site.url})
    assert signed.status_code == 303 and signed.headers["location"] == "/wallboard"
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_the_agent_websocket_checks_origin_and_never_takes_a_token_in_its_url(
    site: Site,
) -> None:
    ws_url = site.url.replace("http://", "ws://") + "/api/v1/agents/ann/stream"
    cookie = {"Cookie": f"callboard_token={site.session}"}
    tokens, ann = site.api.tokens, site.api.as_("ann")
    with pytest.raises(InvalidStatus) as foreign:
        connect(ws_url, origin=Origin(FOREIGN), additional_headers=cookie)
    assert foreign.value.response.status_code == 403
    with pytest.raises(InvalidStatus) as in_url:
        connect(f"{ws_url}?token={tokens['ann']}")
    assert in_url.value.response.status_code == 403
    with connect(ws_url, origin=Origin(site.url), additional_headers=cookie) as desk:
        ann.post("/api/v1/agents/ann/login", json={})
        assert json.loads(desk.recv(timeout=10))["type"] == "agent.state_changed"
    # A page holding a token of its own sends it as the first message.
    with connect(ws_url, origin=Origin(site.url)) as desk:
        desk.send(json.dumps({"type": "auth", "token": tokens["ann"]}))
        ann.post("/api/v1/agents/ann/logout", json={})
        assert json.loads(desk.recv(timeout=10))["type"] == "agent.state_changed"
    with connect(ws_url) as desk:
        desk.send(json.dumps({"type": "auth", "token": tokens["bob"]}))
        with pytest.raises(ConnectionClosed) as closed:  # bob may not follow ann
            desk.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


def test_pages_send_a_content_security_policy(site: Site) -> None:
    with site.browser() as browser:
        page = browser.get("/wallboard")
    policy = page.headers["content-security-policy"]
    assert (
        "script-src 'self' 'nonce-" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "connect-src 'self' https://desk.example.org" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    widget = httpx.get(f"{site.url}/widget?queue=heating")
    assert "frame-ancestors https://www.example.org" in widget.headers["content-security-policy"]
    static = httpx.get(f"{site.url}/static/js/api.js")
    assert static.headers["x-content-type-options"] == "nosniff"


def test_origins_are_compared_without_default_ports_or_case() -> None:
    assert normalized_origin("HTTPS://Example.org:443/path?q") == "https://example.org"
    assert normalized_origin("http://example.org:8080") == "http://example.org:8080"
    assert normalized_origin("http://[::1]:80") == "http://[::1]"
    assert normalized_origin("null") is None
    assert normalized_origin("ftp://example.org") is None


def test_bad_security_options_name_the_value() -> None:
    with pytest.raises(BadInput, match=r"--allowed-origins 'example\.org'"):
        SecuritySettings.parse(["example.org"])
    with pytest.raises(BadInput, match=r"--allowed-origins 'https://a\.org/app'"):
        SecuritySettings.parse(["https://a.org/app"])
    with pytest.raises(BadInput, match="--widget-frame-ancestors"):
        SecuritySettings.parse((), ["https://a.org; script-src *"])
    both = SecuritySettings.parse(["https://a.org, https://b.org:8443"], ["'self' *.c.org"])
    assert both.allowed_origins == {"https://a.org", "https://b.org:8443"}
    assert both.widget_frame_ancestors == ("'self'", "*.c.org")
    assert SecuritySettings.parse().widget_frame_ancestors == ("*",)  # any site, by default
