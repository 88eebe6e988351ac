"""Rostering named agents onto scheduled shifts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from callboard.errors import BadRecord
from callboard.schedule import (
    RosterAgent,
    RosterRules,
    Schedule,
    parse_shift_rules,
    read_agents,
    roster_agents,
    schedule_shifts,
)
from callboard.staffing import Requirements

TEMPLATE = {"name": "day", "earliest_start": "08:00", "latest_start": "08:00", "length": "8h"}


def week_plan(days: int, agents_per_day: int = 1) -> Schedule:
    required = np.full((1, days, 8), float(agents_per_day))
    start = np.datetime64("2024-03-04")
    reqs = Requirements(("a",), start + np.arange(days).astype("timedelta64[D]"), 480, 60, required)
    return schedule_shifts(reqs, parse_shift_rules({"template": [TEMPLATE]}))


def test_work_is_spread_and_runs_are_capped() -> None:
    plan = week_plan(7)
    team = [RosterAgent("ana", frozenset({"a"})), RosterAgent("ben", frozenset({"a"}))]
    result = roster_agents(plan, team, RosterRules(max_run_days=3))
    assert len(result.entries) == 7 and result.unfilled == ()
    worked = [e.agent for e in result.entries]
    assert abs(worked.count("ana") - worked.count("ben")) <= 1
    for name in ("ana", "ben"):
        days = sorted(
            date.fromisoformat(e.day).toordinal() for e in result.entries if e.agent == name
        )
        runs = np.split(days, np.flatnonzero(np.diff(days) != 1) + 1)
        assert max(len(r) for r in runs) <= 3


def test_skills_and_unavailability_are_respected_and_gaps_reported() -> None:
    plan = week_plan(2, agents_per_day=2)
    team = [
        RosterAgent("ana", frozenset({"a"}), frozenset({date(2024, 3, 5)})),
        RosterAgent("ben", frozenset({"a"})),
        RosterAgent("cy", frozenset({"other"})),
    ]
    result = roster_agents(plan, team, RosterRules())
    assert {e.agent for e in result.entries} == {"ana", "ben"}
    assert not any(e.agent == "ana" and e.day == "2024-03-05" for e in result.entries)
    assert result.unfilled == (("a", "2024-03-05", "08:00", "16:00"),)


def test_rest_between_shifts_blocks_a_too_early_return() -> None:
    plan = week_plan(2)
    team = [RosterAgent("ana", frozenset({"a"}))]
    rested = roster_agents(plan, team, RosterRules(min_rest_hours=17))
    assert len(rested.entries) == 1 and len(rested.unfilled) == 1
    tired = roster_agents(plan, team, RosterRules(min_rest_hours=16))
    assert len(tired.entries) == 2


def test_agents_file_rejects_a_repeated_name(tmp_path: Path) -> None:
    path = tmp_path / "agents.csv"
    path.write_text("name,skills,unavailable\nana,a,2024-03-05\nana,b,\n")
    with pytest.raises(BadRecord, match="already on line 2") as error:
        read_agents(path)
    assert error.value.line == 3
