"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live server.

Every test gets its own store and server (a hotline with two queues and
agents ann and bob), a fresh browser context, and `shot(page, name)`, which
saves a screenshot under artifacts/screenshots for CI to keep.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from callboard.engine import Center, QueueSpec
from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.store import open_store
from callboard.store.users import UserStore
from tests.fixtures.live_server import serving

CHROMIUM = Path(os.environ.get("CALLBOARD_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# Without the background-networking flags Chromium keeps dialling Google's
# hosts, which this closed network refuses, many at a time.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
USERS = [("pbx", "integration"), ("sue", "supervisor"), ("ann", "agent"), ("bob", "agent")]
AGENTS = {"ann": {"heating": 1}, "bob": {"billing": 1}}


def hotline(now: float) -> Center:
    return Center(
        [QueueSpec("heating", offer_timeout_s=60), QueueSpec("billing", offer_timeout_s=60)],
        start=now,
    )


@dataclass
class Site:
    """The served hotline: its URL, its users, each one's token, and an API client per user."""

    url: str
    tokens: dict[str, str]
    users: UserStore
    clients: dict[str, httpx.Client] = field(default_factory=dict)

    def as_(self, user: str) -> httpx.Client:
        if user not in self.clients:
            self.clients[user] = httpx.Client(
                base_url=self.url, headers={"Authorization": f"Bearer {self.tokens[user]}"}
            )
        return self.clients[user]

    def sign_in(self, page: Page, user: str, screen: str) -> None:
        """Open a one-time sign-in link, as someone pasting the one `serve` printed."""
        page.goto(f"{self.url}/login?code={self.users.issue_login_code(user)}&next=/{screen}")

    def call(self, queue: str, **extra: Any) -> dict[str, Any]:
        response = self.as_("pbx").post("/api/v1/contacts", json={"queue": queue, **extra})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


@contextmanager
def served_site(tmp_path: Path, config: ServerConfig | None = None) -> Iterator[Site]:
    """A live server with the test users and their tokens; tests that need a plan, a
    clock or a workspace pass their own config. Its API clients close with it."""
    engine = open_store(f"sqlite:///{tmp_path / 'callboard.db'}")
    users = UserStore(engine)
    tokens = {}
    for name, role in USERS:
        users.add(name, role, agent_id=name if role == "agent" else None)
        tokens[name] = users.issue_token(name)
    app = build_app(engine, config or ServerConfig(center=hotline))
    with serving(app) as url:
        served = Site(url, tokens, users)
        yield served
        for client in served.clients.values():
            client.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with served_site(tmp_path) as served:
        for agent, skills in AGENTS.items():
            added = served.as_("sue").post(
                "/api/v1/agents", json={"agent_id": agent, "skills": skills}
            )
            assert added.status_code == 201, added.text
        yield served


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium missing in CI: {CHROMIUM} (.ci/run installs it)")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Opens pages in fresh contexts; `locale` sets the browser's Accept-Language."""
    contexts: list[BrowserContext] = []

    def open_page(locale: str = "en-US") -> Page:
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    def save(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
