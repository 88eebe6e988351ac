"""What the engine knew at each queued contact's entry, rebuilt from contact records.

One chronological sweep over the records' events (queue entries and exits,
conversations, agents' work sessions) keeps per queue the same running
statistics the engine keeps (`engine/queues.py: QueueStats`): the smoothed
handle time and arrival gap, abandons over seconds waited, the last wait
answered, the waiting line by priority class. Agents on duty come from work
sessions as `sim.replay` builds them (conversations no more than
`SESSION_GAP_S` apart), since the records hold no logins; agents busy are the
conversations in progress. Asterisk's announced hold time is replayed too:
app_queue's `holdtime = (3·holdtime + wait)/4` per queue, updated when a call
connects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from callboard.errors import BadInput
from callboard.sim import SESSION_GAP_S

# The engine's weight of the newest observation (engine/queues.py SMOOTHING).
SMOOTHING = 0.02
_OFFERED = ("answered", "abandoned", "exited")
# Event kinds, in the order they are applied at one instant: whoever leaves
# frees a place before whoever arrives is counted behind it.
# A contact that left the instant it queued leaves after its own entry.
_SESSION_END, _TALK_END, _LEAVE, _SESSION_START, _TALK_START, _ENTER, _LEAVE_AT_ONCE = range(7)


@dataclass(frozen=True)
class EntryStates:
    """One row per contact that queued, in queue-entry order; seconds throughout.

    `wait_s` is the actual wait, `answered` tells whether it ended with an
    agent (otherwise the caller abandoned or was sent away and the true wait
    is censored). `staffed` counts agents on duty, `busy` those talking.
    `aht_s` is nan and `theta` 0 until the queue has seen a talk time and an
    abandonment; `les_s` is nan before the queue's first answered wait.
    """

    queue: NDArray[np.str_]
    day: NDArray[np.datetime64]
    hour: NDArray[np.int64]
    queued_at: NDArray[np.float64]
    wait_s: NDArray[np.float64]
    answered: NDArray[np.bool_]
    position: NDArray[np.int64]
    ahead_all: NDArray[np.int64]
    staffed: NDArray[np.int64]
    busy: NDArray[np.int64]
    aht_s: NDArray[np.float64]
    theta: NDArray[np.float64]
    arrival_rate: NDArray[np.float64]
    hol_s: NDArray[np.float64]
    les_s: NDArray[np.float64]
    asterisk_s: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.queue)

    def subset(self, rows: NDArray[np.bool_]) -> EntryStates:
        return EntryStates(**{name: getattr(self, name)[rows] for name in _FIELDS})


_FIELDS = tuple(EntryStates.__dataclass_fields__)


class _Queue:
    """The running statistics of one queue, as the engine's QueueStats keeps them."""

    def __init__(self) -> None:
        self.waiting: dict[int, dict[int, float]] = {}
        self.aht_s = float("nan")
        self.abandons = 0.0
        self.exposure_s = 0.0
        self.last_wait_s = float("nan")
        self.arrival_gap_s: float | None = None
        self.last_arrival_at: float | None = None
        self.holdtime_s = 0.0

    def arrive(self, now: float) -> None:
        last, gap = self.last_arrival_at, self.arrival_gap_s
        if last is not None:
            self.arrival_gap_s = now - last if gap is None else gap + SMOOTHING * (now - last - gap)
        self.last_arrival_at = now

    def position(self, priority: int) -> int:
        """1 + contacts waiting in this class or a higher one."""
        return 1 + sum(len(line) for p, line in self.waiting.items() if p >= priority)

    def head_wait(self, now: float) -> float:
        for priority in sorted(self.waiting, reverse=True):
            line = self.waiting[priority]
            for queued_at in line.values():
                return now - queued_at
        return 0.0


def entry_states(records: pa.Table) -> EntryStates:
    """Rebuild the state at every queue entry of `records` (RECORD_SCHEMA)."""
    columns = _columns(records)
    offered = np.isin(columns["outcome"], _OFFERED)
    if not offered.any():
        raise BadInput("no offered contacts in the records: nothing to evaluate")
    events = _events(columns, offered)
    queues: dict[str, _Queue] = {}
    rows: dict[str, list[float]] = {name: [] for name in _SWEPT}
    order: list[int] = []
    staffed = busy = 0
    waiting_total = 0
    queue_of, priority_of = columns["queue"], columns["priority"]
    wait_of, outcome_of = columns["wait_s"], columns["outcome"]
    for at, kind, index in events:
        if kind == _SESSION_START:
            staffed += 1
        elif kind == _SESSION_END:
            staffed -= 1
        elif kind == _TALK_START:
            busy += 1
        elif kind == _TALK_END:
            busy -= 1
            state = queues.setdefault(queue_of[index], _Queue())
            talk = float(columns["talk_s"][index]) + float(columns["acw_s"][index])
            state.aht_s = (
                talk if np.isnan(state.aht_s) else state.aht_s + SMOOTHING * (talk - state.aht_s)
            )
        elif kind == _ENTER:
            state = queues.setdefault(queue_of[index], _Queue())
            state.arrive(at)
            if not columns["queued"][index]:
                continue
            priority = int(priority_of[index])
            order.append(index)
            rows["position"].append(state.position(priority))
            rows["ahead_all"].append(waiting_total)
            rows["staffed"].append(staffed)
            rows["busy"].append(busy)
            rows["aht_s"].append(state.aht_s)
            rows["theta"].append(state.abandons / state.exposure_s if state.exposure_s else 0.0)
            gap = state.arrival_gap_s
            rows["arrival_rate"].append(1.0 / gap if gap else 0.0)
            rows["hol_s"].append(state.head_wait(at))
            rows["les_s"].append(state.last_wait_s)
            rows["asterisk_s"].append(state.holdtime_s)
            state.waiting.setdefault(priority, {})[index] = at
            waiting_total += 1
        else:  # _LEAVE
            state = queues[queue_of[index]]
            del state.waiting[int(priority_of[index])][index]
            waiting_total -= 1
            wait = float(wait_of[index])
            state.exposure_s += wait
            if outcome_of[index] == "answered":
                state.last_wait_s = wait
                state.holdtime_s = (3.0 * state.holdtime_s + wait) / 4.0
            elif outcome_of[index] == "abandoned":
                state.abandons += 1.0
    if not order:
        raise BadInput("no contact in the records waited in a queue: nothing to evaluate")
    chosen = np.array(order)
    swept = {name: np.array(values) for name, values in rows.items()}
    return EntryStates(
        queue=columns["queue"][chosen].astype(str),
        day=columns["day"][chosen],
        hour=columns["hour"][chosen],
        queued_at=columns["queued_at"][chosen],
        wait_s=wait_of[chosen],
        answered=outcome_of[chosen] == "answered",
        position=swept["position"].astype(np.int64),
        ahead_all=swept["ahead_all"].astype(np.int64),
        staffed=swept["staffed"].astype(np.int64),
        busy=swept["busy"].astype(np.int64),
        **{name: swept[name].astype(np.float64) for name in _SWEPT_FLOAT},
    )


_SWEPT_FLOAT = ("aht_s", "theta", "arrival_rate", "hol_s", "les_s", "asterisk_s")
_SWEPT = ("position", "ahead_all", "staffed", "busy", *_SWEPT_FLOAT)


def _columns(records: pa.Table) -> dict[str, NDArray[np.generic]]:
    def seconds(name: str) -> NDArray[np.float64]:
        values = records.column(name).cast(pa.int64()).to_numpy(zero_copy_only=False)
        return np.asarray(values, dtype=np.float64) / 1e6

    def floats(name: str) -> NDArray[np.float64]:
        values = records.column(name).to_numpy(zero_copy_only=False)
        return np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)

    local = records.column("local_time").to_numpy().astype("datetime64[m]")
    wait = np.asarray(records.column("wait_s").to_numpy(zero_copy_only=False), dtype=np.float64)
    return {
        "queue": np.asarray(records.column("queue").to_pylist(), dtype=object),
        "outcome": np.asarray(records.column("outcome").to_pylist(), dtype=object),
        "agent": np.asarray(records.column("agent").to_pylist(), dtype=object),
        "priority": np.asarray(records.column("priority").to_numpy(), dtype=np.int64),
        "queued": np.asarray(records.column("queued").to_numpy(zero_copy_only=False), dtype=bool),
        "queued_at": seconds("queued_at"),
        "answered_at": seconds("answered_at"),
        "ended_at": seconds("ended_at"),
        "wait_s": wait,
        "talk_s": floats("talk_s"),
        "acw_s": floats("acw_s"),
        "day": local.astype("datetime64[D]"),
        "hour": ((local - local.astype("datetime64[D]")).astype(np.int64) // 60).astype(np.int64),
    }


def _events(
    columns: dict[str, NDArray[np.generic]], offered: NDArray[np.bool_]
) -> list[tuple[float, int, int]]:
    """(time, kind, record index), sorted; a queued contact without a known wait is left out."""
    queued_at, wait = columns["queued_at"], columns["wait_s"]
    queued = np.asarray(columns["queued"], dtype=bool) & offered & np.isfinite(wait)
    columns["queued"] = queued
    events: list[tuple[float, int, int]] = []
    for index in np.flatnonzero(offered):
        at = float(queued_at[index])
        events.append((at, _ENTER, int(index)))
        if queued[index]:
            leave = _LEAVE if wait[index] > 0 else _LEAVE_AT_ONCE
            events.append((at + float(wait[index]), leave, int(index)))
    talks = _talks(columns, offered)
    for talk, began, ended in talks:
        events.append((began, _TALK_START, talk))
        events.append((ended, _TALK_END, talk))
    for began, ended in _sessions(columns, talks):
        events.append((began, _SESSION_START, -1))
        events.append((ended, _SESSION_END, -1))
    events.sort()
    return events


def _talks(
    columns: dict[str, NDArray[np.generic]], offered: NDArray[np.bool_]
) -> list[tuple[int, float, float]]:
    answered = offered & (columns["outcome"] == "answered") & np.isfinite(columns["answered_at"])
    began, ended = columns["answered_at"], columns["ended_at"]
    talks = []
    for index in np.flatnonzero(answered):
        start = float(began[index])
        stop = float(ended[index])
        talks.append((int(index), start, stop if np.isfinite(stop) and stop > start else start))
    return talks


def _sessions(
    columns: dict[str, NDArray[np.generic]], talks: list[tuple[int, float, float]]
) -> list[tuple[float, float]]:
    """Each agent's work sessions: conversations with gaps of at most SESSION_GAP_S."""
    by_agent: dict[str, list[tuple[float, float]]] = {}
    for index, began, ended in talks:
        agent = columns["agent"][index]
        if agent is not None:
            by_agent.setdefault(str(agent), []).append((began, ended))
    sessions: list[tuple[float, float]] = []
    for spans in by_agent.values():
        ordered = sorted(spans)
        start, end = ordered[0]
        for began, ended in ordered[1:]:
            if began - end > SESSION_GAP_S:
                sessions.append((start, end))
                start = began
            end = max(end, ended)
        sessions.append((start, end))
    return sessions
