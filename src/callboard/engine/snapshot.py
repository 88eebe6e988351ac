"""Snapshot and restore of a whole `Center` as plain, JSON-serialisable data.

The live server snapshots for crash recovery (then replays the event log
since), and surge projection restores a live snapshot into simulations. The
snapshot holds state, not pending output: drain events, offers and prompts
before taking one. Line order and idle-pool order are kept exactly, because
they decide who is served next and which agent gets the next contact.
"""

from __future__ import annotations

from typing import Any

from callboard.engine.agents import LiveAgent
from callboard.engine.center import Center
from callboard.engine.contact import Contact
from callboard.engine.ewt import Accuracy
from callboard.engine.outputs import OfferHook
from callboard.engine.queues import LiveQueue
from callboard.engine.spec import spec_from_data
from callboard.errors import BadInput

VERSION = 1


def take_snapshot(center: Center) -> dict[str, Any]:
    return {
        "version": VERSION,
        "now": center._now,
        "seq": center._seq,
        "policy": center._policy.name,
        "auto_answer": center._auto_answer,
        "record_events": center._record,
        "keep_finished": center._keep_finished,
        "score_predictors": list(center._scored),
        "queues": [live_queue.to_data() for live_queue in center._queues.values()],
        "agents": [agent.to_data() for agent in center._agents.values()],
        "contacts": [contact.to_data() for contact in center._contacts.values()],
        "timers": [list(t) for t in sorted(center._timers) if not center.offer_timer_stale(t)],
        "accuracy": [[q, name, acc.to_data()] for (q, name), acc in center._accuracy.items()],
    }


def restore_snapshot(
    data: dict[str, Any],
    *,
    auto_answer: bool | None = None,
    record_events: bool | None = None,
    keep_finished: bool | None = None,
    on_offer: OfferHook | None = None,
) -> Center:
    """Rebuild a center; the keyword options override the snapshot's own settings,
    as a projection does when it clones a live center into a simulation."""
    if data.get("version") != VERSION:
        raise BadInput(f"snapshot version {data.get('version')!r} is not {VERSION}")
    specs = [spec_from_data(q["spec"]) for q in data["queues"]]
    # Built without queues so that no hours timer is scheduled twice; the
    # snapshot's own timers are restored below.
    center = Center(
        [], policy=data["policy"], start=data["now"],
        auto_answer=data["auto_answer"] if auto_answer is None else auto_answer,
        record_events=data["record_events"] if record_events is None else record_events,
        keep_finished=data["keep_finished"] if keep_finished is None else keep_finished,
        score_predictors=data["score_predictors"], on_offer=on_offer,
    )  # fmt: skip
    for spec in specs:
        center._queues[spec.name] = LiveQueue(spec)
        center._announce_keys[spec.name] = (spec.name, f"announced:{spec.announce}")
    contacts = {c["contact_id"]: Contact.from_data(c) for c in data["contacts"]}
    center._contacts = contacts
    agents = {a["agent_id"]: LiveAgent.from_data(a) for a in data["agents"]}
    center._agents = agents
    for queue_data in data["queues"]:
        center._queues[queue_data["spec"]["name"]].load(queue_data, contacts, agents)
    for agent in agents.values():
        center._bind(agent)
    center._timers = [
        (float(t[0]), int(t[1]), str(t[2]), str(t[3]), float(t[4])) for t in data["timers"]
    ]
    center._refresh_wakeup()
    center._seq = data["seq"]
    center._accuracy = {(q, name): Accuracy.from_data(acc) for q, name, acc in data["accuracy"]}
    return center
