"""Signing in (password, one-time link, token), the wrong-role page, and the language switch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site


def test_a_screen_sends_strangers_to_sign_in_and_back(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    site.users.set_password("sue", "correct horse battery")
    page.goto(f"{site.url}/console")
    expect(page).to_have_url(f"{site.url}/login?next=/console")
    page.get_by_label("Name").fill("sue")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong name or password")
    expect(page.get_by_label("Name")).to_have_value("sue")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{site.url}/console")
    expect(page.get_by_role("navigation")).to_contain_text("Console")
    shot(page, "signed-in")
    cookie = next(c for c in page.context.cookies() if c["name"] == "callboard_token")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
    assert cookie["value"] != site.tokens["sue"]  # a session of its own, not her API token
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{site.url}/login")
    # Signing out ended the session in the store, not only in this browser.
    assert site.users.authenticate(cookie["value"]) is None


def test_an_api_token_still_signs_in(site: Site, page: Page) -> None:
    page.goto(f"{site.url}/login?next=/wallboard")
    page.get_by_text("Sign in with an API token instead").click()
    page.get_by_label("Token").fill("not-a-token")
    page.get_by_role("button", name="Sign in with the token").click()
    expect(page.get_by_role("alert")).to_contain_text("unknown or revoked")
    page.get_by_label("Token").fill(site.tokens["ann"])
    page.get_by_role("button", name="Sign in with the token").click()
    expect(page).to_have_url(f"{site.url}/wallboard")


def test_a_one_time_link_signs_in_once(site: Site, new_page: Callable[..., Page]) -> None:
    code = site.users.issue_login_code("ann")
    first = new_page()
    first.goto(f"{site.url}/login?code={code}&next=/agent")
    expect(first).to_have_url(f"{site.url}/agent")
    again = new_page()
    again.goto(f"{site.url}/login?code={code}&next=/agent")
    expect(again.get_by_role("alert")).to_contain_text("already used or has expired")


def test_a_link_followed_from_another_site_asks_first(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    """Another site's link must not sign the browser in by itself (login CSRF)."""
    code = site.users.issue_login_code("ann")
    page.set_content(f'<a href="{site.url}/login?code={code}&amp;next=/agent">open</a>')
    page.get_by_role("link", name="open").click()
    expect(page.get_by_role("button", name="Continue as ann")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "callboard_token"]
    shot(page, "continue-as")
    page.get_by_role("button", name="Continue as ann").click()
    expect(page).to_have_url(f"{site.url}/agent")


def test_an_agent_opening_the_console_is_told_why_not(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    site.sign_in(page, "ann", "agent")
    response = page.goto(f"{site.url}/console")
    assert response is not None and response.status == 403
    assert response.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not for your role")
    expect(page.get_by_role("alert")).to_contain_text("signed in as ann (agent)")
    expect(page.get_by_role("alert")).to_contain_text("supervisor")
    expect(page.get_by_role("main").get_by_role("link", name="Agent desk")).to_be_visible()
    shot(page, "wrong-role")
    page.get_by_role("button", name="Sign in as someone else").click()
    expect(page).to_have_url(f"{site.url}/login?next=/console")


def test_a_supervisor_opening_the_agent_desk_is_told_why_not(site: Site, page: Page) -> None:
    site.sign_in(page, "sue", "wallboard")
    response = page.goto(f"{site.url}/agent")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("signed in as sue (supervisor)")


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
