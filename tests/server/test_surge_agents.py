"""Per-queue agent figures over HTTP, on a two-queue center, against a hand count.

The center of `tests/surge/test_serving.py`: heating widens to billing agents (any
billing level) after 60 s of waiting; billing needs billing at level 2; the back office
serves neither. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

from callboard.domain import Agent
from callboard.engine import Center, QueueSpec, WideningStep
from tests.server.hotline import Hotline, call
from tests.surge.live_hotline import accept

AGENTS = ("agents_ready", "agents_busy", "agents_wrap_up", "agents_not_ready", "agents_outbound")


def two_queues(now: float) -> Center:
    queues = [
        QueueSpec("heating", widening=(WideningStep(60.0, {"billing": 1}),), offer_timeout_s=None),
        QueueSpec("billing", min_level=2, offer_timeout_s=None),
    ]
    agents = [
        Agent("h1", skills={"heating": 2}),
        Agent("h2", skills={"heating": 1}),
        Agent("b1", skills={"billing": 2}),
        Agent("b2", skills={"billing": 1}),
        Agent("b3", skills={"billing": 2}),
        Agent("back", skills={"admin": 1}),
        Agent("away", skills={"heating": 2}),
    ]
    return Center(queues, agents, start=now)


def agent_figures(api: Hotline) -> dict[str, dict[str, float]]:
    status = api.as_("ann").get("/api/v1/surge").json()  # an agent's wallboard
    return {q["queue"]: {k: v for k, v in q["figures"].items() if k in AGENTS and v}
            for q in status["queues"]}  # fmt: skip


def test_agent_figures_per_queue_equal_a_hand_count(hotline_db: Hotline) -> None:
    with hotline_db.serve(center=two_queues) as url:
        hotline_db.url = url
        sue = hotline_db.as_("sue")
        for agent in ("h2", "b1", "b2", "b3", "back"):
            assert sue.post(f"/api/v1/agents/{agent}/login", json={}).status_code == 200
        for agent, reason in (("b2", "lunch"), ("b3", "outbound")):
            body = {"state": "not_ready", "reason": reason}
            assert sue.post(f"/api/v1/agents/{agent}/state", json=body).status_code == 200
        first = call(hotline_db, "heating")
        assert first["agent_id"] == "h2"
        accept(sue, "h2", first["contact_id"])
        billing = call(hotline_db, "billing")
        assert billing["agent_id"] == "b1"
        accept(sue, "b1", billing["contact_id"])
        assert sue.post("/api/v1/agents/h1/login", json={}).status_code == 200

        billing_count = {"agents_busy": 1.0, "agents_not_ready": 1.0, "agents_outbound": 1.0}
        assert agent_figures(hotline_db) == {
            "heating": {"agents_ready": 1.0, "agents_busy": 1.0},
            "billing": billing_count,
        }

        second = call(hotline_db, "heating")
        accept(sue, "h1", second["contact_id"])
        assert call(hotline_db, "heating")["state"] == "waiting"
        hotline_db.time.now += timedelta(seconds=59)
        assert agent_figures(hotline_db) == {"heating": {"agents_busy": 2.0},
                                             "billing": billing_count}  # fmt: skip
        hotline_db.time.now += timedelta(seconds=1)  # the caller has waited into billing
        assert agent_figures(hotline_db) == {
            "heating": {"agents_busy": 3.0, "agents_not_ready": 2.0, "agents_outbound": 1.0},
            "billing": billing_count,
        }
