"""Snapshot and restore: a restored center behaves exactly like the original from then on."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from callboard.domain import Agent
from callboard.engine import (
    Accept,
    AddAgent,
    Arrive,
    Center,
    Login,
    OpenHours,
    QueueSpec,
    WideningStep,
)

QUEUES = [
    QueueSpec(
        "sales", min_level=2, widening=(WideningStep(20.0, {"sales": 1}),),
        max_wait_s=90.0, max_wait_action="callback", acw_s=5.0, offer_timeout_s=8.0,
        hours=(OpenHours((0, 1, 2, 3, 4, 5, 6), 0.0, 20 * 3600.0),),
    ),
    QueueSpec("support", max_length=3, full_action="callback", widening=(
        WideningStep(15.0, {"general": 1}), WideningStep(40.0, {"sales": 1}))),
]  # fmt: skip
AGENTS = [
    Agent("a0", skills={"sales": 2}),
    Agent("a1", skills={"sales": 1, "support": 1}),
    Agent("a2", skills={"general": 1}),
    Agent("a3", skills={"support": 2}, capacity={"call": 1}),
]

Command = tuple[str, int, int]
commands = st.lists(
    st.tuples(
        st.sampled_from(
            ["arrive", "arrive", "arrive", "abandon", "accept", "reject", "complete",
             "login", "logout", "not_ready", "ready", "callback", "advance"]
        ),
        st.integers(0, 30),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=60,
)  # fmt: skip


def new_center() -> Center:
    return Center(QUEUES, AGENTS, policy="least_occupancy", score_predictors=("head_of_line",))


def contact_of(center: Center, agent_id: str, ids: list[str], state: str) -> str | None:
    for contact_id in ids:
        contact = center.contact(contact_id)
        if contact is not None and contact.agent_id == agent_id and contact.state == state:
            return contact_id
    return None


def apply(center: Center, step: int, command: Command, ids: list[str]) -> None:
    """Run one command at time 7·step; targets are resolved from the center's state."""
    name, number, index = command
    now = 7.0 * step
    center.advance(now)
    agent_id = AGENTS[index].agent_id
    if name == "arrive":
        contact_id = f"c{step}"
        ids.append(contact_id)
        center.arrive(now, contact_id, QUEUES[number % 2].name, priority=number % 3)
    elif name in ("abandon", "callback") and ids:
        target = ids[number % len(ids)]
        if name == "abandon":
            center.abandon(now, target)
        else:
            center.request_callback(now, target)
    elif name in ("accept", "reject"):
        offered = contact_of(center, agent_id, ids, "offered")
        if offered is not None:
            if name == "accept":
                center.accept(now, agent_id, offered)
            else:
                center.reject(now, agent_id, offered)
    elif name == "complete":
        talking = contact_of(center, agent_id, ids, "connected")
        if talking is not None:
            center.complete(now, agent_id, talking, acw_s=float(number % 4))
    elif name == "login":
        center.login(now, agent_id, ready=number % 2 == 0)
    elif name == "logout":
        center.logout(now, agent_id)
    elif name == "not_ready":
        center.set_not_ready(now, agent_id, "break")
    elif name == "ready":
        center.set_ready(now, agent_id)
    for prompt in center.take_prompts():
        center.request_callback(now, prompt.contact_id)


def outputs(center: Center) -> list[Any]:
    events = [
        (e.type, e.at, e.contact_id, e.agent_id, e.queue, dict(e.data))
        for e in center.take_events()
    ]
    return [events, center.take_offers()]


@settings(max_examples=150, deadline=None)
@given(commands=commands, split=st.integers(0, 60))
def test_restored_center_continues_exactly_like_the_original(
    commands: list[Command], split: int
) -> None:
    split = min(split, len(commands))
    original, copy = new_center(), new_center()
    ids_original: list[str] = []
    ids_copy: list[str] = []
    for step, command in enumerate(commands[:split]):
        apply(original, step, command, ids_original)
        apply(copy, step, command, ids_copy)
    outputs(original)
    outputs(copy)
    snapshot = json.loads(json.dumps(copy.snapshot()))
    restored = Center.restore(snapshot)
    assert restored.snapshot() == snapshot
    for step, command in enumerate(commands[split:], start=split):
        apply(original, step, command, ids_original)
        apply(restored, step, command, ids_copy)
        assert outputs(original) == outputs(restored)
        assert original.next_wakeup() == restored.next_wakeup()
    assert original.snapshot() == restored.snapshot()
    assert original.ewt_accuracy() == restored.ewt_accuracy()


@settings(max_examples=100, deadline=None)
@given(commands=commands)
def test_a_contact_is_never_both_waiting_and_with_an_agent(commands: list[Command]) -> None:
    center = new_center()
    ids: list[str] = []
    for step, command in enumerate(commands):
        apply(center, step, command, ids)
        waiting = {c for q in QUEUES for c in center.waiting(q.name)}
        for contact_id in waiting:
            contact = center.contact(contact_id)
            assert contact is not None and contact.agent_id is None
        for queue in QUEUES:
            line = center.waiting(queue.name)
            assert len(line) == len(set(line))


def test_an_answered_offers_timeout_neither_wakes_the_center_nor_fills_its_snapshot() -> None:
    """A live server wakes at `next_wakeup()` and snapshots every thousand commands: at
    hundreds of answered calls a second, their dead timeouts would do both for nothing."""
    center = Center([QueueSpec("q", offer_timeout_s=30.0)])
    for n in range(3):
        center.apply(0.0, AddAgent(f"a{n}", skills={"q": 1}))
        center.apply(0.0, Login(f"a{n}"))
    for n in range(3):
        center.apply(1.0 + n, Arrive(f"c{n}", "q"))
    assert center.next_wakeup() == 31.0
    assert len(center.snapshot()["timers"]) == 3
    center.apply(5.0, Accept("a0", "c0"))
    center.apply(5.0, Accept("a2", "c2"))
    assert center.next_wakeup() == 32.0  # c1's offer is still ringing
    assert [t[3] for t in center.snapshot()["timers"]] == ["c1"]
    center.apply(6.0, Accept("a1", "c1"))
    assert center.next_wakeup() is None and center.snapshot()["timers"] == []
