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
is checked before any row is read, and a mistake in it is a `BadConfig` naming
the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from callboard.domain import Channel, ContactRecord, Outcome
from callboard.errors import BadConfig, BadInput, BadRecord
from callboard.records._csv_rows import (
    CsvRow,
    check_not_before,
    epoch_seconds,
    from_epoch,
    non_negative,
    read_header,
    read_rows,
    refuse_if_nothing_read,
)
from callboard.records.importer import ParseResult, register_importer

FORMAT = "csv"
REQUIRED_FIELDS = ("contact_id", "queue", "queued_at", "outcome")
OPTIONAL_FIELDS = (
    "arrived_at", "answered_at", "ended_at", "wait_s", "ivr_s", "ring_s", "talk_s", "hold_s",
    "acw_s", "call_id", "agent", "caller", "region", "exit_reason", "priority", "channel",
)  # fmt: skip
FIELDS = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)
TIME_FIELDS = ("arrived_at", "queued_at", "answered_at", "ended_at")
TIME_WORDS = ("iso", "epoch", "epoch_ms")
TOP_KEYS = ("source", "timezone", "time_format", "delimiter", "columns", "time_formats", "outcomes")
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class CsvMapping:
    """A validated mapping file; `columns` maps a ContactRecord field to its CSV column."""

    file: str
    columns: dict[str, str]
    outcomes: dict[str, tuple[Outcome, str | None]]  # keys case-folded
    source: str = FORMAT
    timezone: str | None = None
    time_formats: dict[str, str] = field(default_factory=dict)  # every mapped time field
    delimiter: str = ","


def load_mapping(path: Path) -> CsvMapping:
    """Read and check a mapping file; every problem is a BadConfig naming its key."""
    file = str(path)
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise BadConfig(file, "(file)", f"cannot read the mapping: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadConfig(file, "(syntax)", f"not valid TOML: {exc}") from None

    def fail(key: str, problem: str) -> BadConfig:
        return BadConfig(file, key, problem)

    def text(key: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def table(key: str) -> dict[str, object]:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            raise fail(key, f"must be a table ([{key}]), got {value!r}")
        return value

    for key in raw:
        if key not in TOP_KEYS:
            raise fail(key, f"unknown key; expected one of {', '.join(TOP_KEYS)}")
    columns: dict[str, str] = {}
    for name, column in table("columns").items():
        if name not in FIELDS:
            raise fail(
                f"columns.{name}", f"not a contact field; expected one of {', '.join(FIELDS)}"
            )
        columns[name] = text(f"columns.{name}", column)
    for name in REQUIRED_FIELDS:
        if name not in columns:
            raise fail(f"columns.{name}", f'required: name the CSV column, e.g. {name} = "..."')

    default_format = _time_format(fail, "time_format", raw.get("time_format", "iso"))
    time_formats = {name: default_format for name in TIME_FIELDS if name in columns}
    for name, value in table("time_formats").items():
        if name not in time_formats:
            mapped = ", ".join(time_formats)
            raise fail(f"time_formats.{name}", f"not a mapped time field; mapped: {mapped}")
        time_formats[name] = _time_format(fail, f"time_formats.{name}", value)

    timezone = None
    if "timezone" in raw:
        timezone = text("timezone", raw["timezone"])
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail("timezone", f"unknown time zone {timezone!r}; use an IANA name") from None
    delimiter = raw.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise fail("delimiter", f"must be one character, got {delimiter!r}")

    outcomes: dict[str, tuple[Outcome, str | None]] = {}
    for value, meaning in table("outcomes").items():
        key = f"outcomes.{value}"
        if value.casefold() in outcomes:
            raise fail(key, "given twice (values are matched regardless of case)")
        outcomes[value.casefold()] = _outcome(fail, key, meaning)
    if not outcomes:
        raise fail("outcomes", 'missing: map each outcome value, e.g. ANSWERED = "answered"')
    return CsvMapping(
        file=file,
        columns=columns,
        outcomes=outcomes,
        source=text("source", raw.get("source", FORMAT)),
        timezone=timezone,
        time_formats=time_formats,
        delimiter=delimiter,
    )


def _time_format(fail: Callable[[str, str], BadConfig], key: str, value: object) -> str:
    if not isinstance(value, str) or (value not in TIME_WORDS and "%" not in value):
        raise fail(key, f"{value!r} is not a strptime pattern (with %) nor one of {TIME_WORDS}")
    return value


def _outcome(
    fail: Callable[[str, str], BadConfig], key: str, meaning: object
) -> tuple[Outcome, str | None]:
    names = ", ".join(o.value for o in Outcome)
    exit_reason = None
    if isinstance(meaning, dict):
        unknown = set(meaning) - {"outcome", "exit_reason"}
        if unknown:
            raise fail(key, f"unknown keys {sorted(unknown)}; use outcome and exit_reason")
        exit_reason = meaning.get("exit_reason")
        if exit_reason is not None and not isinstance(exit_reason, str):
            raise fail(key, f"exit_reason must be a string, got {exit_reason!r}")
        meaning = meaning.get("outcome")
    try:
        return Outcome(str(meaning)), exit_reason
    except ValueError:
        raise fail(key, f"{meaning!r} is not an outcome; use one of {names}") from None


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
