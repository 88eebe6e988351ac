"""Chat in Chromium: a caller writes from the widget while waiting, the agent who accepts
reads it on the desk and answers, and the caller sees the answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site


def test_a_caller_and_an_agent_chat(
    site: Site, new_page: Callable[..., Page], shot: Callable[[Page, str], Path]
) -> None:
    caller, desk = new_page(), new_page()
    caller.goto(f"{site.url}/widget?queue=heating")
    caller.get_by_role("button", name="I still need to talk to someone").click()
    caller.get_by_label("Your name (optional)").fill("Olena")
    caller.get_by_role("button", name="Start a chat").click()
    chat = caller.get_by_role("region", name="Chat with us")
    expect(chat).to_be_visible()
    caller.get_by_label("Write to the agent").fill("The radiator on the 3rd floor is cold")
    chat.get_by_role("button", name="Send").click()
    caller_log = chat.get_by_role("list", name="Chat with us")
    expect(caller_log).to_contain_text("The radiator on the 3rd floor is cold")
    shot(caller, "caller-waiting")

    site.sign_in(desk, "ann", "agent")
    desk.get_by_role("button", name="Log in").click()
    desk.get_by_role("button", name="Accept").click()
    panel = desk.get_by_role("region", name="Chat", exact=True)
    expect(panel).to_contain_text("The radiator on the 3rd floor is cold")
    desk.get_by_label("Reply to the caller").fill("Is the valve at the bottom open?")
    panel.get_by_role("button", name="Send").click()
    expect(panel.get_by_role("listitem")).to_have_count(2)
    shot(desk, "agent-replied")

    expect(caller_log).to_contain_text("Is the valve at the bottom open?")
    expect(caller.locator("#wait-state")).to_have_text("An agent is with you now.")
    expect(caller_log.get_by_role("listitem")).to_have_count(2)
    shot(caller, "caller-reads-reply")
