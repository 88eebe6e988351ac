"""The virtual-clock driver: runs a scenario through the real engine, `callboard.engine.Center`.

The driver plays the world around the center: callers arriving, hanging up,
redialling and answering prompts; agents logging in, taking breaks and
finishing calls. It keeps one heap of its own timers and merges it with the
pre-sorted arrival stream and the engine's `next_wakeup()`, always handling
the earliest. Ties go arrivals, then engine timers, then driver timers, which
keeps a run a pure function of the scenario and the seed.

Finished contacts are handed to `sink` in batches, so a run of millions of
arrivals never holds them all.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from callboard.domain import Agent
from callboard.engine import Center, Contact
from callboard.engine.contact import CONNECTED, OFFERED, PROMPTED, WAITING
from callboard.sim.arrivals import DAY_S, arrival_offsets, local_offset
from callboard.sim.distributions import Distribution, Sampler, Uniform
from callboard.sim.scenario import AgentGroup, Callers, Scenario

Sink = Callable[[list[Contact]], None]
_Timer = tuple[float, int, int, str, str, str]

# Driver timer kinds; the heap holds (at, sequence, kind, three strings whose
# meaning depends on the kind): complete (agent, contact, queue), abandon
# (contact, queue), redial (caller, queue), agent (agent, action).
_COMPLETE = 0
_ABANDON = 1
_REDIAL = 2
_AGENT = 3

_INF = float("inf")
# How often (in loop steps) finished contacts go to the sink. Small batches let
# contacts die young, which keeps the garbage collector's older generations
# small: 8192 was about 5% slower on the benchmark.
_FLUSH_EVERY = 1024
# Contacts still in the center this long after the last arrival are left unfinished.
_DRAIN_S = DAY_S


@dataclass(frozen=True, slots=True)
class RunStats:
    """What one run did: `steps` counts handled arrivals and timers (the events/s unit)."""

    arrivals: int
    redials: int
    steps: int
    unfinished: int
    ewt_accuracy: dict[str, dict[str, dict[str, float | int | None]]]


@dataclass(slots=True)
class _QueueWorld:
    service: Sampler
    patience: Sampler | None
    acw: Sampler | None
    redial_p: float
    redial_delay: Sampler | None
    callback_accept: float
    voicemail_accept: float


def build_center(
    scenario: Scenario, *, record_events: bool = False, snapshot: dict[str, Any] | None = None
) -> Center:
    """The engine the scenario describes (or the snapshot holds), plus every scenario
    agent it lacks, registered and logged out."""
    if snapshot is None:
        center = Center(
            [q.spec for q in scenario.queues],
            policy=scenario.policy,
            start=scenario.start,
            auto_answer=True,
            record_events=record_events,
            keep_finished=True,
        )
    else:
        center = Center.restore(
            snapshot, auto_answer=True, record_events=record_events, keep_finished=True
        )
        if center.now > scenario.start:
            raise ValueError(
                f"scenario starts at {scenario.start}, before the snapshot at {center.now}"
            )
        center.advance(scenario.start)
        missing = {q.spec.name for q in scenario.queues} ^ set(center.queue_names())
        if missing:
            raise ValueError(f"scenario and snapshot disagree on queues: {sorted(missing)}")
    known = set(center.agent_ids())
    for group in scenario.agents:
        for index in range(group.count):
            agent = _agent(group, index)
            if agent.agent_id not in known:
                center.add_agent(agent)
    return center


def _adopt(
    center: Center,
    now: float,
    heap: list[_Timer],
    sequence_number: int,
    worlds: dict[str, _QueueWorld],
    coin: Sampler,
    full_actions: Mapping[str, str],
) -> int:
    """Schedule what happens to the contacts a snapshot brought in; returns the sequence."""
    for contact in center.live_contacts():
        world = worlds[contact.queue]
        if contact.state == OFFERED and contact.agent_id is not None:
            center.accept(now, contact.agent_id, contact.contact_id)
        if contact.state == CONNECTED and contact.agent_id is not None:
            sequence_number += 1
            at = now + world.service.next()
            heap.append(
                (
                    at,
                    sequence_number,
                    _COMPLETE,
                    contact.agent_id,
                    contact.contact_id,
                    contact.queue,
                )
            )
        elif contact.state == WAITING and not contact.callback and world.patience is not None:
            sequence_number += 1
            at = now + world.patience.next()
            heap.append((at, sequence_number, _ABANDON, contact.contact_id, contact.queue, ""))
        elif contact.state == PROMPTED:
            offer = full_actions[contact.queue]
            _answer_prompt(center, now, contact.contact_id, offer, world, coin)
    for routed in center.take_offers():
        sequence_number += 1
        at = now + worlds[routed.queue].service.next()
        heap.append(
            (at, sequence_number, _COMPLETE, routed.agent_id, routed.contact_id, routed.queue)
        )
    heapq.heapify(heap)
    return sequence_number


def run(
    scenario: Scenario,
    seed: int | np.random.SeedSequence,
    sink: Sink,
    *,
    on_events: Callable[[Center], None] | None = None,
    snapshot: dict[str, Any] | None = None,
) -> RunStats:
    """Simulate the scenario once; `sink` receives every finished contact.

    `on_events`, when given, runs the engine with events on and is called
    after each step to drain them (the spine for consumers that want it);
    without it the engine skips building events, which is much faster.

    `snapshot` starts from a live center's state instead of an empty one (a
    projection): its contacts and agents carry on, the scenario supplies the
    callers, arrivals and any extra agents, and `scenario.start` must not be
    earlier than the snapshot's time (the engine is advanced to it). Remaining
    service and patience of contacts already in the center are drawn afresh,
    which is exact for exponential times.
    """
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    arrival_seed, world_seed = sequence.spawn(2)
    record = on_events is not None
    center = build_center(scenario, record_events=record, snapshot=snapshot)
    world_rng = np.random.default_rng(world_seed)
    worlds = {q.spec.name: _world(q.callers, world_rng) for q in scenario.queues}
    coin = Sampler(Uniform(), world_rng)
    times, queues, priorities = _arrivals(scenario, np.random.default_rng(arrival_seed))
    heap: list[_Timer] = []
    sequence_number = _schedule_agents(scenario, heap)
    if snapshot is not None:
        full_actions = {q.spec.name: q.spec.full_action for q in scenario.queues}
        sequence_number = _adopt(
            center, scenario.start, heap, sequence_number, worlds, coin, full_actions
        )
    start = scenario.start
    end_of_arrivals = start + scenario.duration_s
    stop = end_of_arrivals + _DRAIN_S
    count = len(times)
    next_index = 0
    next_arrival = times[0] if count else _INF
    redials = 0
    steps = 0
    push = heapq.heappush
    pop = heapq.heappop
    take_offers = center.take_offers
    take_prompts = center.take_prompts
    # Only these settings make the engine prompt callers; without them skip the drain.
    prompting = any(
        q.spec.max_wait_action != "exit" or q.spec.full_action != "block" for q in scenario.queues
    )
    next_wakeup = center.next_wakeup
    service_of = {name: world.service.next for name, world in worlds.items()}
    while True:
        wakeup = next_wakeup()
        engine_at = _INF if wakeup is None else wakeup
        driver_at = heap[0][0] if heap else _INF
        if next_arrival <= engine_at and next_arrival <= driver_at:
            if next_arrival == _INF:
                break
            now = next_arrival
            contact_id = f"c{next_index}"
            queue = queues[next_index]
            contact = center.arrive(
                now, contact_id, queue, priority=priorities[next_index], caller=contact_id
            )
            next_index += 1
            next_arrival = times[next_index] if next_index < count else _INF
            if contact is not None and contact.state == WAITING:
                patience = worlds[queue].patience
                if patience is not None:
                    sequence_number += 1
                    at = now + patience.next()
                    push(heap, (at, sequence_number, _ABANDON, contact_id, queue, ""))
        elif engine_at <= driver_at:
            now = engine_at
            if now > stop:
                break
            center.advance(now)
        else:
            now, _, kind, first, second, third = pop(heap)
            if now > stop:
                break
            if kind == _COMPLETE:
                acw = worlds[third].acw
                center.complete(now, first, second, None if acw is None else acw.next())
            elif kind == _ABANDON:
                world = worlds[second]
                delay = world.redial_delay
                if (
                    center.abandon(now, first)
                    and delay is not None
                    and coin.next() < world.redial_p
                ):
                    sequence_number += 1
                    at = now + delay.next()
                    push(heap, (at, sequence_number, _REDIAL, first, second, ""))
            elif kind == _REDIAL:
                redials += 1
                contact_id = f"{first}r{redials}"
                contact = center.arrive(now, contact_id, second, caller=first)
                patience = worlds[second].patience
                if patience is not None and contact is not None and contact.state == WAITING:
                    sequence_number += 1
                    at = now + patience.next()
                    push(heap, (at, sequence_number, _ABANDON, contact_id, second, ""))
            else:
                _agent_action(center, now, first, second)
        steps += 1
        while True:
            for _, offered_id, agent_id, queue, _ in take_offers():
                sequence_number += 1
                at = now + service_of[queue]()
                push(heap, (at, sequence_number, _COMPLETE, agent_id, offered_id, queue))
            if not prompting:
                break
            prompts = take_prompts()
            if not prompts:
                break
            # A caller who takes a callback may be routed at once: loop for its offer.
            for prompt in prompts:
                world = worlds[prompt.queue]
                _answer_prompt(center, now, prompt.contact_id, prompt.offer, world, coin)
        if on_events is not None:
            on_events(center)
        if steps % _FLUSH_EVERY == 0:
            sink(center.take_finished())
    sink(center.take_finished())
    return RunStats(
        arrivals=count,
        redials=redials,
        steps=steps,
        unfinished=center.in_center(),
        ewt_accuracy=center.ewt_accuracy(),
    )


def _answer_prompt(
    center: Center, now: float, contact_id: str, offer: str, world: _QueueWorld, coin: Sampler
) -> None:
    if offer == "callback":
        if coin.next() < world.callback_accept:
            center.request_callback(now, contact_id)
            return
    elif coin.next() < world.voicemail_accept:
        center.leave_voicemail(now, contact_id)
        return
    center.decline(now, contact_id)


def _agent_action(center: Center, now: float, agent_id: str, action: str) -> None:
    if action == "login":
        center.login(now, agent_id)
    elif action == "logout":
        center.logout(now, agent_id)
    elif action == "ready":
        center.set_ready(now, agent_id)
    else:
        center.set_not_ready(now, agent_id, action.removeprefix("not_ready:"))


def _world(callers: Callers, rng: np.random.Generator) -> _QueueWorld:
    def maybe(distribution: Distribution | None) -> Sampler | None:
        return None if distribution is None else Sampler(distribution, rng)

    return _QueueWorld(
        service=Sampler(callers.service, rng),
        patience=maybe(callers.patience),
        acw=maybe(callers.acw),
        redial_p=callers.redial_p,
        redial_delay=maybe(callers.redial_delay) if callers.redial_p > 0.0 else None,
        callback_accept=callers.callback_accept,
        voicemail_accept=callers.voicemail_accept,
    )


def _arrivals(
    scenario: Scenario, rng: np.random.Generator
) -> tuple[list[float], list[str], list[int]]:
    """All queues' arrivals merged in time order, as POSIX times."""
    day_offset = local_offset(scenario.start, scenario.timezone)
    all_times: list[np.ndarray] = []
    all_queues: list[np.ndarray] = []
    all_priorities: list[np.ndarray] = []
    for index, queue in enumerate(scenario.queues):
        events = [e for e in scenario.events if e.queue in (None, queue.spec.name)]
        times, priorities = arrival_offsets(
            queue.arrivals, duration_s=scenario.duration_s, day_offset_s=day_offset,
            events=events, rng=rng,
        )  # fmt: skip
        all_times.append(times)
        all_queues.append(np.full(len(times), index, dtype=np.int64))
        all_priorities.append(priorities)
    times = np.concatenate(all_times) if all_times else np.empty(0)
    order = np.argsort(times, kind="stable")
    names = [q.spec.name for q in scenario.queues]
    queue_index = np.concatenate(all_queues)[order] if all_queues else np.empty(0, np.int64)
    priorities = np.concatenate(all_priorities)[order] if all_priorities else np.empty(0)
    arrival_times: list[float] = (times[order] + scenario.start).tolist()
    arrival_priorities: list[int] = priorities.astype(np.int64).tolist()
    return arrival_times, [names[i] for i in queue_index.tolist()], arrival_priorities


def _agent(group: AgentGroup, index: int) -> Agent:
    return Agent(
        agent_id=f"{group.name}-{index}", skills=dict(group.skills),
        capacity=dict(group.capacity), group=group.name,
    )  # fmt: skip


def _schedule_agents(scenario: Scenario, heap: list[_Timer]) -> int:
    """Push every login, logout and break of the horizon; returns the last sequence number."""
    actions: list[tuple[float, str, str]] = []
    zone = ZoneInfo(scenario.timezone)
    first_day = datetime.fromtimestamp(scenario.start, zone).replace(
        hour=0, minute=0, second=0, microsecond=0, tzinfo=None
    )
    end = scenario.start + scenario.duration_s
    days = int((scenario.duration_s + local_offset(scenario.start, scenario.timezone)) // DAY_S) + 1
    midnights = [
        (first_day + timedelta(days=d)).replace(tzinfo=zone).timestamp() for d in range(days + 1)
    ]
    for group in scenario.agents:
        ids = [f"{group.name}-{i}" for i in range(group.count)]
        if group.on_duty is not None:
            actions.extend(_staffing_actions(scenario, group, ids))
            continue
        whole_day = group.shift_start_s <= 0.0 and group.shift_end_s >= DAY_S and not group.breaks
        for agent_id in ids:
            if whole_day:
                actions.append((scenario.start, agent_id, "login"))
                continue
            for midnight in midnights[:days]:
                login = midnight + group.shift_start_s
                logout = midnight + group.shift_end_s
                if logout <= scenario.start or login >= end:
                    continue
                actions.append((max(login, scenario.start), agent_id, "login"))
                actions.append((logout, agent_id, "logout"))
                for pause in group.breaks:
                    at = midnight + pause.at_s
                    if scenario.start <= at < logout:
                        actions.append((at, agent_id, "not_ready:" + pause.reason))
                        actions.append((at + pause.duration_s, agent_id, "ready"))
    actions.sort()
    for sequence_number, (at, agent_id, action) in enumerate(actions):
        heap.append((at, sequence_number, _AGENT, agent_id, action, ""))
    heapq.heapify(heap)
    return len(actions)


def _staffing_actions(
    scenario: Scenario, group: AgentGroup, ids: list[str]
) -> list[tuple[float, str, str]]:
    """Log agents in and out at each slot so that `on_duty[k]` work in slot k."""
    assert group.on_duty is not None
    width = scenario.interval_s
    actions: list[tuple[float, str, str]] = []
    working = 0
    for slot, wanted in enumerate(group.on_duty):
        at = scenario.start + slot * width
        for index in range(working, wanted):
            actions.append((at, ids[index], "login"))
        for index in range(wanted, working):
            actions.append((at, ids[index], "logout"))
        working = wanted
    return actions
