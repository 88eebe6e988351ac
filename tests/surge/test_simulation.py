"""The plan in the simulator: a heating hotline whose volume triples at 08:00.

Without the plan the service level collapses; with it tiers 3, 2 and 1 fire in
that order, reserve staff log in after their 30 minutes, and the service level
is better in every replication.
"""

from __future__ import annotations

from typing import Any

import pytest

from callboard.engine import Abandon, Advance, Arrive, Center, Command, Contact, QueueSpec
from callboard.sim.driver import run
from callboard.sim.replications import simulate as simulate_report
from callboard.sim.scenario_file import parse_scenario
from callboard.surge.control import SurgeControl
from callboard.surge.metrics import LiveMetrics
from callboard.surge.plan_file import parse_plan
from callboard.surge.runner import PlanRunner

PER_HALF_HOUR = 60  # the normal volume: 20 calls per 10 minutes
T_S = 20.0

SCENARIO: dict[str, Any] = {
    "name": "heating cold morning",
    "start": "2026-01-12T06:00",
    "timezone": "Europe/Berlin",
    "duration": "5h",
    "interval": "30m",
    "queues": {
        "heating": {
            "sl_threshold": T_S,
            "arrivals": {"per_interval": [PER_HALF_HOUR] * 48},
            "service": {"dist": "exponential", "mean": 240},
            "patience": {"dist": "exponential", "mean": 180},
        }
    },
    "agents": [
        {"name": "heating", "count": 11, "skills": {"heating": 1}},
        {"name": "outbound", "count": 4, "skills": {"heating": 1},
         "breaks": [{"at": "06:00", "duration": "5h", "reason": "outbound"}]},
        {"name": "backoffice", "count": 5, "skills": {"admin": 1}},
    ],
    "events": [{"at": "08:00", "queue": "heating", "volume": 3, "for": "2h"}],
}  # fmt: skip

PLAN: dict[str, Any] = {
    "name": "cold snap",
    "mode": "recommend",
    "deescalate_after": "30m",
    "reserve": [{"id": f"r{i}", "contact": f"r{i}@example.org", "within": "30m"} for i in range(6)],
    "queues": {
        "heating": {
            "tiers": [
                {"tier": 3, "trigger": "waiting > 5 and oldest_wait > 60s for 2m",
                 "actions": {"ready_reasons": ["outbound"], "announcement": "Heating outage"}},
                {"tier": 2, "trigger": "sl_15m < 0.7 for 5m",
                 "actions": {"add_support_group": {"group": "backoffice"}}},
                {"tier": 1, "trigger": "arrivals_10m > 1.5 * forecast_10m for 5m",
                 "actions": {"call_reserve": {"within": "30m", "count": 6}}},
            ]
        }
    },
}  # fmt: skip

SURGE_AT = parse_scenario(SCENARIO).start + 2 * 3600.0  # 08:00 local


def sl_after_surge(contacts: list[Contact]) -> float:
    """KPI.md `sl` = A(wait <= T) / (O - Ab_s) over contacts queued from 08:00."""
    offered = [c for c in contacts if c.queued_at >= SURGE_AT and c.outcome != "blocked"]
    hits = sum(
        1 for c in offered if c.answered_at is not None and c.answered_at - c.queued_at <= T_S
    )
    short = sum(
        1
        for c in offered
        if c.outcome == "abandoned" and c.ended_at is not None and c.ended_at - c.queued_at < 5.0
    )
    return hits / (len(offered) - short)


def simulate(seed: int, with_plan: bool) -> tuple[float, SurgeControl | None]:
    scenario = parse_scenario(SCENARIO)
    contacts: list[Contact] = []
    control = None
    if with_plan:
        control = SurgeControl(
            PlanRunner(parse_plan(PLAN, queues=["heating"])),
            LiveMetrics({"heating": T_S}),
            forecast=lambda queue, now: PER_HALF_HOUR / 3,
            confirm_as="sim-supervisor",
        )
    run(scenario, seed, contacts.extend, on_output=control)
    return sl_after_surge(contacts), control


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_plan_fires_in_order_brings_in_the_reserve_and_lifts_the_sl(seed: int) -> None:
    without, _ = simulate(seed, with_plan=False)
    with_plan, control = simulate(seed, with_plan=True)
    assert control is not None
    assert without < 0.3  # the collapse
    assert with_plan > without + 0.25

    timeline = control.runner.timeline
    fired = [(e.tier, e.at) for e in timeline if e.kind == "fired"]
    assert [tier for tier, _ in fired] == [3, 2, 1]
    at = dict(fired)
    # Nothing fires before the surge; each tier waits for its own hold time after the last.
    assert SURGE_AT < at[3] < SURGE_AT + 1800.0
    assert at[2] - at[3] >= 5 * 60.0
    assert at[1] - at[2] >= 5 * 60.0
    assert {e.by for e in timeline if e.kind == "confirmed"} == {"sim-supervisor"}

    # Six reserve people, due 30 minutes after tier 1, on the line within a minute of it.
    arrived = [e for e in timeline if e.kind == "effect" and e.detail.endswith("on the line")]
    assert sorted(e.detail for e in arrived) == [f"r{i} on the line" for i in range(6)]
    assert all(at[1] + 1800.0 <= e.at < at[1] + 1860.0 for e in arrived)

    # The surge ends at 10:00: the tiers stand down last first, after 30 clear minutes.
    stood_down = [(e.tier, e.at) for e in timeline if e.kind == "stood_down"]
    assert [tier for tier, _ in stood_down] == [1, 2, 3]
    assert all(when >= SURGE_AT + 2 * 3600.0 + 1800.0 for _, when in stood_down)


def test_reserve_stood_down_before_arriving_still_comes_and_works_the_minimum_stay() -> None:
    plan = {
        "name": "short",
        "mode": "automatic",
        "min_stay": "1h",
        "reserve": [{"id": "r0", "contact": "r0@example.org", "within": "30m"}],
        "queues": {"heating": {"tiers": [
            {"tier": 1, "trigger": "waiting > 0", "deescalate_after": "1m",
             "actions": {"call_reserve": {"within": "30m", "count": 1}}}]}},
    }  # fmt: skip
    engine = Center([QueueSpec("heating")], start=0.0)
    control = SurgeControl(PlanRunner(parse_plan(plan)), LiveMetrics(), every_s=0.0)

    def step(at: float, command: Command) -> None:
        control(engine, engine.apply(at, command), lambda c: engine.apply(engine.now, c))

    step(10.0, Arrive("c1", "heating"))
    assert control.reserve.pending() == [(1810.0, "r0")]
    step(20.0, Abandon("c1"))
    step(90.0, Advance())
    assert control.runner.active_tiers("heating") == []
    assert control.reserve.pending() == [(1810.0, "r0")]  # a call-in is a commitment
    step(1810.0, Advance())
    assert engine.agent_state("r0") == ("ready", None)
    step(1810.0 + 3599.0, Advance())
    assert engine.agent_state("r0") == ("ready", None)
    step(1810.0 + 3600.0, Advance())  # an hour on the line: released
    assert engine.agent_state("r0") == ("logged_out", None)
    kinds = [
        (e.kind, e.detail) for e in control.runner.timeline if e.kind in ("effect", "released")
    ]
    assert kinds[-2:] == [("effect", "r0 on the line"),
                          ("released", "r0 released after the minimum stay")]  # fmt: skip


# A storm of 20 minutes: tier 1 calls three people within 30 minutes and stands down
# about 20 minutes later, before any of them is due. When a stand-down sent them home
# (before call-ins were commitments), none reached the line in 10 runs of 10; now all do.
STORM: dict[str, Any] = {
    **SCENARIO,
    "agents": [{"name": "heating", "count": 11, "skills": {"heating": 1}}],
    "events": [{"at": "08:00", "queue": "heating", "volume": 4, "for": "20m"}],
}
STORM_PLAN: dict[str, Any] = {
    "name": "storm",
    "mode": "automatic",
    "reserve": [{"id": f"r{i}", "contact": f"r{i}@example.org", "within": "30m"} for i in range(3)],
    "queues": {"heating": {"tiers": [
        {"tier": 1, "trigger": "waiting > 5 for 2m", "deescalate_after": "5m",
         "actions": {"call_reserve": {"within": "30m", "count": 3}}}]}},
}  # fmt: skip


def test_a_storm_s_reserve_reaches_the_line_although_the_tier_stood_down_first() -> None:
    seeds = range(1, 6)
    on_the_line = 0
    for seed in seeds:
        runner = PlanRunner(parse_plan(STORM_PLAN, queues=["heating"]))
        control = SurgeControl(runner, LiveMetrics({"heating": T_S}))
        run(parse_scenario(STORM), seed, lambda contacts: None, on_output=control)
        (fired,) = [e.at for e in runner.timeline if e.kind == "fired"]
        (stood_down,) = [e.at for e in runner.timeline if e.kind == "stood_down"]
        assert stood_down < fired + 1800.0  # before anyone was due
        arrived = [e for e in runner.timeline
                   if e.kind == "effect" and e.detail.endswith("on the line")]  # fmt: skip
        assert all(fired + 1800.0 <= e.at < fired + 1860.0 for e in arrived)
        on_the_line += len(arrived)
        # Each works the default two hours, then goes home (the run ends at 11:00).
        released = [e.at for e in runner.timeline if e.kind == "released"]
        assert len(released) == len(arrived)
        assert all(fired + 9000.0 <= at < fired + 9060.0 for at in released)
    assert on_the_line / len(seeds) == 3.0


def test_a_scenario_that_names_a_plan_runs_it_in_every_replication() -> None:
    scenario = parse_scenario({**SCENARIO, "duration": "4h", "plan": PLAN})
    report = simulate_report(scenario, replications=2, seed=1)
    tiers = [(t.queue, t.tier, t.fired_in) for t in report.surge]
    assert tiers == [("heating", 3, 2), ("heating", 2, 2), ("heating", 1, 2)]
    first = [t.first_fired_min for t in report.surge]
    assert all(f is not None for f in first)
    minutes = [f.mean for f in first if f is not None]
    assert 120.0 < minutes[0] < minutes[1] < minutes[2]  # 08:00 is 120 minutes in
    assert report.surge[2].reserve_on_line == 6.0
    assert report.as_dict()["surge"][0]["tier"] == 3
    without = simulate_report(parse_scenario({**SCENARIO, "duration": "4h"}), replications=2)
    assert without.surge == []
