"""Expected-wait predictors and the record of announced versus actual waits."""

from __future__ import annotations

import math

import pytest

from callboard.domain import Agent, EventType
from callboard.engine import Center, QueueSpec
from callboard.engine.ewt import ErlangAPredictor, queue_length
from callboard.engine.queues import LiveQueue
from callboard.queueing import erlang_a


def two_busy_agents(spec: QueueSpec, **options: object) -> Center:
    agents = [Agent("a", skills={"q": 1}), Agent("b", skills={"q": 1})]
    center = Center([spec], agents, auto_answer=True, **options)  # type: ignore[arg-type]
    center.login(0.0, "a")
    center.login(0.0, "b")
    center.arrive(0.0, "x", "q")
    center.arrive(0.0, "y", "q")
    center.take_offers()
    return center


def announced(center: Center, contact_id: str) -> object:
    (event,) = [
        e for e in center.take_events()
        if e.type == EventType.CONTACT_QUEUED and e.contact_id == contact_id
    ]  # fmt: skip
    return event.data["ewt_s"]


def test_queue_length_predictor_sums_departure_times_with_abandonment() -> None:
    center = two_busy_agents(QueueSpec("q", aht_hint_s=100.0, patience_hint_s=200.0))
    center.arrive(1.0, "c1", "q")
    center.arrive(2.0, "c2", "q")
    center.arrive(3.0, "c3", "q")
    # s·μ = 2/100, θ = 1/200: the third in line waits 1/0.02 + 1/0.025 + 1/0.03 s.
    assert announced(center, "c3") == pytest.approx(50.0 + 40.0 + 100.0 / 3.0)


def test_queue_length_far_back_uses_an_integral_within_a_tenth_of_a_percent() -> None:
    live = LiveQueue(QueueSpec("q", aht_hint_s=300.0, patience_hint_s=120.0))
    live.stats.staffed = 50
    exact = sum(1.0 / (50 / 300.0 + i / 120.0) for i in range(1000))
    predicted = queue_length(live, 1000, 0.0)
    assert predicted is not None
    assert predicted == pytest.approx(exact, rel=1e-3)


def test_head_of_line_reports_how_long_the_first_caller_has_waited() -> None:
    center = two_busy_agents(QueueSpec("q", announce="head_of_line"))
    center.arrive(10.0, "c1", "q")
    center.arrive(25.0, "c2", "q")
    assert announced(center, "c2") == 15.0
    assert center.expected_wait("c1") == 15.0


def test_erlang_a_predictor_matches_the_queueing_module() -> None:
    live = LiveQueue(QueueSpec("q", aht_hint_s=342.0, patience_hint_s=180.0))
    live.stats.staffed = 100
    live.stats.arrival_gap_s = 3.6  # 1,000 per hour
    model = erlang_a(1000 / 3600.0, 342.0, 180.0, 100)
    expected = float(model.asa) / float(model.p_wait)
    assert ErlangAPredictor()(live, 1, 0.0) == pytest.approx(expected, rel=1e-6)


def test_no_agent_means_no_prediction() -> None:
    center = Center([QueueSpec("q")])
    center.arrive(0.0, "c1", "q")
    assert announced(center, "c1") is None


def test_each_announcement_is_recorded_beside_the_wait_that_followed() -> None:
    center = two_busy_agents(
        QueueSpec("q", aht_hint_s=100.0),
        score_predictors=("queue_length", "head_of_line", "erlang_a"),
    )
    center.arrive(1.0, "c1", "q")  # announced 50 s
    center.arrive(2.0, "c2", "q")  # announced 100 s
    center.complete(41.0, "a", "x")  # c1 waited 40 s
    center.abandon(50.0, "c2")
    report = center.ewt_accuracy()["q"]
    announced_ql = report["announced:queue_length"]
    assert announced_ql["answered"] == 1
    assert announced_ql["censored"] == 1
    assert announced_ql["bias_s"] == pytest.approx(10.0)
    assert report["head_of_line"]["answered"] == 1
    assert math.isclose(float(report["head_of_line"]["mae_s"] or 0), 40.0)


def test_last_to_enter_reports_the_wait_of_the_latest_answered_caller() -> None:
    center = two_busy_agents(QueueSpec("q", announce="last_to_enter"))
    center.arrive(10.0, "c1", "q")
    center.complete(40.0, "a", "x")  # c1 answered after 30 s
    center.arrive(41.0, "c2", "q")
    assert announced(center, "c2") == 30.0
