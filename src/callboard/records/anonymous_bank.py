"""Importer for the Technion "Anonymous Bank" monthly call files (Brown et al. 2005).

Each row is one call: VRU stage, queue stage and service stage, each a start,
an exit and a duration, on one `yymmdd` date with `H:MM:SS` clock times. A stage
that runs past midnight shows an exit earlier than its start; the duration field
tells that apart from a clock that went backwards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from callboard.csv_table import read_lines
from callboard.domain import ContactRecord, Outcome
from callboard.errors import BadInput, BadRecord
from callboard.records.importer import ParseResult, Rejection, register_importer

FORMAT = "anonymous-bank"
FIELDS = (
    "vru+line", "call_id", "customer_id", "priority", "type", "date",
    "vru_entry", "vru_exit", "vru_time", "q_start", "q_exit", "q_time",
    "outcome", "ser_start", "ser_exit", "ser_time", "server",
)  # fmt: skip
NO_TIME = "0:00:00"
_TIME = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})$")
_DATE = re.compile(r"^(\d{2})(\d{2})(\d{2})$")
# A time this far before the call's VRU entry is read as the next day; smaller
# gaps are clock skew between the VRU and the ACD, which the real data shows.
_SKEW = timedelta(hours=1)
_DAY = 86400


@register_importer(FORMAT)
def parse_anonymous_bank(path: Path, *, tz: str, options: Mapping[str, str]) -> ParseResult:
    zone = ZoneInfo(tz)
    result = ParseResult()
    name = str(path)
    lines = read_lines(path)
    header = next(lines, None)
    if header is None or header.text is None or header.text.split() != list(FIELDS):
        raise BadInput(
            f"{name}: not an anonymous-bank file: the first line must be the header "
            f"{' '.join(FIELDS)!r} (tab-separated)"
        )
    for line in lines:
        if line.text is None:
            result.rows_read += 1
            result.reject(name, line.number, None, line.error or "unreadable")
            continue
        if not line.text.strip():
            continue
        result.rows_read += 1
        values = line.text.split("\t")
        if len(values) != len(FIELDS):
            tokens = line.text.split()
            if len(tokens) != len(FIELDS):
                result.reject(
                    name, line.number, None,
                    f"has {len(values)} tab-separated fields, expected {len(FIELDS)} "
                    "(truncated or malformed line)",
                )  # fmt: skip
                continue
            values = tokens
            result.repaired.append(
                Rejection(
                    name, line.number, None, "fields separated by spaces; split on whitespace"
                )
            )
        try:
            record, note = _record(dict(zip(FIELDS, values, strict=True)), zone, name, line.number)
        except BadRecord as exc:
            result.rejections.append(Rejection.from_error(exc))
            continue
        if note is not None:
            result.repaired.append(Rejection(name, line.number, None, note))
        result.records.append(record)
    if result.rows_read and not result.records and len(result.rejections) == result.rows_read:
        first = result.rejections[0]
        raise BadInput(
            f"{name}: no row could be read as anonymous-bank data; first problem: {first}"
        )
    return result


def _record(
    row: dict[str, str], zone: ZoneInfo, name: str, number: int
) -> tuple[ContactRecord, str | None]:
    def fail(field: str, reason: str) -> BadRecord:
        return BadRecord(name, number, field, reason)

    def integer(field: str) -> int:
        try:
            return int(row[field])
        except ValueError:
            raise fail(field, f"{row[field]!r} is not a whole number") from None

    def clock(field: str) -> int:
        match = _TIME.match(row[field])
        if not match:
            raise fail(field, f"{row[field]!r} is not a time of day H:MM:SS")
        h, m, s = (int(g) for g in match.groups())
        if h > 23 or m > 59 or s > 59:
            raise fail(field, f"{row[field]!r} is not a valid time of day")
        return h * 3600 + m * 60 + s

    match = _DATE.match(row["date"])
    if not match:
        raise fail("date", f"{row['date']!r} is not a date yymmdd")
    yy, mm, dd = (int(g) for g in match.groups())
    try:
        day = date(1900 + yy if yy >= 70 else 2000 + yy, mm, dd)
    except ValueError as exc:
        raise fail("date", f"{row['date']!r}: {exc}") from None
    outcome_code = row["outcome"]
    if outcome_code not in ("AGENT", "HANG", "PHANTOM"):
        raise fail("outcome", f"{outcome_code!r} is not one of AGENT, HANG, PHANTOM")
    queue = row["type"].strip()
    if not queue:
        raise fail("type", "empty service type")

    midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
    vru_entry = clock("vru_entry")

    def at(field: str) -> datetime:
        seconds = clock(field)
        if seconds < vru_entry - _SKEW.total_seconds():
            seconds += _DAY
        # Arithmetic on the wall clock; zoneinfo resolves the offset per instant.
        return (midnight + timedelta(seconds=seconds)).astimezone(zone)

    def stage(start_field: str, exit_field: str, duration_field: str) -> tuple[datetime, datetime]:
        start, end = at(start_field), at(exit_field)
        duration = integer(duration_field)
        if end < start:
            wrapped = end + timedelta(days=1)
            if abs((wrapped - start).total_seconds() - duration) <= 2:
                end = wrapped
            else:
                raise fail(
                    exit_field,
                    f"{row[exit_field]} is before {start_field} {row[start_field]} "
                    f"({duration_field} {duration}): times go backwards",
                )
        return start, end

    note = None
    entered, left_vru = at("vru_entry"), at("vru_exit")
    ivr_s: float | None = float(integer("vru_time"))
    if left_vru < entered:
        note = (
            f"vru_exit {row['vru_exit']} is before vru_entry {row['vru_entry']} "
            f"(vru_time {row['vru_time']}); kept the call, arrival taken as vru_exit"
        )
        entered, ivr_s = left_vru, None

    queued = row["q_start"] != NO_TIME
    q_start = q_exit = None
    wait: float | None = None
    if queued:
        q_start, q_exit = stage("q_start", "q_exit", "q_time")
        wait = float(integer("q_time"))
    answered_at = ended_at = None
    talk: float | None = None
    if outcome_code != "HANG" and row["ser_start"] != NO_TIME:
        answered_at, ended_at = stage("ser_start", "ser_exit", "ser_time")
        talk = float(integer("ser_time"))

    if outcome_code == "PHANTOM":
        outcome = Outcome.PHANTOM
    elif outcome_code == "AGENT":
        outcome = Outcome.ANSWERED
        if answered_at is None:
            # The real file has AGENT rows with no service stage; the call was
            # still answered, when it left the queue, for an unknown time.
            answered_at = q_exit if q_exit is not None else left_vru
            note = "AGENT call without service times; answered at queue exit, talk time unknown"
        wait = wait if queued else 0.0
    elif queued:
        outcome = Outcome.ABANDONED
        ended_at = q_exit
    else:
        outcome = Outcome.IVR_ABANDONED
        ended_at = left_vru

    server = row["server"].strip()
    customer = row["customer_id"].strip()
    line_id = row["vru+line"].strip()
    record = ContactRecord(
        contact_id=f"ab:{line_id}:{row['call_id']}:{row['date']}",
        call_id=f"{line_id}:{row['call_id']}",
        source=FORMAT,
        queue=queue,
        outcome=outcome,
        arrived_at=entered,
        queued_at=q_start if q_start is not None else left_vru,
        priority=integer("priority"),
        caller=customer if customer not in ("", "0") else None,
        agent=server if outcome is Outcome.ANSWERED and server != "NO_SERVER" else None,
        answered_at=answered_at if outcome is not Outcome.ABANDONED else None,
        ended_at=ended_at,
        queued=queued,
        wait_s=wait,
        ivr_s=ivr_s,
        talk_s=talk,
        attributes={"vru_line": line_id},
    )
    return record, note
