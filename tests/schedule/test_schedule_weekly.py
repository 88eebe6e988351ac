"""Days-off weeks solved day by day (two stages) against the week as one exact MILP."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from callboard.forecast import weekday
from callboard.schedule import parse_shift_rules, schedule_shifts
from callboard.schedule.milp import choose_patterns
from callboard.schedule.scheduler import _Piece, _solve_whole
from callboard.schedule.shift_catalogue import shift_catalogue
from callboard.staffing import Requirements

TEMPLATES = [
    {
        "name": "full",
        "earliest_start": "07:00",
        "latest_start": "09:00",
        "length": "6h",
        "break": [{"length": "1h", "earliest": "2h", "latest": "5h"}],
    },
    {"name": "part", "earliest_start": "07:00", "latest_start": "11:00", "length": "4h"},
]


def week(seed: int) -> Requirements:
    rng = np.random.default_rng(seed)
    busy = np.array([4, 4, 4, 4, 4, 3, 3], dtype=np.float64)[:, None]
    required = rng.poisson(busy * np.array([1, 2, 3, 3, 2, 3, 2, 1]))[None].astype(np.float64)
    days = np.datetime64("2024-03-11") + np.arange(7).astype("timedelta64[D]")
    return Requirements(("a",), days, 7 * 60, 60, required)


# Seed 1 keeps the day-by-day plan; the others fall back to the week as one MILP.
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_stage_week_is_within_the_gap_of_the_exact_week(seed: int) -> None:
    rules = parse_shift_rules(
        {"template": TEMPLATES, "days_off": {"per_week": 2, "consecutive": True}, "gap": 0.01}
    )
    requirements = week(seed)
    plan = schedule_shifts(requirements, rules)
    shifts = shift_catalogue(rules, 7 * 60, 60, 8)
    patterns = rules.working_patterns(requirements.open_weekdays)
    exact = _solve_whole(_Piece(requirements, replace(rules, gap=0.0), shifts, patterns), 60.0, 0.0)
    assert exact.status == "Optimal"
    assert plan.bound <= exact.objective + 1e-6  # the day-by-day bound is a true bound
    assert plan.objective <= exact.objective * 1.01 + 1e-6
    daily = [sum(s.agents for s in plan.shifts if s.day == str(d)) for d in requirements.days]
    assert plan.headcount["a"] * 5 == sum(daily)


def test_patterns_cover_each_day_with_the_fewest_agent_days() -> None:
    days = np.datetime64("2024-03-11") + np.arange(7).astype("timedelta64[D]")
    rules = parse_shift_rules(
        {"template": TEMPLATES, "days_off": {"per_week": 2, "consecutive": True}}
    )
    patterns = rules.working_patterns(set(range(7)))
    chosen = choose_patterns(np.array([3, 3, 3, 3, 3, 0, 0]), weekday(days), patterns)
    assert chosen is not None
    assert chosen.sum() == 3
    assert [patterns[p] for p in np.flatnonzero(chosen)] == [frozenset(range(5))]
