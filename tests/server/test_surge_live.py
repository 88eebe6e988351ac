"""The live server under a scripted surge: tiers fire and stand down, the reserve is
notified through a real webhook receiver, and the timeline survives a restart.

Runs on SQLite and PostgreSQL (the timeline lives in the store's events table).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest

from callboard.queueing import abandoned_within, erlang_a
from callboard.server.app import ServerConfig, build_app
from callboard.server.pages.i18n import catalog
from callboard.server.surge_live import SurgeLive
from callboard.surge.notify import WebhookNotifier
from tests.fixtures.live_server import serving
from tests.server.hotline import Hotline, call, eventually
from tests.surge.live_hotline import (
    accept,
    calls,
    served,
    staff,
    surge_app,
    surge_status,
    tick,
    timeline,
)
from tests.surge.receivers import webhook_receiver


def kinds(entries: list[dict[str, Any]], kind: str) -> list[int]:
    return [e["tier"] for e in entries if e["kind"] == kind]


def test_a_scripted_surge_fires_tier_3_then_2_notifies_and_stands_down(
    hotline_db: Hotline,
) -> None:
    with webhook_receiver() as hook:
        app = surge_app(hotline_db, notifiers=(WebhookNotifier(hook.url),))
        with served(hotline_db, app) as surge:
            sue = hotline_db.as_("sue")
            staff(hotline_db)
            waiting = calls(hotline_db, 12)[2:]  # two answered, ten in line
            tick(hotline_db, surge, 10)
            assert surge_status(hotline_db)["queues"][0]["active_tiers"] == []
            tick(hotline_db, surge, 30)  # held for 30 s: tier 3
            status = surge_status(hotline_db)
            assert status["plan"] == "live surge" and status["mode"] == "automatic"
            (queue,) = status["queues"]
            assert queue["active_tiers"] == [3] and queue["tier"] == 3
            assert queue["figures"]["waiting"] == 10.0  # ringing callers are still in line
            assert sue.get("/api/v1/agents/outbound-1").json()["state"] == "reserved"
            mode = sue.get("/api/v1/queues").json()["queues"][0]
            assert mode["mode"] == "emergency", mode

            tick(hotline_db, surge, 30)  # tier 2 armed when tier 3 fired; held 30 s
            queue = surge_status(hotline_db)["queues"][0]
            assert queue["active_tiers"] == [3, 2] and queue["tier"] == 2
            assert sue.get("/api/v1/agents/backoffice-1").json()["state"] == "reserved"
            eventually(lambda: len(hook.received) == 1, "the reserve call-out")
            (called,) = hook.received
            assert called["person_id"] == "r1" and called["stand_down"] is False
            assert called["contact"] == "ana@example.org" and called["tier"] == 2

            # The caller backlog clears; two minutes later tier 2 stands down, then tier 3.
            pbx = hotline_db.as_("pbx")
            for contact_id in waiting:
                pbx.post(f"/api/v1/contacts/{contact_id}/cancel")
            tick(hotline_db, surge, 10)
            tick(hotline_db, surge, 120)
            assert surge_status(hotline_db)["queues"][0]["active_tiers"] == [3]
            eventually(lambda: len(hook.received) == 2, "the stand-down message")
            assert hook.received[1]["stand_down"] is True
            skills = app.state.live.read(lambda c: c.snapshot()["agents"])
            backoffice = [a for a in skills if a["group"] == "backoffice"]
            assert all(a["skills"] == {"admin": 1} for a in backoffice)
            tick(hotline_db, surge, 10)
            assert surge_status(hotline_db)["queues"][0]["active_tiers"] == []

            entries = timeline(hotline_db)
            assert kinds(entries, "fired") == [3, 2]
            assert kinds(entries, "stood_down") == [2, 3]
            assert kinds(entries, "notified") == [2, 2]
            actions = [e for e in entries if e["kind"] == "action"]
            assert all(e["action_id"] is not None for e in actions)
            assert any("ReadyReasons" in e["detail"] for e in actions)
            assert all(e["at"].endswith("+00:00") for e in entries)
            assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
            # Every entry has words for the screens (server/timeline_words.py): a catalog
            # key whose placeholders its values fill.
            english = catalog("en")
            for entry in entries:
                assert entry["words"] is not None, entry
                needed = set(re.findall(r"\{(\w+)\}", english[entry["words"]["key"]]))
                assert needed <= set(entry["words"]["values"]), entry

        # A restart keeps the audit timeline and goes on with fresh ids.
        with served(hotline_db, surge_app(hotline_db)) as surge:
            assert timeline(hotline_db) == entries
            last_id = max(e["action_id"] or 0 for e in entries)
            assert surge.runner.last_id >= last_id


def reserve(hotline: Hotline) -> dict[str, dict[str, Any]]:
    return {p["person_id"]: p for p in surge_status(hotline)["reserve"]}


@contextmanager
def r1_called(hotline: Hotline) -> Iterator[SurgeLive]:
    """A served surge in which ten callers in line fire tiers 3 and 2, and tier 2 calls r1
    in within 30 minutes."""
    with served(hotline, surge_app(hotline)) as surge:
        staff(hotline)
        calls(hotline, 12)
        for seconds in (10, 30, 30):
            tick(hotline, surge, seconds)
        assert surge_status(hotline)["queues"][0]["active_tiers"] == [3, 2]
        yield surge


def test_a_reserve_person_who_does_not_log_in_is_late_and_never_offered_a_call(
    hotline_db: Hotline,
) -> None:
    with r1_called(hotline_db) as surge:
        sue = hotline_db.as_("sue")
        r1 = reserve(hotline_db)["r1"]
        assert (r1["state"], r1["name"], r1["queue"], r1["tier"]) == ("on_the_way", "Ana Ruiz",
                                                                      "heating", 2)  # fmt: skip
        assert r1["due"].endswith("+00:00") and r1["arrived_at"] is None
        tick(hotline_db, surge, 1800)  # due: nobody logs r1 in
        assert reserve(hotline_db)["r1"]["state"] == "on_the_way"
        tick(hotline_db, surge, 590)
        assert reserve(hotline_db)["r1"]["state"] == "on_the_way"
        tick(hotline_db, surge, 10)  # ten minutes past due (the plan's default late_after)
        assert reserve(hotline_db)["r1"]["state"] == "late"
        tick(hotline_db, surge, 600)
        late = [e for e in timeline(hotline_db) if e["kind"] == "late"]
        assert [(e["tier"], e["detail"]) for e in late] == [(2, "r1 late: due 08:31 UTC, "
                                                             "not on the line")]  # fmt: skip
        # Callers still wait, and none was ever offered to r1.
        assert surge_status(hotline_db)["queues"][0]["figures"]["waiting"] > 0
        assert sue.get("/api/v1/agents/r1").json()["state"] == "logged_out"
        assert not [e for e in timeline(hotline_db) if e["detail"] == "r1 on the line"]


def test_a_reserve_person_who_logs_in_on_the_desk_is_on_the_line_and_offered_calls(
    hotline_db: Hotline,
) -> None:
    with r1_called(hotline_db) as surge:
        sue = hotline_db.as_("sue")
        tick(hotline_db, surge, 1200)  # early: 20 minutes after the call
        assert sue.post("/api/v1/agents/r1/login", json={}).status_code == 200
        eventually(lambda: reserve(hotline_db)["r1"]["state"] == "on_the_line", "r1 noticed")
        assert sue.get("/api/v1/agents/r1").json()["state"] == "reserved"  # a caller at once
        arrived = [e for e in timeline(hotline_db) if e["detail"] == "r1 on the line"]
        assert len(arrived) == 1 and arrived[0]["kind"] == "effect"
        tick(hotline_db, surge, 1800)
        assert not [e for e in timeline(hotline_db) if e["kind"] == "late"]


def test_an_integration_confirms_a_reserve_person_s_arrival(hotline_db: Hotline) -> None:
    with r1_called(hotline_db) as surge:
        pbx, ann = hotline_db.as_("pbx"), hotline_db.as_("ann")
        assert ann.post("/api/v1/surge/reserve/r1/arrived").status_code == 403
        missing = pbx.post("/api/v1/surge/reserve/r2/arrived")  # on the roster, not called
        assert missing.status_code == 404 and "r2" in missing.json()["error"]
        tick(hotline_db, surge, 2400)
        assert reserve(hotline_db)["r1"]["state"] == "late"
        confirmed = pbx.post("/api/v1/surge/reserve/r1/arrived")
        assert confirmed.status_code == 200, confirmed.text
        person = confirmed.json()["person"]
        assert person["state"] == "on_the_line" and person["arrived_at"].endswith("+00:00")
        assert hotline_db.as_("sue").get("/api/v1/agents/r1").json()["state"] == "reserved"
        tick(hotline_db, surge, 10)
        again = pbx.post("/api/v1/surge/reserve/r1/arrived")  # a retry changes nothing
        assert again.status_code == 200 and again.json()["person"] == person
        arrived = [e for e in timeline(hotline_db) if e["detail"] == "r1 on the line"]
        assert len(arrived) == 1


def test_recommend_mode_waits_for_a_supervisor(hotline_db: Hotline) -> None:
    with served(hotline_db, surge_app(hotline_db, mode="recommend")) as surge:
        sue = hotline_db.as_("sue")
        staff(hotline_db)
        calls(hotline_db, 12)
        tick(hotline_db, surge, 10)
        tick(hotline_db, surge, 30)
        status = surge_status(hotline_db)
        assert status["mode"] == "recommend"
        assert status["queues"][0]["active_tiers"] == []
        (pending,) = status["pending"]
        assert pending["tier"] == 3 and pending["escalate"] is True
        assert pending["queue"] == "heating" and "waiting > 3" in pending["reason"]
        rid = pending["recommendation_id"]

        confirmed = sue.post(f"/api/v1/surge/recommendations/{rid}/confirm")
        assert confirmed.status_code == 200, confirmed.text
        body = confirmed.json()
        assert body["ok"] is True
        assert {a["tier"] for a in body["actions"]} == {3} and len(body["actions"]) == 2
        assert all(a["queue"] == "heating" and a["action_id"] > rid for a in body["actions"])
        assert surge_status(hotline_db)["queues"][0]["active_tiers"] == [3]
        assert sue.get("/api/v1/agents/outbound-1").json()["state"] == "reserved"

        again = sue.post(f"/api/v1/surge/recommendations/{rid}/confirm")
        assert again.status_code == 409 and again.json()["ok"] is False
        missing = sue.post("/api/v1/surge/recommendations/9999/decline")
        assert missing.status_code == 404 and "9999" in missing.json()["error"]

        tick(hotline_db, surge, 30)  # tier 2 is armed from this check on
        tick(hotline_db, surge, 30)
        (second,) = surge_status(hotline_db)["pending"]
        assert second["tier"] == 2
        declined = sue.post(f"/api/v1/surge/recommendations/{second['recommendation_id']}/decline")
        assert declined.status_code == 200 and declined.json() == {"ok": True}
        assert surge_status(hotline_db)["pending"] == []
        assert surge_status(hotline_db)["queues"][0]["active_tiers"] == [3]
        twice = sue.post(f"/api/v1/surge/recommendations/{second['recommendation_id']}/decline")
        assert twice.status_code == 409

        entries = timeline(hotline_db)
        decisions = [(e["kind"], e["tier"], e["by"]) for e in entries if e["by"] is not None]
        assert decisions == [("confirmed", 3, "sue"), ("declined", 2, "sue")]
        # An agent reads the status (the wallboard) but decides nothing and sees no audit.
        ann = hotline_db.as_("ann")
        assert ann.get("/api/v1/surge").json()["queues"][0]["active_tiers"] == [3]
        assert ann.get("/api/v1/surge/timeline").status_code == 403
        assert ann.get("/api/v1/surge/projection").status_code == 403
        assert ann.post(f"/api/v1/surge/recommendations/{rid}/confirm").status_code == 403


def test_without_a_plan_every_queue_has_live_figures_for_agents_too(api: Hotline) -> None:
    sue, bob = api.as_("sue"), api.as_("bob")
    assert sue.post("/api/v1/agents/ann/login", json={}).status_code == 200
    answered = call(api, "heating")
    accept(sue, "ann", answered["contact_id"])
    left = call(api, "heating")["contact_id"]
    api.time.now += timedelta(seconds=30)
    assert api.as_("pbx").post(f"/api/v1/contacts/{left}/cancel").status_code == 200

    status = bob.get("/api/v1/surge").json()  # an agent's wallboard reads it
    assert (status["plan"], status["mode"], status["pending"]) == (None, None, [])
    heating, billing = status["queues"]
    assert (heating["queue"], heating["active_tiers"], heating["tier"]) == ("heating", [], None)
    figures = heating["figures"]
    assert figures["sl_15m"] == 0.5 and figures["abandon_rate_15m"] == 0.5
    assert figures["arrivals_10m"] == 2.0 and figures["agents_busy"] == 1.0
    assert "arrivals_10m_last_week" not in figures  # the store is minutes old
    # projected_sl: the interval so far (1 of 2 in time) and Erlang A for the 1770 s left
    # at 2 calls / 10 min, 1 agent working, the AHT hint and patience = 30 s waited / 1.
    rate = 2 / 600
    in_time = float(erlang_a(rate, 300, 30, 1, 20).answered_within)
    kept = 1 - float(abandoned_within(rate, 300, 30, 1, 5))
    coming = rate * 1770
    projected = (1 + coming * in_time) / (2 + coming * kept)
    assert figures["projected_sl"] == pytest.approx(projected, abs=1e-3)
    assert billing["queue"] == "billing" and billing["tier"] is None
    assert "sl_15m" not in billing["figures"] and billing["figures"]["waiting"] == 0.0

    for path in ("/api/v1/surge/timeline", "/api/v1/surge/projection"):
        response = sue.get(path)
        assert response.status_code == 409 and "--plan" in response.json()["error"]
    assert sue.post("/api/v1/surge/recommendations/1/confirm").status_code == 409


def test_without_a_live_center_the_status_is_empty(hotline_db: Hotline) -> None:
    app = build_app(hotline_db.engine, ServerConfig(clock=hotline_db.time))
    with serving(app) as url:
        hotline_db.url = url
        assert hotline_db.as_("ann").get("/api/v1/surge").json() == {
            "plan": None, "mode": None, "queues": [], "pending": [], "reserve": []
        }  # fmt: skip


def test_an_accepted_offer_is_not_disturbed_by_standing_down(hotline_db: Hotline) -> None:
    """Agents put back to outbound work finish their call first (the engine defers it)."""
    with served(hotline_db, surge_app(hotline_db)) as surge:
        sue = hotline_db.as_("sue")
        staff(hotline_db)
        waiting = calls(hotline_db, 8)[2:]
        tick(hotline_db, surge, 10)
        tick(hotline_db, surge, 30)
        assert surge_status(hotline_db)["queues"][0]["active_tiers"] == [3]
        offers = [c for c in waiting
                  if hotline_db.as_("pbx").get(f"/api/v1/contacts/{c}").json()["state"]
                  == "offered"]  # fmt: skip
        for contact_id in offers:
            agent = hotline_db.as_("pbx").get(f"/api/v1/contacts/{contact_id}").json()["agent_id"]
            accept(sue, agent, contact_id)
        for contact_id in waiting:
            hotline_db.as_("pbx").post(f"/api/v1/contacts/{contact_id}/cancel")
        tick(hotline_db, surge, 10)
        tick(hotline_db, surge, 120)
        assert surge_status(hotline_db)["queues"][0]["active_tiers"] == []
        assert sue.get("/api/v1/agents/outbound-1").json()["state"] == "busy"
