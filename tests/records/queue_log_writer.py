"""Test helper: contact records written out as the queue_log an Asterisk would have logged.

`write_queue_log(records, path)` keeps each contact's real timings: ENTERQUEUE
at `queued_at`, CONNECT at the answer with `wait_s` as holdtime, COMPLETECALLER
at the end with `talk_s` as calltime, ABANDON and the EXIT* events with `wait_s`
as waittime, and ring time as CONNECT's ringtime. It is what the round-trip
tests (records -> queue_log -> importer -> records) are built on.

Choices, each forced by what a queue_log can say:

- Phantom and IVR-abandoned contacts are left out: they never entered the
  Asterisk queue, so Asterisk would have logged nothing for them.
- One Asterisk has one clock, so a call's events never go backwards. The
  anonymous-bank data has VRU and ACD clocks that disagree by a second or more
  (10,162 January calls are answered "before" they left the VRU); such an event
  is written at the latest earlier event's second. Durations are written from
  the duration fields, so wait and talk are kept exactly.
- queue_log times are whole seconds, and so are the written durations.
- An answered contact with no known talk time (42 January rows) gets calltime
  0: COMPLETECALLER needs a number, and 0 keeps the talk-time total.
- Each contact gets its own Asterisk-style callid, `<arrival epoch>.<n>`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from callboard.domain import ContactRecord, Outcome

LEFT_OUT = (Outcome.PHANTOM, Outcome.IVR_ABANDONED)
# exit_reason -> the event Asterisk logs for it; the importer maps them back.
EXIT_EVENTS = {
    "timeout": "EXITWITHTIMEOUT",
    "exit_key": "EXITWITHKEY",
    "leave_empty": "EXITEMPTY",
    "withdraw": "WITHDRAW",
}
BLOCK_EVENTS = {"queue_full": "FULL", "join_empty": "JOINEMPTY"}


@dataclass(frozen=True)
class QueueLogWritten:
    contacts: int
    left_out: int
    lines: int


def write_queue_log(records: Iterable[ContactRecord], path: Path) -> QueueLogWritten:
    """Write `records` as one time-ordered queue_log file; say how many were left out."""
    events: list[tuple[int, int, str]] = []  # (epoch, order written, line)
    contacts = left_out = 0
    for record in records:
        if record.outcome in LEFT_OUT:
            left_out += 1
            continue
        callid = f"{_epoch(record.arrived_at)}.{contacts}"
        contacts += 1
        for epoch, line in _contact_lines(record, callid):
            events.append((epoch, len(events), f"{epoch}|{callid}|{record.queue}|{line}"))
    events.sort()
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(f"{line}\n" for _, _, line in events)
    return QueueLogWritten(contacts=contacts, left_out=left_out, lines=len(events))


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _seconds(value: float | None) -> int:
    return round(value or 0.0)


def _contact_lines(record: ContactRecord, callid: str) -> list[tuple[int, str]]:
    """`(epoch, "agent|EVENT|data...")` for one contact, never going backwards."""
    entered = _epoch(record.queued_at)
    wait = _seconds(record.wait_s)
    if record.outcome is Outcome.BLOCKED:
        return [(entered, f"NONE|{_event(BLOCK_EVENTS, record)}|")]
    lines = [(entered, f"NONE|ENTERQUEUE||{record.caller or ''}|1")]
    if record.outcome is Outcome.ANSWERED:
        answered = record.answered_at
        connected = max(_epoch(answered) if answered else entered + wait, entered)
        ended = max(_epoch(record.ended_at) if record.ended_at else connected, connected)
        agent = record.agent or "NONE"
        ring = _seconds(record.ring_s)
        lines.append((connected, f"{agent}|CONNECT|{wait}|{callid}.1|{ring}"))
        lines.append((ended, f"{agent}|COMPLETECALLER|{wait}|{_seconds(record.talk_s)}|1"))
        return lines
    left = max(_epoch(record.ended_at) if record.ended_at else entered + wait, entered)
    if record.outcome is Outcome.ABANDONED:
        lines.append((left, f"NONE|ABANDON|1|1|{wait}"))
    else:
        event = _event(EXIT_EVENTS, record)
        key = f"{record.attributes.get('exit_key', '0')}|" if event == "EXITWITHKEY" else ""
        lines.append((left, f"NONE|{event}|{key}1|1|{wait}"))
    return lines


def _event(events: dict[str, str], record: ContactRecord) -> str:
    """The queue_log event for a contact's exit_reason; Asterisk logs no other reasons."""
    try:
        return events[record.exit_reason or ""]
    except KeyError:
        raise ValueError(
            f"{record.contact_id}: {record.outcome.value} with exit_reason "
            f"{record.exit_reason!r} has no queue_log event; known: {', '.join(events)}"
        ) from None
