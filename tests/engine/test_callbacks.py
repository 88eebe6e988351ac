"""Callbacks keep the caller's place; full queues and long waits prompt the caller."""

from __future__ import annotations

from callboard.domain import Agent, EventType
from callboard.engine import Center, Prompt, QueueSpec


def busy_center(spec: QueueSpec) -> Center:
    center = Center([spec], [Agent("a", skills={spec.name: 1})], auto_answer=True)
    center.login(0.0, "a")
    center.arrive(0.0, "first", spec.name)
    center.take_offers()
    return center


def test_callback_keeps_its_place_and_the_agent_calls_back() -> None:
    center = busy_center(QueueSpec("q"))
    center.arrive(10.0, "early", "q")
    center.arrive(20.0, "late", "q")
    assert center.request_callback(30.0, "early")
    assert center.waiting("q") == ["early", "late"]
    assert not center.abandon(40.0, "early"), "a callback is off the line and cannot hang up"
    center.complete(100.0, "a", "first")
    (offer,) = center.take_offers()
    assert (offer.contact_id, offer.callback) == ("early", True)
    types = [e.type for e in center.take_events() if e.contact_id == "early"]
    assert EventType.CALLBACK_REQUESTED in types
    assert EventType.CALLBACK_CONNECTED in types


def test_full_queue_offers_a_callback_that_joins_the_back_of_the_line() -> None:
    center = busy_center(QueueSpec("q", max_length=1, full_action="callback"))
    center.arrive(1.0, "waiting", "q")
    center.arrive(2.0, "refused", "q")
    assert center.take_prompts() == [Prompt(2.0, "refused", "q", "callback", "full")]
    assert center.waiting("q") == ["waiting"]
    assert center.request_callback(3.0, "refused")
    assert center.waiting("q") == ["waiting", "refused"]


def test_declining_the_full_queue_prompt_blocks_the_contact() -> None:
    center = busy_center(QueueSpec("q", max_length=0, full_action="voicemail"))
    center.arrive(1.0, "refused", "q")
    assert [p.offer for p in center.take_prompts()] == ["voicemail"]
    center.take_events()
    assert center.decline(2.0, "refused")
    (event,) = center.take_events()
    assert (event.type, event.data["reason"]) == (EventType.CONTACT_BLOCKED, "full")


def test_block_action_refuses_without_a_prompt() -> None:
    center = busy_center(QueueSpec("q", max_length=0))
    center.take_events()
    center.arrive(1.0, "refused", "q")
    assert center.take_prompts() == []
    assert [e.type for e in center.take_events()][-1] == EventType.CONTACT_BLOCKED


def test_max_wait_exit_removes_the_caller_as_a_timeout() -> None:
    center = busy_center(QueueSpec("q", max_wait_s=60.0))
    center.arrive(10.0, "c1", "q")
    center.take_events()
    center.advance(70.0)
    (event,) = center.take_events()
    assert (event.type, event.data["reason"], event.at) == (
        EventType.CONTACT_EXITED,
        "timeout",
        70.0,
    )
    assert center.waiting("q") == []


def test_max_wait_prompt_then_voicemail_exits_and_a_decline_keeps_waiting() -> None:
    center = busy_center(QueueSpec("q", max_wait_s=60.0, max_wait_action="voicemail"))
    center.arrive(10.0, "stays", "q")
    center.arrive(11.0, "leaves", "q")
    center.advance(71.0)
    assert [p.contact_id for p in center.take_prompts()] == ["stays", "leaves"]
    assert center.decline(71.0, "stays")
    assert center.leave_voicemail(71.0, "leaves")
    assert center.waiting("q") == ["stays"]


def test_surge_offer_prompts_only_callers_whose_wait_is_long() -> None:
    center = busy_center(QueueSpec("q", aht_hint_s=100.0))
    for index in range(3):
        center.arrive(float(index + 1), f"c{index}", "q")
    # One agent, AHT 100 s, no abandonment: the k-th in line expects 100·k s.
    prompted = center.offer_callbacks(5.0, "q", min_ewt_s=150.0, predictor="queue_length")
    assert prompted == 2
    assert [p.contact_id for p in center.take_prompts()] == ["c1", "c2"]
