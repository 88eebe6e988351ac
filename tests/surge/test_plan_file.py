"""Plan files: the example loads, and each kind of bad plan is refused naming file and key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from callboard.errors import BadConfig
from callboard.surge.plan import (
    AddSupportGroup,
    Announcement,
    CallReserve,
    OfferCallbacks,
    Overflow,
    ReadyReasons,
)
from callboard.surge.plan_file import load_plan, parse_plan

EXAMPLE = Path(__file__).parents[2] / "examples" / "plans" / "heating.yaml"

GOOD: dict[str, Any] = {
    "name": "p",
    "mode": "recommend",
    "deescalate_after": "10m",
    "reserve": [{"id": "r1", "contact": "r1@example.org", "within": "30m"}],
    "queues": {
        "q": {
            "tiers": [
                {"tier": 3, "trigger": "waiting > 5 for 1m",
                 "actions": {"ready_reasons": ["outbound"]}},
                {"tier": 2, "trigger": "sl_30m < 0.6", "deescalate_after": 90,
                 "actions": {"call_reserve": {"within": "30m", "count": 1}}},
            ]
        }
    },
}  # fmt: skip


def bad(change: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    data["queues"]["q"]["tiers"][0].update(change or {})
    data.update(top)
    return data


def refused(data: dict[str, Any], key: str, problem: str, queues: list[str] | None = None) -> None:
    with pytest.raises(BadConfig) as caught:
        parse_plan(data, "plan.yaml", queues)
    assert caught.value.file == "plan.yaml"
    assert caught.value.key == key
    assert problem in caught.value.problem


def test_the_example_plan_loads_with_every_action() -> None:
    plan = load_plan(EXAMPLE, queues=["heating", "billing"])
    assert plan.mode == "automatic"
    (heating,) = plan.queues
    assert [t.number for t in heating.tiers] == [3, 2, 1]
    tier3, tier2, tier1 = heating.tiers
    assert tier3.trigger.hold_s == 120.0
    assert tier3.deescalate_after_s == 1200.0
    assert tier2.deescalate_after_s == 1800.0
    assert isinstance(tier3.steps[0], ReadyReasons)
    assert isinstance(tier3.steps[1], Announcement)
    assert tier2.steps == (AddSupportGroup("backoffice", 1), OfferCallbacks(300.0, "erlang_a"))
    assert tier1.steps == (CallReserve(1800.0, 2), CallReserve(3600.0, 2), Overflow("billing", 1))
    assert [p.within_s for p in plan.reserve] == [1800.0, 1800.0, 3600.0, 3600.0]
    assert plan.reserve[2].skills == {"heating": 2}


def test_the_same_plan_loads_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(
        'name = "p"\nmode = "automatic"\n'
        "[[queues.q.tiers]]\ntier = 1\n"
        'trigger = "waiting > 3 for 30s"\ndeescalate_after = "5m"\n'
        '[queues.q.tiers.actions]\nannouncement = "busy"\n'
    )
    plan = load_plan(path)
    assert plan.queues[0].tiers[0].trigger.hold_s == 30.0
    assert plan.queues[0].tiers[0].steps == (Announcement("busy"),)


def test_a_good_plan_parses() -> None:
    plan = parse_plan(GOOD)
    assert plan.queues[0].tiers[1].deescalate_after_s == 90.0


def test_reserve_grace_and_minimum_stay_default_to_10m_and_2h() -> None:
    plan = parse_plan(GOOD)
    assert (plan.late_after_s, plan.min_stay_s) == (600.0, 7200.0)
    own = parse_plan(bad(late_after="5m", min_stay="1h30m"))
    assert (own.late_after_s, own.min_stay_s) == (300.0, 5400.0)
    example = load_plan(EXAMPLE)
    assert (example.late_after_s, example.min_stay_s) == (600.0, 7200.0)
    refused(bad(late_after="soonish"), "late_after", "'soonish'")
    refused(bad(min_stay="-1h"), "min_stay", "expected a number")


def test_unknown_metric() -> None:
    refused(bad({"trigger": "wating > 5"}), "queues.q.tiers[0].trigger", "unknown metric 'wating'")
    refused(bad({"trigger": "arrivals_10m_last_wek > 5"}), "queues.q.tiers[0].trigger",
            "unknown metric 'arrivals_10m_last_wek'")  # fmt: skip


def test_last_week_and_the_projected_sl_are_metrics_a_trigger_may_name() -> None:
    text = "arrivals_10m > 1.5 * arrivals_10m_last_week or projected_sl < 0.7 for 2m"
    tier = parse_plan(bad({"trigger": text})).queues[0].tiers[0]
    assert tier.trigger.hold_s == 120.0
    assert tier.trigger.holds({"arrivals_10m": 40.0, "arrivals_10m_last_week": 20.0})
    assert not tier.trigger.holds({"arrivals_10m": 40.0, "arrivals_10m_last_week": None})
    assert tier.trigger.holds({"arrivals_10m": 0.0, "arrivals_10m_last_week": 0.0,
                               "projected_sl": 0.5})  # fmt: skip


def test_bad_duration_in_a_trigger_and_in_a_key() -> None:
    refused(bad({"trigger": "waiting > 5 for soon"}), "queues.q.tiers[0].trigger", "'soon'")
    refused(bad({"deescalate_after": "10 minutes"}), "queues.q.tiers[0].deescalate_after", "10 m")
    refused(bad(deescalate_after="-5m"), "deescalate_after", "expected a number")


def test_unknown_action() -> None:
    refused(bad({"actions": {"page_everyone": True}}), "queues.q.tiers[0].actions.page_everyone",
            "unknown key")  # fmt: skip


def test_an_overflow_loop_is_a_cycle() -> None:
    data = bad({"actions": {"overflow": "r"}})
    data["queues"]["r"] = {
        "tiers": [{"tier": 1, "trigger": "waiting > 1", "actions": {"overflow": {"to": "s"}}}]
    }
    data["queues"]["s"] = {"tiers": [
        {"tier": 1, "trigger": "waiting > 1", "actions": {"overflow": {"to": "q"}}}]}  # fmt: skip
    refused(data, "queues.s.tiers[0].actions.overflow.to", "overflow loops back: q -> r -> s -> q")


def test_overflow_to_itself_is_a_cycle() -> None:
    refused(bad({"actions": {"overflow": "q"}}), "queues.q.tiers[0].actions.overflow.to",
            "q -> q")  # fmt: skip


def test_overflow_chain_without_a_loop_is_fine() -> None:
    data = bad({"actions": {"overflow": "r"}})
    data["queues"]["r"] = {"tiers": [
        {"tier": 1, "trigger": "waiting > 1", "actions": {"overflow": {"to": "s"}}}]}  # fmt: skip
    assert parse_plan(data).queues[1].tiers[0].steps == (Overflow("s", 1),)


def test_unknown_queue_when_the_center_is_known() -> None:
    refused(bad({"actions": {"overflow": "nowhere"}}), "queues.q.tiers[0].actions.overflow.to",
            "unknown queue 'nowhere'", queues=["q"])  # fmt: skip
    refused(GOOD, "queues.q", "unknown queue 'q'", queues=["other"])


def test_reserve_tier_must_be_30_60_or_120_minutes() -> None:
    data = bad()
    data["reserve"][0]["within"] = "45m"
    refused(data, "reserve[0].within", "30m, 60m and 120m")


def test_a_call_written_alone_is_named_without_an_index() -> None:
    data = bad()
    del data["queues"]["q"]["tiers"][1]["actions"]["call_reserve"]["count"]
    refused(data, "queues.q.tiers[1].actions.call_reserve.count", "is required")


def test_more_reserve_calls_than_people() -> None:
    data = bad()
    data["queues"]["q"]["tiers"][1]["actions"]["call_reserve"]["count"] = 2
    refused(data, "queues.q.tiers[1].actions.call_reserve", "the roster has 1")


@pytest.mark.parametrize(
    ("data", "key", "problem"),
    [
        (bad(mode="sometimes"), "mode", "automatic or recommend"),
        (bad({"tier": 2}), "queues.q.tiers[1].tier", "appears twice"),
        (bad({"tier": "three"}), "queues.q.tiers[0].tier", "whole number"),
        (bad({"actions": {}}), "queues.q.tiers[0].actions", "at least one action"),
        (
            bad({"actions": {"ready_reasons": []}}),
            "queues.q.tiers[0].actions.ready_reasons",
            "not-ready reasons",
        ),
        (
            bad({"actions": {"offer_callbacks": {"ewt_above": "5m", "predictor": "guess"}}}),
            "queues.q.tiers[0].actions.offer_callbacks.predictor",
            "erlang_a",
        ),
        (bad({"trigger": "waiting + 1"}), "queues.q.tiers[0].trigger", "must be a condition"),
        (bad(queues={}), "queues", "at least one queue"),
        (bad(colour="red"), "colour", "unknown key"),
    ],
)
def test_other_mistakes_name_their_key(data: dict[str, Any], key: str, problem: str) -> None:
    refused(data, key, problem)


def test_missing_tier_clear_time_without_a_default() -> None:
    data = bad()
    del data["deescalate_after"]
    refused(data, "queues.q.tiers[0].deescalate_after", "stay clear")


def test_files_that_are_not_plans(tmp_path: Path) -> None:
    broken = tmp_path / "plan.toml"
    broken.write_text("name = ")
    with pytest.raises(BadConfig, match="not valid TOML"):
        load_plan(broken)
    with pytest.raises(BadConfig, match=r"\.toml, \.yaml or \.yml"):
        load_plan(tmp_path / "plan.json")
