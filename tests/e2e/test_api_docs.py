"""/docs and /redoc render with every request to anywhere but this server refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import Site

REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def offline(page: Page) -> list[str]:
    """Refuse every request that leaves the machine, as a network without internet would;
    returns the refused URLs, so a test can say which ones a page asked for."""
    refused: list[str] = []

    def guard(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    return refused


def test_swagger_ui_renders_the_api_offline(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    refused = offline(page)
    page.goto(f"{site.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Callboard")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/contacts").first).to_be_visible()
    shot(page, "swagger")
    assert refused == []


def test_redoc_renders_the_api_offline(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    refused = offline(page)
    page.goto(f"{site.url}/redoc")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Callboard")
    expect(page.get_by_text("/api/v1/contacts").first).to_be_attached()
    shot(page, "redoc")
    # ReDoc's sidebar credit asks for its logo from cdn.redoc.ly whatever the options, and
    # hides the image when that fails; the text link stays. Nothing else may leave.
    assert [url for url in refused if url != REDOC_LOGO] == []
