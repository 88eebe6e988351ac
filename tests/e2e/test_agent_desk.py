"""The agent desk in Chromium: log in, take an offer, see the caller's history, file the case,
wrap up; and the same offer taken with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site

CALLER = "+380501112233"


def test_an_agent_takes_a_call_and_files_the_case(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    earlier = site.as_("ann").post(
        "/api/v1/cases",
        json={"caller": CALLER, "queue": "heating", "category": "billing", "notes": "earlier"},
    )
    assert earlier.status_code == 201, earlier.text
    site.sign_in(page, "ann", "agent")
    state = page.locator("#state")
    expect(state).to_have_text("Logged out")
    page.get_by_role("button", name="Log in").click()
    expect(state).to_have_text("Ready")
    page.get_by_label("Not-ready reason").select_option("lunch")
    page.get_by_role("button", name="Go not ready").click()
    expect(state).to_have_text("Not ready: Lunch")
    page.get_by_role("button", name="Ready", exact=True).click()
    expect(state).to_have_text("Ready")

    contact = site.call("heating", caller=CALLER)
    offer = page.get_by_role("region", name="Incoming contact")
    expect(offer).to_contain_text(f"heating: {CALLER}")
    shot(page, "offer")
    page.get_by_role("button", name="Accept").click()
    expect(state).to_have_text("On a contact")
    caller = page.get_by_role("region", name="Caller")
    expect(caller.locator("dl")).to_contain_text(CALLER)
    history = page.get_by_role("table", name="Earlier cases of this caller")
    expect(history).to_contain_text(f"#{earlier.json()['id']}")
    expect(history).to_contain_text("Billing")

    article = {"title": "Bleeding a radiator", "body": "Open the bleed screw a quarter turn.",
               "category": "heating", "language": "en", "published": True}  # fmt: skip
    assert site.as_("sue").post("/api/v1/kb/articles", json=article).status_code == 201
    page.get_by_label("Words to find").fill("radiator")
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator("#kb-results").get_by_role("button", name="Bleeding a radiator").click()
    expect(page.locator("#kb-article")).to_contain_text("a quarter turn")

    expect(page.get_by_role("button", name="Complete")).to_be_disabled()
    page.get_by_label("Category", exact=True).select_option("no_heat")
    page.get_by_label("Priority").select_option("5")
    page.get_by_label("Status").select_option("resolved")
    page.get_by_label("Outcome").select_option("technician_sent")
    page.get_by_label("Notes (added to the case)").fill("Radiators cold on the 3rd floor")
    page.get_by_role("button", name="Save case").click()
    expect(page.locator("#case-id")).to_have_text("#2")
    shot(page, "case-filed")
    page.reload()  # the desk comes back to the contact and its case, not a blank form
    expect(page.locator("#case-id")).to_have_text("#2")
    expect(page.get_by_label("Outcome")).to_have_value("technician_sent")
    expect(history).not_to_contain_text("#2")
    page.get_by_label("Wrap-up time").select_option("60")
    page.get_by_role("button", name="Complete").click()
    expect(state).to_have_text("Wrap-up")
    expect(page.get_by_role("timer")).to_contain_text("Wrap-up:")
    shot(page, "wrap-up")
    page.get_by_role("button", name="Ready", exact=True).click()
    expect(state).to_have_text("Ready")

    cases = site.as_("sue").get("/api/v1/cases", params={"caller": CALLER}).json()["cases"]
    filed = cases[0]
    assert filed["contact_ids"] == [contact["contact_id"]]
    assert (filed["category"], filed["priority"], filed["status"], filed["outcome"]) == (
        "no_heat", 5, "resolved", "technician_sent",
    )  # fmt: skip
    assert filed["assignee"] == "ann" and "Radiators cold" in filed["notes"]
    finished = site.as_("pbx").get(f"/api/v1/contacts/{contact['contact_id']}").json()
    assert finished["last_event"] == "contact.completed"


def test_an_offer_is_accepted_with_the_keyboard_alone(site: Site, page: Page) -> None:
    site.sign_in(page, "bob", "agent")
    login = page.get_by_role("button", name="Log in")
    expect(login).to_be_enabled()
    for _ in range(30):  # Tab through the page until the first desk control
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "login":
            break
    expect(login).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#state")).to_have_text("Ready")
    site.call("billing", caller="+380441112233")
    accept = page.get_by_role("button", name="Accept")
    expect(accept).to_be_focused()  # the offer takes the focus, so Enter answers it
    page.keyboard.press("Enter")
    expect(page.locator("#state")).to_have_text("On a contact")
    expect(page.get_by_label("Category", exact=True)).to_be_focused()


def test_the_desk_lists_callbacks_and_offers_one_with_the_callers_name(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    waiting = site.call("heating", caller="+380442223344", attributes={"name": "Olena"})
    site.call("billing", caller="+380449998877")  # a queue ann does not serve
    called = site.as_("pbx").post(f"/api/v1/contacts/{waiting['contact_id']}/callback")
    assert called.status_code == 200, called.text
    site.sign_in(page, "ann", "agent")
    callbacks = page.get_by_role("table", name="Callbacks waiting")
    expect(callbacks).to_contain_text("+380442223344")
    expect(callbacks).to_contain_text("Olena")
    expect(callbacks).not_to_contain_text("+380449998877")
    shot(page, "callbacks")
    page.get_by_role("button", name="Log in").click()
    offer = page.get_by_role("region", name="Incoming contact")
    expect(offer).to_contain_text("Callback for heating: call Olena (+380442223344)")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#state")).to_have_text("On a contact")
    expect(page.get_by_role("region", name="Caller").locator("dl")).to_contain_text("Olena")
    expect(page.locator("#callbacks")).to_contain_text("No callbacks waiting.")
