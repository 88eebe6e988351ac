"""Projection: a live center's snapshot carries on inside the simulator."""

from __future__ import annotations

import json
from dataclasses import replace

from callboard.domain import Agent
from callboard.engine import Center, QueueSpec
from callboard.sim.distributions import Exponential
from callboard.sim.driver import run
from callboard.sim.scenario import AgentGroup
from tests.sim.helpers import Collect, one_queue

NOW = 10_000.0


def live_center() -> Center:
    """Two agents, one talking, one with an offer ringing, and three callers waiting."""
    center = Center([QueueSpec("q", announce=None)], [Agent("a", skills={"q": 1}),
                    Agent("b", skills={"q": 1})], start=NOW - 100.0)  # fmt: skip
    center.login(NOW - 100.0, "a")
    center.login(NOW - 100.0, "b")
    center.arrive(NOW - 90.0, "talking", "q")
    center.accept(NOW - 85.0, "a", "talking")
    for index in range(4):
        center.arrive(NOW - 50.0 + index, f"w{index}", "q")
    center.take_offers()
    center.take_events()
    return center


def projection(snapshot_json: str, extra_agents: int = 0, seed: int = 1) -> Collect:
    snapshot = json.loads(snapshot_json)
    scenario = one_queue(rate_per_hour=0, agents=extra_agents or 1, patience=Exponential(600.0))
    if not extra_agents:
        scenario = replace(scenario, agents=())
    scenario = replace(scenario, start=NOW, duration_s=3600.0)
    sink = Collect()
    run(scenario, seed, sink, snapshot=snapshot)
    return sink


def test_every_contact_of_the_live_state_finishes_in_the_projection() -> None:
    center = live_center()
    sink = projection(json.dumps(center.snapshot()))
    finished = {c.contact_id: c for c in sink.contacts}
    assert set(finished) == {"talking", "w0", "w1", "w2", "w3"}
    assert finished["talking"].answered_at == NOW - 85.0, "the live call keeps its history"
    answered = sorted(
        (c for c in sink.contacts if c.answered_at and c.answered_at >= NOW),
        key=lambda c: c.answered_at or 0.0,
    )
    order = [c.contact_id for c in answered]
    assert order == sorted(order), "waiting callers are served in their places"


def test_reserve_agents_from_the_scenario_join_the_projected_center() -> None:
    center = live_center()
    snapshot = json.dumps(center.snapshot())
    alone = projection(snapshot)
    helped = projection(snapshot, extra_agents=5)
    waits_alone = sum((c.answered_at or c.ended_at or 0.0) - c.queued_at for c in alone.contacts)
    waits_helped = sum((c.answered_at or c.ended_at or 0.0) - c.queued_at for c in helped.contacts)
    assert waits_helped < waits_alone
    assert {c.agent_id for c in helped.contacts} & {f"a-{i}" for i in range(5)}


def test_the_scenario_must_start_at_the_snapshot_time() -> None:
    center = live_center()
    scenario = replace(
        one_queue(rate_per_hour=0, agents=AgentGroup("x", 1, {"q": 1}, {"call": 1})),
        start=NOW - 500.0,
    )
    try:
        run(scenario, 1, Collect(), snapshot=center.snapshot())
    except ValueError as exc:
        assert "snapshot" in str(exc)
    else:
        raise AssertionError("a projection from another time must be refused")
