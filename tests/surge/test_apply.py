"""Carrying actions out on a real engine, and standing down exactly what was done."""

from __future__ import annotations

from callboard.domain import Agent
from callboard.engine import Center, QueueSpec, SetReady, SetSkills
from callboard.surge.actions import Action, Callout, Effect
from callboard.surge.apply import apply
from callboard.surge.commands import plan_commands
from callboard.surge.plan import (
    AddSupportGroup,
    Announcement,
    CallReserve,
    OfferCallbacks,
    Overflow,
    ReadyReasons,
    ReservePerson,
    Step,
)


def center() -> Center:
    agents = [
        Agent("out1", skills={"heating": 1}),
        Agent("out2", skills={"heating": 1}),
        Agent("train", skills={"heating": 1}),
        Agent("lunch", skills={"heating": 1}),
        Agent("back1", skills={"admin": 1}, group="backoffice"),
        Agent("bill1", skills={"billing": 2}),
    ]
    made = Center([QueueSpec("heating"), QueueSpec("billing")], agents, start=0.0)
    for agent_id, reason in (("out1", "outbound"), ("out2", "outbound"), ("train", "training"),
                             ("lunch", "lunch")):  # fmt: skip
        made.login(0.0, agent_id)
        made.set_not_ready(0.0, agent_id, reason)
    made.login(0.0, "back1")
    made.login(0.0, "bill1")
    return made


def act(
    step: Step,
    *,
    undo: bool = False,
    callouts: tuple[Callout, ...] = (),
    reverts: Effect | None = None,
) -> Action:
    return Action(1, 10.0, "heating", 3, step, undo, callouts, reverts)


def test_ready_reasons_moves_only_the_chosen_reasons_and_undo_restores_them() -> None:
    engine = center()
    step = ReadyReasons(("outbound", "training"))
    effect = apply(engine, 10.0, act(step))
    assert effect.summary == "3 agents from outbound, training to ready"
    assert engine.agent_state("out1") == ("ready", None)
    assert engine.agent_state("lunch") == ("not_ready", "lunch")
    engine.arrive(20.0, "c1", "heating")  # one of them is now on a call
    busy = next(a for a in ("out1", "out2", "train") if engine.agent_state(a)[0] == "reserved")
    restored = apply(engine, 30.0, act(step, undo=True, reverts=effect))
    assert restored.summary == "3 of 3 agents restored"
    idle = [a for a in ("out1", "out2", "train") if a != busy]
    assert {engine.agent_state(a) for a in idle} <= {("not_ready", "outbound"),
                                                     ("not_ready", "training")}  # fmt: skip
    assert engine.agent_state(busy)[0] == "reserved"  # goes not ready after the call


def test_support_group_and_overflow_grant_the_skill_and_undo_takes_it_back() -> None:
    engine = center()
    effect = apply(engine, 10.0, act(AddSupportGroup("backoffice", 1)))
    assert effect.summary == "1 agents of group backoffice now serve heating"
    engine.arrive(11.0, "c1", "heating")
    assert engine.contact("c1") is not None
    assert engine.agent_state("back1")[0] == "reserved"
    overflow = apply(engine, 12.0, act(Overflow("billing", 1)))
    assert [c.agent_id for c in overflow.changes] == ["bill1"]
    engine.arrive(13.0, "c2", "heating")
    assert engine.agent_state("bill1")[0] == "reserved"
    apply(engine, 14.0, act(Overflow("billing", 1), undo=True, reverts=overflow))
    engine.reject(15.0, "bill1", "c2")
    engine.set_ready(15.0, "bill1")
    assert engine.waiting("heating") == ["c2"]  # bill1 no longer serves heating


def test_announcement_and_callbacks_use_the_queue_commands() -> None:
    engine = center()
    apply(engine, 10.0, act(Announcement("storm")))
    assert engine.queue_status("heating")["mode"] == "emergency"
    assert engine.queue_status("heating")["message"] == "storm"
    apply(engine, 11.0, act(Announcement("storm"), undo=True))
    assert engine.queue_status("heating")["message"] is None
    effect = apply(engine, 12.0, act(OfferCallbacks(300.0, "queue_length")))
    assert effect.summary == "callback offered to callers with EWT > 300s: 0 callers asked"


def test_reserve_people_are_registered_and_standing_down_does_not_send_them_home() -> None:
    engine = center()
    person = ReservePerson("r1", "Ana", "+49", 1800.0)
    action = act(CallReserve(1800.0, 1), callouts=(Callout(person, 1810.0),))
    apply(engine, 10.0, action)
    assert engine.agent_state("r1") == ("logged_out", None)
    engine.login(1810.0, "r1")
    engine.arrive(1811.0, "c1", "heating")
    assert engine.agent_state("r1")[0] == "reserved"
    stood_down = apply(engine, 1900.0, act(CallReserve(1800.0, 1), undo=True,
                                           callouts=action.callouts))  # fmt: skip
    # A call-in is a commitment: `surge.Reserve` releases r1 after the minimum stay.
    assert stood_down.summary == "reserve stood down; r1 released after the minimum stay"
    assert engine.agent_state("r1")[0] == "reserved"


def test_planning_commands_reads_the_center_without_changing_it() -> None:
    engine = center()
    before = engine.snapshot()
    commands, effect = plan_commands(engine, act(ReadyReasons(("outbound",))))
    assert engine.snapshot() == before
    assert commands == [SetReady("out1"), SetReady("out2")]
    assert [c.agent_id for c in effect.changes] == ["out1", "out2"]
    grant, _ = plan_commands(engine, act(AddSupportGroup("backoffice", 2)))
    assert grant == [SetSkills("back1", {"admin": 1, "heating": 2})]
