"""The plan runner: firing order, hold times, confirmation, stand-down and the timeline."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from callboard.surge.actions import AgentChange, Effect, TimelineEntry
from callboard.surge.plan import Announcement, CallReserve, ReadyReasons
from callboard.surge.plan_file import parse_plan
from callboard.surge.runner import PlanRunner


def plan_data(mode: str = "automatic") -> dict[str, Any]:
    return {
        "name": "test",
        "mode": mode,
        "reserve": [
            {"id": f"r{i}", "contact": f"r{i}@example.org", "within": "30m"} for i in range(3)
        ],
        "queues": {
            "q": {
                "tiers": [
                    {"tier": 3, "trigger": "waiting > 10 for 2m", "deescalate_after": "5m",
                     "actions": {"ready_reasons": ["outbound"], "announcement": "busy"}},
                    {"tier": 2, "trigger": "waiting > 20 for 1m", "deescalate_after": "5m",
                     "actions": {"call_reserve": {"within": "30m", "count": 2}}},
                ]
            }
        },
    }  # fmt: skip


def runner(mode: str = "automatic") -> PlanRunner:
    return PlanRunner(parse_plan(plan_data(mode)))


def waiting(count: float | None) -> dict[str, dict[str, float | None]]:
    return {"q": {"waiting": count}}


def test_a_trigger_must_hold_for_its_duration_before_the_tier_fires() -> None:
    run = runner()
    assert run.update(0.0, waiting(11)) == []
    assert run.update(119.0, waiting(11)) == []
    actions = run.update(120.0, waiting(11))
    assert [type(a.step) for a in actions] == [ReadyReasons, Announcement]
    assert {a.tier for a in actions} == {3}
    assert run.active_tiers("q") == [3]


def test_a_break_in_the_trigger_restarts_its_hold_clock() -> None:
    run = runner()
    run.update(0.0, waiting(11))
    run.update(100.0, waiting(5))
    run.update(110.0, waiting(11))
    assert run.update(229.0, waiting(11)) == []
    assert run.update(230.0, waiting(11)) != []


def test_unknown_figures_never_fire() -> None:
    run = runner()
    run.update(0.0, waiting(None))
    assert run.update(1000.0, waiting(None)) == []
    assert run.update(2000.0, {}) == []


def test_tiers_fire_in_order_and_the_next_hold_starts_when_the_previous_is_active() -> None:
    run = runner()
    run.update(0.0, waiting(30))  # both triggers hold; only tier 3 is armed
    fired = run.update(120.0, waiting(30))
    assert {a.tier for a in fired} == {3}
    assert run.update(179.0, waiting(30)) == []  # tier 2 armed at 120 s, needs 60 s
    second = run.update(180.0, waiting(30))
    assert [a.tier for a in second] == [2]
    (call,) = second
    assert isinstance(call.step, CallReserve)
    assert [(c.person.person_id, c.arrives_at) for c in call.callouts] == [
        ("r0", 180.0 + 1800.0),
        ("r1", 180.0 + 1800.0),
    ]
    assert run.active_tiers("q") == [3, 2]


def test_stand_down_after_the_clear_time_last_tier_first_undoing_recorded_effects() -> None:
    run = runner()
    run.update(0.0, waiting(30))
    tier3 = run.update(120.0, waiting(30))
    effect = Effect("2 agents ready", (AgentChange("a1", "not_ready", "outbound"),))
    run.record_effect(120.0, tier3[0], effect)
    run.update(180.0, waiting(30))
    run.update(200.0, waiting(0))  # both clear from 200 s
    assert run.update(499.0, waiting(0)) == []
    undo2 = run.update(500.0, waiting(0))
    assert [(a.tier, a.undo) for a in undo2] == [(2, True)]
    assert [c.person.person_id for c in undo2[0].callouts] == ["r0", "r1"]
    assert run.active_tiers("q") == [3]
    undo3 = run.update(500.0, waiting(0))
    assert [(a.tier, type(a.step)) for a in undo3] == [(3, Announcement), (3, ReadyReasons)]
    assert undo3[1].reverts == effect
    assert run.active_tiers("q") == []


def test_reserve_people_are_called_once_per_run() -> None:
    run = runner()
    for cycle in range(2):
        base = cycle * 10_000.0
        run.update(base, waiting(30))
        run.update(base + 120.0, waiting(30))
        called = run.update(base + 180.0, waiting(30))
        run.update(base + 200.0, waiting(0))
        run.update(base + 500.0, waiting(0))
        run.update(base + 500.0, waiting(0))
        people = [c.person.person_id for c in called[0].callouts]
        assert people == (["r0", "r1"] if cycle == 0 else ["r2"])


def test_recommend_mode_waits_for_a_named_supervisor() -> None:
    run = runner("recommend")
    run.update(0.0, waiting(11))
    assert run.update(120.0, waiting(11)) == []
    (recommendation,) = run.pending()
    assert (recommendation.tier, recommendation.escalate) == (3, True)
    assert run.update(300.0, waiting(30)) == []  # tier 2 is not armed while 3 is pending
    with pytest.raises(ValueError, match="name the supervisor"):
        run.confirm(310.0, recommendation.recommendation_id, " ")
    actions = run.confirm(310.0, recommendation.recommendation_id, "maria")
    assert {a.tier for a in actions} == {3}
    assert all(a.at == 310.0 for a in actions)
    assert run.pending() == []
    with pytest.raises(ValueError, match="no pending recommendation"):
        run.confirm(311.0, recommendation.recommendation_id, "maria")


def test_a_declined_tier_is_proposed_again_only_after_its_trigger_stops_holding() -> None:
    run = runner("recommend")
    run.update(0.0, waiting(11))
    run.update(120.0, waiting(11))
    (first,) = run.pending()
    run.decline(130.0, first.recommendation_id, "maria")
    assert run.active_tiers("q") == []
    run.update(1000.0, waiting(11))
    assert run.pending() == []
    run.update(1001.0, waiting(0))
    run.update(1002.0, waiting(11))
    run.update(1122.0, waiting(11))
    assert [r.tier for r in run.pending()] == [3]


def test_stand_down_is_recommended_too_and_a_decline_restarts_the_clear_time() -> None:
    run = runner("recommend")
    run.update(0.0, waiting(11))
    run.update(120.0, waiting(11))
    run.confirm(120.0, run.pending()[0].recommendation_id, "maria")
    run.update(130.0, waiting(0))
    run.update(430.0, waiting(0))
    (down,) = run.pending()
    assert not down.escalate
    run.decline(440.0, down.recommendation_id, "omar")
    assert run.active_tiers("q") == [3]
    run.update(739.0, waiting(0))
    assert run.pending() == []
    run.update(740.0, waiting(0))
    (again,) = run.pending()
    undo = run.confirm(750.0, again.recommendation_id, "omar")
    assert all(a.undo for a in undo) and len(undo) == 2
    assert run.active_tiers("q") == []


def test_the_timeline_records_every_trigger_action_confirmation_and_effect() -> None:
    run = runner("recommend")
    run.update(0.0, waiting(11))
    run.update(120.0, waiting(11))
    actions = run.confirm(125.0, run.pending()[0].recommendation_id, "maria")
    run.record_effect(126.0, actions[0], Effect("moved 3 agents to ready"))
    lines = [(e.at, e.kind, e.tier, e.by) for e in run.timeline]
    assert lines == [
        (120.0, "fired", 3, None),
        (120.0, "recommended", 3, None),
        (125.0, "confirmed", 3, "maria"),
        (125.0, "action", 3, None),
        (125.0, "action", 3, None),
        (126.0, "effect", 3, None),
    ]
    assert "waiting > 10 for 2m" in run.timeline[0].detail
    assert run.timeline[-1].action_id == actions[0].action_id
    assert run.timeline[-1].detail == "moved 3 agents to ready"


def stored(run: PlanRunner) -> list[TimelineEntry]:
    """The timeline as a store gives it back: its data through JSON."""
    return [replace(e, data=json.loads(json.dumps(e.data))) for e in run.timeline]


def test_a_restored_runner_keeps_tiers_in_force_their_effects_and_whom_it_called() -> None:
    run = runner()
    tier3 = run.update(0.0, waiting(25)) or run.update(120.0, waiting(25))
    effect = Effect("1 agent to ready", (AgentChange("a1", "not_ready", "outbound"),))
    run.record_effect(120.0, tier3[0], effect)
    run.update(150.0, waiting(25))
    (callout,) = run.update(180.0, waiting(25))
    assert run.active_tiers("q") == [3, 2]

    again = PlanRunner.restore(run.plan, stored(run), last_id=run.last_id)
    assert again.active_tiers("q") == [3, 2] and again.timeline == []
    assert again.in_force() == run.in_force() and again.called() == {"r0", "r1"}
    assert [c.arrives_at for c in again.in_force()[-1].callouts] == [1980.0, 1980.0]
    # Still held: nothing fires twice, and the ids go on after the old ones.
    assert again.update(200.0, waiting(25)) == []
    undo = again.update(300.0, waiting(0)) + again.update(600.0, waiting(0))
    assert [(a.tier, a.undo) for a in undo] == [(2, True)]
    assert undo[0].callouts == callout.callouts and undo[0].action_id > run.last_id
    undo = again.update(900.0, waiting(0))
    assert [a.reverts for a in undo if isinstance(a.step, ReadyReasons)] == [effect]
    assert again.active_tiers("q") == []


def test_a_restored_runner_keeps_pending_recommendations_and_forgets_decided_ones() -> None:
    run = runner("recommend")
    run.update(0.0, waiting(25))
    run.update(120.0, waiting(25))
    (first,) = run.pending()
    run.confirm(125.0, first.recommendation_id, "sue")
    run.update(130.0, waiting(25))
    run.update(190.0, waiting(25))
    (second,) = run.pending()

    again = PlanRunner.restore(run.plan, stored(run), last_id=run.last_id)
    assert again.pending() == [second] and again.active_tiers("q") == [3]
    again.decline(200.0, second.recommendation_id, "sue")
    assert again.pending() == [] and again.active_tiers("q") == [3]
    assert again.update(260.0, waiting(25)) == []  # declined: waits for the trigger to clear


def test_a_restore_skips_what_the_plan_no_longer_has() -> None:
    run = runner()
    run.update(0.0, waiting(25))
    run.update(120.0, waiting(25))
    moved = [replace(e, queue="gone") for e in stored(run)]
    assert PlanRunner.restore(run.plan, moved).active_tiers("q") == []
