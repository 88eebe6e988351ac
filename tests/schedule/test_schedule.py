"""The shift MILP: coverage, implicit breaks, days off, sites, and infeasible rules."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from callboard.errors import BadConfig, InfeasiblePlan
from callboard.schedule import parse_shift_rules, schedule_shifts
from callboard.staffing import Requirements

DAY = {
    "name": "day",
    "earliest_start": "07:00",
    "latest_start": "11:00",
    "every": "60m",
    "length": "4h",
}


def requirements(required: list[list[float]], queues: tuple[str, ...] = ("a",)) -> Requirements:
    array = np.array(required, dtype=np.float64).reshape(len(queues), -1, len(required[0]))
    days = np.datetime64("2024-03-11") + np.arange(array.shape[1]).astype("timedelta64[D]")
    return Requirements(queues, days, 7 * 60, 60, array)


def rules(**extra: Any) -> Any:
    return parse_shift_rules({"template": [DAY], "time_limit": 30} | extra)


def test_exact_cover_when_shifts_fit_the_requirement() -> None:
    plan = schedule_shifts(requirements([[2, 2, 2, 2, 1, 1, 1, 1]]), rules())
    assert plan.staffed[0, 0].tolist() == [2, 2, 2, 2, 1, 1, 1, 1]
    assert plan.under_staffed() == []
    assert plan.cost == pytest.approx(3 * 4.0)
    assert plan.status == "Optimal"


def test_breaks_are_placed_inside_their_window_and_covered() -> None:
    template = DAY | {"break": [{"length": "1h", "earliest": "1h", "latest": "3h"}]}
    plan = schedule_shifts(
        requirements([[1, 2, 3, 3, 2, 1, 1, 1]]), parse_shift_rules({"template": [template]})
    )
    assert plan.under_staffed() == []
    windows = sorted(
        (int(s.start[:2]) + 2, int(s.start[:2]) + 1) for s in plan.shifts for _ in range(s.agents)
    )
    breaks = sorted(int(b.start[:2]) for b in plan.breaks for _ in range(b.agents))
    assert len(breaks) == len(windows)
    for latest, earliest in windows:  # earliest deadline first: every agent gets a break
        fitting = [b for b in breaks if earliest <= b <= latest]
        assert fitting
        breaks.remove(fitting[0])
    # Each agent's break leaves a hole that another shift must fill: 5 shifts for peak 3.
    assert plan.cost == pytest.approx(5 * 3.0)  # unpaid break: 3 paid hours each


def test_under_staffing_is_priced_not_forbidden() -> None:
    expensive = rules(penalty={"under": 0.01, "over": 0.0})
    plan = schedule_shifts(requirements([[1, 1, 1, 1, 1, 1, 1, 1]]), expensive)
    assert plan.shifts == ()
    assert len(plan.under_staffed()) == 8


def test_seat_limit_caps_agents_on_duty() -> None:
    limited = rules(site=[{"name": "north", "queues": ["a"], "seats": 2}])
    plan = schedule_shifts(requirements([[4, 4, 4, 4, 4, 4, 4, 4]]), limited)
    assert plan.staffed.max() <= 2
    assert all(short == 2 for _, _, short in plan.under_staffed())


def test_days_off_rule_ties_days_to_weekly_patterns() -> None:
    week = [[2, 2, 2, 2, 2, 2, 2, 2]] * 7
    plan = schedule_shifts(requirements(week), rules(days_off={"per_week": 2, "consecutive": True}))
    # Everyone works exactly five days, so agent-days are five times the headcount.
    daily = [sum(s.agents for s in plan.shifts if s.day == str(d)) for d in plan.requirements.days]
    assert plan.headcount["a"] * 5 == sum(daily)


def test_interval_no_shift_reaches_is_named() -> None:
    late = requirements([[1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 3]])
    with pytest.raises(InfeasiblePlan, match="no shift template reaches") as error:
        schedule_shifts(late, rules())
    assert "a 2024-03-11 21:00" in str(error.value)


def test_days_off_rule_that_leaves_a_day_empty_is_infeasible() -> None:
    # Only Monday is open, but five days off a week means two working days.
    with pytest.raises(InfeasiblePlan, match="days-off rule") as error:
        schedule_shifts(requirements([[1] * 8]), rules(days_off={"per_week": 5}))
    assert "a 2024-03-11 07:00" in str(error.value)


def test_unknown_queue_in_a_site_is_a_config_error() -> None:
    with pytest.raises(BadConfig, match=r"site\[0\]\.queues"):
        schedule_shifts(
            requirements([[1] * 8]), rules(site=[{"name": "x", "queues": ["zzz"], "seats": 1}])
        )


def test_break_longer_than_its_window_is_rejected() -> None:
    template = DAY | {"break": [{"length": "2h", "earliest": "1h", "latest": "2h"}]}
    with pytest.raises(BadConfig, match=r"template\[0\]\.break\[0\]"):
        parse_shift_rules({"template": [template]})
