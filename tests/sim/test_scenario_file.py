"""Scenario files: the examples load, and each kind of mistake names file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from callboard.errors import BadConfig
from callboard.sim.distributions import Exponential, Lognormal
from callboard.sim.scenario_file import load_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"

GOOD = """
name: small
timezone: Europe/Berlin
duration: 2h
queues:
  heating:
    arrivals: {rate_per_hour: 60}
    service: {dist: lognormal, mean: 5m, sd: 3m}
    patience: 120
    redial: {probability: 0.4, delay: 10m}
agents:
  - {name: team, count: 3, skills: {heating: 1}}
events:
  - {at: "00:30", queue: heating, volume: 2, for: 1h}
"""


SCENARIOS = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".toml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_example_scenario_loads(path: Path) -> None:
    assert len(SCENARIOS) >= 3
    scenario = load_scenario(path)
    assert scenario.queues and scenario.agents


def test_a_good_file_becomes_the_scenario_it_describes(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(GOOD)
    scenario = load_scenario(path)
    (queue,) = scenario.queues
    assert queue.callers.service == Lognormal(300.0, 180.0)
    assert queue.callers.patience == Exponential(120.0)
    assert queue.callers.redial_p == 0.4
    assert queue.callers.redial_delay == Exponential(600.0)
    assert queue.arrivals.per_interval == (30.0,) * 48
    assert queue.spec.patience_hint_s == 120.0
    (event,) = scenario.events
    assert (event.at_s, event.duration_s, event.volume) == (1800.0, 3600.0, 2.0)


def test_toml_works_too(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(
        "[queues.q]\narrivals = { rate_per_hour = 10 }\nservice = 300\n"
        '[[agents]]\nname = "a"\ncount = 1\nskills = { q = 1 }\n'
    )
    assert load_scenario(path).queues[0].spec.name == "q"


def scenario(
    *,
    top: str = "",
    arrivals: str = "{rate_per_hour: 1}",
    service: str = "300",
    queue: str = "",
    agent: str = "{name: t, count: 1, skills: {q: 1}}",
    tail: str = "",
) -> str:
    """A small valid YAML scenario with one part replaced or added."""
    return (
        f"{top}queues:\n  q:\n    arrivals: {arrivals}\n    service: {service}\n{queue}"
        f"agents: [{agent}]\n{tail}"
    )


BAD = [
    (scenario(queue="    patiance: 60\n"), "queues.q.patiance", "unknown key"),
    (scenario(service="{dist: gamma, mean: 3}"), "queues.q.service.dist", "must be one of"),
    (scenario(service="{dist: lognormal, mean: 300}"), "queues.q.service.sd", "is required"),
    (scenario(arrivals="{rate_per_hour: -5}"), "queues.q.arrivals.rate_per_hour",
     "must be a finite number >= 0"),
    (scenario(arrivals="{per_interval: [1, 2, 3]}"), "queues.q.arrivals.per_interval",
     "needs 48 values"),
    (scenario(top="duration: forever\n"), "duration", "must be a duration"),
    (scenario(top="timezone: Mars/Olympus\n"), "timezone", "unknown time zone"),
    (scenario(agent="{name: t, count: 1, skills: {q: 1}, shift: {start: '18:00', end: '08:00'}}"),
     "agents[0].shift.end", "must be after shift.start"),
    (scenario(agent="{name: t, count: 1, skills: {other: 1}}"), "agents",
     "no agent group has the skill"),
    (scenario(tail="events: [{at: '10:00', queue: nope, volume: 2}]\n"), "events[0].queue",
     "unknown queue 'nope'"),
    (scenario(queue="    widening: [{after: 60, skills: {a: 1}}, {after: 30, skills: {b: 1}}]\n"),
     "queues.q.widening[1].after", "must be later"),
    (scenario(queue="    redial: {probability: 1.5, delay: 60}\n"), "queues.q.redial.probability",
     "probability between 0 and 1"),
    (scenario(agent="{name: t, count: 1, skills: {q: 1}, breaks: [{at: '25:00', duration: 15m}]}"),
     "agents[0].breaks[0].at", "is not a time of day"),
    (scenario(top="routing: random\n"), "routing", "must be one of"),
    ("queues: {}\nagents: []", "queues", "must name at least one queue"),
    ("queues: [oops", "(file)", "not valid YAML"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "key", "problem"), BAD, ids=[b[1] for b in BAD])
def test_bad_file_names_file_key_and_problem(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(BadConfig) as caught:
        load_scenario(path)
    assert caught.value.file == str(path)
    assert caught.value.key == key
    assert problem in caught.value.problem
    assert str(path) in str(caught.value)


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BadConfig, match=r"use a \.toml, \.yaml or \.yml file"):
        load_scenario(tmp_path / "scenario.json")
    with pytest.raises(BadConfig, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")


PLAN = """
name: small plan
mode: automatic
deescalate_after: 10m
queues:
  heating:
    tiers:
      - {tier: 3, trigger: "waiting > 5 for 1m", actions: {ready_reasons: [outbound]}}
"""


def test_a_scenario_names_its_surge_plan_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "small.yaml").write_text(PLAN)
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "small.yaml"
    path.write_text(GOOD + "plan: ../plans/small.yaml\n")
    plan = load_scenario(path).plan
    assert plan is not None and plan.name == "small plan"
    assert [t.number for t in plan.queues[0].tiers] == [3]
    assert load_scenario(EXAMPLES / "heating.yaml").plan is not None


def test_a_plan_may_be_written_inline(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    inline = "\n".join("  " + line for line in PLAN.strip().splitlines())
    path.write_text(GOOD + "plan:\n" + inline + "\n")
    plan = load_scenario(path).plan
    assert plan is not None and plan.mode == "automatic"


@pytest.mark.parametrize(
    ("plan", "file", "key", "problem"),
    [
        ("plan: missing.yaml\n", "small.yaml", "plan", "missing.yaml: cannot read"),
        ("plan: 7\n", "small.yaml", "plan", "give a plan file"),
        ("plan: bad.yaml\n", "bad.yaml", "queues.billing", "unknown queue 'billing'"),
    ],
)
def test_a_bad_plan_names_the_file_and_key(
    tmp_path: Path, plan: str, file: str, key: str, problem: str
) -> None:
    (tmp_path / "bad.yaml").write_text(PLAN.replace("heating:", "billing:"))
    path = tmp_path / "small.yaml"
    path.write_text(GOOD + plan)
    with pytest.raises(BadConfig) as caught:
        load_scenario(path)
    assert caught.value.file == str(tmp_path / file)
    assert caught.value.key == key
    assert problem in caught.value.problem


def test_expected_arrivals_follow_the_profile_and_the_events(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(GOOD)
    scenario = load_scenario(path)
    start = scenario.start
    assert scenario.arrival_rate("heating", start + 600.0) == pytest.approx(60.0 / 3600.0)
    assert scenario.arrival_rate("heating", start + 2400.0) == pytest.approx(120.0 / 3600.0)
    assert scenario.arrival_rate("heating", start + 2400.0, with_events=False) == pytest.approx(
        60.0 / 3600.0
    )
    hour = (start, start + 3600.0)
    assert scenario.expected_arrivals("heating", *hour) == pytest.approx(60.0)
    assert scenario.expected_arrivals("heating", *hour, with_events=True) == pytest.approx(90.0)
    assert scenario.forecast_window("heating", start + 3600.0) == pytest.approx(10.0)
    assert scenario.time_of_day(start + 5400.0) == 5400.0  # start is local midnight


def test_a_misspelt_key_suggests_the_key_meant_and_offer_timeout_reaches_the_queue(
    tmp_path: Path,
) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(scenario(queue="    patiance: 60\n"))
    with pytest.raises(BadConfig, match="did you mean 'patience'"):
        load_scenario(path)
    path.write_text(scenario(queue="    offer_timeout: 20s\n"))
    assert load_scenario(path).queues[0].spec.offer_timeout_s == 20.0
