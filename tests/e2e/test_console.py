"""The supervisor console: agent states, a queue's mode and message, and surge decisions."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from callboard.server.app import ServerConfig
from callboard.server.centers import center_factory
from callboard.server.surge_live import SurgeSetup
from callboard.sim.scenario_file import parse_scenario
from callboard.surge.plan_file import parse_plan
from tests.e2e.conftest import Site, served_site
from tests.fixtures.scenarios import heating_hotline

# A small hotline whose plan recommends tier 3 as soon as anyone waits.
SCENARIO = heating_hotline("console hotline", rate_per_hour=30, service_mean=60, group_size=1)
PLAN: dict[str, Any] = {
    "name": "cold snap",
    "mode": "recommend",
    "deescalate_after": "15m",
    "queues": {"heating": {"tiers": [
        {"tier": 3, "trigger": "waiting > 0",
         "actions": {"ready_reasons": ["outbound"], "announcement": "Heating outage"}},
    ]}},
}  # fmt: skip


@pytest.fixture
def surge_site(tmp_path: Path) -> Iterator[Site]:
    scenario = parse_scenario(SCENARIO)
    plan = parse_plan(PLAN, queues=["heating"])
    config = ServerConfig(
        center=center_factory(scenario),
        surge=SurgeSetup(plan, scenario, every_s=0.5, workers=1),
    )
    with served_site(tmp_path, config) as site:
        yield site


def test_a_supervisor_changes_an_agents_state(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    site.sign_in(page, "sue", "console")
    ann = page.get_by_role("row", name="ann")
    expect(ann.get_by_role("cell").first).to_have_text("Logged out")

    page.get_by_label("New state for ann").select_option(label="Log in, ready")
    page.get_by_role("button", name="Apply to ann").click()
    expect(ann.get_by_role("cell").first).to_have_text("Ready")

    page.get_by_label("New state for ann").select_option(label="Not ready: lunch")
    page.get_by_role("button", name="Apply to ann").click()
    expect(ann.get_by_role("cell").first).to_have_text("Not ready: lunch")
    assert site.as_("sue").get("/api/v1/agents/ann").json()["reason"] == "lunch"
    # The queue row follows over the live stream.
    heating = page.get_by_role("row", name="heating").first
    expect(heating).to_contain_text("Not ready: lunch: 1")
    shot(page, "agent-on-lunch")


def test_a_supervisor_closes_a_queue_with_an_emergency_message(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    site.sign_in(page, "sue", "console")
    form = page.get_by_role("group", name="Mode of billing")
    form.get_by_label("Mode").select_option(label="Emergency")
    form.get_by_label("Message to callers").fill(
        "Our billing system is down; please call tomorrow."
    )
    form.get_by_role("button", name="Apply").click()

    billing = page.get_by_role("row", name="billing").first
    expect(billing).to_contain_text("Emergency")
    expect(billing).to_contain_text("Our billing system is down")
    (queue,) = [q for q in site.as_("sue").get("/api/v1/queues").json()["queues"]
                if q["queue"] == "billing"]  # fmt: skip
    assert (queue["mode"], queue["message"]) == (
        "emergency",
        "Our billing system is down; please call tomorrow.",
    )
    shot(page, "billing-emergency")

    form.get_by_label("Mode").select_option(label="Follow opening hours")
    form.get_by_role("button", name="Apply").click()
    expect(billing).to_contain_text("Open")


def test_a_supervisor_confirms_a_surge_recommendation_by_keyboard(
    surge_site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    surge_site.sign_in(page, "sue", "console")
    expect(page.get_by_text("Plan: cold snap")).to_be_visible()
    surge_site.call("heating")
    confirm = page.get_by_role("button", name="Confirm tier 3 for heating")
    expect(confirm).to_be_visible()
    expect(page.get_by_role("listitem").filter(has=confirm)).to_contain_text(
        "heating: escalate to tier 3"
    )
    shot(page, "recommendation")

    # Keyboard only: from the last agent's Apply button, Tab reaches Confirm.
    page.get_by_role("button", name="Apply to outbound-1").focus()
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")

    expect(
        page.get_by_role("status").filter(has_text="Confirmed tier 3 for heating")
    ).to_be_visible()
    expect(confirm).to_have_count(0)
    expect(page.get_by_role("heading", name="Surge recommendations")).to_be_focused()
    expect(page.get_by_text("Nothing waits for a decision.")).to_be_visible()
    timeline = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Step"))
    confirmed = timeline.get_by_role("row").filter(has_text="Confirmed")
    expect(confirmed).to_contain_text("sue")
    expect(timeline.get_by_role("row").filter(has_text="Recommended")).to_have_count(1)
    expect(page.get_by_role("row", name="heating").first).to_contain_text("Surge tier 3")
    shot(page, "confirmed")


def test_the_projection_chart_marks_the_recommended_option(
    surge_site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    for agent in ("heating-1", "outbound-1"):
        surge_site.as_("sue").post(f"/api/v1/agents/{agent}/login", json={"ready": True})
    for _ in range(4):  # the projection carries the last 10 minutes' arrival trend forward
        surge_site.call("heating")
    surge_site.sign_in(page, "sue", "console")
    project = page.get_by_role("button", name="Run projection")
    project.click()
    expect(page.locator("#con-chart .main-svg").first).to_be_attached(timeout=60_000)
    options = page.get_by_role("table").filter(has_text="Options over the projection")
    expect(options.get_by_role("row")).to_have_count(3)  # header, no action, tier 3
    expect(page.locator("#con-recommended")).to_contain_text("Recommended: No action")
    expect(options.get_by_role("row", name="No action — recommended")).to_be_visible()
    expect(project).to_be_enabled()
    shot(page, "projection")


def confirm_tier_3(site: Site, heating: Locator, alerts: Locator) -> None:
    """The wallboard alerts to the pending recommendation; Sue confirms it and tier 3 shows."""
    expect(alerts).to_contain_text("1 surge recommendations await a supervisor")
    (pending,) = site.as_("sue").get("/api/v1/surge").json()["pending"]
    confirmed = site.as_("sue").post(
        f"/api/v1/surge/recommendations/{pending['recommendation_id']}/confirm"
    )
    assert confirmed.status_code == 200, confirmed.text
    expect(heating.locator('[data-field="tier"]')).to_have_text("Surge tier 3")
    expect(alerts).to_contain_text("heating: surge tier 3 active")


def test_the_wallboard_shows_the_active_surge_tier_and_live_figures(
    surge_site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    surge_site.sign_in(page, "sue", "wallboard")
    surge_site.call("heating")
    heating = page.get_by_role("region", name="heating")
    alerts = page.get_by_role("region", name="Alerts")
    confirm_tier_3(surge_site, heating, alerts)
    expect(alerts).to_contain_text("heating is in emergency mode")  # the tier's announcement
    # A second caller hangs up at once: the rolling abandonment shows it.
    gone = surge_site.call("heating")
    cancelled = surge_site.as_("pbx").post(f"/api/v1/contacts/{gone['contact_id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    expect(heating.locator('[data-field="abandon_rate_30m"]')).to_have_text("100%")
    shot(page, "surge")


def test_an_agents_wallboard_shows_the_tier_and_service_level_too(
    surge_site: Site, page: Page
) -> None:
    surge_site.sign_in(page, "ann", "wallboard")
    heating = page.get_by_role("region", name="heating")
    caller = surge_site.call("heating")["contact_id"]
    alerts = page.get_by_role("region", name="Alerts")
    confirm_tier_3(surge_site, heating, alerts)
    # The caller is answered: the rolling SL and abandonment show it.
    sue = surge_site.as_("sue")
    assert sue.post("/api/v1/agents/heating-1/login", json={}).status_code == 200
    accepted = sue.post(f"/api/v1/agents/heating-1/offers/{caller}/accept")
    assert accepted.status_code == 200, accepted.text
    expect(heating.locator('[data-field="sl_15m"]')).not_to_have_text("–")
    expect(heating.locator('[data-field="abandon_rate_30m"]')).to_have_text("0%")
    expect(heating.locator('[data-field="sl_today"]')).to_have_count(0)


def test_a_declined_recommendation_goes_on_the_timeline(surge_site: Site, page: Page) -> None:
    surge_site.sign_in(page, "sue", "console")
    surge_site.call("heating")
    page.get_by_role("button", name="Decline tier 3 for heating").click()
    expect(
        page.get_by_role("status").filter(has_text="Declined tier 3 for heating")
    ).to_be_visible()
    timeline = page.locator("#con-timeline")
    expect(timeline.get_by_role("row").filter(has_text="Declined")).to_contain_text("sue")
    assert surge_site.as_("sue").get("/api/v1/surge").json()["queues"][0]["active_tiers"] == []


def test_agents_sort_as_people_count_and_a_busy_agent_offers_a_break(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    sue = site.as_("sue")
    for agent in ("heating-10", "heating-2"):
        added = sue.post("/api/v1/agents", json={"agent_id": agent, "skills": {"heating": 1}})
        assert added.status_code == 201, added.text
    assert sue.post("/api/v1/agents/ann/login", json={}).status_code == 200
    caller = site.call("heating")["contact_id"]
    assert site.as_("ann").post(f"/api/v1/agents/ann/offers/{caller}/accept").status_code == 200
    site.sign_in(page, "sue", "console")
    names = page.locator(".con-agents tbody th")
    expect(names).to_have_text(["ann", "bob", "heating-2", "heating-10"])
    ann = page.get_by_role("row", name="ann")
    expect(ann.locator('[data-field="state"]')).to_have_text("Busy")
    expect(ann.locator('[data-field="contact"]')).to_have_text(caller)
    expect(ann.locator('[data-field="in_state"]')).to_have_text(re.compile(r"^\d+ s$"))
    # A busy agent's row offers a break (taken after the call), not "Log in, ready".
    expect(page.get_by_label("New state for ann")).to_have_value("not_ready:break")
    expect(page.get_by_label("New state for bob")).to_have_value("login")
    shot(page, "agents")


def test_the_timeline_reads_in_words_in_russian_with_the_centers_times(
    surge_site: Site, new_page: Callable[..., Page], shot: Callable[[Page, str], Path]
) -> None:
    page = new_page("ru-RU")
    surge_site.sign_in(page, "sue", "console")
    surge_site.call("heating")
    page.get_by_role("button", name="Подтвердить уровень 3 для heating").click()
    timeline = page.locator("#con-timeline")
    expect(timeline).to_contain_text("Операторы в статусе «не готов» (исходящие звонки) переходят")
    expect(timeline).to_contain_text("Аварийный режим с объявлением: Heating outage")
    expect(timeline).to_contain_text("Рекомендуется перейти на уровень 3")
    text = timeline.inner_text()
    for python in ("ReadyReasons(", "Announcement(", "held ", "LogNotifier"):
        assert python not in text
    # Times are the center's (UTC for this scenario), in the Russian form: 07.12.2026, 17:06:04.
    expect(timeline.locator("tbody tr td").first).to_have_text(
        re.compile(r"^\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d$")
    )
    shot(page, "timeline-ru")
