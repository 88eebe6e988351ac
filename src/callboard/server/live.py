"""The live center: the engine on the wall clock, with every command journaled.

Each command runs under one lock: advance the engine to now, apply the
command, drain its events, and write the command with those events in one
transaction. Only then does the API answer, so an acknowledged change
survives `kill -9`. Recovery restores the latest snapshot and replays the
journal after it; the engine is deterministic, so the replay lands on the same
state, queue order included.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from callboard.domain import Agent, Event
from callboard.engine import Center, Offer, Prompt
from callboard.errors import BadInput
from callboard.store.journal import Journal

Apply = Callable[[Center, float, dict[str, Any]], Any]

# Commands as stored in the journal: name -> how to apply it. Arguments are
# plain JSON so the journal stays readable and replayable by any version.
COMMANDS: dict[str, Apply] = {
    "advance": lambda c, now, a: None,
    "arrive": lambda c, now, a: c.arrive(now, **a),
    "abandon": lambda c, now, a: c.abandon(now, a["contact_id"]),
    "request_callback": lambda c, now, a: c.request_callback(now, a["contact_id"]),
    "leave_voicemail": lambda c, now, a: c.leave_voicemail(now, a["contact_id"]),
    "decline": lambda c, now, a: c.decline(now, a["contact_id"]),
    "add_agent": lambda c, now, a: c.add_agent(Agent(**a)),
    "login": lambda c, now, a: c.login(now, a["agent_id"], a.get("ready", True)),
    "logout": lambda c, now, a: c.logout(now, a["agent_id"]),
    "set_ready": lambda c, now, a: c.set_ready(now, a["agent_id"]),
    "set_not_ready": lambda c, now, a: c.set_not_ready(now, a["agent_id"], a["reason"]),
    "accept": lambda c, now, a: c.accept(now, a["agent_id"], a["contact_id"]),
    "reject": lambda c, now, a: c.reject(now, a["agent_id"], a["contact_id"], a["reason"]),
    "complete": lambda c, now, a: c.complete(now, a["agent_id"], a["contact_id"], a.get("acw_s")),
    "set_mode": lambda c, now, a: c.set_mode(now, a["queue"], a["mode"], a.get("message")),
    # Surge actions (callboard.surge.plan_commands) use these names and arguments.
    "set_skills": lambda c, now, a: c.set_skills(now, a["agent_id"], a["skills"]),
    "offer_callbacks": lambda c, now, a: c.offer_callbacks(
        now, a["queue"], a["min_ewt_s"], a["predictor"]
    ),
}


class EngineRefused(BadInput):
    """The command conflicts with the center's state, e.g. completing a contact the
    agent is not on; the API answers 409."""


class UnknownName(BadInput):
    """An agent or contact id the center does not know; the API answers 404."""


Listener = Callable[[list[Event], list[Offer], list[Prompt]], None]


class LiveCenter:
    def __init__(
        self,
        center: Center,
        journal: Journal,
        clock: Callable[[], float],
        *,
        snapshot_every: int = 1000,
    ) -> None:
        self.center = center
        self.journal = journal
        self.clock = clock
        self.snapshot_every = snapshot_every
        self.lock = threading.RLock()
        self.listeners: list[Listener] = []
        self._since_snapshot = 0
        self._seq = 0

    @classmethod
    def open(
        cls,
        journal: Journal,
        initial: Callable[[float], Center],
        clock: Callable[[], float],
        *,
        snapshot_every: int = 1000,
    ) -> LiveCenter:
        """Recover from the store, or start `initial(now)` and save it as the first snapshot."""
        center, last_seq = _recover(journal)
        if center is None:
            now = clock()
            center = initial(now)
            journal.save_snapshot(0, now, center.snapshot())
        live = cls(center, journal, clock, snapshot_every=snapshot_every)
        live._seq = last_seq or 0
        # After a recovery, snapshot at the next command so the replay stays short.
        live._since_snapshot = 0 if last_seq is None else snapshot_every
        return live

    def execute(self, command: str, **args: Any) -> Any:
        """Apply one command now; returns the engine's result once it is durable."""
        apply = COMMANDS.get(command)
        if apply is None:
            raise BadInput(f"unknown command {command!r}")
        with self.lock:
            now = max(self.clock(), self.center.now)
            try:
                self.center.advance(now)
                result = apply(self.center, now, args)
            except (ValueError, KeyError) as exc:
                # The engine may have changed part of its state before refusing:
                # rebuild from what is durable, so memory and journal agree.
                self._rebuild()
                if isinstance(exc, KeyError):
                    name = exc.args[0] if exc.args else "?"
                    raise UnknownName(f"no agent or contact named {name!r}") from None
                raise EngineRefused(str(exc)) from None
            emitted = self.center.take_events()
            offers, prompts = self.center.take_offers(), self.center.take_prompts()
            self._seq = self.journal.record(now, command, args, emitted)
            self._since_snapshot += 1
            if self._since_snapshot >= self.snapshot_every:
                self.journal.save_snapshot(self._seq, now, self.center.snapshot())
                self._since_snapshot = 0
            for listener in self.listeners:
                listener(emitted, offers, prompts)
            return result

    def tick(self) -> float | None:
        """Fire the engine's due timers; returns when it next needs waking."""
        with self.lock:
            wake = self.center.next_wakeup()
            if wake is not None and wake <= self.clock():
                self.execute("advance")
                wake = self.center.next_wakeup()
            return wake

    def read(self, what: Callable[[Center], Any]) -> Any:
        with self.lock:
            return what(self.center)

    def _rebuild(self) -> None:
        center, _ = _recover(self.journal)
        if center is not None:
            self.center = center


def _recover(journal: Journal) -> tuple[Center | None, int | None]:
    found = journal.latest_snapshot()
    if found is None:
        return None, None
    seq, state = found
    center = Center.restore(state)
    for entry in journal.after(seq):
        center.advance(max(entry.at, center.now))
        COMMANDS[entry.command](center, entry.at, entry.args)
        center.take_events()
        center.take_offers()
        center.take_prompts()
        seq = entry.seq
    return center, seq
