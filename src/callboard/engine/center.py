"""The contact center: queues, agents, routing, callbacks and expected waits.

Pure and synchronous. A driver tells it what happens with command records
(`callboard.engine.commands`) through `apply(now, command)`, with `now` in
POSIX seconds from the driver's clock; the engine never reads a clock, sleeps
or does I/O. `apply` first fires the engine's own timers due by `now` (wrap-up
ends, widening steps, maximum waits, offer timeouts, opening hours), then
runs the command, and returns everything that came out (`Outputs`):

- the canonical events (`contact.*`, `agent.*`, `callback.*`);
- offers: contacts handed to agents, for the driver to ring the agent (live)
  or to schedule the end of the call (simulation);
- prompts: callers to be asked "callback or voicemail?";
- the command's own result (the contact for `Arrive`, whether an `Abandon`
  found the caller waiting, ...).

A driver with nothing to say between commands asks `next_wakeup()` and
applies `Advance()` when that time comes. The live server does this with the
wall clock and the simulator with its virtual clock, so both run the same
rules. Commands must come in time order; `snapshot()` captures everything.

A refused command raises `CommandRefused` (or `UnknownAgent`, `UnknownQueue`,
`UnknownContact`) from `callboard.errors`; anything else is a bug.

The methods behind the commands (`arrive`, `complete`, ...) and the drains
(`take_events`, ...) stay public for tests that step the engine by hand.
This module holds contacts, routing and timers; agent states come from the
`agent_states` mixin and the read-only questions from `queries`.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from typing import Any, Final

from callboard.domain import Agent, Event, EventType
from callboard.engine.agent_states import AgentStates
from callboard.engine.agents import (
    BUSY,
    NOT_READY,
    READY,
    RESERVED,
    WRAP_UP,
    LiveAgent,
)
from callboard.engine.commands import Command
from callboard.engine.contact import CONNECTED, DONE, OFFERED, PROMPTED, WAITING, Contact
from callboard.engine.ewt import Accuracy, Predictor, make_predictors
from callboard.engine.hours import open_state
from callboard.engine.outputs import (
    NOTHING,
    QUIET_FALSE,
    QUIET_NONE,
    QUIET_TRUE,
    Offer,
    OfferHook,
    Outputs,
    Prompt,
    RawEvent,
)
from callboard.engine.queues import SMOOTHING, LiveQueue
from callboard.engine.routing import LongestIdle, RoutingPolicy, make_policy
from callboard.engine.spec import QueueSpec
from callboard.errors import BadInput, CommandRefused

_ARRIVED: Final = EventType.CONTACT_ARRIVED
_QUEUED: Final = EventType.CONTACT_QUEUED
_OFFERED: Final = EventType.CONTACT_OFFERED
_ANSWERED: Final = EventType.CONTACT_ANSWERED
_ABANDONED: Final = EventType.CONTACT_ABANDONED
_EXITED: Final = EventType.CONTACT_EXITED
_BLOCKED: Final = EventType.CONTACT_BLOCKED
_COMPLETED: Final = EventType.CONTACT_COMPLETED
_CB_REQUESTED: Final = EventType.CALLBACK_REQUESTED
_CB_CONNECTED: Final = EventType.CALLBACK_CONNECTED
# Building a NamedTuple through tuple.__new__ skips its Python-level __new__.
_new_offer: Final = tuple.__new__

_INF: Final = float("inf")
# Final module attributes are C statics to mypyc; `heapq.heappush` would be an
# attribute lookup on the module at every call.
_heappush: Final = heapq.heappush
_heappop: Final = heapq.heappop

# A timer is (at, sequence, kind, key, stamp); the stamp tells a stale timer
# from a live one without searching the heap to cancel it.
Timer = tuple[float, int, str, str, float]


class Center(AgentStates):
    """One contact center's live state.

    `auto_answer` connects an offer at once (the simulator's agents never
    miss a ring); otherwise the driver calls `accept` or `reject`.
    `record_events=False` skips building events for runs that only need the
    finished contacts (`keep_finished=True`), which is most simulations.
    `score_predictors` names expected-wait predictors evaluated for every
    queued contact purely to measure their accuracy. `on_offer`, when given,
    receives each offer's fields the moment it is made instead of
    `take_offers()`: a simulator schedules the end of the call there, and
    saves building an `Offer` and draining a list after every command.

    `wakeup_at` is `next_wakeup()` as a plain attribute, infinity when there is
    no timer, for drivers that look at it after every command; read-only.
    """

    def __init__(
        self,
        queues: Iterable[QueueSpec],
        agents: Iterable[Agent] = (),
        *,
        policy: str = "longest_idle",
        start: float = 0.0,
        auto_answer: bool = False,
        record_events: bool = True,
        keep_finished: bool = False,
        score_predictors: Sequence[str] = (),
        on_offer: OfferHook | None = None,
    ) -> None:
        self._queues: dict[str, LiveQueue] = {}
        for spec in queues:
            if spec.name in self._queues:
                raise BadInput(f"queue {spec.name!r} is defined twice")
            self._queues[spec.name] = LiveQueue(spec)
        self._agents: dict[str, LiveAgent] = {}
        self._contacts: dict[str, Contact] = {}
        self._timers: list[Timer] = []
        self.wakeup_at = _INF
        self._seq = 0
        self._now = start
        self._policy: RoutingPolicy = make_policy(policy)
        self._longest_idle = type(self._policy) is LongestIdle
        self._auto_answer = auto_answer
        self._record = record_events
        self._keep_finished = keep_finished
        self._predictors: dict[str, Predictor] = make_predictors()
        for name in score_predictors:
            if name not in self._predictors:
                raise BadInput(f"unknown predictor {name!r}; known: {sorted(self._predictors)}")
        for queue in self._queues.values():
            announce = queue.spec.announce
            if announce is not None and announce not in self._predictors:
                raise BadInput(f"queue {queue.spec.name!r}: unknown predictor {announce!r}")
            if announce == "calibrated" and queue.spec.ewt_model is None:
                raise BadInput(
                    f"queue {queue.spec.name!r} announces 'calibrated' but has no fitted "
                    "model; run `callboard ewt fit` on its records first"
                )
        self._scored = tuple(score_predictors)
        self._accuracy: dict[tuple[str, str], Accuracy] = {}
        # Accuracy keys of each queue's announcements, built once: the hot path
        # would otherwise join strings for every queued contact.
        self._announce_keys = {
            name: (name, f"announced:{queue.spec.announce}") for name, queue in self._queues.items()
        }
        # Each queue's announcement record in `_accuracy`, found once: a tuple-keyed
        # lookup for every answered or lost contact costs more than the scoring.
        self._announce_records: dict[str, Accuracy] = {}
        self._events: list[RawEvent] = []
        self._offers: list[Offer] = []
        self._offer: OfferHook = self._queue_offer if on_offer is None else on_offer
        self._prompts: list[Prompt] = []
        self._finished: list[Contact] = []
        for queue in self._queues.values():
            if queue.spec.hours:
                self._schedule_hours(queue, start)
        for agent in agents:
            self.add_agent(agent)

    # ---------------------------------------------------------------- commands

    def apply(self, now: float, command: Command) -> Outputs:
        """Fire the timers due by `now`, run `command` at `now`, and return all it made
        the center do. Outputs made by direct method calls before are included."""
        if self.wakeup_at <= now:
            self.advance(now)
        result = command.run(self, now)
        if not (self._events or self._offers or self._prompts):
            # Most steps of a simulation: no allocation for the common answers.
            if result is None:
                return QUIET_NONE
            if result is True:
                return QUIET_TRUE
            if result is False:
                return QUIET_FALSE
            return Outputs(result, NOTHING, NOTHING, NOTHING)
        events = self.take_events() if self._events else NOTHING
        offers = self.take_offers() if self._offers else NOTHING
        prompts = self.take_prompts() if self._prompts else NOTHING
        return Outputs(result, events, offers, prompts)

    # ----------------------------------------------------------------- drains

    def take_events(self) -> list[Event]:
        """The events since the last call, oldest first."""
        raw, self._events = self._events, []
        return [Event(t, at, c, a, q, d) for t, at, c, a, q, d in raw]

    def take_offers(self) -> list[Offer]:
        """Offers since the last call, oldest first; the list is the caller's to keep.
        Always empty when offers go to an `on_offer` hook instead."""
        offers, self._offers = self._offers, []
        return offers

    def _queue_offer(
        self, at: float, contact_id: str, agent_id: str, queue: str, callback: bool
    ) -> None:
        """The default `on_offer`: keep the offer for `take_offers`."""
        self._offers.append(_new_offer(Offer, (at, contact_id, agent_id, queue, callback)))

    def take_prompts(self) -> list[Prompt]:
        """Prompts since the last call, oldest first; the list is the caller's to keep."""
        prompts, self._prompts = self._prompts, []
        return prompts

    def take_finished(self) -> list[Contact]:
        """Contacts that left the center since the last call (only with `keep_finished`)."""
        finished, self._finished = self._finished, []
        return finished

    # ------------------------------------------------------------------ timers

    def next_wakeup(self) -> float | None:
        """When the engine next needs `advance`, or None if it has no timer."""
        at = self.wakeup_at
        return None if at == _INF else at

    def _refresh_wakeup(self) -> None:
        """Bring `wakeup_at` in line with the heap after it lost its head, was loaded or its
        head's offer ended: an answered offer's timeout may stay inside the heap (removing
        it is a search), never at its head, or a live server would wake for each."""
        timers = self._timers
        while timers and self.offer_timer_stale(timers[0]):
            _heappop(timers)
        self.wakeup_at = timers[0][0] if timers else _INF

    def advance(self, now: float) -> None:
        """Fire every timer due at or before `now`, each at its own time."""
        self._check_time(now)
        timers = self._timers
        while timers and timers[0][0] <= now:
            at, _, kind, key, stamp = _heappop(timers)
            at = max(at, self._now)
            self._now = at
            if kind == "acw":
                agent = self._agents[key]
                if agent.state == WRAP_UP and agent.since == stamp:
                    self._after_work(at, agent)
            elif kind == "widen":
                self._widen(at, key, int(stamp))
            elif kind == "max_wait":
                self._max_wait(at, key)
            elif kind == "offer_timeout":
                contact = self._contacts.get(key)
                if contact is not None and contact.state == OFFERED and contact.offered_at == stamp:
                    assert contact.agent_id is not None
                    self.reject(at, contact.agent_id, key, reason="other")
            else:
                self._schedule_hours(self._queues[key], at)
        self._now = now
        self._refresh_wakeup()

    def _push_timer(self, at: float, kind: str, key: str, stamp: float = 0.0) -> None:
        self._seq += 1
        timers = self._timers
        _heappush(timers, (at, self._seq, kind, key, stamp))
        self.wakeup_at = timers[0][0]

    # ---------------------------------------------------------------- contacts

    def arrive(
        self,
        now: float,
        contact_id: str,
        queue: str,
        *,
        priority: int = 0,
        caller: str | None = None,
        attributes: dict[str, str] | None = None,
    ) -> Contact | None:
        """A contact reaches the queue point: routed at once, queued, prompted or blocked.

        Returns the contact while it is in the center (None if blocked at once),
        for drivers that watch its state; it must not be changed.
        """
        if now < self._now:
            self._check_time(now)
        self._now = now
        live_queue = self._queues.get(queue)
        if live_queue is None:
            live_queue = self._queue(queue)  # raises UnknownQueue
        contact = Contact(contact_id, queue, now, priority, live_queue.channel, caller, attributes)
        contacts = self._contacts
        if contacts.setdefault(contact_id, contact) is not contact:
            raise CommandRefused(f"contact {contact_id!r} is already in the center")
        stats = live_queue.stats
        last = stats.last_arrival_at
        if last is not None:
            gap = stats.arrival_gap_s
            stats.arrival_gap_s = (
                now - last if gap is None else gap + SMOOTHING * (now - last - gap)
            )
        stats.last_arrival_at = now
        if self._record:
            self._events.append(
                (_ARRIVED, now, contact_id, None, queue, {"priority": priority, "caller": caller})
            )
        if not live_queue.accepting:
            del contacts[contact_id]
            self._finish(now, contact, "blocked", "closed", _BLOCKED)
            return None
        base_pools = live_queue.base_pools
        pool = base_pools[0]
        if pool:
            agent: LiveAgent | None = None
            if self._longest_idle:
                # The built-in policy on one pool: its first agent, without the call
                # (a loop rather than `next(iter(...))`, which mypyc compiles to no objects).
                for first in pool.values():
                    agent = first
                    break
            else:
                agent = self._policy.choose(now, live_queue.skill, base_pools)
            if agent is not None:
                self._assign(now, contact, agent, live_queue)
                return contact
        max_length = live_queue.max_length
        if max_length is not None and live_queue.line.count >= max_length:
            spec = live_queue.spec
            if spec.full_action == "block":
                del contacts[contact_id]
                self._finish(now, contact, "blocked", "full", _BLOCKED)
                return None
            contact.state = PROMPTED
            self._prompts.append(Prompt(now, contact_id, queue, spec.full_action, "full"))
            return contact
        self._enqueue(now, contact, live_queue)
        return contact

    def _enqueue(self, now: float, contact: Contact, live_queue: LiveQueue) -> None:
        position = live_queue.line.push(contact)
        contact.queued = True
        announce = live_queue.announce
        if announce is not None:
            contact.announced_by = announce
            contact.announced_ewt_s = self._predictors[announce].predict(live_queue, position, now)
        if self._scored:
            predictions: dict[str, float] = {}
            for name in self._scored:
                value = self._predictors[name].predict(live_queue, position, now)
                if value is not None:
                    predictions[name] = value
            contact.predictions = predictions
        if self._record:
            data: dict[str, Any] = {"priority": contact.priority, "callback": contact.callback}
            if announce is not None:
                data["ewt_s"] = contact.announced_ewt_s
                data["predictor"] = announce
            self._events.append((_QUEUED, now, contact.contact_id, None, contact.queue, data))
        max_wait_s = live_queue.max_wait_s
        if max_wait_s is not None and not contact.callback:
            self._push_timer(contact.queued_at + max_wait_s, "max_wait", contact.contact_id)
        thresholds = live_queue.thresholds
        if len(thresholds) > 1:
            self._push_timer(contact.queued_at + thresholds[1], "widen", contact.contact_id, 1.0)

    def abandon(self, now: float, contact_id: str) -> bool:
        """The caller hung up before being answered, in line or while an agent's phone
        rang. False if they were not waiting (answered, gone, or a virtual callback)."""
        if now < self._now:
            self._check_time(now)
        self._now = now
        contact = self._contacts.get(contact_id)
        if contact is None or contact.callback:
            return False
        state = contact.state
        if state == PROMPTED:
            del self._contacts[contact_id]
            self._finish(now, contact, "blocked", "full", _BLOCKED)
            return True
        if state != WAITING and state != OFFERED:
            return False
        live_queue = self._queues[contact.queue]
        stats = live_queue.stats
        stats.abandons += 1
        stats.exposure_s += now - contact.queued_at
        del self._contacts[contact_id]
        if state == WAITING:
            live_queue.line.drop(contact)
            self._finish(now, contact, "abandoned", None, _ABANDONED)
            return True
        agent_id = contact.agent_id
        assert agent_id is not None
        agent = self._agents[agent_id]
        agent.contacts.remove(contact_id)
        contact.agent_id = None
        self._finish(now, contact, "abandoned", None, _ABANDONED)
        if not agent.contacts:
            self._after_work(now, agent)
        self._refresh_wakeup()
        return True

    def request_callback(self, now: float, contact_id: str) -> bool:
        """The caller leaves the line but keeps their place; an agent will call back.

        A caller refused for a full queue joins the back of the line as a
        virtual contact instead. False if there is no such caller waiting.
        """
        self._check_time(now)
        contact = self._contacts.get(contact_id)
        if contact is None or contact.callback or contact.state not in (WAITING, PROMPTED):
            return False
        contact.callback = True
        live_queue = self._queues[contact.queue]
        if contact.state == WAITING:
            live_queue.stats.exposure_s += now - contact.queued_at
        if self._record:
            self._events.append(
                (_CB_REQUESTED, now, contact_id, None, contact.queue, {"caller": contact.caller})
            )
        if contact.state == PROMPTED:
            contact.state = WAITING
            contact.queued_at = now
            self._enqueue(now, contact, live_queue)
            self._route_waiting(now, contact, live_queue)
        return True

    def leave_voicemail(self, now: float, contact_id: str) -> bool:
        """The caller leaves a message instead of waiting; counted as a system exit (X)."""
        self._check_time(now)
        contact = self._contacts.get(contact_id)
        if contact is None or contact.callback or contact.state not in (WAITING, PROMPTED):
            return False
        if contact.state == WAITING:
            self._queues[contact.queue].line.drop(contact)
        del self._contacts[contact_id]
        self._finish(now, contact, "exited", "voicemail", _EXITED)
        return True

    def decline(self, now: float, contact_id: str) -> bool:
        """The caller said no to a prompt: a refused caller is blocked, a waiting one waits on."""
        self._check_time(now)
        contact = self._contacts.get(contact_id)
        if contact is None:
            return False
        if contact.state == PROMPTED:
            del self._contacts[contact_id]
            self._finish(now, contact, "blocked", "full", _BLOCKED)
        return True

    def offer_callbacks(self, now: float, queue: str, min_ewt_s: float, predictor: str) -> int:
        """Prompt every caller on the line whose expected wait exceeds `min_ewt_s` (surge tool)."""
        self._check_time(now)
        live_queue = self._queue(queue)
        chosen = self._predictors.get(predictor)
        if chosen is None:
            raise CommandRefused(
                f"unknown predictor {predictor!r}; known: {sorted(self._predictors)}"
            )
        prompted = 0
        for position, contact in enumerate(live_queue.line.waiting(), start=1):
            if contact.callback:
                continue
            ewt = chosen.predict(live_queue, position, now)
            if ewt is not None and ewt > min_ewt_s:
                self._prompts.append(Prompt(now, contact.contact_id, queue, "callback", "surge"))
                prompted += 1
        return prompted

    def _finish(
        self,
        now: float,
        contact: Contact,
        outcome: str,
        reason: str | None,
        event: EventType,
    ) -> None:
        """Close a contact that is already out of `_contacts` and out of any line."""
        contact.state = DONE
        contact.outcome = outcome
        contact.exit_reason = reason
        if contact.ended_at is None:
            contact.ended_at = now
        if outcome != "answered" and (contact.announced_by or contact.predictions):
            self._score(contact, None)
        if self._record:
            data: dict[str, Any] = {"reason": reason} if reason else {}
            if outcome != "blocked":
                data["wait_s"] = now - contact.queued_at
            self._events.append((event, now, contact.contact_id, None, contact.queue, data))
        if self._keep_finished:
            self._finished.append(contact)

    def _score(self, contact: Contact, actual: float | None) -> None:
        accuracy = self._accuracy
        queue = contact.queue
        announced = contact.announced_ewt_s
        if announced is not None and contact.announced_by is not None:
            record = self._announce_records.get(queue)
            if record is None:
                key = self._announce_keys[queue]
                record = accuracy.get(key)
                if record is None:
                    record = accuracy[key] = Accuracy()
                self._announce_records[queue] = record
            record.add(announced, actual)
        if contact.predictions:
            for name, value in contact.predictions.items():
                key = (queue, name)
                if key not in accuracy:
                    accuracy[key] = Accuracy()
                accuracy[key].add(value, actual)

    # ----------------------------------------------------------------- routing

    def _assign(
        self, now: float, contact: Contact, agent: LiveAgent, live_queue: LiveQueue
    ) -> None:
        """Hand a contact that is in no line to an agent that is in the pools."""
        agent_id = agent.agent_id
        contact_id = contact.contact_id
        contact.agent_id = agent_id
        contact.offered_at = now
        channel = live_queue.channel
        held = agent.contacts
        held.append(contact_id)
        agent.channel = channel
        for _, pool in agent.pools:
            # Not `pool.pop(agent_id, None)`, which mypyc calls as a Python method.
            if agent_id in pool:
                del pool[agent_id]
        if len(held) < agent.capacity.get(channel, 1):
            self._pool_add(agent, now, channel)
        self._offer(now, contact_id, agent_id, contact.queue, contact.callback)
        if self._record:
            self._events.append((_OFFERED, now, contact_id, agent_id, contact.queue, {}))
        if self._auto_answer:
            state = agent.state
            if state == READY and not self._record:
                # READY -> BUSY, both working: only the idle account moves.
                agent.idle_s += now - agent.since
                agent.state = BUSY
                agent.since = now
            elif state != BUSY:
                self._set_state(now, agent, BUSY, None)
            self._connect(now, contact, live_queue)
            return
        contact.state = OFFERED
        if agent.state == READY:
            self._set_state(now, agent, RESERVED, None)
        timeout = live_queue.spec.offer_timeout_s
        if timeout is not None:
            self._push_timer(now + timeout, "offer_timeout", contact_id, now)

    def _connect(self, now: float, contact: Contact, live_queue: LiveQueue) -> None:
        contact.state = CONNECTED
        contact.answered_at = now
        contact.outcome = "answered"
        wait = now - contact.queued_at
        stats = live_queue.stats
        stats.last_wait_s = wait
        if contact.queued:
            # Only a contact that queued was told or scored an expected wait.
            if not contact.callback:
                stats.exposure_s += wait
            if contact.announced_by is not None or contact.predictions:
                self._score(contact, wait)
        if self._record:
            data = {"wait_s": wait, "callback": contact.callback}
            self._events.append(
                (_ANSWERED, now, contact.contact_id, contact.agent_id, contact.queue, data)
            )
            if contact.callback:
                self._events.append(
                    (_CB_CONNECTED, now, contact.contact_id, contact.agent_id, contact.queue, {})
                )

    def _route_waiting(self, now: float, contact: Contact, live_queue: LiveQueue) -> None:
        """Try the idle agents of every tier the waiting contact has reached."""
        tier = live_queue.tier_at(now - contact.queued_at)
        pools = live_queue.pools[: tier + 1]
        if not any(pools):
            return
        agent = self._policy.choose(now, live_queue.skill, pools)
        if agent is not None:
            live_queue.line.take(contact)
            self._assign(now, contact, agent, live_queue)

    def _pull(self, now: float, agent: LiveAgent) -> bool:
        """Give a free agent the best waiting contact it may serve: priority, then age.

        Within a class only the head can be the answer: contacts behind it
        queued later, so they have reached no wider tier than the head.
        """
        best: Contact | None = None
        best_queue: LiveQueue | None = None
        for live_queue, tier in agent.serves:
            line = live_queue.line
            if not line.count:
                continue
            # Worked out only for a non-empty line: most pulls find every line empty.
            busy_channel = agent.channel if agent.contacts else None
            if busy_channel is not None and live_queue.channel != busy_channel:
                continue
            threshold = live_queue.thresholds[tier]
            for priority in line.priorities:
                head = line.head(priority)
                if head is None or now - head.queued_at < threshold:
                    continue
                if (
                    best is None
                    or priority > best.priority
                    or (priority == best.priority and head.queued_at < best.queued_at)
                ):
                    best, best_queue = head, live_queue
                break
        if best is None or best_queue is None:
            return False
        best_queue.line.take(best)
        self._assign(now, best, agent, best_queue)
        return True

    def _free(self, now: float, agent: LiveAgent) -> None:
        """The agent can take work: pull a waiting contact, else wait in the idle pools."""
        if not self._pull(now, agent):
            self._pool_add(agent, now, agent.channel if agent.contacts else None)

    def _pool_add(self, agent: LiveAgent, now: float, channel: str | None) -> None:
        agent.idle_since = now
        agent_id = agent.agent_id
        for pool_channel, pool in agent.pools:
            if channel is None or pool_channel == channel:
                pool[agent_id] = agent

    def _widen(self, now: float, contact_id: str, tier: int) -> None:
        contact = self._contacts.get(contact_id)
        if contact is None or contact.state != WAITING:
            return
        live_queue = self._queues[contact.queue]
        self._route_waiting(now, contact, live_queue)
        if contact.state == WAITING and tier + 1 < len(live_queue.thresholds):
            at = contact.queued_at + live_queue.thresholds[tier + 1]
            self._push_timer(at, "widen", contact_id, float(tier + 1))

    def _max_wait(self, now: float, contact_id: str) -> None:
        contact = self._contacts.get(contact_id)
        if contact is None or contact.state != WAITING or contact.callback:
            return
        live_queue = self._queues[contact.queue]
        action = live_queue.spec.max_wait_action
        if action == "exit":
            live_queue.line.drop(contact)
            live_queue.stats.exposure_s += now - contact.queued_at
            del self._contacts[contact_id]
            self._finish(now, contact, "exited", "timeout", _EXITED)
        else:
            self._prompts.append(Prompt(now, contact_id, contact.queue, action, "max_wait"))

    # ------------------------------------------------------------ agent work

    def accept(self, now: float, agent_id: str, contact_id: str) -> None:
        """The agent answers an offered contact."""
        self._check_time(now)
        agent = self._agent(agent_id)
        contact = self._contacts.get(contact_id)
        if contact is None or contact.state != OFFERED or contact.agent_id != agent_id:
            raise CommandRefused(f"contact {contact_id!r} is not offered to agent {agent_id!r}")
        self._set_state(now, agent, BUSY, None)
        self._connect(now, contact, self._queues[contact.queue])
        self._refresh_wakeup()

    def reject(self, now: float, agent_id: str, contact_id: str, reason: str = "other") -> None:
        """The agent refused or missed an offer: it goes not-ready, the contact back in place."""
        self._check_time(now)
        agent = self._agent(agent_id)
        contact = self._contacts.get(contact_id)
        if contact is None or contact.state != OFFERED or contact.agent_id != agent_id:
            raise CommandRefused(f"contact {contact_id!r} is not offered to agent {agent_id!r}")
        agent.contacts.remove(contact_id)
        contact.state = WAITING
        contact.agent_id = None
        contact.offered_at = None
        live_queue = self._queues[contact.queue]
        live_queue.line.push_in_place(contact)
        self._withdraw(agent)
        if agent.contacts:
            agent.pending = (NOT_READY, reason)
        else:
            self._set_state(now, agent, NOT_READY, reason)
        self._route_waiting(now, contact, live_queue)
        self._refresh_wakeup()

    def complete(
        self, now: float, agent_id: str, contact_id: str, acw_s: float | None = None
    ) -> None:
        """The conversation ended; the agent wraps up for `acw_s` (default: the queue's)."""
        if now < self._now:
            self._check_time(now)
        self._now = now
        agent = self._agents.get(agent_id)
        if agent is None:
            agent = self._agent(agent_id)  # raises UnknownAgent
        contacts_in = self._contacts
        contact = contacts_in.get(contact_id)
        if contact is None or contact.state != CONNECTED or contact.agent_id != agent_id:
            raise CommandRefused(f"agent {agent_id!r} is not talking to contact {contact_id!r}")
        del contacts_in[contact_id]
        live_queue = self._queues[contact.queue]
        answered_at = contact.answered_at
        assert answered_at is not None
        talk = now - answered_at
        acw = live_queue.acw_s if acw_s is None else acw_s
        contact.acw_s = acw
        contact.ended_at = now
        contact.state = DONE
        stats = live_queue.stats
        stats.aht_s += SMOOTHING * (talk + acw - stats.aht_s)
        contacts = agent.contacts
        contacts.remove(contact_id)
        if self._record:
            data = {"talk_s": talk, "acw_s": acw}
            self._events.append((_COMPLETED, now, contact_id, agent_id, contact.queue, data))
        if self._keep_finished:
            self._finished.append(contact)
        if contacts:
            self._withdraw(agent)
            self._free(now, agent)
        elif acw > 0.0:
            self._withdraw(agent)
            self._set_state(now, agent, WRAP_UP, None)
            self._push_timer(now + acw, "acw", agent_id, now)
        elif agent.pending is None and not self._record:
            # Straight on to the next contact without the busy -> ready -> busy flip:
            # at one instant it changes no state or time account, and nobody reads
            # events here.
            if not self._pull(now, agent):
                # BUSY -> READY, both working: only the handling account moves. The
                # agent holds nothing, so it rejoins every pool (`_pool_add`, inlined).
                agent.handle_s += now - agent.since
                agent.state = READY
                agent.since = agent.idle_since = now
                for _, pool in agent.pools:
                    pool[agent_id] = agent
        else:
            self._after_work(now, agent)

    def _after_work(self, now: float, agent: LiveAgent) -> None:
        pending = agent.pending
        if pending is not None:
            agent.pending = None
            self._withdraw(agent)
            self._set_state(now, agent, pending[0], pending[1])
            return
        if agent.state != READY:
            self._set_state(now, agent, READY, None)
        self._free(now, agent)

    # ----------------------------------------------------------------- queues

    def set_mode(
        self, now: float, queue: str, mode: str | None, message: str | None = None
    ) -> None:
        """Force open, closed or emergency (with its announcement); None follows the hours."""
        self._check_time(now)
        if mode not in (None, "open", "closed", "emergency"):
            raise CommandRefused(f"mode must be open, closed, emergency or None, not {mode!r}")
        live_queue = self._queue(queue)
        live_queue.manual_mode = mode
        live_queue.message = message
        live_queue.update_accepting()

    def _schedule_hours(self, live_queue: LiveQueue, now: float) -> None:
        spec = live_queue.spec
        live_queue.in_hours, change = open_state(now, spec.hours, spec.timezone)
        live_queue.update_accepting()
        if change is not None:
            self._push_timer(change, "hours", spec.name)

    # --------------------------------------------------------------- snapshot

    def snapshot(self) -> dict[str, Any]:
        """The whole state as plain JSON-serialisable data; see `Center.restore`."""
        from callboard.engine.snapshot import take_snapshot

        return take_snapshot(self)

    @classmethod
    def restore(
        cls,
        data: dict[str, Any],
        *,
        auto_answer: bool | None = None,
        record_events: bool | None = None,
        keep_finished: bool | None = None,
        on_offer: OfferHook | None = None,
    ) -> Center:
        """A center equal to the one `snapshot()` was taken from; the options override
        its settings (a projection restores a live center with `auto_answer=True`), and
        `on_offer` is as in the constructor."""
        from callboard.engine.snapshot import restore_snapshot

        return restore_snapshot(
            data, auto_answer=auto_answer, record_events=record_events,
            keep_finished=keep_finished, on_offer=on_offer,
        )  # fmt: skip
