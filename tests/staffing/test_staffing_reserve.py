"""Staffing from a forecast quantile, target costs, reserve tiers and who fills them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from callboard.errors import BadInput, BadRecord
from callboard.forecast import DayEffects, DayProfileModel, Forecast
from callboard.queueing import required_agents
from callboard.staffing import (
    Person,
    QueueTimes,
    Surge,
    Targets,
    assign_reserve,
    plan_staff,
    read_people,
    reserve_tiers,
)
from tests.forecast.synthetic import series, weekdays

DAYS = weekdays("2024-01-01", 10)


def forecast() -> Forecast:
    history = series(DAYS, np.ones(len(DAYS)))
    return DayProfileModel()(history, np.array([np.datetime64("2024-03-11")]), DayEffects())


def test_staffing_for_the_ninetieth_percentile_needs_more_than_the_median() -> None:
    times = {"all": QueueTimes(aht=300.0)}
    median = plan_staff([forecast()], times, Targets(sl=0.8), quantile=0.5)
    high = plan_staff([forecast()], times, Targets(sl=0.8), quantile=0.9)
    assert high.total_hours > median.total_hours
    assert median.quantile_hours == 0
    assert high.quantile_hours == pytest.approx(high.total_hours - median.total_hours)
    assert np.all(high.queues[0].agents >= median.queues[0].agents)


def test_agents_match_the_queueing_module_for_the_same_rate() -> None:
    f = forecast()
    plan = plan_staff([f], {"all": QueueTimes(300.0, 200.0)}, Targets(sl=0.8, shrinkage=0.25))
    contacts = f.quantiles(np.array([0.5]))[0]
    expected = required_agents(contacts / 900.0, 300.0, patience=200.0, sl=0.8, shrinkage=0.25)
    assert np.array_equal(plan.queues[0].agents, expected)
    assert plan.rows()[0]["timestamp"] == "2024-03-11T08:00"


def test_target_costs_show_which_target_binds() -> None:
    targets = Targets(sl=0.8, max_abandon=0.02, max_occupancy=0.5)
    plan = plan_staff([forecast()], {"all": QueueTimes(300.0, 200.0)}, targets)
    costs = {c.target: c for c in plan.costs}
    # A 50% occupancy ceiling dominates: dropping it saves hours, dropping the others saves none.
    assert costs["max_occupancy"].marginal_hours > 0
    assert costs["sl"].marginal_hours == 0
    assert costs["max_occupancy"].alone_hours == pytest.approx(plan.total_hours)


def test_abandon_target_without_patience_is_refused() -> None:
    with pytest.raises(BadInput, match="patience"):
        plan_staff([forecast()], {"all": QueueTimes(300.0)}, Targets(max_abandon=0.05))


def test_reserve_tiers_add_up_to_the_peak_gap_after_detection() -> None:
    f = forecast()
    times = QueueTimes(300.0, 200.0)
    planned = plan_staff([f], {"all": times}, Targets(sl=0.8)).queues[0].agents
    need = reserve_tiers(
        f, times, planned, surge=Surge(multiplier=1.5), floor_sl=0.5, detect_after=60
    )
    assert sum(need.tiers.values()) >= 1
    assert sum(need.tiers.values()) <= need.peak_gap
    # Opening 08:00, surge recognised at 09:00, first tier on the line at 09:30.
    assert need.uncovered
    assert all(at.split()[1] < "09:30" for at in need.uncovered)


def test_no_surge_needs_no_reserve() -> None:
    f = forecast()
    times = QueueTimes(300.0)
    planned = plan_staff([f], {"all": times}, Targets(sl=0.8)).queues[0].agents
    need = reserve_tiers(f, times, planned, surge=Surge(multiplier=1.0), floor_sl=0.5)
    assert need.tiers == {30: 0, 60: 0, 120: 0}


def test_fast_tier_gets_people_close_enough_and_keeps_generalists_free() -> None:
    people = [
        Person("ana", frozenset({"all", "billing"}), 20),
        Person("ben", frozenset({"all"}), 25),
        Person("cy", frozenset({"all"}), 90),
        Person("di", frozenset({"all"}), 10, available=False),
    ]
    fills = assign_reserve({"all": {30: 1, 120: 3}}, people)
    assert fills[0].tier == 30 and fills[0].people == ("ben",)
    assert fills[1].people == ("cy", "ana") and fills[1].short == 1


def test_people_file_rejects_negative_travel(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,skills,travel_minutes\nana,all;billing,20\nben,all,-5\n")
    with pytest.raises(BadRecord) as error:
        read_people(path)
    assert (error.value.line, error.value.field) == (3, "travel_minutes")
