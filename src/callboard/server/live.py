"""The live center: the engine on the wall clock, with every command journaled.

A command runs in two steps. Under one lock it advances the engine to now,
applies the command, drains its events and queues the journal row; that takes
microseconds. A writer thread then commits everything queued so far in one
transaction (group commit: one fsync for many commands), and only then is each
command answered, so an acknowledged change survives `kill -9` while commands
no longer wait for each other's fsync. Rows are written in the order the
commands were applied, so recovery (the latest snapshot plus a replay of the
journal after it) lands on the same state, queue order included.

Listeners hear each command's output after it is durable, in journal order, on
a thread of their own: an agent is never offered a contact a crash could
forget, and a listener may itself call `execute`.

The center keeps time between commands: every read first brings the engine to
now (`_catch_up`). With no timer due that only moves the engine's clock, which
changes nothing a replay would not reach on its own, so nothing is written; a
due timer fires through the journal like any command. The callers' pending
prompts are folded from each journaled command's output (server/prompts.py).

A `schedule` (server/shifts.py: a served scenario's rota) hands in commands of
its own time: before any command or advance, those due by then are applied and
journaled first, so the journal never holds a command at t ahead of a scheduled
one due by t, and a restart resumes the schedule at the recovered time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from callboard.domain import Event
from callboard.engine import Advance, Center, Command, Outputs
from callboard.errors import CallboardError
from callboard.server.prompts import SNAPSHOT_KEY, PendingPrompt, PendingPrompts
from callboard.store import Journal, JournalEntry, Snapshot

log = logging.getLogger(__name__)

_ADVANCE = Advance()


class StoreUnavailable(CallboardError):
    """The journal could not be written, so the command was not made; the API answers 503."""


class Schedule(Protocol):
    """Commands that fall due at times of their own (server/shifts.py)."""

    def next_at(self, after: float) -> float | None:
        """When the next one is due; `after` is the center's time."""

    def due(self, center: Center, until: float) -> Iterator[tuple[float, Command]]:
        """Those due by `until` in time order; each is applied before the next is asked."""

    def restart(self) -> None:
        """Forget what was handed out: the center went back to the store's state."""


Listener = Callable[[Outputs], None]
Waiter = tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]


class _Frozen:
    """A snapshot kept as JSON text: the base that rebuilds start from. Text, because
    the engine's own snapshot dict shares objects with the live center."""

    __slots__ = ("seq", "taken_at", "text")

    def __init__(self, seq: int, taken_at: float, state: dict[str, Any]) -> None:
        self.seq, self.taken_at, self.text = seq, taken_at, json.dumps(state)

    def thaw(self) -> Snapshot:
        return Snapshot(self.seq, self.taken_at, json.loads(self.text))


class _Batch:
    """Commands applied in memory whose rows are not written yet; answered together."""

    __slots__ = ("entries", "error", "outputs", "snapshot", "threads", "waiters")

    def __init__(self) -> None:
        self.entries: list[tuple[JournalEntry, Sequence[Event]]] = []
        self.outputs: list[Outputs] = []
        self.snapshot: _Frozen | None = None
        self.waiters: list[Waiter] = []  # coroutines, woken through their loop
        self.threads: list[threading.Event] = []  # blocked threads
        self.error: StoreUnavailable | None = None


class LiveCenter:
    def __init__(
        self,
        center: Center,
        journal: Journal,
        clock: Callable[[], float],
        *,
        base: _Frozen,
        tail: Iterable[JournalEntry] = (),
        prompts: PendingPrompts | None = None,
        snapshot_every: int = 1000,
    ) -> None:
        self.center = center
        self.journal = journal
        self.clock = clock
        self.snapshot_every = snapshot_every
        self.lock = threading.RLock()
        self.listeners: list[Listener] = []
        # The newest snapshot and the commands after it: what a rebuild replays.
        self._base = base
        self._tail = list(tail)
        self._seq = self._tail[-1].seq if self._tail else base.seq
        self.prompts = prompts or PendingPrompts()
        self.schedule: Schedule | None = None
        # Rewrites each command before it is applied and journaled (server/triage_hook.py).
        self.admission: Callable[[Command], Command] | None = None
        # The last command whose row is committed (set by the writer before it answers).
        self.durable_seq = self._seq
        # Set when a write failed: memory is ahead of the store until recovered.
        self._broken: StoreUnavailable | None = None
        self._queued = threading.Condition()  # guards _pending, _idle and _closing
        self._pending = _Batch()
        self._idle = False  # the writer is waiting for work and needs a notify
        self._closing = False
        self._durable: queue.SimpleQueue[_Batch | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="journal-writer", daemon=True)
        self._notifier = threading.Thread(target=self._notify, name="live-listeners", daemon=True)
        self._writer.start()
        self._notifier.start()

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
        found = _recover(journal)
        if found is None:
            now = clock()
            center = initial(now)
            base = _Frozen(0, now, center.snapshot())
            journal.write([], base.thaw())
            return cls(center, journal, clock, base=base, snapshot_every=snapshot_every)
        center, base, tail, prompts = found
        return cls(
            center, journal, clock, base=base, tail=tail, prompts=prompts,
            snapshot_every=snapshot_every,
        )  # fmt: skip

    def execute(self, command: Command) -> Any:
        """Apply one command now; returns the command's result once it is durable.

        Blocks the calling thread for the commit; async code awaits `submit` instead.
        """
        written = threading.Event()
        result, batch = self._apply(command, written)
        if batch is not None:
            written.wait()
            if batch.error is not None:
                raise StoreUnavailable(str(batch.error))
        return result

    async def submit(self, command: Command) -> Any:
        """`execute` for the event loop: the command is applied at once, and the
        coroutine resumes when the batch holding it is committed."""
        loop = asyncio.get_running_loop()
        written: asyncio.Future[None] = loop.create_future()
        result, batch = self._apply(command, (loop, written))
        if batch is not None:
            await written
        return result

    def tick(self) -> float | None:
        """Fire the engine's due timers and scheduled commands; returns when it next
        needs waking."""
        with self.lock:
            wake = self._next_wakeup()
            if wake is None or wake > self.clock():
                return wake
        self.execute(_ADVANCE)
        with self.lock:
            return self._next_wakeup()

    def read(self, what: Callable[[Center], Any]) -> Any:
        """`what` of the center at the current time (see `_catch_up`)."""
        with self.lock:
            self._catch_up()
            return what(self.center)

    def prompt(self, contact_id: str) -> PendingPrompt | None:
        """The caller's open prompt, once durable; None when there is nothing to answer."""
        with self.lock:
            return self.prompts.pending(contact_id, self.durable_seq)

    def close(self) -> None:
        """Write what is queued, then stop the writer and listener threads."""
        with self._queued:
            self._closing = True
            self._queued.notify()
        self._writer.join()
        self._notifier.join()

    # ------------------------------------------------------------- applying

    def _catch_up(self) -> None:
        """Bring the engine to now (under the lock), so every figure is current: longest
        wait grows between commands. A due timer fires through the journal (its row is
        queued, nobody waits for it); otherwise `Advance` only moves the engine's clock,
        makes no output, and a replay reaches the same state without a row."""
        center = self.center
        now = self.clock()
        if now <= center.now or self._closing:
            return
        wake = self._next_wakeup()
        if wake is None or wake > now:
            center.apply(now, _ADVANCE)
            return
        try:
            self._apply(_ADVANCE, None)
        except StoreUnavailable:
            # The store is down and the center waits to reload: a read still answers,
            # from the state before the timer, and the timer fires on a later try.
            log.debug("a due timer waits for the store; reading the state before it")

    def _next_wakeup(self) -> float | None:
        """The engine's next timer or the schedule's next command, whichever is first."""
        wake = self.center.next_wakeup()
        if self.schedule is None:
            return wake
        scheduled = self.schedule.next_at(self.center.now)
        if wake is None or scheduled is None:
            return scheduled if wake is None else wake
        return min(wake, scheduled)

    def _apply(
        self, command: Command, waiter: Waiter | threading.Event | None
    ) -> tuple[Any, _Batch | None]:
        """Run the command on the engine and queue its row; None when nothing needs writing.
        Scheduled commands due by now go first."""
        if self.admission is not None:
            command = self.admission(command)
        with self.lock:
            if self._broken is not None:
                self._reload()
            now = max(self.clock(), self.center.now)
            if self.schedule is not None:
                self._run_schedule(now)
            return self._run(now, command, waiter)

    def _run_schedule(self, now: float) -> None:
        """Apply and journal the scheduled commands due by `now` (under the lock); one the
        engine refuses is logged and skipped, never charged to the command that follows."""
        assert self.schedule is not None
        for at, command in self.schedule.due(self.center, now):
            try:
                self._run(max(at, self.center.now), command, None)
            except CallboardError:
                log.warning("scheduled %r was refused; skipped", command, exc_info=True)

    def _run(
        self, now: float, command: Command, waiter: Waiter | threading.Event | None
    ) -> tuple[Any, _Batch | None]:
        """Apply one command at `now` and queue its row (under the lock)."""
        center = self.center
        try:
            output = center.apply(now, command)
        except Exception:
            # The engine may have changed part of its state before refusing (or
            # failing): rebuild it from the commands it has taken, so memory and
            # journal agree. A refusal (CommandRefused) is the caller's 4xx; anything
            # else is a bug and answers 500.
            self.center = _replay(Center.restore(json.loads(self._base.text)), self._tail)
            raise
        if type(command) is Advance and not output:
            # Timers that changed nothing anyone saw: a replay fires them again
            # on its way to the next command, so there is nothing to write.
            return output.result, None
        emitted = output.events
        self._seq += 1
        entry = JournalEntry(self._seq, now, command)
        self.prompts.fold(self._seq, command, output)
        snapshot = None
        self._tail.append(entry)
        if len(self._tail) >= self.snapshot_every:
            snapshot = self._base = _Frozen(self._seq, now, self._state())
            self._tail = []
        with self._queued:
            if self._closing:
                raise StoreUnavailable("the live center has shut down")
            batch = self._pending
            batch.entries.append((entry, emitted))
            batch.outputs.append(output)
            if snapshot is not None:
                batch.snapshot = snapshot
            if isinstance(waiter, threading.Event):
                batch.threads.append(waiter)
            elif waiter is not None:
                batch.waiters.append(waiter)
            if self._idle:  # a busy writer takes this batch when its commit ends
                self._idle = False
                self._queued.notify()
        return output.result, batch

    def _state(self) -> dict[str, Any]:
        """What a snapshot holds: the engine's state and the pending prompts."""
        return {**self.center.snapshot(), SNAPSHOT_KEY: self.prompts.to_data()}

    def _reload(self) -> None:
        """After a failed write, start again from what the store holds (under the lock)."""
        try:
            found = _recover(self.journal)
        except Exception as exc:
            raise StoreUnavailable(f"the store is unavailable: {exc}") from None
        if found is None:
            raise StoreUnavailable("the store has lost the center's first snapshot")
        self.center, self._base, self._tail, self.prompts = found
        self._seq = self.durable_seq = self._tail[-1].seq if self._tail else self._base.seq
        self._broken = None
        if self.schedule is not None:
            self.schedule.restart()

    # --------------------------------------------------------------- writing

    def _write(self) -> None:
        """The writer thread: commit whatever is queued, one transaction per round."""
        while True:
            with self._queued:
                while not (self._pending.entries or self._pending.snapshot or self._closing):
                    self._idle = True
                    self._queued.wait()
                self._idle = False
                batch, self._pending = self._pending, _Batch()
                closing = self._closing
            if batch.entries or batch.snapshot:
                try:
                    snapshot = None if batch.snapshot is None else batch.snapshot.thaw()
                    self.journal.write(batch.entries, snapshot)
                except Exception as exc:
                    self._lost(batch, exc)
                else:
                    if batch.entries:
                        self.durable_seq = batch.entries[-1][0].seq
                    _answer(batch, None)
                    self._durable.put(batch)
            if closing:
                self._durable.put(None)
                return

    def _lost(self, batch: _Batch, exc: Exception) -> None:
        """A write failed: refuse its commands and every one applied after them, and
        reload the center from the store, so nothing unwritten is ever acknowledged."""
        log.error("journal write failed; reloading the center from the store", exc_info=exc)
        error = StoreUnavailable(f"the store could not be written ({exc}); the change was not made")
        with self.lock:
            with self._queued:
                later, self._pending = self._pending, _Batch()
            _answer(batch, error)
            _answer(later, error)
            self._broken = error
            try:
                self._reload()
            except StoreUnavailable:
                log.error("the store is still unavailable; the next command retries")

    def _notify(self) -> None:
        """The listener thread: each durable command's output, in journal order."""
        while (batch := self._durable.get()) is not None:
            for output in batch.outputs:
                for listener in self.listeners:
                    try:
                        listener(output)
                    except Exception:
                        log.exception("a live-center listener failed")


def _answer(batch: _Batch, error: StoreUnavailable | None) -> None:
    """Wake everyone waiting on the batch: threads at once, each event loop with one call."""
    batch.error = error
    for thread in batch.threads:
        thread.set()
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
    for loop, future in batch.waiters:
        by_loop.setdefault(loop, []).append(future)
    for loop, futures in by_loop.items():
        try:
            loop.call_soon_threadsafe(_resolve, futures, error)
        except RuntimeError:  # that loop has closed: nobody is left to answer
            continue


def _resolve(futures: list[asyncio.Future[None]], error: StoreUnavailable | None) -> None:
    for future in futures:
        if future.done():  # the request was cancelled, e.g. its client went away
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(StoreUnavailable(str(error)))


def _replay(
    center: Center, entries: Iterable[JournalEntry], prompts: PendingPrompts | None = None
) -> Center:
    for entry in entries:
        output = center.apply(entry.at, entry.command)
        if prompts is not None:
            prompts.fold(entry.seq, entry.command, output)
    return center


def _recover(
    journal: Journal,
) -> tuple[Center, _Frozen, list[JournalEntry], PendingPrompts] | None:
    """The latest snapshot and the journal after it, replayed, with the prompts pending
    at its end; None for a new store."""
    found = journal.latest_snapshot()
    if found is None:
        return None
    tail = list(journal.after(found.journal_seq))
    base = _Frozen(found.journal_seq, found.taken_at, found.state)
    prompts = PendingPrompts.from_snapshot(found.state)
    return _replay(Center.restore(found.state), tail, prompts), base, tail, prompts
