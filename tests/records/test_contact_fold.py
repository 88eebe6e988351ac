"""Events folded back into records (the live reports' source) match the records of the
contacts the engine itself finished."""

from __future__ import annotations

import random

from callboard.domain import Agent, Outcome
from callboard.engine import Center, QueueSpec
from callboard.records import ContactFold, to_record


def test_events_fold_into_the_contacts_the_engine_finished() -> None:
    """A random day through the engine: folding its events gives the same records as the
    contacts it finished, callbacks, prompts, timeouts and offers returned included."""
    center = Center(
        [QueueSpec("heating", max_wait_s=240, offer_timeout_s=20, acw_s=15, max_length=4,
                   full_action="callback"),
         QueueSpec("chat", channel="chat", max_wait_s=200, max_wait_action="voicemail",
                   max_length=3)],
        [Agent("a1", skills={"heating": 1}),
         Agent("a2", skills={"heating": 1, "chat": 1}, capacity={"call": 1, "chat": 2}),
         Agent("a3", skills={"chat": 1}, capacity={"chat": 2})],
        keep_finished=True,
    )  # fmt: skip
    rng = random.Random(7)
    for agent in ("a1", "a2", "a3"):
        center.login(0.0, agent)
    now, ids = 0.0, []
    for step in range(3_000):
        now += rng.expovariate(1 / 15)
        center.advance(now)
        for prompt in center.take_prompts():
            choice = rng.choice((center.request_callback, center.leave_voicemail, center.decline))
            choice(now, prompt.contact_id)
        roll = rng.random()
        if roll < 0.4:
            ids.append(f"c{step}")
            center.arrive(now, ids[-1], rng.choice(("heating", "chat")),
                          priority=rng.randint(0, 1), caller=f"+{step}")  # fmt: skip
        elif roll < 0.55 and ids:
            waiting = [c.contact_id for c in center.live_contacts() if c.state != "connected"]
            leave = center.abandon if roll < 0.5 else center.request_callback
            leave(now, rng.choice(waiting or ids))
        for offer in center.take_offers():  # the rest ring until their offer times out
            offered = center.contact(offer.contact_id)
            mine = offered is not None and offered.agent_id == offer.agent_id
            if mine and offered.state == "offered" and rng.random() < 0.9:
                center.accept(now, offer.agent_id, offer.contact_id)
        for live in center.live_contacts():
            if live.state == "connected" and rng.random() < 0.1:
                center.complete(now, str(live.agent_id), live.contact_id)
    finished = {c.contact_id: to_record(c, "live") for c in center.take_finished()}
    fold = ContactFold({"heating": "call", "chat": "chat"}, source="live")
    for event in center.take_events():
        fold.feed(event)
    assert {r.contact_id: r for r in fold.take_ended()} == finished
    talking = fold.talking()
    assert all(r.outcome is Outcome.ANSWERED and r.ended_at is None for r in talking)
    assert {r.contact_id for r in talking} == {
        c.contact_id for c in center.live_contacts() if c.state == "connected"
    }
    outcomes = {r.outcome for r in finished.values()}
    assert outcomes == {Outcome.ANSWERED, Outcome.ABANDONED, Outcome.EXITED, Outcome.BLOCKED}
    assert any(r.callback for r in finished.values()) and len(finished) > 800
