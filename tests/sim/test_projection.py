"""Projection: a live center's snapshot carries on inside the simulator, under each option."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from callboard.domain import Agent
from callboard.engine import Center, QueueSpec
from callboard.sim.distributions import Exponential
from callboard.sim.driver import run
from callboard.sim.projection import Projection, options, project
from callboard.sim.scenario import AgentGroup
from callboard.surge.plan_file import parse_plan
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


PLAN = {
    "name": "small", "mode": "automatic", "deescalate_after": "10m", "target_sl": 0.5,
    "reserve": [{"id": f"r{i}", "contact": f"r{i}@example.org", "within": "30m"}
                for i in range(3)],
    "queues": {"q": {"tiers": [
        {"tier": 3, "trigger": "waiting > 3", "actions": {"ready_reasons": ["outbound"]}},
        {"tier": 1, "trigger": "waiting > 3",
         "actions": {"call_reserve": {"within": "30m", "count": 2}}},
    ]}},
}  # fmt: skip


def busy_center() -> dict[str, object]:
    """The live center above plus three agents on outbound work."""
    center = live_center()
    for index in range(3):
        center.add_agent(Agent(f"o{index}", skills={"q": 1}))
        center.login(NOW, f"o{index}", ready=False)
        center.set_not_ready(NOW, f"o{index}", "outbound")
    center.take_events()
    return center.snapshot()


def projected(**options: object) -> Projection:
    scenario = replace(
        one_queue(rate_per_hour=40, agents=1, patience=Exponential(300.0)), agents=()
    )
    return project(busy_center(), scenario, parse_plan(PLAN), now=NOW, minutes=60,
                   replications=20, seed=3, **options)  # type: ignore[arg-type]  # fmt: skip


def test_each_option_adds_its_tier_to_the_ones_before() -> None:
    result = projected()
    assert options(parse_plan(PLAN)) == ["none", "tier3", "tier1"]
    sl = {o.option: o.sl.mean for o in result.options}
    assert [o.option for o in result.options] == ["none", "tier3", "tier1"]
    assert sl["none"] is not None and sl["tier3"] is not None and sl["tier1"] is not None
    assert sl["none"] < sl["tier3"] < sl["tier1"]
    for option in result.options:
        assert option.sl.low is not None and option.sl.high is not None
        assert option.sl.low <= option.sl.mean <= option.sl.high  # type: ignore[operator]
        assert len(option.series) == 12
    assert sl["none"] < 0.5 < sl["tier3"]
    assert result.recommended == "tier3"  # the cheapest option reaching the plan's 0.5
    assert result.as_dict()["at"] == "1970-01-01T02:46:40+00:00"


def test_reserve_people_already_on_their_way_come_in_every_option() -> None:
    alone = projected()
    helped = projected(arriving=[(NOW + 600.0, "r2")])
    assert helped.options[0].sl.mean > alone.options[0].sl.mean  # type: ignore[operator]
    # Called already: tier 1 has nobody left to call but r2, who is on the way anyway.
    spent = projected(arriving=[(NOW + 600.0, "r2")], called={"r0", "r1", "r2"})
    assert spent.options[2].sl.mean == spent.options[1].sl.mean


def test_the_arrival_volume_scales_the_scenario() -> None:
    calm, busy = projected(volume=0.5), projected(volume={"q": 3.0})
    assert calm.volume == {"q": 0.5} and busy.volume == {"q": 3.0}
    assert calm.options[0].sl.mean > busy.options[0].sl.mean  # type: ignore[operator]


@pytest.mark.parametrize(
    ("minutes", "replications", "problem"),
    [(2, 30, "minutes"), (60, 1, "replications")],
)
def test_a_projection_needs_a_horizon_and_replications(
    minutes: int, replications: int, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        project(busy_center(), one_queue(rate_per_hour=1, agents=1), parse_plan(PLAN),
                now=NOW, minutes=minutes, replications=replications)  # fmt: skip
