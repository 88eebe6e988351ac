"""The agent desk in Chromium shows triage's suggestion, and a category chosen over it is
recorded as a correction. The model is learned from the hand-written hotline requests
(tests/triage/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from callboard.server.app import ServerConfig
from callboard.triage import Triage, TriageModel, load_rules, read_labelled
from tests.e2e.conftest import AGENTS, Site, hotline, served_site
from tests.triage.conftest import TRAINING


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    model = TriageModel.fit(read_labelled(TRAINING)).model
    config = ServerConfig(center=hotline, triage=Triage(load_rules(), model))
    with served_site(tmp_path, config) as served:
        for agent, skills in AGENTS.items():
            served.as_("sue").post("/api/v1/agents", json={"agent_id": agent, "skills": skills})
        yield served


def test_the_desk_shows_the_suggestion_and_records_the_agents_correction(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    site.sign_in(page, "ann", "agent")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#state")).to_have_text("Ready")
    contact = site.call(
        "heating", channel="chat", attributes={"message": "I smell gas near the boiler"}
    )
    page.get_by_role("button", name="Accept").click()
    caller = page.get_by_role("region", name="Caller")
    expect(caller.locator("dl")).to_contain_text("Suggested")
    expect(caller.locator("dl")).to_contain_text("priority 9")
    expect(caller.locator("dl")).to_contain_text("gas (")
    expect(page.get_by_label("Priority")).to_have_value("9")
    shot(page, "suggestion")
    page.get_by_label("Category", exact=True).select_option("outage")
    page.get_by_role("button", name="Save case").click()
    expect(page.locator("#case-id")).to_have_text("#1")
    corrections = site.as_("sue").get("/api/v1/triage/corrections").json()["corrections"]
    assert [(c["suggested"], c["category"], c["actor"], c["contact_id"]) for c in corrections] == [
        ("gas", "outage", "ann", contact["contact_id"])
    ]
    assert corrections[0]["text"] == "I smell gas near the boiler"
