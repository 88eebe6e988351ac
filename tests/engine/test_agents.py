"""The agent state machine: wrap-up, pending breaks, offers that time out, logouts."""

from __future__ import annotations

import pytest

from callboard.domain import Agent, EventType
from callboard.engine import Advance, Arrive, Center, QueueSpec
from callboard.errors import CommandRefused


def states(center: Center, agent_id: str) -> list[tuple[float, str, object]]:
    return [
        (e.at, str(e.data["to"]), e.data["reason"])
        for e in center.take_events()
        if e.type == EventType.AGENT_STATE_CHANGED and e.agent_id == agent_id
    ]


def test_offer_reserves_the_agent_until_accepted_then_wrap_up_ends_on_a_timer() -> None:
    # An offer that rings until answered, so the only timer left is the wrap-up's.
    queue = QueueSpec("q", acw_s=30.0, offer_timeout_s=None)
    center = Center([queue], [Agent("a", skills={"q": 1})])
    center.login(0.0, "a")
    center.arrive(1.0, "c1", "q")
    assert center.agent_state("a") == ("reserved", None)
    center.accept(3.0, "a", "c1")
    center.complete(60.0, "a", "c1")
    assert center.agent_state("a") == ("wrap_up", None)
    assert center.next_wakeup() == center.wakeup_at == 90.0
    center.advance(90.0)
    assert center.next_wakeup() is None
    assert center.wakeup_at == float("inf")
    assert states(center, "a") == [
        (0.0, "ready", None), (1.0, "reserved", None), (3.0, "busy", None),
        (60.0, "wrap_up", None), (90.0, "ready", None),
    ]  # fmt: skip


def test_break_requested_mid_call_starts_when_the_call_ends() -> None:
    center = Center([QueueSpec("q")], [Agent("a", skills={"q": 1})], auto_answer=True)
    center.login(0.0, "a")
    center.arrive(1.0, "c1", "q")
    center.arrive(2.0, "c2", "q")
    center.set_not_ready(5.0, "a", "break")
    assert center.agent_state("a") == ("busy", None)
    center.complete(10.0, "a", "c1")
    assert center.agent_state("a") == ("not_ready", "break")
    assert center.take_offers()[-1].contact_id == "c1", "c2 must wait for the break"
    center.set_ready(20.0, "a")
    assert [o.contact_id for o in center.take_offers()] == ["c2"]


def test_offer_timeout_makes_the_agent_not_ready_and_returns_the_contact_first() -> None:
    center = Center(
        [QueueSpec("q", offer_timeout_s=15.0)],
        [Agent("slow", skills={"q": 1}), Agent("b", skills={"q": 1})],
    )
    center.login(0.0, "slow")
    center.arrive(1.0, "c1", "q")
    center.arrive(2.0, "c2", "q")
    center.take_offers()
    center.advance(16.0)
    assert center.agent_state("slow") == ("not_ready", "other")
    assert center.waiting("q") == ["c1", "c2"]
    center.login(20.0, "b")
    assert [o.contact_id for o in center.take_offers()] == ["c1"]


def test_accepting_in_time_cancels_the_offer_timeout() -> None:
    center = Center([QueueSpec("q", offer_timeout_s=15.0)], [Agent("a", skills={"q": 1})])
    center.login(0.0, "a")
    center.arrive(1.0, "c1", "q")
    center.accept(5.0, "a", "c1")
    center.advance(30.0)
    assert center.agent_state("a") == ("busy", None)


def test_logout_waits_for_the_current_call() -> None:
    center = Center([QueueSpec("q")], [Agent("a", skills={"q": 1})], auto_answer=True)
    center.login(0.0, "a")
    center.arrive(1.0, "c1", "q")
    center.logout(2.0, "a")
    assert center.agent_state("a") == ("busy", None)
    center.complete(9.0, "a", "c1")
    assert center.agent_state("a") == ("logged_out", None)


def test_adding_a_skill_lets_an_idle_agent_take_waiting_work() -> None:
    center = Center(
        [QueueSpec("q")], [Agent("support", skills={"back_office": 1})], auto_answer=True
    )
    center.login(0.0, "support")
    center.arrive(1.0, "c1", "q")
    assert center.take_offers() == []
    center.set_skills(2.0, "support", {"back_office": 1, "q": 1})
    assert [o.agent_id for o in center.take_offers()] == ["support"]


def test_commands_must_come_in_time_order() -> None:
    center = Center([QueueSpec("q")])
    center.apply(10.0, Advance())
    with pytest.raises(CommandRefused, match="backwards"):
        center.apply(5.0, Arrive("c1", "q"))


def test_caller_hanging_up_while_the_agent_rings_frees_the_agent_for_the_next() -> None:
    center = Center([QueueSpec("q")], [Agent("a", skills={"q": 1})])
    center.login(0.0, "a")
    center.arrive(1.0, "c1", "q")
    center.arrive(2.0, "c2", "q")
    assert [o.contact_id for o in center.take_offers()] == ["c1"]
    assert center.abandon(3.0, "c1")
    assert [o.contact_id for o in center.take_offers()] == ["c2"]
    assert center.agent_state("a") == ("reserved", None)
    abandoned = [e for e in center.take_events() if e.type == EventType.CONTACT_ABANDONED]
    assert [(e.contact_id, e.data["wait_s"]) for e in abandoned] == [("c1", 2.0)]


def test_a_returned_offer_goes_ahead_of_callers_who_queued_at_the_same_moment() -> None:
    center = Center([QueueSpec("q", offer_timeout_s=15.0)], [Agent("a", skills={"q": 1})])
    center.login(0.0, "a")
    center.arrive(1.0, "first", "q")
    center.arrive(1.0, "second", "q")
    center.advance(16.0)
    assert center.waiting("q") == ["first", "second"]
    assert center.position("first") == 1


def test_agent_view_shows_skills_the_queues_served_and_the_contacts_held() -> None:
    center = Center(
        [QueueSpec("heating"), QueueSpec("billing")],
        [Agent("a", skills={"heating": 2}, group="backoffice")],
        auto_answer=True,
    )
    center.login(0.0, "a")
    center.arrive(1.0, "c1", "heating")
    assert center.agent_view("a") == {
        "agent_id": "a", "state": "busy", "reason": None, "skills": {"heating": 2},
        "queues": ["heating"], "group": "backoffice", "contacts": ["c1"],
    }  # fmt: skip
    center.set_skills(2.0, "a", {"heating": 2, "billing": 1})
    assert center.agent_view("a")["queues"] == ["billing", "heating"]
