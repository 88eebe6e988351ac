"""Importer for Asterisk app_queue's queue_log, in its file form and its database form.

The file form is `epoch|callid|queuename|agent|event|data...`, one event per
line, in the order Asterisk wrote them. The database form is a CSV export of
the `queue_log` table: `time,callid,queuename,agent,event,data1..data5` (or one
`data` column with the fields joined by `|`), with `time` as local or GMT text;
`--tz` says which. See `shared/formats/asterisk-queue-log.md`.

One contact is built per queue entry: ENTERQUEUE opens it and the first of
CONNECT + COMPLETE*/transfer, ABANDON, EXIT* or WITHDRAW closes it. A call
transferred into another queue enters again under the same callid and yields a
second contact. FULL and JOINEMPTY are written instead of an ENTERQUEUE, so
they are contacts on their own: blocked, never queued.

What is not a contact is counted in `ParseResult.counters`, not rejected:
`orphan_events` (a call's events with no ENTERQUEUE before them, as after log
rotation), `unfinished_contacts` (an ENTERQUEUE never closed), `agent_events`
and `system_events` (logins, pauses, reloads), and `unknown_events` plus
`unknown_event:<NAME>` (anything else, such as FreePBX's DID).

Rejected are lines that cannot be read and, so that no contact is ever built
from part of its events, every line of a call that has such a line (when its
callid can still be read), every line of a call whose clock steps back by more
than `BACKWARDS_TOLERANCE_S`, and every line of a queue entry whose events come
in an impossible order (ABANDON after CONNECT). A line with bad bytes has no
readable callid; the rest of its call is kept as if the line were missing, and
the orphan and unfinished counts show what that cost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain
from pathlib import Path
from zoneinfo import ZoneInfo

from callboard.csv_table import Line, first_line, read_lines, split_csv
from callboard.domain import ContactRecord, Outcome
from callboard.errors import BadInput, BadRecord
from callboard.records._csv_rows import (
    epoch_seconds,
    from_epoch,
    non_negative,
    read_rows,
    refuse_if_nothing_read,
)
from callboard.records.asterisk_agents import agent_spans
from callboard.records.importer import ParseResult, register_importer

FORMAT = "asterisk-queue-log"
# Asterisk logs a call's events from more than one thread (the caller's and the
# member's channel) and truncates to whole seconds, so a step back of a second
# or two is normal; anything larger is a clock or a file put together wrongly.
BACKWARDS_TOLERANCE_S = 2.0
# Callids of events that belong to no call (agent and system events).
NO_CALL = frozenset({"NONE", "REALTIME", "MANAGER", "CLI"})
AGENT_EVENTS = frozenset({
    "ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL", "PENALTY",
    "AGENTLOGIN", "AGENTLOGOFF", "AGENTCALLBACKLOGIN", "AGENTCALLBACKLOGOFF",
})  # fmt: skip
SYSTEM_EVENTS = frozenset({"QUEUESTART", "CONFIGRELOAD"})
_FILE_FIELDS = "epoch|callid|queuename|agent|event|data..."
_DB_COLUMNS = ("time", "callid", "queuename", "agent", "event")


@dataclass(frozen=True, slots=True)
class _Spec:
    """The data fields a call event must carry: how many, and which are numbers."""

    min_fields: int
    numbers: tuple[int, ...]  # positions (negative from the end) that must be numbers
    fields: str  # for messages


_SPECS: dict[str, _Spec] = {
    "ENTERQUEUE": _Spec(2, (), "url, callerid_num, origposition"),
    "CONNECT": _Spec(1, (0, 2), "holdtime_s, agent_channel_uniqueid, ringtime_s"),
    "COMPLETECALLER": _Spec(2, (0, 1), "holdtime_s, calltime_s, origposition"),
    "COMPLETEAGENT": _Spec(2, (0, 1), "holdtime_s, calltime_s, origposition"),
    "BLINDTRANSFER": _Spec(4, (2, 3), "exten, context, holdtime_s, calltime_s, origposition"),
    "TRANSFER": _Spec(4, (2, 3), "exten, context, holdtime_s, calltime_s"),
    "ATTENDEDTRANSFER": _Spec(5, (-3, -2), "kind, target..., holdtime_s, calltime_s, origposition"),
    "ABANDON": _Spec(3, (2,), "position, origposition, waittime_s"),
    "EXITWITHTIMEOUT": _Spec(3, (2,), "position, origposition, waittime_s"),
    "EXITEMPTY": _Spec(3, (2,), "position, origposition, waittime_s"),
    "EXITWITHKEY": _Spec(2, (3,), "key, position, origposition, waittime_s"),
    "WITHDRAW": _Spec(3, (2,), "position, origposition, waittime_s, info"),
    "RINGNOANSWER": _Spec(1, (0,), "ringtime_ms"),
    # A ring stopped because the caller left or another member answered first
    # (ringall): it overlaps other rings, so it is checked but not added to ring_s.
    "RINGCANCELED": _Spec(1, (0,), "ms since the ring started"),
    # Written by dialplans, with data of their own making: nothing is required.
    "LEAVEEMPTY": _Spec(0, (), ""),
    "FULL": _Spec(0, (), ""),
    "JOINEMPTY": _Spec(0, (), ""),
    # The member hung up on the announcement, or its channel could not take the
    # call: the caller keeps waiting, so these change nothing in the contact.
    "AGENTDUMP": _Spec(0, (), ""),
    "SYSCOMPAT": _Spec(0, (), ""),
}

# Answered contacts end here; the value is the data position of calltime_s.
_ANSWER_ENDS = {
    "COMPLETECALLER": 1, "COMPLETEAGENT": 1, "BLINDTRANSFER": 3, "TRANSFER": 3,
    "ATTENDEDTRANSFER": -2,
}  # fmt: skip
# Contacts that leave without an agent: (outcome, exit_reason, waittime_s position).
# ABANDON is the caller hanging up (Ab); every other way out is the system's
# doing (X): timeout, exit key, leave-empty. WITHDRAW is X too: the caller was
# taken out of the queue through the manager interface (for example for a
# callback), which is neither a hang-up nor an answer.
_WAIT_ENDS: dict[str, tuple[Outcome, str | None, int | None]] = {
    "ABANDON": (Outcome.ABANDONED, None, 2),
    "EXITWITHTIMEOUT": (Outcome.EXITED, "timeout", 2),
    "EXITWITHKEY": (Outcome.EXITED, "exit_key", 3),
    "EXITEMPTY": (Outcome.EXITED, "leave_empty", 2),
    "LEAVEEMPTY": (Outcome.EXITED, "leave_empty", None),
    "WITHDRAW": (Outcome.EXITED, "withdraw", 2),
}
# Refused before queueing (B): the queue was full, or had no members to join.
_BLOCKS = {"FULL": "queue_full", "JOINEMPTY": "join_empty"}


@dataclass(frozen=True, slots=True)
class QueueEvent:
    """One queue_log line; `at` is POSIX seconds."""

    line: int
    at: float
    callid: str
    queue: str
    agent: str
    name: str
    data: tuple[str, ...]

    def number(self, position: int) -> float | None:
        """A numeric data field, or None when absent; validated when the line was read."""
        if not -len(self.data) <= position < len(self.data) or not self.data[position]:
            return None
        return float(self.data[position])


@register_importer(FORMAT)
def parse_asterisk_queue_log(path: Path, *, tz: str, options: Mapping[str, str]) -> ParseResult:
    """Read either form (told apart by the database form's header) into contacts."""
    reader = _Reader(path)
    lines = read_lines(path)
    head = first_line(lines)
    if head is None:
        return reader.result
    header = split_csv(head.text.lower()) if head.text is not None else []
    if {"time", "callid", "event"} <= set(header):
        events = reader.database_events(header, lines, ZoneInfo(tz))
    else:
        events = reader.file_events(chain([head], lines))
    if reader.result.rows_read and not events:
        refuse_if_nothing_read(
            reader.result, reader.name, f"an Asterisk queue_log ({_FILE_FIELDS})"
        )
    _Assembler(reader.name, reader.result, reader.spoiled).run(events)
    spans, span_counters = agent_spans(
        sorted((e.at, e.agent, e.queue, e.name, e.data) for e in events if e.name in AGENT_EVENTS),
        source=FORMAT,
    )
    reader.result.agent_spans.extend(spans)
    reader.result.counters.update(span_counters)
    return reader.result


class _Reader:
    """Reads lines into events, rejecting bad lines and noting whose call they spoil.

    A bad line whose callid can still be read spoils that call: building its
    contacts from the remaining lines would give wrong figures (an answered call
    without its talk time, a call that seems never to end), so the assembler
    rejects all of them, naming the bad line.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)
        self.result = ParseResult()
        self.spoiled: dict[str, int] = {}  # callid -> first bad line

    def bad(self, exc: BadRecord, callid: str) -> None:
        self.result.reject(exc.file, exc.line, exc.field, exc.reason)
        if callid and callid not in NO_CALL:
            self.spoiled.setdefault(callid, exc.line)

    def file_events(self, lines: Iterator[Line]) -> list[QueueEvent]:
        events = []
        for line in lines:
            if line.text is not None and not line.text.strip():
                continue
            self.result.rows_read += 1
            if line.text is None:
                self.result.reject(self.name, line.number, None, line.error or "unreadable")
                continue
            fields = line.text.split("|")
            # A callid followed by a '|' is whole even when the line is cut short.
            callid = fields[1].strip() if len(fields) >= 3 else ""
            try:
                if len(fields) < 5:
                    raise BadRecord(
                        self.name, line.number, None,
                        f"has {len(fields)} '|'-separated fields, expected at least 5 "
                        f"({_FILE_FIELDS}); truncated line?",
                    )  # fmt: skip
                at = epoch_seconds(fields[0].strip(), self.name, line.number, "time")
                events.append(_event(self.name, line.number, at, fields[1:5], fields[5:]))
            except BadRecord as exc:
                self.bad(exc, callid)
        return events

    def database_events(
        self, header: list[str], lines: Iterator[Line], zone: ZoneInfo
    ) -> list[QueueEvent]:
        """Rows of the queue_log table, sorted by time: a table export has no order of its own."""
        missing = [c for c in _DB_COLUMNS if c not in header]
        data_columns = sorted(
            (c for c in header if c.startswith("data") and c[4:].isdigit()),
            key=lambda c: int(c[4:]),
        ) or [c for c in header if c == "data"]
        if missing or not data_columns:
            wanted = ", ".join(missing or ["data1..data5 (or data)"])
            raise BadInput(
                f"{self.name}: not a queue_log table export: the header has no column {wanted}"
            )
        events = []
        for row in read_rows(self.path, self.result, header, lines):
            cells = [row.values[c] for c in data_columns]
            while cells and not cells[-1]:
                cells.pop()
            # Asterisk packs fields beyond the fifth into data5 joined by '|', and
            # the old schema packs all of them into `data`.
            data = "|".join(cells).split("|") if cells else []
            try:
                at = _table_time(row.values["time"], zone, self.name, row.number)
                keys = [row.values[c] for c in _DB_COLUMNS[1:]]
                events.append(_event(self.name, row.number, at, keys, data))
            except BadRecord as exc:
                self.bad(exc, row.values["callid"])
        events.sort(key=lambda e: (e.at, e.line))
        return events


def _table_time(text: str, zone: ZoneInfo, name: str, number: int) -> float:
    """`YYYY-MM-DD HH:MM:SS[.ffffff]` on the `--tz` clock, unless it carries its own offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadRecord(
            name, number, "time", f"{text!r} is not a time YYYY-MM-DD HH:MM:SS[.ffffff]"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.timestamp()


def _event(name: str, number: int, at: float, keys: list[str], data: list[str]) -> QueueEvent:
    callid, queue, agent, event = (k.strip() for k in keys)
    if not event:
        raise BadRecord(name, number, "event", "empty event name")
    if not callid:
        raise BadRecord(name, number, "callid", "empty callid")
    spec = _SPECS.get(event)
    if spec is not None:
        if len(data) < spec.min_fields:
            raise BadRecord(
                name, number, "data",
                f"{event} needs {spec.min_fields} data fields ({spec.fields}), got {len(data)}; "
                "truncated line?",
            )  # fmt: skip
        for position in spec.numbers:
            index = position if position >= 0 else len(data) + position
            if index >= len(data) or (not data[index] and index >= spec.min_fields):
                continue
            if non_negative(data[index]) is None:
                raise BadRecord(
                    name, number, f"data{index + 1}",
                    f"{data[index]!r} is not a number of seconds or ms ({event}: {spec.fields})",
                )  # fmt: skip
    return QueueEvent(number, at, callid, queue, agent, event, tuple(data))


@dataclass
class _Contact:
    """A queue entry being followed from ENTERQUEUE to its end."""

    enter: QueueEvent
    events: list[QueueEvent] = field(default_factory=list)
    connect: QueueEvent | None = None
    ring_ms: float = 0.0
    ring_attempts: int = 0


class _OutOfOrder(Exception):
    """An event that cannot follow the contact's previous ones (ABANDON after CONNECT)."""


class _Assembler:
    """Turns the events of each call into contacts, counting what is not one."""

    def __init__(self, name: str, result: ParseResult, spoiled: dict[str, int]) -> None:
        self.name = name
        self.result = result
        self.spoiled = spoiled
        self.used_ids: set[str] = set()

    def run(self, events: list[QueueEvent]) -> None:
        calls: dict[str, list[QueueEvent]] = defaultdict(list)
        counters = self.result.counters
        for event in events:
            if event.name in AGENT_EVENTS:
                counters["agent_events"] += 1
            elif event.name in SYSTEM_EVENTS:
                counters["system_events"] += 1
            elif event.name not in _SPECS:
                counters["unknown_events"] += 1
                counters[f"unknown_event:{event.name}"] += 1
            elif event.callid in NO_CALL:
                counters["orphan_events"] += 1
            else:
                calls[event.callid].append(event)
        for callid, call in calls.items():
            if callid in self.spoiled:
                self._reject_call(call, f"line {self.spoiled[callid]} of the call was rejected")
            elif not self._goes_backwards(call):
                self._contacts(call)

    def _reject_call(self, call: list[QueueEvent], reason: str) -> None:
        for event in call:
            self.result.reject(
                self.name, event.line, None,
                f"call {event.callid}: {reason}; the whole call is rejected",
            )  # fmt: skip

    def _goes_backwards(self, call: list[QueueEvent]) -> bool:
        """Reject every line of a call whose clock steps back by more than the tolerance."""
        latest = call[0]
        for event in call[1:]:
            if event.at < latest.at - BACKWARDS_TOLERANCE_S:
                back = latest.at - event.at
                self._reject_call(
                    call,
                    f"{event.name} at line {event.line} is {back:.0f} s before {latest.name} "
                    f"at line {latest.line}: times go backwards",
                )
                return True
            if event.at > latest.at:
                latest = event
        return False

    def _contacts(self, call: list[QueueEvent]) -> None:
        counters = self.result.counters
        contact: _Contact | None = None
        for event in call:
            if event.name in _BLOCKS:
                self.result.records.append(self._blocked(event))
            elif event.name == "ENTERQUEUE":
                if contact is not None:
                    counters["unfinished_contacts"] += 1
                contact = _Contact(event)
            elif contact is None:
                counters["orphan_events"] += 1
            else:
                contact.events.append(event)
                try:
                    record = self._step(contact, event)
                except _OutOfOrder as exc:
                    self._reject_contact(contact, event, str(exc))
                    contact = None
                    continue
                if record is not None:
                    self.result.records.append(record)
                    contact = None
        if contact is not None:
            counters["unfinished_contacts"] += 1

    def _step(self, contact: _Contact, event: QueueEvent) -> ContactRecord | None:
        """Apply one event; return the finished record when it closes the contact."""
        connected = contact.connect is not None
        if event.name == "RINGNOANSWER":
            contact.ring_ms += event.number(0) or 0.0
            contact.ring_attempts += 1
        elif event.name == "CONNECT":
            if connected:
                raise _OutOfOrder("a second CONNECT for one queue entry")
            contact.connect = event
        elif event.name in _ANSWER_ENDS:
            if contact.connect is None:
                raise _OutOfOrder(f"{event.name} without a CONNECT before it")
            return self._answered(contact, contact.connect, event)
        elif event.name in _WAIT_ENDS:
            if connected:
                raise _OutOfOrder(f"{event.name} after CONNECT: the call was already answered")
            return self._left(contact, event)
        return None

    def _record(
        self, enter: QueueEvent, outcome: Outcome, end: QueueEvent, reason: str | None = None
    ) -> ContactRecord:
        """What every contact of this format carries; the outcome adds the rest."""
        return ContactRecord(
            contact_id=self._contact_id(enter),
            call_id=enter.callid,
            source=FORMAT,
            queue=enter.queue,
            outcome=outcome,
            arrived_at=from_epoch(enter.at),
            queued_at=from_epoch(enter.at),
            ended_at=from_epoch(end.at),
            exit_reason=reason,
            caller=_caller(enter),
        )

    def _answered(self, contact: _Contact, connect: QueueEvent, end: QueueEvent) -> ContactRecord:
        """Wait is CONNECT's holdtime, talk the end's calltime, ring all member attempts."""
        wait = connect.number(0) or 0.0
        ring = connect.number(2)
        ring_s = None
        if ring is not None or contact.ring_attempts:
            ring_s = contact.ring_ms / 1000 + (ring or 0.0)
        return replace(
            self._record(contact.enter, Outcome.ANSWERED, end),
            agent=connect.agent if connect.agent not in ("", "NONE") else None,
            answered_at=from_epoch(connect.at),
            queued=wait > 0,
            wait_s=wait,
            ring_s=ring_s,
            talk_s=end.number(_ANSWER_ENDS[end.name]),
            attributes=_attributes(contact, end),
        )

    def _left(self, contact: _Contact, end: QueueEvent) -> ContactRecord:
        outcome, reason, wait_at = _WAIT_ENDS[end.name]
        wait = end.number(wait_at) if wait_at is not None else None
        return replace(
            self._record(contact.enter, outcome, end, reason),
            queued=True,
            wait_s=wait if wait is not None else max(0.0, end.at - contact.enter.at),
            ring_s=contact.ring_ms / 1000 if contact.ring_attempts else None,
            attributes=_attributes(contact, end),
        )

    def _blocked(self, event: QueueEvent) -> ContactRecord:
        return self._record(event, Outcome.BLOCKED, event, _BLOCKS[event.name])

    def _contact_id(self, enter: QueueEvent) -> str:
        """`ast:<callid>:<queue>:<entry epoch>`: stable across re-imports and log rotation.

        A per-file ordinal would not do: the second queue entry of a call
        split across two rotated files would get the first one's id and be
        dropped as a duplicate.
        """
        base = f"ast:{enter.callid}:{enter.queue}:{int(enter.at)}"
        contact_id, n = base, 1
        while contact_id in self.used_ids:
            n += 1
            contact_id = f"{base}:{n}"
        self.used_ids.add(contact_id)
        return contact_id

    def _reject_contact(self, contact: _Contact, bad: QueueEvent, reason: str) -> None:
        for event in [contact.enter, *contact.events]:
            why = reason if event is bad else f"part of the contact rejected at line {bad.line}"
            self.result.reject(self.name, event.line, "event", f"{bad.name}: {why}")


def _caller(enter: QueueEvent) -> str | None:
    if enter.name != "ENTERQUEUE" or len(enter.data) < 2:
        return None
    number = enter.data[1].strip()
    return number or None


def _attributes(contact: _Contact, end: QueueEvent) -> dict[str, str]:
    attributes = {"end_event": end.name}
    if contact.ring_attempts:
        attributes["ring_attempts"] = str(contact.ring_attempts)
    if end.name == "EXITWITHKEY":
        attributes["exit_key"] = end.data[0]
    return attributes
