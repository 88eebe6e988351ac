"""The driver's own timers: a heap of commands to issue, earliest first.

Written out rather than `heapq` over tuples: the simulator pops or pushes a
timer on nearly every step, and mypyc compiles these sift loops to native
float and int comparisons, where `heapq` compares tuples element by element
through Python's rich comparison (about twice as fast on bench/sim's heap).
Ties in time go by sequence number, so the order is exactly that of
`(at, seq)` tuples.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from callboard.engine import Command

if TYPE_CHECKING:
    # A machine integer to mypyc: index arithmetic without the overflow checks of `int`.
    # Only a type, so nothing needs mypy_extensions at run time.
    from mypy_extensions import i64

_INF: Final = float("inf")


class Timer:
    """Issue `command` at `at`; `queue` is the contact's queue ("" for agent actions)."""

    __slots__ = ("at", "command", "queue", "seq")

    def __init__(self, at: float, seq: int, command: Command, queue: str) -> None:
        self.at = at
        self.seq = seq
        self.command = command
        self.queue = queue


class TimerHeap:
    """`next_at` is the earliest timer's time, infinity when there is none.

    `push` numbers timers from `first_seq` in the order they are set;
    `push_numbered` gives one a number of its own, for timers known in
    advance that must win ties against those set as the run goes. A popped
    timer handed back with `recycle` carries a later one, which saves
    allocating and freeing an object for nearly every step.
    """

    __slots__ = ("_items", "_seq", "_spare", "next_at")

    def __init__(self, first_seq: int) -> None:
        self._items: list[Timer] = []
        self._spare: list[Timer] = []
        self._seq = first_seq
        self.next_at = _INF

    def __len__(self) -> int:
        return len(self._items)

    def push(self, at: float, command: Command, queue: str) -> None:
        seq = self._seq
        self._seq = seq + 1
        self.push_numbered(at, seq, command, queue)

    def push_numbered(self, at: float, seq: int, command: Command, queue: str) -> None:
        spare = self._spare
        if spare:
            timer = spare.pop()
            timer.at = at
            timer.seq = seq
            timer.command = command
            timer.queue = queue
        else:
            timer = Timer(at, seq, command, queue)
        self._sift_up(timer, len(self._items))

    def recycle(self, timer: Timer) -> None:
        """A popped timer the caller is done with: `push` reuses it."""
        self._spare.append(timer)

    def pop(self) -> Timer:
        """Remove and return the earliest timer; the heap must not be empty."""
        items = self._items
        last = items.pop()
        if not items:
            self.next_at = _INF
            return last
        top = items[0]
        # As heapq does: move the hole at the root down to a leaf along the smaller
        # children, then bring the last timer up from there.
        count: i64 = len(items)
        pos: i64 = 0
        child: i64 = 1
        while child < count:
            right = child + 1
            smaller = items[child]
            if right < count:
                other = items[right]
                if other.at < smaller.at or (other.at == smaller.at and other.seq < smaller.seq):
                    child = right
                    smaller = other
            items[pos] = smaller
            pos = child
            child = 2 * pos + 1
        self._sift_up(last, pos)
        return top

    def _sift_up(self, timer: Timer, pos: i64) -> None:
        """Place `timer` at `pos` (a hole, or one past the end) and move it up."""
        items = self._items
        if pos == len(items):
            items.append(timer)
        at = timer.at
        seq = timer.seq
        while pos > 0:
            parent_pos: i64 = (pos - 1) >> 1
            parent = items[parent_pos]
            if at < parent.at or (at == parent.at and seq < parent.seq):
                items[pos] = parent
                pos = parent_pos
            else:
                break
        items[pos] = timer
        self.next_at = items[0].at
