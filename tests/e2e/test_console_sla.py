"""The console's SLA panel: a case that breached shows as escalated, one falling due soon
shows with its due time on the center's clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from callboard.cases import SlaPolicies, SlaPolicy, parse_target
from callboard.server.app import ServerConfig
from tests.e2e.conftest import Site, hotline, served_site
from tests.server.hotline import T0, FakeTime


@pytest.fixture
def sla_site(tmp_path: Path) -> Iterator[tuple[Site, FakeTime]]:
    time = FakeTime()
    policy = SlaPolicy("default", parse_target("10m"), parse_target("1h"))
    policies = SlaPolicies(default=policy, timezone="Europe/Kyiv")
    with served_site(tmp_path, ServerConfig(center=hotline, policies=policies, clock=time)) as site:
        yield site, time


def test_escalated_and_soon_due_cases_show_on_the_console(
    sla_site: tuple[Site, FakeTime], page: Page, shot: Callable[[Page, str], Path]
) -> None:
    site, time = sla_site
    sue = site.as_("sue")
    late = sue.post("/api/v1/cases", json={"queue": "heating", "category": "no-heat"}).json()
    time.now = T0 + timedelta(minutes=30)
    soon = sue.post("/api/v1/cases", json={"queue": "billing", "assignee": "bob"}).json()
    site.sign_in(page, "sue", "console")
    panel = page.get_by_role("region", name="SLA: escalated and due soon")
    late_row = panel.get_by_role("row", name=f"#{late['id']}")
    # Its first response was due at 08:10 UTC; its resolution falls due at 09:00 UTC,
    # 11:00 on Kyiv's clock, within the hour.
    expect(late_row).to_contain_text("Escalated: first response · Due within the hour")
    expect(late_row).to_contain_text("2026-11-23 11:00")
    expect(late_row).to_contain_text("no-heat · heating")
    soon_row = panel.get_by_role("row", name=f"#{soon['id']}")
    expect(soon_row).to_contain_text("Due within the hour")
    expect(soon_row).to_contain_text("2026-11-23 10:40")
    expect(soon_row).to_contain_text("bob")
    shot(page, "sla-panel")
    time.now = T0 + timedelta(minutes=55)  # the late case's resolution is 5 minutes away
    sue.post(f"/api/v1/cases/{late['id']}/responses", json={"message": "on our way"})
    sue.patch(f"/api/v1/cases/{late['id']}", json={"status": "resolved"})
    expect(late_row).to_have_count(0)
    expect(panel.get_by_role("row", name=f"#{soon['id']}")).to_contain_text("Escalated")
