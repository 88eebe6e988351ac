"""The reserve people a plan calls in: late once, released after the minimum stay, and
rebuilt from the timeline alone."""

from __future__ import annotations

from callboard.engine import Command, Logout
from callboard.surge.plan_file import parse_plan
from callboard.surge.reserve import Reserve
from callboard.surge.runner import PlanRunner

PLAN = parse_plan({
    "name": "p", "mode": "automatic", "late_after": "10m", "min_stay": "1h",
    "reserve": [{"id": f"r{i}", "contact": f"r{i}@example.org", "within": "30m"}
                for i in (1, 2)],
    "queues": {"q": {"tiers": [
        {"tier": 1, "trigger": "waiting > 0", "deescalate_after": "1m",
         "actions": {"call_reserve": {"within": "30m", "count": 2}}}]}},
})  # fmt: skip


def test_late_once_and_released_only_after_the_minimum_stay_on_the_line() -> None:
    runner = PlanRunner(PLAN)
    reserve = Reserve.for_plan(PLAN)
    (call_in,) = runner.update(0.0, {"q": {"waiting": 1.0}})
    reserve.record(call_in, 0.0)
    assert reserve.pending() == [(1800.0, "r1"), (1800.0, "r2")]
    logouts: list[Command] = []

    def state_of(agent_id: str) -> str:
        return "ready" if agent_id == "r1" else "logged_out"

    def follow_up(now: float) -> None:
        reserve.follow_up(now, runner, state_of, logouts.append)

    follow_up(2399.0)
    assert [p["state"] for p in reserve.shown(2399.0)] == ["on_the_way"] * 2
    follow_up(2400.0)
    follow_up(2401.0)
    late = [(e.detail, e.data) for e in runner.timeline if e.kind == "late"]
    assert late == [("r1 late: due 00:30 UTC, not on the line", {"person": "r1"}),
                    ("r2 late: due 00:30 UTC, not on the line", {"person": "r2"})]  # fmt: skip
    assert reserve.arrive("r1", 2450.0, runner) is not None
    assert reserve.arrive("r1", 2460.0, runner) is None  # once
    assert reserve.arrive("nobody", 2460.0, runner) is None
    assert [p["state"] for p in reserve.shown(2450.0)] == ["on_the_line", "late"]

    runner.update(3000.0, {"q": {"waiting": 0.0}})
    (undo,) = runner.update(3060.0, {"q": {"waiting": 0.0}})
    reserve.record(undo, 3060.0)
    r1, r2 = reserve.shown(3060.0)
    assert r1["release_at"] == 2450.0 + 3600.0  # stood down, but an hour on the line first
    assert reserve.pending() == [(1800.0, "r2")]  # still coming
    # ... until an hour past their due time: then r2 is no longer expected.
    assert r2["release_at"] == 1800.0 + 3600.0
    follow_up(5399.0)
    assert reserve.pending() == [(1800.0, "r2")]
    follow_up(5400.0)
    assert reserve.pending() == []
    follow_up(6049.0)
    assert logouts == []
    follow_up(6050.0)
    assert logouts == [Logout("r1")]
    assert [p["state"] for p in reserve.shown(6050.0)] == ["released", "released"]
    released = [e.detail for e in runner.timeline if e.kind == "released"]
    assert released == ["r2 no longer expected: never came",
                        "r1 released after the minimum stay"]  # fmt: skip
    assert reserve.arrive("r1", 6100.0, runner) is None  # released: not called any more

    restored = Reserve.restore(PLAN, runner.timeline)
    assert restored.shown(6100.0) == reserve.shown(6100.0)
    follow_up_again: list[Command] = []
    restored.follow_up(6100.0, runner, state_of, follow_up_again.append)
    assert follow_up_again == []
    assert [e.kind for e in runner.timeline].count("late") == 2
