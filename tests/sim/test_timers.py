"""The driver's timer heap pops in exactly the order of `(at, seq)` tuples in heapq,
ties in time included, whatever mix of pushes, numbered pushes and pops."""

from __future__ import annotations

import heapq
import random

from callboard.engine import Advance
from callboard.sim.timers import TimerHeap


def test_the_heap_pops_in_tuple_order_with_ties_and_reuse() -> None:
    rng = random.Random(7)
    heap = TimerHeap(first_seq=1000)
    reference: list[tuple[float, int]] = []
    seq = 1000
    command = Advance()
    for _ in range(5000):
        if reference and rng.random() < 0.45:
            timer = heap.pop()
            assert (timer.at, timer.seq) == heapq.heappop(reference)
            heap.recycle(timer)
        else:
            # Few distinct times, so that ties are common.
            at = float(rng.randrange(50))
            if rng.random() < 0.2:
                number = rng.randrange(1000)
                heap.push_numbered(at, number, command, "")
                heapq.heappush(reference, (at, number))
            else:
                heap.push(at, command, "q")
                heapq.heappush(reference, (at, seq))
                seq += 1
        assert heap.next_at == (reference[0][0] if reference else float("inf"))
        assert len(heap) == len(reference)
    while reference:
        timer = heap.pop()
        assert (timer.at, timer.seq) == heapq.heappop(reference)
