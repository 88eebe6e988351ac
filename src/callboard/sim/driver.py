"""The virtual-clock driver: runs a scenario through the real engine, `callboard.engine.Center`.

The driver plays the world around the center: callers arriving, hanging up,
redialling and answering prompts; agents logging in, taking breaks and
finishing calls. It tells the center each of these as a command record
(`callboard.engine.commands`) through `Center.apply`, as the live server
does. It keeps one heap of its own timers (`sim/timers.py`), each holding the
command it will issue, and merges it with the pre-sorted arrival stream and
the engine's next wake-up (`Center.wakeup_at`), always handling the earliest. Ties go arrivals,
then engine timers, then driver timers, which keeps a run a pure function of
the scenario and the seed (an engine timer due at an arrival's very instant
fires first, as `apply` fires what is due). The end of each call is
scheduled from the center's `on_offer` hook, the moment the call is answered.

Finished contacts are handed to `sink` in batches, so a run of millions of
arrivals never holds them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import count
from typing import Any, Final, NamedTuple

import numpy as np

from callboard.engine import (
    CONNECTED,
    OFFERED,
    PROMPTED,
    WAITING,
    Abandon,
    Accept,
    Advance,
    Arrive,
    Center,
    Command,
    Complete,
    Contact,
    Decline,
    LeaveVoicemail,
    OfferHook,
    Outputs,
    RequestCallback,
)
from callboard.sim.arrivals import DAY_S, arrival_offsets, local_offset
from callboard.sim.distributions import Distribution, Sampler, Uniform
from callboard.sim.scenario import Callers, Scenario
from callboard.sim.shift_calendar import rota
from callboard.sim.timers import TimerHeap

Sink = Callable[[list[Contact]], None]
# Applies a command at the center's present time and returns its outputs, which the
# driver then handles like a step's own (prompts answered, hooks told).
Issue = Callable[[Command], Outputs]
# Told every output of every step, with the means to issue commands of its own:
# surge control in a simulation.
OnOutput = Callable[[Center, Outputs, Issue], None]
_ADVANCE: Final = Advance()

_INF: Final = float("inf")
# How often (in arrivals, about half the loop steps) finished contacts go to the
# sink. Small batches let contacts die young, which keeps the garbage collector's
# older generations small: 8192 steps (about 4096 arrivals) was about 5% slower on
# the benchmark.
_FLUSH_EVERY: Final = 512
# Contacts still in the center this long after the last arrival are left unfinished.
_DRAIN_S: Final = DAY_S


class RunStats(NamedTuple):
    """What one run did: `steps` counts handled arrivals and timers (the events/s unit).

    A NamedTuple rather than a frozen dataclass: it comes back from worker
    processes, and mypyc, which compiles this module, makes frozen dataclasses
    native classes that pickle cannot rebuild.
    """

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
    scenario: Scenario,
    *,
    record_events: bool = False,
    snapshot: dict[str, Any] | None = None,
    on_offer: OfferHook | None = None,
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
            on_offer=on_offer,
        )
    else:
        center = Center.restore(
            snapshot, auto_answer=True, record_events=record_events, keep_finished=True,
            on_offer=on_offer,
        )  # fmt: skip
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
        for agent in group.members():
            if agent.agent_id not in known:
                center.add_agent(agent)
    return center


def _adopt(
    center: Center,
    now: float,
    timers: TimerHeap,
    worlds: dict[str, _QueueWorld],
    coin: Sampler,
    full_actions: Mapping[str, str],
) -> None:
    """Schedule what happens to the contacts a snapshot brought in (the center's
    `on_offer` schedules any it routes meanwhile)."""
    for contact in center.live_contacts():
        world = worlds[contact.queue]
        cid, queue = contact.contact_id, contact.queue
        if contact.state == OFFERED and contact.agent_id is not None:
            center.apply(now, Accept(contact.agent_id, cid))
        if contact.state == CONNECTED and contact.agent_id is not None:
            at = now + world.service.next()
            timers.push(at, Complete(contact.agent_id, cid), queue)
        elif contact.state == WAITING and not contact.callback and world.patience is not None:
            at = now + world.patience.next()
            timers.push(at, Abandon(cid), queue)
        elif contact.state == PROMPTED:
            center.apply(now, _answer(cid, full_actions[queue], world, coin))


def run(
    scenario: Scenario,
    seed: int | np.random.SeedSequence,
    sink: Sink,
    *,
    on_output: OnOutput | None = None,
    snapshot: dict[str, Any] | None = None,
) -> RunStats:
    """Simulate the scenario once; `sink` receives every finished contact.

    `on_output`, when given, runs the engine with events on and is told the
    outputs of every command the driver applies (the spine for consumers that
    want it), with an `Issue` for commands of its own; without it the engine
    skips building events, which is much faster.

    `snapshot` starts from a live center's state instead of an empty one (a
    projection): its contacts and agents carry on, the scenario supplies the
    callers, arrivals and any extra agents, and `scenario.start` must not be
    earlier than the snapshot's time (the engine is advanced to it). Remaining
    service and patience of contacts already in the center are drawn afresh,
    which is exact for exponential times.
    """
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    arrival_seed, world_seed = sequence.spawn(2)
    world_rng = np.random.default_rng(world_seed)
    worlds = {q.spec.name: _world(q.callers, world_rng) for q in scenario.queues}
    coin = Sampler(Uniform(), world_rng)
    times, queues, priorities = _arrivals(scenario, np.random.default_rng(arrival_seed))
    arrival_count = len(times)
    # A sentinel at infinity: the arrivals list never runs dry, which saves a bounds
    # check on every step.
    times.append(_INF)
    # Logins, logouts and breaks are known in advance and sorted: the heap holds only
    # the next one, numbered by its place in `actions`, which keeps the heap small and
    # fires them exactly as if all were in it. Other timers are numbered after them,
    # so ties at one instant fire in the order they were set.
    actions = rota(scenario)
    timers = TimerHeap(first_seq=len(actions) + 1)
    if actions:
        timers.push_numbered(actions[0][0], 0, actions[0][1], "")
    redial_ids = count(1)
    service_of = {name: world.service.next for name, world in worlds.items()}
    acw_of = {name: None if w.acw is None else w.acw.next for name, w in worlds.items()}
    any_acw = any(draw is not None for draw in acw_of.values())

    def offered(at: float, contact_id: str, agent_id: str, queue: str, callback: bool) -> None:
        """Every offer is answered at once (auto-answer): schedule the end of the call."""
        timers.push(at + service_of[queue](), Complete(agent_id, contact_id), queue)

    center = build_center(
        scenario, record_events=on_output is not None, snapshot=snapshot, on_offer=offered
    )
    if snapshot is not None:
        full_actions = {q.spec.name: q.spec.full_action for q in scenario.queues}
        _adopt(center, scenario.start, timers, worlds, coin, full_actions)
    start = scenario.start
    end_of_arrivals = start + scenario.duration_s
    stop = end_of_arrivals + _DRAIN_S
    next_index = 0
    next_arrival = times[0]
    redials = 0
    # Steps are the arrivals (`next_index`) plus the timers handled, counted apart so
    # that an arrival costs no counter; `next_flush` is compared rather than taking
    # `next_index % _FLUSH_EVERY` because 3.11 specialises int `==`, not `%`.
    timer_steps = 0
    next_flush = _FLUSH_EVERY
    # Only these settings make the engine prompt callers; without them skip the drain.
    prompting = any(
        q.spec.max_wait_action != "exit" or q.spec.full_action != "block" for q in scenario.queues
    )
    after_step = prompting or on_output is not None
    backlog: list[Outputs] = []

    def issue(command: Command) -> Outputs:
        output = center.apply(center.now, command)
        backlog.append(output)
        return output

    while True:
        engine_at = center.wakeup_at
        driver_at = timers.next_at
        if next_arrival <= engine_at and next_arrival <= driver_at:
            if next_arrival == _INF:
                break
            now = next_arrival
            contact_id = f"c{next_index}"
            queue = queues[next_index]
            output = center.apply(
                now, Arrive(contact_id, queue, priorities[next_index], contact_id)
            )
            contact: Contact | None = output.result
            next_index += 1
            next_arrival = times[next_index]
            if contact is not None and contact.state == WAITING:
                patience = worlds[queue].patience
                if patience is not None:
                    at = now + patience.next()
                    timers.push(at, Abandon(contact_id), queue)
            if next_index == next_flush:
                next_flush += _FLUSH_EVERY
                sink(center.take_finished())
        elif engine_at <= driver_at:
            now = engine_at
            if now > stop:
                break
            timer_steps += 1
            output = center.apply(now, _ADVANCE)
        else:
            timer = timers.pop()
            now = timer.at
            number = timer.seq
            command = timer.command
            queue = timer.queue
            timers.recycle(timer)
            if now > stop:
                break
            timer_steps += 1
            kind = type(command)
            if kind is Complete:
                acw = acw_of[queue] if any_acw else None
                if acw is not None:
                    assert isinstance(command, Complete)
                    command = Complete(command.agent_id, command.contact_id, acw())
                output = center.apply(now, command)
            elif kind is Abandon:
                # Most of these find the caller answered already; the center says.
                output = center.apply(now, command)
                if output.result:
                    world = worlds[queue]
                    delay = world.redial_delay
                    if delay is not None and coin.next() < world.redial_p:
                        assert isinstance(command, Abandon)
                        first = command.contact_id
                        redial = Arrive(f"{first}r{next(redial_ids)}", queue, caller=first)
                        timers.push(now + delay.next(), redial, queue)
            elif kind is Arrive:
                redials += 1
                output = center.apply(now, command)
                contact = output.result
                patience = worlds[queue].patience
                if patience is not None and contact is not None and contact.state == WAITING:
                    assert isinstance(command, Arrive)
                    abandon = Abandon(command.contact_id)
                    timers.push(now + patience.next(), abandon, queue)
            else:
                output = center.apply(now, command)
                number += 1
                if number < len(actions):
                    timers.push_numbered(actions[number][0], number, actions[number][1], "")
        if after_step:
            # A caller who takes a callback may be routed at once (`offered` schedules
            # it); their answers can prompt no one else. What the hook issues is
            # handled here too, in the order it happened.
            backlog.append(output)
            handled = 0
            while handled < len(backlog):
                done = backlog[handled]
                handled += 1
                for prompt in done.prompts:
                    answer = _answer(prompt.contact_id, prompt.offer, worlds[prompt.queue], coin)
                    backlog.append(center.apply(now, answer))
                if on_output is not None:
                    on_output(center, done, issue)
            backlog.clear()
    sink(center.take_finished())
    return RunStats(
        arrivals=arrival_count,
        redials=redials,
        steps=next_index + timer_steps,
        unfinished=center.in_center(),
        ewt_accuracy=center.ewt_accuracy(),
    )


def _answer(contact_id: str, offer: str, world: _QueueWorld, coin: Sampler) -> Command:
    """The caller's answer to a prompt offering a callback or voicemail."""
    if offer == "callback":
        if coin.next() < world.callback_accept:
            return RequestCallback(contact_id)
    elif coin.next() < world.voicemail_accept:
        return LeaveVoicemail(contact_id)
    return Decline(contact_id)


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
    arrival_queues: list[str] = np.array(names, dtype=object)[queue_index].tolist()
    return arrival_times, arrival_queues, arrival_priorities
