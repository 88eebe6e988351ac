"""A live hotline with a surge plan, served by uvicorn, for the surge API tests.

The server's clock is the test's `FakeTime`; `tick` moves it and waits until
the server's own background loop has run the plan at the new time, so a
test scripts a surge minute by minute without sleeping on the wall clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from callboard.server.app import ServerConfig, build_app
from callboard.server.centers import center_factory
from callboard.server.surge_live import SurgeLive, SurgeSetup
from callboard.sim.scenario import Scenario
from callboard.sim.scenario_file import parse_scenario
from callboard.surge.notify import Notifier
from callboard.surge.plan_file import parse_plan
from tests.fixtures.live_server import serving
from tests.fixtures.scenarios import heating_hotline
from tests.server.hotline import Hotline, eventually

SCENARIO = heating_hotline(
    "surge hotline",
    rate_per_hour=120,
    service_mean=240,
    group_size=2,
    more_agents=({"name": "backoffice", "count": 2, "skills": {"admin": 1}},),
    announce=None,
)


def plan_data(mode: str = "automatic", target_sl: float = 0.8) -> dict[str, Any]:
    return {
        "name": "live surge",
        "mode": mode,
        "target_sl": target_sl,
        "deescalate_after": "2m",
        "reserve": [{"id": "r1", "name": "Ana Ruiz", "contact": "ana@example.org",
                     "within": "30m"},
                    {"id": "r2", "name": "Ben Okafor", "contact": "ben@example.org",
                     "within": "30m"}],
        "queues": {"heating": {"tiers": [
            {"tier": 3, "trigger": "waiting > 3 for 30s",
             "actions": {"ready_reasons": ["outbound"], "announcement": "Heating outage"}},
            {"tier": 2, "trigger": "waiting > 3 for 30s",
             "actions": {"add_support_group": {"group": "backoffice"},
                         "call_reserve": {"within": "30m", "count": 1}}},
            # Never fires in these scripts; projections still offer it.
            {"tier": 1, "trigger": "oldest_wait > 2h",
             "actions": {"call_reserve": {"within": "30m", "count": 1}}},
        ]}},
    }  # fmt: skip


def scenario() -> Scenario:
    return parse_scenario(SCENARIO)


def surge_app(
    hotline: Hotline,
    mode: str = "automatic",
    notifiers: tuple[Notifier, ...] = (),
    target_sl: float = 0.8,
) -> FastAPI:
    parsed = scenario()
    setup = SurgeSetup(
        parse_plan(plan_data(mode, target_sl), queues=["heating"]), parsed, notifiers, every_s=10.0,
        workers=1,
    )  # fmt: skip
    config = ServerConfig(clock=hotline.time, center=center_factory(parsed), surge=setup)
    return build_app(hotline.engine, config)


@contextmanager
def served(hotline: Hotline, app: FastAPI) -> Iterator[SurgeLive]:
    with serving(app) as url:
        hotline.url = url
        yield app.state.surge


def tick(hotline: Hotline, surge: SurgeLive, seconds: float) -> None:
    """Move the clock and wait for the server's loop to run the plan at the new time."""
    hotline.time.now += timedelta(seconds=seconds)
    target = hotline.time.now.timestamp()
    eventually(lambda: surge.checked_at >= target, f"the plan to run at {hotline.time.now}")


def staff(hotline: Hotline) -> None:
    """Everyone logs in; the outbound agents go not ready for outbound work."""
    sue = hotline.as_("sue")
    for agent in ("heating-1", "heating-2", "outbound-1", "outbound-2", "backoffice-1",
                  "backoffice-2"):  # fmt: skip
        assert sue.post(f"/api/v1/agents/{agent}/login", json={}).status_code == 200
    for agent in ("outbound-1", "outbound-2"):
        body = {"state": "not_ready", "reason": "outbound"}
        assert sue.post(f"/api/v1/agents/{agent}/state", json=body).json()["state"] == "not_ready"


def calls(hotline: Hotline, count: int) -> list[str]:
    """`count` callers join heating; offered calls are accepted at once."""
    pbx, sue = hotline.as_("pbx"), hotline.as_("sue")
    ids = []
    for _ in range(count):
        contact = pbx.post("/api/v1/contacts", json={"queue": "heating"}).json()
        ids.append(contact["contact_id"])
        if contact["state"] == "offered":
            accept(sue, contact["agent_id"], contact["contact_id"])
    return ids


def accept(sue: httpx.Client, agent_id: str, contact_id: str) -> None:
    response = sue.post(f"/api/v1/agents/{agent_id}/offers/{contact_id}/accept")
    assert response.status_code == 200, response.text


def surge_status(hotline: Hotline) -> dict[str, Any]:
    response = hotline.as_("sue").get("/api/v1/surge")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def timeline(hotline: Hotline) -> list[dict[str, Any]]:
    response = hotline.as_("sue").get("/api/v1/surge/timeline")
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["entries"]
    return entries
