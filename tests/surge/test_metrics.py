"""Live metrics against hand-built event sequences."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callboard.domain import Event, EventType
from callboard.domain.agent import Agent
from callboard.engine import Center, QueueSpec
from callboard.queueing import abandoned_within, erlang_a, erlang_c
from callboard.surge.metrics import LiveMetrics
from callboard.surge.serving import Eligibility

E = EventType


def ev(kind: EventType, at: float, contact: str | None = None, **data: Any) -> Event:
    return Event(kind, at, contact, None, "q", data)


def agent(at: float, agent_id: str, to: str, reason: str | None = None) -> Event:
    data = {"from": "x", "to": to, "reason": reason}
    return Event(E.AGENT_STATE_CHANGED, at, None, agent_id, None, data)


def answered_after(contact: str, at: float, wait: float) -> list[Event]:
    return [
        ev(E.CONTACT_ARRIVED, at, contact),
        ev(E.CONTACT_QUEUED, at, contact),
        ev(E.CONTACT_ANSWERED, at + wait, contact, wait_s=wait),
    ]


def test_arrivals_count_the_last_ten_minutes_and_drop_one_exactly_ten_minutes_old() -> None:
    metrics = LiveMetrics()
    metrics.observe([ev(E.CONTACT_ARRIVED, t, f"c{t}") for t in (0.0, 100.0, 599.0)])
    assert metrics.figures(599.0)["arrivals_10m"] == 3
    assert metrics.figures(600.0)["arrivals_10m"] == 2
    assert metrics.figures(700.0)["arrivals_10m"] == 1
    assert metrics.figures(1198.5)["arrivals_10m"] == 1
    assert metrics.figures(1199.0)["arrivals_10m"] == 0


def test_sl_counts_a_contact_in_the_window_where_it_entered_the_queue() -> None:
    metrics = LiveMetrics({"q": 20.0})
    metrics.observe(answered_after("early", 0.0, 10.0))  # within T, entered at 0
    metrics.observe(answered_after("late", 100.0, 30.0))  # missed T, entered at 100
    figures = metrics.figures(200.0, "q")
    assert figures["sl_15m"] == pytest.approx(0.5)
    # At 900 s the contact that entered at 0 has left the 15-minute window,
    # although it was answered at 10 s; the one entered at 100 s is still in.
    assert metrics.figures(900.0, "q")["sl_15m"] == 0.0
    assert metrics.figures(900.0, "q")["sl_30m"] == pytest.approx(0.5)
    assert metrics.figures(1000.0, "q")["sl_15m"] is None
    assert metrics.figures(3600.0, "q")["sl_60m"] == 0.0
    assert metrics.figures(3700.0, "q")["sl_60m"] is None


def test_short_abandons_leave_the_sl_denominator_but_count_in_the_abandon_rate() -> None:
    metrics = LiveMetrics({"q": 20.0}, short_abandon_s=5.0)
    metrics.observe(
        [
            ev(E.CONTACT_QUEUED, 0.0, "a"),
            ev(E.CONTACT_QUEUED, 1.0, "short"),
            ev(E.CONTACT_ABANDONED, 4.0, "short", wait_s=3.0),
            ev(E.CONTACT_ANSWERED, 5.0, "a", wait_s=5.0),
            ev(E.CONTACT_QUEUED, 7.0, "long"),
            ev(E.CONTACT_ABANDONED, 47.0, "long", wait_s=40.0),
            ev(E.CONTACT_QUEUED, 50.0, "exit"),
            ev(E.CONTACT_EXITED, 55.0, "exit", wait_s=5.0, reason="timeout"),
        ]
    )
    figures = metrics.figures(60.0)
    # O = 4 (answered, two abandons, one exit), Ab_s = 1: sl = 1 / (4 - 1).
    assert figures["sl_15m"] == pytest.approx(1 / 3)
    assert figures["abandon_rate_15m"] == pytest.approx(2 / 4)


def test_a_caller_unanswered_past_the_threshold_counts_as_a_miss_before_finishing() -> None:
    metrics = LiveMetrics({"q": 20.0})
    metrics.observe(answered_after("a", 0.0, 1.0))
    metrics.observe([ev(E.CONTACT_QUEUED, 10.0, "stuck")])
    assert metrics.figures(30.0)["sl_15m"] == 1.0  # waited exactly 20 s: not yet a miss
    assert metrics.figures(30.5)["sl_15m"] == pytest.approx(0.5)
    # When it is finally answered it stays one miss, not two.
    metrics.observe([ev(E.CONTACT_ANSWERED, 100.0, "stuck", wait_s=90.0)])
    assert metrics.figures(100.0)["sl_15m"] == pytest.approx(0.5)
    assert metrics.figures(100.0)["abandon_rate_15m"] == 0.0


def test_waiting_and_oldest_wait_follow_the_line_and_skip_callbacks() -> None:
    metrics = LiveMetrics()
    metrics.observe(
        [
            ev(E.CONTACT_QUEUED, 0.0, "a"),
            ev(E.CONTACT_QUEUED, 10.0, "b"),
            ev(E.CONTACT_QUEUED, 20.0, "c"),
        ]
    )
    assert metrics.figures(30.0)["waiting"] == 3
    assert metrics.figures(30.0)["oldest_wait"] == 30.0
    metrics.observe([ev(E.CALLBACK_REQUESTED, 40.0, "a"), ev(E.CONTACT_OFFERED, 41.0, "b")])
    figures = metrics.figures(50.0)
    assert figures["waiting"] == 2  # a ringing caller still waits
    assert figures["oldest_wait"] == 40.0
    metrics.observe([ev(E.CONTACT_ANSWERED, 60.0, "b", wait_s=50.0)])
    assert metrics.figures(70.0)["oldest_wait"] == 50.0
    assert metrics.figures(70.0)["waiting"] == 1


def test_agents_by_state_and_reason() -> None:
    metrics = LiveMetrics()
    metrics.observe(
        [
            agent(0.0, "a1", "ready"),
            agent(0.0, "a2", "not_ready", "outbound"),
            agent(0.0, "a3", "not_ready", "training"),
            agent(0.0, "a4", "busy"),
            agent(1.0, "a1", "reserved"),
            agent(2.0, "a5", "wrap_up"),
            agent(3.0, "a6", "not_ready", "callback_work"),
            agent(4.0, "a3", "logged_out"),
        ]
    )
    figures = metrics.figures(5.0)
    assert figures["agents_ready"] == 0
    assert figures["agents_busy"] == 2
    assert figures["agents_wrap_up"] == 1
    assert figures["agents_not_ready"] == 2
    assert figures["agents_outbound"] == 1
    assert figures["agents_not_ready_training"] == 0
    assert figures["agents_not_ready_callback_work"] == 1


def test_queues_are_reported_apart_and_summed_overall() -> None:
    metrics = LiveMetrics({"q": 20.0, "r": 60.0})
    metrics.observe(
        [
            ev(E.CONTACT_QUEUED, 0.0, "a"),
            Event(E.CONTACT_QUEUED, 1.0, "b", None, "r", {}),
            ev(E.CONTACT_ANSWERED, 30.0, "a", wait_s=30.0),
            Event(E.CONTACT_ANSWERED, 31.0, "b", None, "r", {"wait_s": 30.0}),
        ]
    )
    assert metrics.figures(40.0, "q")["sl_15m"] == 0.0
    assert metrics.figures(40.0, "r")["sl_15m"] == 1.0  # r's own T is 60 s
    assert metrics.figures(40.0)["sl_15m"] == pytest.approx(0.5)
    assert metrics.queues() == ["q", "r"]


def test_events_must_come_in_time_order() -> None:
    metrics = LiveMetrics()
    metrics.observe([ev(E.CONTACT_ARRIVED, 100.0, "a")])
    with pytest.raises(ValueError, match="time order"):
        metrics.observe([ev(E.CONTACT_ARRIVED, 50.0, "b")])


def test_asking_for_figures_does_not_hold_back_later_events() -> None:
    metrics = LiveMetrics()
    metrics.figures(100.0)
    metrics.observe([ev(E.CONTACT_ARRIVED, 99.5, "a")])
    assert metrics.figures(100.0)["arrivals_10m"] == 1.0


def test_figures_match_the_engine_events_of_a_small_day() -> None:
    center = Center([QueueSpec("q")], [Agent("a1", skills={"q": 1})], start=0.0)
    center.login(0.0, "a1")
    center.arrive(10.0, "c1", "q")  # routed at once: offered, no queued event
    center.accept(12.0, "a1", "c1")
    center.arrive(20.0, "c2", "q")
    center.arrive(30.0, "c3", "q")
    center.abandon(33.0, "c3")  # short abandon
    center.complete(100.0, "a1", "c1")
    center.accept(100.0, "a1", "c2")  # waited 80 s
    metrics = LiveMetrics({"q": 20.0})
    metrics.observe(center.take_events())
    figures = metrics.figures(100.0, "q", Eligibility.of(center).counts(center))
    assert figures["arrivals_10m"] == 3
    assert figures["sl_15m"] == pytest.approx(1 / 2)
    assert figures["abandon_rate_15m"] == pytest.approx(1 / 3)
    assert figures["waiting"] == 0
    assert figures["agents_busy"] == 1


def test_priming_from_a_running_center_picks_up_agents_and_the_line() -> None:
    # No offer timeout: c1 rings at a1 all along.
    spec = QueueSpec("q", offer_timeout_s=None)
    center = Center([spec], [Agent("a1", skills={"q": 1}), Agent("a2")], start=0.0)
    center.login(0.0, "a1")
    center.login(0.0, "a2")
    center.set_not_ready(0.0, "a2", "outbound")
    center.arrive(10.0, "c1", "q")  # offered to a1, ringing
    center.arrive(20.0, "c2", "q")
    center.arrive(30.0, "c3", "q")
    center.request_callback(40.0, "c3")
    center.advance(50.0)
    center.take_events()  # what happened before the metrics started
    metrics = LiveMetrics({"q": 20.0})
    metrics.prime(center)
    figures = metrics.figures(50.0, "q", Eligibility.of(center).counts(center))
    assert figures["waiting"] == 2
    assert figures["oldest_wait"] == 40.0
    assert figures["agents_busy"] == 1
    assert figures["agents_outbound"] == 0  # a2 has no skill for q
    overall = metrics.figures(50.0)  # the whole center, from the primed states
    assert overall["agents_busy"] == 1 and overall["agents_outbound"] == 1
    assert figures["sl_15m"] == 0.0  # all three are past T and unanswered
    center.accept(60.0, "a1", "c1")
    metrics.observe(center.take_events())
    assert metrics.figures(60.0, "q")["waiting"] == 1
    with pytest.raises(ValueError, match="before it observes"):
        metrics.prime(center)


contact_lists = st.lists(
    st.tuples(
        st.floats(0.0, 300.0),  # gap since the previous contact entered
        st.sampled_from(["answered", "abandoned", "exited"]),
        st.floats(0.0, 200.0),  # wait
    ),
    max_size=40,
)


@given(contacts=contact_lists, query_gaps=st.lists(st.floats(0.0, 2000.0), min_size=1, max_size=6))
@settings(max_examples=150, deadline=None)
def test_rolling_sl_equals_recounting_every_contact_from_scratch(
    contacts: list[tuple[float, str, float]], query_gaps: list[float]
) -> None:
    threshold, short = 20.0, 5.0
    entered, at = [], 0.0
    for gap, outcome, wait in contacts:
        at += gap
        entered.append((at, outcome, wait))
    events = [ev(E.CONTACT_QUEUED, e, f"c{i}") for i, (e, _, _) in enumerate(entered)]
    kinds = {"answered": E.CONTACT_ANSWERED, "abandoned": E.CONTACT_ABANDONED,
             "exited": E.CONTACT_EXITED}  # fmt: skip
    events += [
        ev(kinds[outcome], e + wait, f"c{i}", wait_s=wait)
        for i, (e, outcome, wait) in enumerate(entered)
    ]
    events.sort(key=lambda event: (event.at, event.type is not E.CONTACT_QUEUED))
    metrics = LiveMetrics({"q": threshold}, short_abandon_s=short)
    now, fed = 0.0, 0
    for gap in query_gaps:
        now += gap
        upto = fed
        while upto < len(events) and events[upto].at <= now:
            upto += 1
        metrics.observe(events[fed:upto])
        fed = upto
        for minutes in (15, 30, 60):
            edge = now - 60.0 * minutes
            hits = offered = shorts = overdue = abandons = 0
            for e, outcome, wait in entered:
                if not edge < e <= now:
                    continue
                if e + wait <= now:
                    offered += 1
                    hits += outcome == "answered" and wait <= threshold
                    abandons += outcome == "abandoned"
                    shorts += outcome == "abandoned" and wait < short
                elif now - e > max(threshold, short):
                    overdue += 1
            figures = metrics.figures(now, "q")
            denominator = offered - shorts + overdue
            expected = hits / denominator if denominator else None
            assert figures[f"sl_{minutes}m"] == (
                pytest.approx(expected) if expected is not None else None
            )
            rate = abandons / offered if offered else None
            assert figures[f"abandon_rate_{minutes}m"] == (
                pytest.approx(rate) if rate is not None else None
            )


def test_the_projected_sl_adds_erlang_a_for_the_rest_of_the_interval_to_its_answers_so_far() -> (
    None
):
    start = 1_800_000.0  # a whole half hour
    metrics = LiveMetrics({"q": 20.0}, aht_hint_s={"q": 200.0})
    events = [
        *answered_after("before", start - 100, 105.0),  # the interval before
        *answered_after("a", start, 10.0),  # in time
        ev(E.CONTACT_COMPLETED, start + 130, "a", talk_s=120.0, acw_s=0.0),
        ev(E.CONTACT_ARRIVED, start + 60, "b"), ev(E.CONTACT_QUEUED, start + 60, "b"),
        ev(E.CONTACT_ABANDONED, start + 100, "b", wait_s=40.0),
        ev(E.CONTACT_ARRIVED, start + 200, "c"), ev(E.CONTACT_QUEUED, start + 200, "c"),
        ev(E.CONTACT_ARRIVED, start + 290, "d"), ev(E.CONTACT_QUEUED, start + 290, "d"),
    ]  # fmt: skip
    metrics.observe(sorted(events, key=lambda e: e.at))
    now = start + 300
    assert "projected_sl" not in metrics.figures(now, "q")
    # So far: a in time, of a, b and c (overdue); d is open. 5 arrivals in 10 minutes,
    # 1500 s left; AHT 120 s from a; patience 155 s waited over 1 abandon.
    rate, coming = 5 / 600, 1 + 5 / 600 * 1500
    in_time = float(erlang_a(rate, 120, 155, 2, 20).answered_within)
    kept = 1 - float(abandoned_within(rate, 120, 155, 2, 5))
    projected = metrics.figures(now, "q", {"q": {"ready": 1, "busy": 1, "not_ready:lunch": 3}})[
        "projected_sl"
    ]
    assert projected == pytest.approx((1 + coming * in_time) / (3 + coming * kept))
    # Nobody working: nobody more is answered; callers still leave at their patience.
    unstaffed = metrics.figures(now, "q", {})["projected_sl"]
    assert unstaffed == pytest.approx(1 / (3 + coming * math.exp(-5 / 155)))
    # The next interval starts empty; with no arrivals lately there is nothing to project.
    two = {"q": {"wrap_up": 1, "reserved": 1}}
    assert metrics.figures(start + 1800, "q", two)["projected_sl"] is None
    assert metrics.figures(start + 1800, None, two)["projected_sl"] is None


def test_the_projected_sl_without_abandons_uses_erlang_c() -> None:
    metrics = LiveMetrics({"q": 20.0}, aht_hint_s={"q": 180.0})
    metrics.observe(answered_after("a", 0.0, 0.0))
    projected = metrics.figures(0.0, "q", {"q": {"ready": 1}})["projected_sl"]
    rate, coming = 1 / 600, 1800 / 600
    expected = (1 + coming * float(erlang_c(rate, 180, 1, 20).service_level)) / (1 + coming)
    assert projected == pytest.approx(expected)
