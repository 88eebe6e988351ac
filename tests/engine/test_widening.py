"""Eligibility widening: after N seconds wider skill sets may serve; the contact keeps its place."""

from __future__ import annotations

from callboard.domain import Agent
from callboard.engine import Center, QueueSpec, WideningStep

BILLING = QueueSpec(
    "billing",
    min_level=3,
    widening=(WideningStep(30.0, {"billing": 1}), WideningStep(60.0, {"general": 1})),
)


def make_center() -> Center:
    agents = [
        Agent("junior", skills={"billing": 1}),
        Agent("generalist", skills={"general": 1}),
    ]
    return Center([BILLING], agents, auto_answer=True)


def test_contact_waits_for_an_expert_until_the_first_step() -> None:
    center = make_center()
    center.login(0.0, "junior")
    center.arrive(0.0, "c1", "billing")
    assert center.take_offers() == []
    assert center.next_wakeup() == 30.0
    center.advance(29.9)
    assert center.take_offers() == []
    center.advance(30.0)
    (offer,) = center.take_offers()
    assert (offer.contact_id, offer.agent_id, offer.at) == ("c1", "junior", 30.0)


def test_second_step_opens_the_queue_to_another_skill() -> None:
    center = make_center()
    center.login(0.0, "generalist")
    center.arrive(0.0, "c1", "billing")
    center.advance(30.0)
    assert center.take_offers() == []
    center.advance(60.0)
    assert [o.agent_id for o in center.take_offers()] == ["generalist"]


def test_widened_contact_keeps_its_place_ahead_of_newer_ones() -> None:
    center = make_center()
    center.arrive(0.0, "old", "billing")
    center.arrive(40.0, "new", "billing")
    # A junior logging in at 45 s may serve only contacts waiting 30 s or more:
    # "old" (45 s) but not "new" (5 s); the older one is first anyway.
    center.login(45.0, "junior")
    assert [o.contact_id for o in center.take_offers()] == ["old"]
    center.complete(50.0, "junior", "old")
    assert center.take_offers() == []  # "new" has waited only 10 s
    center.advance(70.0)
    assert [o.contact_id for o in center.take_offers()] == ["new"]


def test_an_expert_serves_a_new_contact_at_once() -> None:
    center = Center([BILLING], [Agent("expert", skills={"billing": 3})], auto_answer=True)
    center.login(0.0, "expert")
    center.arrive(1.0, "c1", "billing")
    assert [o.agent_id for o in center.take_offers()] == ["expert"]
