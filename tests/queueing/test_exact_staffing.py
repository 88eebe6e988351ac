"""required_agents returns the exact threshold: n meets every target and n - 1 misses one."""

from __future__ import annotations

import numpy as np
import pytest

from callboard.errors import BadInput
from callboard.queueing import erlang_a, erlang_c, plan_staffing, required_agents, service_level

RNG = np.random.default_rng(20260)
LOAD = np.concatenate([[0.05, 0.9, 10.0, 99.5], 10 ** RNG.uniform(-1, 3.1, 60)])
AHT = RNG.uniform(60, 600, LOAD.size)
RATE = LOAD / AHT
PATIENCE = RNG.uniform(30, 900, LOAD.size)


def test_erlang_c_staffing_is_exact_for_service_level() -> None:
    n = required_agents(RATE, AHT, sl=0.8, threshold=20.0)
    assert np.all(erlang_c(RATE, AHT, n, 20.0).service_level >= 0.8)
    assert np.all(erlang_c(RATE, AHT, n - 1, 20.0).service_level < 0.8)


def test_erlang_c_staffing_is_exact_for_every_target_together() -> None:
    n = required_agents(RATE, AHT, sl=0.9, threshold=15.0, max_asa=10.0, max_occupancy=0.85)
    meets = lambda agents: (  # noqa: E731
        (erlang_c(RATE, AHT, agents, 15.0).service_level >= 0.9)
        & (erlang_c(RATE, AHT, agents, 15.0).asa <= 10.0)
        & (erlang_c(RATE, AHT, agents, 15.0).occupancy <= 0.85)
    )
    assert np.all(meets(n))
    assert not np.any(meets(n - 1))


def test_erlang_a_staffing_is_exact() -> None:
    n = required_agents(RATE, AHT, patience=PATIENCE, sl=0.8, max_abandon=0.03)
    ok = lambda agents: (  # noqa: E731
        (erlang_a(RATE, AHT, PATIENCE, agents).answered_within >= 0.8)
        & (erlang_a(RATE, AHT, PATIENCE, agents).p_abandon <= 0.03)
    )
    assert np.all(ok(n))
    assert not np.any(ok(n - 1))


@pytest.mark.parametrize("definition", ["sl", "sl_answered", "sl_late_abandons", "sl_met"])
def test_erlang_a_staffing_follows_the_named_service_level(definition: str) -> None:
    n = required_agents(RATE, AHT, patience=PATIENCE, sl=0.8, sl_definition=definition)
    level = lambda agents: service_level(  # noqa: E731
        RATE, AHT, agents, patience=PATIENCE, definition=definition
    )
    assert np.all(level(n) >= 0.8)
    assert np.all(level(np.maximum(n - 1, 0))[n > 0] < 0.8)
    # sl_offered is the strictest variant, so it never needs fewer agents.
    assert np.all(n <= required_agents(RATE, AHT, patience=PATIENCE, sl=0.8))


def test_erlang_a_needs_no_more_agents_than_erlang_c() -> None:
    # Abandons relieve the queue, so the same target is never harder to meet.
    c = required_agents(RATE, AHT, sl=0.8)
    a = required_agents(RATE, AHT, patience=PATIENCE, sl=0.8)
    assert np.all(a <= c)


def test_shrinkage_inflates_and_rounds_up() -> None:
    assert int(required_agents(100 / 1800, 180.0, sl=0.8, shrinkage=0.3)) == 20  # 14 / 0.7
    assert int(required_agents(100 / 1800, 180.0, sl=0.8, shrinkage=0.35)) == 22  # 21.5 -> 22


def test_empty_intervals_need_no_agents_and_shape_is_kept() -> None:
    result = required_agents(np.zeros((2, 3)), 180.0, sl=0.8)
    assert result.shape == (2, 3) and result.dtype == np.int64 and not result.any()


def test_plan_reports_the_kpis_at_the_staffing_by_name() -> None:
    plan = plan_staffing(100 / 1800, 180.0, patience=300.0, sl=0.8, shrinkage=0.3)
    assert plan.model == "erlang_a"
    assert set(plan.kpis) == {"sl_offered", "avg_wait", "abandon_rate", "occupancy"}
    assert int(plan.agents) == 13 and int(plan.scheduled) == 19
    assert float(plan.kpis["sl_offered"]) >= 0.8


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "no staffing target"),
        ({"sl": 1.0}, "sl=1.0"),
        ({"sl": 0.8, "shrinkage": 1.0}, "shrinkage=1.0"),
        ({"max_abandon": 0.05}, "max_abandon needs a patience"),
        ({"max_asa": 0.0}, "max_asa=0.0"),
        ({"sl": 0.8, "patience": 300.0, "sl_definition": "sl_best"}, "sl_best"),
    ],
)
def test_bad_targets_are_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        required_agents(0.05, 180.0, **kwargs)  # type: ignore[arg-type]


def test_a_target_missed_at_the_search_ceiling_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from callboard.errors import InfeasiblePlan
    from callboard.queueing import exact_staffing

    # Shrink the ceiling to the square-root guess so the search gives up at once.
    monkeypatch.setattr(exact_staffing, "_SPARE_SIGMAS", 0.0)
    monkeypatch.setattr(exact_staffing, "_SPARE_FLOOR", 0.0)
    with pytest.raises(InfeasiblePlan, match=r"cell 1: .* miss sl=0\.99"):
        required_agents([0.0, 100 / 1800], 180.0, sl=0.99, threshold=1.0)


def test_a_generous_wait_ceiling_can_need_no_agents() -> None:
    # With Erlang A the mean wait of all arrivals never exceeds the mean patience.
    assert not required_agents([0.01, 1.0], 180.0, patience=100.0, max_asa=100.0).any()
