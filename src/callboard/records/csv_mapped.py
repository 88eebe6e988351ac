"""Importer for any CSV of contacts, described by a column-mapping TOML file.

The mapping (passed as `options["mapping"]`, the CLI's `--mapping FILE`) says
which column gives each `ContactRecord` field, how times are written, which
zone naive times are on, and what each outcome value means. For example:

    source = "acme-acd"             # contact ids become "acme-acd:<contact_id>"
    timezone = "Europe/Berlin"      # zone of times without an offset (default: --tz)
    time_format = "%d.%m.%Y %H:%M:%S"  # strptime pattern, or iso, epoch, epoch_ms
    delimiter = ";"

    [columns]                       # field = CSV column
    contact_id = "CallID"
    queue = "Queue"
    queued_at = "QueueStart"
    outcome = "Result"
    answered_at = "Answered"
    ended_at = "Ended"
    agent = "Agent"

    [time_formats]                  # per-field override of time_format
    ended_at = "epoch"

    [outcomes]                      # CSV value (any case) = Callboard outcome
    OK = "answered"
    HANGUP = "abandoned"
    TIMEOUT = { outcome = "exited", exit_reason = "timeout" }

Column names match the header regardless of case. Durations (`wait_s`,
`talk_s`, ...) are seconds, or `[H:]MM:SS`. A duration that is not mapped is
derived from the times when both ends are known: wait is queue entry to answer
(or to leaving, for contacts not answered), talk is answer to end. The mapping
is checked before any row is read (`csv_mapping`), and a mistake in it is a
`BadConfig` naming the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from callboard.csv_table import CsvRow
from callboard.domain import Channel, ContactRecord, Outcome
from callboard.errors import BadInput, BadRecord
from callboard.records._csv_rows import (
    check_not_before,
    epoch_seconds,
    from_epoch,
    non_negative,
    read_header,
    read_rows,
    refuse_if_nothing_read,
)
from callboard.records.csv_mapping import FORMAT, CsvMapping, load_mapping
from callboard.records.importer import ParseResult, register_importer

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


@register_importer(FORMAT)
def parse_csv_mapped(path: Path, *, tz: str, options: Mapping[str, str]) -> ParseResult:
    """Import with the mapping in `options["mapping"]`; its timezone, if any, overrides `tz`."""
    if not options.get("mapping"):
        raise BadInput(f"{path}: the csv format needs a column-mapping file (--mapping FILE)")
    mapping = load_mapping(Path(options["mapping"]))
    zone = ZoneInfo(mapping.timezone or tz)
    name = str(path)
    what = f"a CSV described by {mapping.file}"
    header, lines = read_header(path, what, mapping.delimiter)
    wanted = {column.lower() for column in mapping.columns.values()}
    missing = sorted(wanted - set(header))
    if missing:
        raise BadInput(
            f"{name}: not {what}: the header has no column {', '.join(missing)} "
            f"(header: {', '.join(header)})"
        )
    columns = {field_name: column.lower() for field_name, column in mapping.columns.items()}
    result = ParseResult()
    for row in read_rows(path, result, header, lines, mapping.delimiter):
        try:
            result.records.append(_Row(name, row, columns, mapping, zone).record())
        except BadRecord as exc:
            result.reject(exc.file, exc.line, exc.field, exc.reason)
    refuse_if_nothing_read(result, name, what)
    return result


class _Row:
    """One CSV row read through the mapping; errors name the CSV column, not the field."""

    def __init__(
        self, name: str, row: CsvRow, columns: dict[str, str], mapping: CsvMapping, zone: ZoneInfo
    ) -> None:
        self.name, self.row, self.columns, self.mapping, self.zone = (
            name,
            row,
            columns,
            mapping,
            zone,
        )

    def fail(self, field_name: str, reason: str) -> BadRecord:
        return BadRecord(self.name, self.row.number, self.mapping.columns[field_name], reason)

    def text(self, field_name: str) -> str | None:
        column = self.columns.get(field_name)
        return (self.row.values[column] or None) if column is not None else None

    def time(self, field_name: str) -> datetime | None:
        value = self.text(field_name)
        if value is None:
            return None
        fmt = self.mapping.time_formats[field_name]
        column = self.mapping.columns[field_name]
        if fmt in ("epoch", "epoch_ms"):
            seconds = epoch_seconds(value, self.name, self.row.number, column)
            return from_epoch(seconds / 1000 if fmt == "epoch_ms" else seconds)
        try:
            moment = (
                datetime.fromisoformat(value) if fmt == "iso" else datetime.strptime(value, fmt)
            )
        except ValueError:
            raise self.fail(field_name, f"{value!r} does not match time format {fmt!r}") from None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=self.zone)

    def duration(self, field_name: str) -> float | None:
        """Seconds, as a number or `[H:]MM:SS`; negatives are refused."""
        value = self.text(field_name)
        if value is None:
            return None
        clock = _CLOCK.match(value)
        if clock:
            hours, minutes, secs = (int(g or 0) for g in clock.groups())
            return float(hours * 3600 + minutes * 60 + secs)
        seconds = non_negative(value)
        if seconds is None:
            raise self.fail(field_name, f"{value!r} is not a duration (seconds or [H:]MM:SS)")
        return seconds

    def required(self, field_name: str) -> str:
        value = self.text(field_name)
        if value is None:
            raise self.fail(field_name, f"is empty; {field_name} is required")
        return value

    def record(self) -> ContactRecord:
        contact_id = self.required("contact_id")
        queue = self.required("queue")
        value = self.required("outcome")
        try:
            outcome, mapped_reason = self.mapping.outcomes[value.casefold()]
        except KeyError:
            known = ", ".join(self.mapping.outcomes)
            raise self.fail(
                "outcome", f"{value!r} is not in [outcomes] of {self.mapping.file} ({known})"
            ) from None
        queued_at = self.time("queued_at")
        if queued_at is None:
            raise self.fail("queued_at", "is empty; queued_at is required")
        arrived = self.time("arrived_at")
        arrived_at = arrived or queued_at
        answered_at = self.time("answered_at") if outcome is Outcome.ANSWERED else None
        ended_at = self.time("ended_at")
        self.in_order(("arrived_at", arrived), ("queued_at", queued_at),
                      ("answered_at", answered_at), ("ended_at", ended_at))  # fmt: skip
        wait = self.duration("wait_s")
        if wait is None and outcome.offered:
            left = answered_at if outcome is Outcome.ANSWERED else ended_at
            wait = _seconds(queued_at, left)
        talk = self.duration("talk_s")
        if talk is None and answered_at is not None:
            talk = _seconds(answered_at, ended_at)
        ivr = self.duration("ivr_s")
        if ivr is None and arrived is not None:
            ivr = _seconds(arrived, queued_at)
        return ContactRecord(
            contact_id=f"{self.mapping.source}:{contact_id}",
            call_id=self.text("call_id") or contact_id,
            source=self.mapping.source,
            queue=queue,
            outcome=outcome,
            arrived_at=arrived_at,
            queued_at=queued_at,
            channel=self.channel(),
            priority=self.priority(),
            caller=self.text("caller"),
            region=self.text("region"),
            agent=self.text("agent") if outcome is Outcome.ANSWERED else None,
            answered_at=answered_at,
            ended_at=ended_at,
            queued=wait > 0 if wait is not None else outcome.offered,
            wait_s=wait,
            ivr_s=ivr,
            ring_s=self.duration("ring_s"),
            talk_s=talk,
            hold_s=self.duration("hold_s"),
            acw_s=self.duration("acw_s"),
            exit_reason=self.text("exit_reason") or mapped_reason,
            attributes={"category": category} if (category := self.text("category")) else {},
        )

    def in_order(self, *times: tuple[str, datetime | None]) -> None:
        """Each known time must not be before the known times listed ahead of it."""
        known = [(name, moment) for name, moment in times if moment is not None]
        for (earlier_name, earlier), (name, later) in pairwise(known):
            column, earlier_column = self.mapping.columns[name], self.mapping.columns[earlier_name]
            check_not_before(self.name, self.row.number, column, later, earlier, earlier_column)

    def priority(self) -> int:
        value = self.text("priority")
        try:
            return int(value) if value is not None else 0
        except ValueError:
            raise self.fail("priority", f"{value!r} is not a whole number") from None

    def channel(self) -> Channel:
        value = self.text("channel")
        try:
            return Channel(value.lower()) if value is not None else Channel.CALL
        except ValueError:
            names = ", ".join(c.value for c in Channel)
            raise self.fail("channel", f"{value!r} is not a channel ({names})") from None


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return (end - start).total_seconds() if end is not None else None
