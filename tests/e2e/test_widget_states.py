"""The widget's states say what is true: no "in line" heading above "an agent is with you",
no promise of an agent when nobody is signed in, an unknown queue named at once, and the
embedding site's theme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site


def test_with_nobody_signed_in_the_widget_offers_a_callback_instead_of_an_agent(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{site.url}/widget?queue=heating&lang=en")
    page.get_by_role("button", name="I still need to talk to someone").click()
    expect(page.locator("#nobody")).to_contain_text("No agent is signed in right now")
    page.get_by_role("button", name="Start a chat").click()
    state = page.locator("#wait-state")
    expect(state).to_have_text(
        "No agent is available right now. We can call you back, or you can leave a message."
    )
    expect(page.get_by_role("button", name="Leave a message")).to_be_visible()
    assert "next free agent" not in page.locator("#step-wait").inner_text()
    shot(page, "nobody")

    # Ann signs in: now the caller may be told an agent will answer, and then that one is.
    ann = site.as_("ann")
    assert ann.post("/api/v1/agents/ann/login", json={}).status_code == 200
    expect(state).to_have_text("An agent is picking up…")
    heading = page.locator("#wait-heading")
    expect(heading).to_have_text("You are connected")
    (offered,) = ann.get("/api/v1/agents/ann/contacts").json()["contacts"]
    assert ann.post(f"/api/v1/agents/ann/offers/{offered['contact_id']}/accept").status_code == 200
    expect(state).to_have_text("An agent is with you now.")
    expect(heading).not_to_have_text("You are in line")
    shot(page, "connected")


def test_an_unknown_queue_is_an_error_as_the_page_opens(site: Site, page: Page) -> None:
    page.goto(f"{site.url}/widget?queue=plumbing&lang=en")
    expect(page.locator("#queue-error")).to_have_text("This line is not available.")
    expect(page.get_by_role("button", name="I still need to talk to someone")).to_be_hidden()


def test_the_embedding_site_sets_the_theme_and_accent(site: Site, page: Page) -> None:
    page.goto(f"{site.url}/widget?queue=heating&theme=dark&accent=%23aa3300")
    style = "getComputedStyle(document.documentElement)"
    assert page.evaluate(f"{style}.getPropertyValue('--accent')").strip() == "#aa3300"
    background = page.evaluate(f"{style}.backgroundColor")
    assert background == "rgb(17, 22, 29)"  # the dark palette's --bg
    refused = page.goto(f"{site.url}/widget?queue=heating&accent=red;x:y")
    assert refused is not None and refused.status == 422
