"""Counters over rolling windows keyed by when a contact entered the queue.

KPI.md counts a contact where it entered the queue, but its outcome is known
only later. Each contact is therefore an `Entry` that sits in one deque per
window in entry order; its contribution to the counters can change while it
is inside a window, and is taken out when it slides past. Every contact is
appended and popped once per window, so the cost is O(1) amortised.
"""

from __future__ import annotations

from collections import deque

# Positions in a contribution vector.
OFFERED = 0  # O: answered, abandoned or exited
ANSWERED_IN_T = 1  # A(wait <= T)
ABANDONED = 2  # Ab
SHORT_ABANDONED = 3  # Ab_s (wait < S)
OVERDUE = 4  # still unanswered past T: already certain to miss the target
WIDTH = 5

Counts = tuple[int, int, int, int, int]
ZERO: Counts = (0, 0, 0, 0, 0)


class Entry:
    """One contact in its queue; `waiting` is true until answered, finished or a callback."""

    __slots__ = ("counts", "entered_at", "settled", "waiting")

    def __init__(self, entered_at: float) -> None:
        self.entered_at = entered_at
        self.counts: Counts = ZERO
        self.waiting = True
        self.settled = False  # its final contribution is known


class EntryWindows:
    """Sums of entry contributions over the last `spans_s` seconds each, (now - span, now],
    and over the current reporting interval, [start, start + interval_s) with `start` a
    multiple of `interval_s` in POSIX seconds (15 or 30 minutes: whole quarter or half
    hours), which is what the projected SL for the interval builds on.

    `interval_entered` counts the entries of the interval, settled or not.
    """

    def __init__(self, spans_s: tuple[float, ...], interval_s: float) -> None:
        if interval_s > max(spans_s):
            raise ValueError("the interval must fit in the longest window")
        self.spans_s = spans_s
        self._deques: list[deque[Entry]] = [deque() for _ in spans_s]
        self._longest = self._deques[spans_s.index(max(spans_s))]
        self.totals: list[list[int]] = [[0] * WIDTH for _ in spans_s]
        self.interval_s = interval_s
        self.interval_start = float("-inf")
        self.interval: list[int] = [0] * WIDTH
        self.interval_entered = 0

    def add(self, entry: Entry) -> None:
        """Entries must come in entry-time order (the engine's queue order)."""
        for entries in self._deques:
            entries.append(entry)
        if entry.entered_at >= self.interval_start:
            self.interval_entered += 1

    def expire(self, now: float) -> None:
        for span, entries, totals in zip(self.spans_s, self._deques, self.totals, strict=True):
            edge = now - span
            while entries and entries[0].entered_at <= edge:
                counts = entries.popleft().counts
                for index in range(WIDTH):
                    totals[index] -= counts[index]
        start = now - now % self.interval_s
        if start > self.interval_start:
            self._begin_interval(start)

    def _begin_interval(self, start: float) -> None:
        """A new interval: its entries so far are in the longest window (once an interval)."""
        self.interval_start = start
        self.interval = [0] * WIDTH
        self.interval_entered = 0
        for entry in self._longest:
            if entry.entered_at >= start:
                self.interval_entered += 1
                for index in range(WIDTH):
                    self.interval[index] += entry.counts[index]

    def change(self, entry: Entry, counts: Counts, now: float) -> None:
        """Replace the entry's contribution in every window it is still inside (after `expire`)."""
        old = entry.counts
        entry.counts = counts
        for span, totals in zip(self.spans_s, self.totals, strict=True):
            if entry.entered_at > now - span:
                for index in range(WIDTH):
                    totals[index] += counts[index] - old[index]
        if entry.entered_at >= self.interval_start:
            for index in range(WIDTH):
                self.interval[index] += counts[index] - old[index]


class RollingSum:
    """The count and sum of values added in the last `span_s` seconds, (now - span, now].

    Arrivals add 1 each; handle times and waits add their seconds.
    """

    def __init__(self, span_s: float) -> None:
        self.span_s = span_s
        self._items: deque[tuple[float, float]] = deque()
        self._total = 0.0

    def add(self, at: float, value: float = 1.0) -> None:
        self._items.append((at, value))
        self._total += value

    def count(self, now: float) -> int:
        self._expire(now)
        return len(self._items)

    def total(self, now: float) -> float:
        self._expire(now)
        return self._total if self._items else 0.0

    def _expire(self, now: float) -> None:
        items, edge = self._items, now - self.span_s
        while items and items[0][0] <= edge:
            self._total -= items.popleft()[1]
