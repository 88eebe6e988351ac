"""A restart in the middle of a surge keeps the plan's state: tiers in force, pending
recommendations and reserve people on their way, late, on the line or released, rebuilt
from the stored timeline.

Each test serves the app with a real uvicorn, stops it and serves a new app over the
same store, on SQLite and PostgreSQL. Nothing of surge control is written at shutdown
(every timeline entry is stored when it happens), so stopping the first server loses
exactly what a `kill -9` would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.server.hotline import Hotline, eventually
from tests.surge.live_hotline import calls, served, staff, surge_app, surge_status, tick, timeline


def at(hotline: Hotline, when: float) -> None:
    hotline.time.now = datetime.fromtimestamp(when, UTC)


def r1(hotline: Hotline) -> dict[str, Any]:
    (person,) = [p for p in surge_status(hotline)["reserve"] if p["person_id"] == "r1"]
    return person


def test_tiers_in_force_and_the_reserve_s_state_survive_restarts(hotline_db: Hotline) -> None:
    with served(hotline_db, surge_app(hotline_db)) as surge:
        staff(hotline_db)
        waiting = calls(hotline_db, 12)[2:]
        for seconds in (10, 30, 30):
            tick(hotline_db, surge, seconds)
        assert surge_status(hotline_db)["queues"][0]["active_tiers"] == [3, 2]
        ((due, person),) = surge.reserve.pending()
        assert person == "r1" and r1(hotline_db)["state"] == "on_the_way"
        before = timeline(hotline_db)

    with served(hotline_db, surge_app(hotline_db)) as surge:
        assert surge_status(hotline_db)["queues"][0]["active_tiers"] == [3, 2]
        assert surge.reserve.pending() == [(due, "r1")]
        assert timeline(hotline_db) == before
        # The trigger still holds: nothing fires twice, nobody is called again.
        tick(hotline_db, surge, 30)
        assert [e["kind"] for e in timeline(hotline_db)] == [e["kind"] for e in before]
        # r1 does not come: late ten minutes after the due time, and reported once.
        at(hotline_db, due + 600.0)
        tick(hotline_db, surge, 0)
        assert r1(hotline_db)["state"] == "late"
        assert [e["kind"] for e in timeline(hotline_db)].count("late") == 1

    with served(hotline_db, surge_app(hotline_db)) as surge:
        sue = hotline_db.as_("sue")
        assert r1(hotline_db)["state"] == "late"
        tick(hotline_db, surge, 10)
        assert [e["kind"] for e in timeline(hotline_db)].count("late") == 1
        assert sue.get("/api/v1/agents/r1").json()["state"] == "logged_out"
        # r1 arrives at last and logs in on the desk: on the line, once.
        assert sue.post("/api/v1/agents/r1/login", json={}).status_code == 200
        eventually(lambda: r1(hotline_db)["state"] == "on_the_line", "r1 noticed")
        here = r1(hotline_db)["arrived_at"]

    with served(hotline_db, surge_app(hotline_db)) as surge:
        sue = hotline_db.as_("sue")
        assert surge.reserve.pending() == []  # r1 is here: expected no more
        assert (r1(hotline_db)["state"], r1(hotline_db)["arrived_at"]) == ("on_the_line", here)
        arrived = [e for e in timeline(hotline_db) if e["detail"] == "r1 on the line"]
        assert len(arrived) == 1
        # Standing down after the restart undoes what was done before it: the support
        # group's skills go back, from the effects stored on the timeline. r1 stays for
        # the plan's minimum stay of two hours on the line.
        for contact_id in waiting:
            hotline_db.as_("pbx").post(f"/api/v1/contacts/{contact_id}/cancel")
        tick(hotline_db, surge, 10)
        tick(hotline_db, surge, 120)
        assert surge_status(hotline_db)["queues"][0]["active_tiers"] == [3]
        agents = surge.live.read(lambda center: center.snapshot()["agents"])
        assert [a["skills"] for a in agents if a["group"] == "backoffice"] == [{"admin": 1}] * 2
        assert sue.get("/api/v1/agents/r1").json()["state"] != "logged_out"
        release = datetime.fromisoformat(here) + timedelta(hours=2)
        assert r1(hotline_db)["release_at"] == release.isoformat()

    with served(hotline_db, surge_app(hotline_db)) as surge:
        sue = hotline_db.as_("sue")
        assert r1(hotline_db)["release_at"] == release.isoformat()
        at(hotline_db, release.timestamp() - 10.0)
        tick(hotline_db, surge, 0)
        assert sue.get("/api/v1/agents/r1").json()["state"] != "logged_out"
        tick(hotline_db, surge, 10)
        assert r1(hotline_db)["state"] == "released"
        eventually(lambda: sue.get("/api/v1/agents/r1").json()["state"] == "logged_out", "r1")

    with served(hotline_db, surge_app(hotline_db)) as surge:
        assert r1(hotline_db)["state"] == "released"
        tick(hotline_db, surge, 10)
        assert [e["kind"] for e in timeline(hotline_db)].count("released") == 1


def test_pending_recommendations_keep_their_ids_across_a_restart(hotline_db: Hotline) -> None:
    with served(hotline_db, surge_app(hotline_db, mode="recommend")) as surge:
        staff(hotline_db)
        calls(hotline_db, 12)
        tick(hotline_db, surge, 10)
        tick(hotline_db, surge, 30)
        (first,) = surge_status(hotline_db)["pending"]
        sue = hotline_db.as_("sue")
        rid = first["recommendation_id"]
        assert sue.post(f"/api/v1/surge/recommendations/{rid}/confirm").status_code == 200
        tick(hotline_db, surge, 30)
        tick(hotline_db, surge, 30)
        (second,) = surge_status(hotline_db)["pending"]
        assert second["tier"] == 2

    with served(hotline_db, surge_app(hotline_db, mode="recommend")) as surge:
        sue = hotline_db.as_("sue")
        status = surge_status(hotline_db)
        assert status["pending"] == [second]
        assert status["queues"][0]["active_tiers"] == [3]
        decided = sue.post(f"/api/v1/surge/recommendations/{rid}/confirm")
        assert decided.status_code == 409  # decided before the restart
        again = sue.post(f"/api/v1/surge/recommendations/{second['recommendation_id']}/confirm")
        assert again.status_code == 200, again.text
        assert {a["tier"] for a in again.json()["actions"]} == {2}
        assert all(a["action_id"] > second["recommendation_id"] for a in again.json()["actions"])
        assert surge_status(hotline_db)["queues"][0]["active_tiers"] == [3, 2]
        assert [p for _, p in surge.reserve.pending()] == ["r1"]
