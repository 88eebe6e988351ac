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
    """Sums of entry contributions over the last `spans_s` seconds each, (now - span, now]."""

    def __init__(self, spans_s: tuple[float, ...]) -> None:
        self.spans_s = spans_s
        self._deques: list[deque[Entry]] = [deque() for _ in spans_s]
        self.totals: list[list[int]] = [[0] * WIDTH for _ in spans_s]

    def add(self, entry: Entry) -> None:
        """Entries must come in entry-time order (the engine's queue order)."""
        for entries in self._deques:
            entries.append(entry)

    def expire(self, now: float) -> None:
        for span, entries, totals in zip(self.spans_s, self._deques, self.totals, strict=True):
            edge = now - span
            while entries and entries[0].entered_at <= edge:
                counts = entries.popleft().counts
                for index in range(WIDTH):
                    totals[index] -= counts[index]

    def change(self, entry: Entry, counts: Counts, now: float) -> None:
        """Replace the entry's contribution in every window it is still inside (after `expire`)."""
        old = entry.counts
        entry.counts = counts
        for span, totals in zip(self.spans_s, self.totals, strict=True):
            if entry.entered_at > now - span:
                for index in range(WIDTH):
                    totals[index] += counts[index] - old[index]


class ArrivalWindow:
    """How many arrivals fell in the last `span_s` seconds, (now - span, now]."""

    def __init__(self, span_s: float) -> None:
        self.span_s = span_s
        self._times: deque[float] = deque()

    def add(self, at: float) -> None:
        self._times.append(at)

    def count(self, now: float) -> int:
        times, edge = self._times, now - self.span_s
        while times and times[0] <= edge:
            times.popleft()
        return len(times)
