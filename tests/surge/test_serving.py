"""Per-queue agent figures on a two-queue center, against a hand count.

heating: base skill heating (level 1); after 60 s of waiting, billing agents (billing 1)
may serve it too. billing: billing at level 2. Nobody has both skills, and the back
office has neither.
"""

from __future__ import annotations

from callboard.domain import Agent
from callboard.engine import Center, QueueSpec, WideningStep
from callboard.surge.control import queue_figures
from callboard.surge.metrics import LiveMetrics
from callboard.surge.serving import Eligibility

AGENTS = ("agents_ready", "agents_busy", "agents_wrap_up", "agents_not_ready", "agents_outbound")


def two_queues() -> tuple[Center, LiveMetrics]:
    queues = [
        QueueSpec("heating", widening=(WideningStep(60.0, {"billing": 1}),)),
        QueueSpec("billing", min_level=2),
    ]
    agents = [
        Agent("h1", skills={"heating": 2}),
        Agent("h2", skills={"heating": 1}),
        Agent("b1", skills={"billing": 2}),
        Agent("b2", skills={"billing": 1}),  # below billing's level 2: heating's widening only
        Agent("b3", skills={"billing": 2}),
        Agent("back", skills={"admin": 1}),
        Agent("away", skills={"heating": 2}),  # never logs in
    ]
    center = Center(queues, agents, start=0.0)
    metrics = LiveMetrics()
    metrics.prime(center)
    for agent_id in ("h2", "b1", "b2", "b3", "back"):
        center.login(0.0, agent_id)
    center.set_not_ready(0.0, "b2", "lunch")
    center.set_not_ready(0.0, "b3", "outbound")
    center.arrive(1.0, "c1", "heating")  # to h2, the only heating agent in
    center.accept(2.0, "h2", "c1")
    center.arrive(3.0, "c2", "billing")
    center.accept(4.0, "b1", "c2")
    center.login(5.0, "h1")
    metrics.observe(center.take_events())
    return center, metrics


def agent_figures(center: Center, metrics: LiveMetrics, now: float) -> dict[str, dict[str, float]]:
    counts = Eligibility.of(center).counts(center, now)
    figures = queue_figures(["heating", "billing"], metrics, now, counts)
    return {
        queue: {k: v for k, v in f.items() if k in AGENTS and v} for queue, f in figures.items()
    }


def test_each_queue_counts_only_the_agents_who_can_serve_it_at_their_level() -> None:
    center, metrics = two_queues()
    # heating: h1 ready, h2 busy (b-agents not yet: nobody has waited 60 s; back never).
    # billing: b1 busy, b3 outbound (b2's billing 1 is below the level billing needs).
    assert agent_figures(center, metrics, 10.0) == {
        "heating": {"agents_ready": 1.0, "agents_busy": 1.0},
        "billing": {"agents_busy": 1.0, "agents_not_ready": 1.0, "agents_outbound": 1.0},
    }
    # Over the whole center every logged-in agent counts once, the back office included.
    overall = metrics.figures(10.0)
    assert (overall["agents_ready"], overall["agents_busy"], overall["agents_not_ready"]) == (
        2.0, 2.0, 2.0,
    )  # fmt: skip


def test_a_queue_counts_the_agents_its_waiting_callers_have_widened_to() -> None:
    center, metrics = two_queues()
    center.arrive(10.0, "c3", "heating")  # to h1
    center.accept(11.0, "h1", "c3")
    center.arrive(20.0, "c4", "heating")  # waits: every heating agent is busy
    center.advance(79.0)
    metrics.observe(center.take_events())
    heating = {"agents_busy": 2.0}
    assert agent_figures(center, metrics, 79.0)["heating"] == heating
    # At 60 s of waiting c4 reaches the billing agents, at any billing level, whatever
    # their state; asked at a later clock than the last command, the count follows it.
    widened = {"agents_busy": 3.0, "agents_not_ready": 2.0, "agents_outbound": 1.0}
    assert agent_figures(center, metrics, 80.0)["heating"] == widened
    center.advance(80.0)
    assert agent_figures(center, metrics, 80.0)["heating"] == widened
    assert Eligibility.of(center).counts(center)["heating"] == {
        "busy": 3, "not_ready:lunch": 1, "not_ready:outbound": 1,
    }  # fmt: skip
    assert agent_figures(center, metrics, 80.0)["billing"] == {
        "agents_busy": 1.0, "agents_not_ready": 1.0, "agents_outbound": 1.0,
    }  # fmt: skip
