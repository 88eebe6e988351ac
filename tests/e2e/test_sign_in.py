"""Signing in with a token, being sent back where one was going, and the language switch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site


def test_a_screen_sends_strangers_to_sign_in_and_back(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{site.url}/console")
    expect(page).to_have_url(f"{site.url}/login?next=/console")
    page.get_by_label("Token").fill("not-a-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("unknown or revoked")
    page.get_by_label("Token").fill(site.tokens["sue"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{site.url}/console")
    expect(page.get_by_role("navigation")).to_contain_text("Console")
    shot(page, "signed-in")


def test_an_agent_may_not_open_the_console(site: Site, page: Page) -> None:
    site.sign_in(page, "ann", "agent")
    response = page.goto(f"{site.url}/console")
    assert response is not None and response.status == 403


def test_language_follows_the_browser_and_the_switch(
    site: Site, new_page: Callable[..., Page], shot: Callable[[Page, str], Path]
) -> None:
    page = new_page(locale="ru-RU")
    page.goto(f"{site.url}/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход")
    page.get_by_label("Язык").select_option("zh")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    assert page.locator("html").get_attribute("lang") == "zh"
    shot(page, "chinese")
    page.goto(f"{site.url}/login")  # the choice is remembered over the browser's
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")


def test_static_files_stay_inside_their_folder(site: Site) -> None:
    client = site.as_("sue")
    assert client.get("/static/js/api.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/vendor/plotly.min.js").status_code == 200
    assert client.get("/static/..%2F..%2Fserver%2Fapp.py").status_code == 404
    assert client.get("/static/nothing.js").status_code == 404
