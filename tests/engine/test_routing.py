"""Routing: which agent gets a new contact, and which contact a freed agent takes."""

from __future__ import annotations

from collections.abc import Sequence

from callboard.domain import Agent
from callboard.engine import POLICIES, Center, QueueSpec, register_policy
from callboard.engine.agents import LiveAgent
from callboard.engine.routing import Pool


def agent(agent_id: str, **skills: int) -> Agent:
    return Agent(agent_id, skills=skills)


def offered_to(center: Center) -> list[tuple[str, str]]:
    return [(o.contact_id, o.agent_id) for o in center.take_offers()]


def sales_center(policy: str, logins: dict[str, tuple[int, float]]) -> Center:
    """One "sales" queue; `logins` maps each agent to (sales level, login time)."""
    agents = [agent(agent_id, sales=level) for agent_id, (level, _) in logins.items()]
    center = Center([QueueSpec("sales")], agents, policy=policy, auto_answer=True)
    for agent_id, (_, at) in sorted(logins.items(), key=lambda item: item[1][1]):
        center.login(at, agent_id)
    return center


def test_longest_idle_agent_gets_the_new_contact() -> None:
    center = sales_center("longest_idle", {"a": (1, 0.0), "b": (1, 5.0)})
    center.arrive(10.0, "c1", "sales")
    assert offered_to(center) == [("c1", "a")]


def test_an_offer_hook_receives_each_offer_as_it_is_made_instead_of_take_offers() -> None:
    received: list[tuple[float, str, str, str, bool]] = []

    def hook(at: float, contact_id: str, agent_id: str, queue: str, callback: bool) -> None:
        received.append((at, contact_id, agent_id, queue, callback))

    center = Center([QueueSpec("sales")], [agent("a", sales=1)], on_offer=hook)
    center.login(0.0, "a")
    center.arrive(10.0, "c1", "sales")
    assert received == [(10.0, "c1", "a", "sales", False)]
    assert center.take_offers() == []
    restored = Center.restore(center.snapshot(), on_offer=hook)
    restored.reject(12.0, "a", "c1")
    restored.set_ready(20.0, "a")
    assert received[-1] == (20.0, "c1", "a", "sales", False)


def test_least_occupancy_spreads_work_to_the_less_busy_agent() -> None:
    center = sales_center("least_occupancy", {"a": (1, 0.0), "b": (1, 0.0)})
    center.arrive(0.0, "c1", "sales")  # a: longest idle on the tie
    center.complete(100.0, "a", "c1")  # a has been busy 100 s, b idle 100 s
    center.take_offers()
    center.arrive(101.0, "c2", "sales")
    assert offered_to(center) == [("c2", "b")]
    center.arrive(102.0, "c3", "sales")
    assert offered_to(center) == [("c3", "a")]


def test_best_skill_prefers_the_higher_level_over_longer_idle() -> None:
    center = sales_center("best_skill", {"novice": (1, 0.0), "expert": (3, 50.0)})
    center.arrive(60.0, "c1", "sales")
    assert offered_to(center) == [("c1", "expert")]


def test_freed_agent_takes_higher_priority_first_then_the_oldest_across_queues() -> None:
    center = Center(
        [QueueSpec("sales"), QueueSpec("support")],
        [agent("a", sales=1, support=1)],
        auto_answer=True,
    )
    center.login(0.0, "a")
    center.arrive(1.0, "busy", "sales")
    center.arrive(2.0, "old-low", "sales")
    center.arrive(3.0, "new-high", "support", priority=5)
    center.arrive(4.0, "older-high", "sales", priority=5)
    center.take_offers()
    center.complete(10.0, "a", "busy")
    assert offered_to(center) == [("new-high", "a")]
    center.complete(20.0, "a", "new-high")
    assert offered_to(center) == [("older-high", "a")]
    center.complete(30.0, "a", "older-high")
    assert offered_to(center) == [("old-low", "a")]


def test_agent_without_the_skill_is_never_offered_the_contact() -> None:
    center = Center([QueueSpec("sales")], [agent("a", support=3)], auto_answer=True)
    center.login(0.0, "a")
    center.arrive(1.0, "c1", "sales")
    assert offered_to(center) == []
    assert center.waiting("sales") == ["c1"]


def test_min_level_keeps_low_level_agents_out() -> None:
    center = Center(
        [QueueSpec("vip", min_level=2)], [agent("low", vip=1), agent("high", vip=2)],
        auto_answer=True,
    )  # fmt: skip
    center.login(0.0, "low")
    center.arrive(1.0, "c1", "vip")
    assert offered_to(center) == []
    center.login(2.0, "high")
    assert offered_to(center) == [("c1", "high")]


def test_chat_agent_holds_up_to_its_capacity_at_once() -> None:
    center = Center(
        [QueueSpec("chat", channel="chat")],
        [Agent("a", skills={"chat": 1}, capacity={"chat": 3})],
        auto_answer=True,
    )
    center.login(0.0, "a")
    for index in range(4):
        center.arrive(float(index), f"c{index}", "chat")
    assert offered_to(center) == [("c0", "a"), ("c1", "a"), ("c2", "a")]
    assert center.waiting("chat") == ["c3"]
    center.complete(10.0, "a", "c1")
    assert offered_to(center) == [("c3", "a")]


def test_an_outside_policy_registers_by_name_like_the_built_in_ones() -> None:
    @register_policy("alphabetical")
    class Alphabetical:
        """Lowest agent id first: an example of a policy written outside the engine."""

        name = "alphabetical"

        def choose(self, now: float, skill: str, pools: Sequence[Pool]) -> LiveAgent | None:
            agents = [agent for pool in pools for agent in pool.values()]
            return min(agents, key=lambda agent: agent.agent_id, default=None)

    try:
        center = Center(
            [QueueSpec("sales")], [agent("zed", sales=1), agent("amy", sales=1)],
            policy="alphabetical", auto_answer=True,
        )  # fmt: skip
        center.login(0.0, "zed")
        center.login(1.0, "amy")
        center.arrive(2.0, "c1", "sales")
        assert offered_to(center) == [("c1", "amy")]
        assert Center.restore(center.snapshot()).snapshot()["policy"] == "alphabetical"
    finally:
        del POLICIES["alphabetical"]
