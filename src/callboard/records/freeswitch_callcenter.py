"""Importer for FreeSWITCH mod_callcenter member records (CDR rows as CSV with a header).

mod_callcenter sets channel variables on the caller's (member's) channel, and a
CDR template exports them: `cc_queue`, `cc_member_uuid`, `cc_queue_joined_epoch`,
then either `cc_cause=answered` with `cc_queue_answered_epoch`,
`cc_queue_terminated_epoch` and `cc_agent`, or `cc_cause=cancel` with
`cc_queue_canceled_epoch` and `cc_cancel_reason`. The module knows four cancel
reasons: NONE, TIMEOUT (max-wait-time), NO_AGENT_TIMEOUT
(max-wait-time-with-no-agent) and BREAK_OUT (the member's wait loop ended
without an agent: the caller hung up, or pressed one of `cc_exit_keys`, which
also sets `cc_exit_key`). Some builds log EXIT_WITH_KEY for the latter.

Rows from the agent's leg (`cc_side=agent`) and CDRs of calls that never
entered a queue (empty `cc_queue`) are counted (`agent_legs`, `not_queued`),
not imported; a member with no `cc_cause` left the queue without an outcome
and is counted as `unfinished_contacts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from callboard.csv_table import CsvRow
from callboard.domain import ContactRecord, Outcome
from callboard.errors import BadRecord
from callboard.records._csv_rows import (
    check_not_before,
    epoch_seconds,
    from_epoch,
    read_header,
    read_rows,
    refuse_if_nothing_read,
    require_columns,
)
from callboard.records.importer import ParseResult, register_importer

FORMAT = "freeswitch-callcenter"
WHAT = "a mod_callcenter member CSV"
REQUIRED = {
    "cc_queue": "the queue name",
    "cc_queue_joined_epoch": "when the member joined the queue",
    "cc_cause": "answered or cancel",
}
# BREAK_OUT is the caller's doing (Ab) unless an exit key was pressed; the
# timeouts are the queue's (X). NO_AGENT_TIMEOUT is the same thing as Asterisk's
# leave-empty, so it gets the same exit_reason and KPIs treat them alike.
CANCEL_REASONS: dict[str, tuple[Outcome, str | None]] = {
    "BREAK_OUT": (Outcome.ABANDONED, None),
    "TIMEOUT": (Outcome.EXITED, "timeout"),
    "NO_AGENT_TIMEOUT": (Outcome.EXITED, "leave_empty"),
    "EXIT_WITH_KEY": (Outcome.EXITED, "exit_key"),
}


@register_importer(FORMAT)
def parse_freeswitch_callcenter(path: Path, *, tz: str, options: Mapping[str, str]) -> ParseResult:
    """Epochs are UTC instants, so `tz` only decides the local day, downstream."""
    result = ParseResult()
    name = str(path)
    header, lines = read_header(path, WHAT)
    require_columns(name, header, REQUIRED, WHAT)
    if "cc_member_uuid" not in header and "uuid" not in header:
        require_columns(name, header, {"cc_member_uuid": "or uuid, the member's id"}, WHAT)
    for row in read_rows(path, result, header, lines):
        values = row.values
        if values.get("cc_side", "").lower() == "agent":
            result.counters["agent_legs"] += 1
        elif not values["cc_queue"]:
            result.counters["not_queued"] += 1
        elif not values["cc_cause"]:
            result.counters["unfinished_contacts"] += 1
        else:
            try:
                result.records.append(_record(name, row))
            except BadRecord as exc:
                result.reject(exc.file, exc.line, exc.field, exc.reason)
    refuse_if_nothing_read(result, name, WHAT)
    return result


def _record(name: str, row: CsvRow) -> ContactRecord:
    values = row.values

    def optional(column: str) -> datetime | None:
        text = values.get(column, "")
        if text in ("", "0"):  # FreeSWITCH leaves unset epochs empty or 0
            return None
        return from_epoch(epoch_seconds(text, name, row.number, column))

    def required(column: str) -> datetime:
        moment = optional(column)
        if moment is None:
            cause = values["cc_cause"]
            raise BadRecord(name, row.number, column, f"is empty or 0; cc_cause {cause} needs it")
        return moment

    joined = required("cc_queue_joined_epoch")
    start = optional("start_epoch")
    if start is not None:
        check_not_before(name, row.number, "cc_queue_joined_epoch", joined, start, "start_epoch")
    member = values.get("cc_member_uuid") or values.get("uuid")
    if not member:
        raise BadRecord(name, row.number, "cc_member_uuid", "no member uuid (nor uuid)")
    record = ContactRecord(
        contact_id=f"fs:{member}:{int(joined.timestamp())}",
        call_id=values.get("uuid") or member,
        source=FORMAT,
        queue=values["cc_queue"],
        outcome=Outcome.ANSWERED,
        arrived_at=start or joined,
        queued_at=joined,
        caller=values.get("caller_id_number") or None,
        ivr_s=(joined - start).total_seconds() if start is not None else None,
    )
    cause = values["cc_cause"].lower()
    if cause == "answered":
        answered = required("cc_queue_answered_epoch")
        check_not_before(
            name, row.number, "cc_queue_answered_epoch", answered, joined, "cc_queue_joined_epoch"
        )
        ended = optional("cc_queue_terminated_epoch")
        if ended is not None:
            check_not_before(
                name, row.number, "cc_queue_terminated_epoch", ended, answered,
                "cc_queue_answered_epoch",
            )  # fmt: skip
        wait = (answered - joined).total_seconds()
        return replace(
            record,
            agent=values.get("cc_agent") or None,
            answered_at=answered,
            ended_at=ended,
            queued=wait > 0,
            wait_s=wait,
            talk_s=(ended - answered).total_seconds() if ended is not None else None,
        )
    if cause != "cancel":
        raise BadRecord(name, row.number, "cc_cause", f"{cause!r} is not answered or cancel")
    reason = values.get("cc_cancel_reason", "").upper()
    if reason not in CANCEL_REASONS:
        known = ", ".join(CANCEL_REASONS)
        raise BadRecord(
            name, row.number, "cc_cancel_reason", f"{reason!r} is not a cancel reason ({known})"
        )
    outcome, exit_reason = CANCEL_REASONS[reason]
    exit_key = values.get("cc_exit_key", "")
    if exit_key:
        outcome, exit_reason = Outcome.EXITED, "exit_key"
    canceled = required("cc_queue_canceled_epoch")
    check_not_before(
        name, row.number, "cc_queue_canceled_epoch", canceled, joined, "cc_queue_joined_epoch"
    )
    attributes = {"cancel_reason": reason} | ({"exit_key": exit_key} if exit_key else {})
    return replace(
        record,
        outcome=outcome,
        exit_reason=exit_reason,
        ended_at=canceled,
        queued=True,
        wait_s=(canceled - joined).total_seconds(),
        attributes=attributes,
    )
