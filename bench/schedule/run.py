"""Scheduling benchmark: Callboard's HiGHS MILP against pyworkforce's CP-SAT model.

One week, 96 quarter-hours a day, requirements for 20 queues (Erlang A on a
bank-like daily curve at different volumes). The shared instance is the one
pyworkforce can express: 8-hour and 4-hour shifts starting on the hour, no
breaks, every requirement met, least paid hours. Callboard solves all queues
in one model with a 1% gap (under-staffing priced far above any shift, so it
is met whenever possible); pyworkforce's `MinRequiredResources` solves each
queue in turn. Callboard's richer models are timed as well: an unpaid lunch
placed implicitly, then also two consecutive days off a week (which ties
each queue's days together: solved day by day, then the days-off patterns
are fitted and the overstaffed days re-solved). The gap is the whole plan's,
against the sum of the pieces' bounds. Prints ONE JSON line.

    .venv/bin/python bench/schedule/run.py
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np

from callboard.queueing import required_agents
from callboard.schedule import Schedule, parse_shift_rules, schedule_shifts
from callboard.staffing import Requirements

QUEUES = 20
DAYS = 7
INTERVALS = 96
TIME_LIMIT = 120.0
SHIFTS = [("full", 8), ("part", 4)]


def instance(seed: int = 3) -> Requirements:
    rng = np.random.default_rng(seed)
    hours = np.arange(INTERVALS) / 4
    curve = np.exp(-((hours - 10.5) ** 2) / 8) + 0.7 * np.exp(-((hours - 15) ** 2) / 10) + 0.03
    weekday = np.array([1.25, 1.1, 1.0, 1.0, 0.95, 0.5, 0.3])
    required = np.zeros((QUEUES, DAYS, INTERVALS))
    for q in range(QUEUES):
        daily = rng.uniform(200, 2500)
        contacts = daily * weekday[:, None] * (curve / curve.sum())[None, :]
        rate = rng.gamma(50, 1 / 50, contacts.shape) * contacts / 900.0
        required[q] = required_agents(rate, 240.0, patience=180.0, sl=0.8, threshold=20.0)
    days = np.datetime64("2024-03-11") + np.arange(DAYS).astype("timedelta64[D]")
    return Requirements(tuple(f"q{q:02d}" for q in range(QUEUES)), days, 0, 15, required)


def shared_rules() -> Any:
    templates = [
        {
            "name": name,
            "earliest_start": "00:00",
            "latest_start": f"{24 - hours:02d}:00",
            "every": "1h",
            "length": f"{hours}h",
        }
        for name, hours in SHIFTS
    ]
    return parse_shift_rules(
        {
            "interval": "15m",
            "time_limit": TIME_LIMIT,
            "gap": 0.01,
            "template": templates,
            "penalty": {"under": 1000.0, "over": 0.0},
        }
    )


def full_rules(*, days_off: bool) -> Any:
    lunch = [{"length": "30m", "earliest": "3h", "latest": "5h30m", "paid": False}]
    templates = [
        {
            "name": "full",
            "earliest_start": "00:00",
            "latest_start": "15:30",
            "every": "30m",
            "length": "8h30m",
            "break": lunch,
        },
        {
            "name": "part",
            "earliest_start": "00:00",
            "latest_start": "20:00",
            "every": "1h",
            "length": "4h",
        },
    ]
    rules = {"interval": "15m", "time_limit": TIME_LIMIT, "gap": 0.01, "template": templates}
    if days_off:
        rules["days_off"] = {"per_week": 2, "consecutive": True}
    return parse_shift_rules(rules)


def run_pyworkforce(requirements: Requirements) -> dict[str, Any]:
    from pyworkforce.scheduling import MinRequiredResources

    coverage: dict[str, list[int]] = {}
    cost: dict[str, int] = {}
    for name, hours in SHIFTS:
        for start in range(0, 25 - hours):
            cover = [0] * INTERVALS
            cover[start * 4 : (start + hours) * 4] = [1] * (hours * 4)
            coverage[f"{name}_{start:02d}"] = cover
            cost[f"{name}_{start:02d}"] = hours
    began = time.perf_counter()
    paid = 0.0
    statuses = set()
    for q in range(QUEUES):
        solver = MinRequiredResources(
            num_days=DAYS,
            periods=INTERVALS,
            shifts_coverage=coverage,
            required_resources=requirements.required[q].astype(int).tolist(),
            max_period_concurrency=10_000,
            max_shift_concurrency=10_000,
            cost_dict=cost,
            max_search_time=TIME_LIMIT,
            num_search_workers=2,
        )
        solution = solver.solve()
        statuses.add(solution["status"])
        paid += float(solution["cost"])
    return {
        "seconds": round(time.perf_counter() - began, 2),
        "paid_hours": paid,
        "status": sorted(statuses),
    }


def _figures(plan: Schedule) -> dict[str, Any]:
    return {
        "seconds": round(plan.solve_seconds, 2),
        "gap": round(plan.gap, 5),
        "status": plan.status,
        "paid_hours": plan.cost,
        "short_intervals": len(plan.under_staffed()),
    }


def main() -> None:
    requirements = instance()
    shared = schedule_shifts(requirements, shared_rules())
    breaks = schedule_shifts(requirements, full_rules(days_off=False))
    weekly = schedule_shifts(requirements, full_rules(days_off=True))
    theirs = run_pyworkforce(requirements)
    report = {
        "bench": "schedule",
        "queues": QUEUES,
        "days": DAYS,
        "intervals_per_day": INTERVALS,
        "required_agent_hours": float(requirements.required.sum() / 4),
        "callboard_highs": _figures(shared),
        "pyworkforce_cpsat": theirs,
        "callboard_highs_breaks": _figures(breaks),
        "callboard_highs_breaks_days_off": _figures(weekly),
    }
    print(
        f"# HiGHS {shared.solve_seconds:.1f} s gap {shared.gap:.2%}, {shared.cost:.0f} paid h; "
        f"CP-SAT {theirs['seconds']} s, {theirs['paid_hours']:.0f} paid h"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
