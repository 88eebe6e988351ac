"""The caller widget in Chromium shows the center's callback offer at the queue's maximum
wait, with no command sent meanwhile, and accepting it keeps the caller's place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from callboard.engine import Center, QueueSpec
from callboard.server.app import ServerConfig
from tests.e2e.conftest import Site, served_site
from tests.server.hotline import FakeTime


def slow_line(now: float) -> Center:
    return Center([QueueSpec("heating", max_wait_s=60, max_wait_action="callback")], start=now)


@pytest.fixture
def clocked_site(tmp_path: Path) -> Iterator[tuple[Site, FakeTime]]:
    clock = FakeTime()
    with served_site(tmp_path, ServerConfig(clock=clock, center=slow_line)) as served:
        yield served, clock


def test_the_widget_offers_a_callback_at_the_longest_wait_and_accepting_keeps_the_place(
    clocked_site: tuple[Site, FakeTime], page: Page, shot: Callable[[Page, str], Path]
) -> None:
    site, clock = clocked_site
    page.goto(f"{site.url}/widget?queue=heating")
    page.get_by_role("button", name="I still need to talk to someone").click()
    page.get_by_label("Phone number (optional)").fill("+380 50 111 22 33")
    page.get_by_role("button", name="Start a chat").click()
    expect(page.locator("#position")).to_have_text("1")
    expect(page.locator("#prompt")).to_be_hidden()

    clock.now += timedelta(minutes=2)  # nobody tells the server anything meanwhile
    offer = page.get_by_role("alert")
    expect(offer).to_contain_text("Shall we call you back?")
    expect(page.get_by_role("button", name="No, I will wait")).to_be_visible()
    shot(page, "offer")
    page.get_by_role("button", name="Yes, call me back").click()
    expect(page.locator("#wait-state")).to_have_text(
        "We will call you back. Your place in line is kept."
    )
    expect(page.locator("#prompt")).to_be_hidden()
    shot(page, "accepted")
    stored = page.evaluate("JSON.parse(sessionStorage.getItem('callboard.widget.contact.heating'))")
    contact = site.as_("pbx").get(f"/api/v1/contacts/{stored['contact_id']}").json()
    assert contact["callback"] is True and contact["position"] == 1 and contact["prompt"] is None
