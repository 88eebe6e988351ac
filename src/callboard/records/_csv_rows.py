"""The importers' side of the CSV reader (`callboard.csv_table`): rows counted into a
`ParseResult`, bad ones rejected there, and the checks every CSV importer shares.

An importer's file is a machine-written export, so every row must have the
header's field count; a line with bad bytes or a wrong count is one rejected
row, and the rest of the file is still imported.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from callboard.csv_table import CsvRow, Line, open_csv, rows_under
from callboard.errors import BadInput, BadRecord
from callboard.records.importer import ParseResult


def read_header(path: Path, what: str, delimiter: str = ",") -> tuple[list[str], Iterator[Line]]:
    """The header cells (lower-cased) and the lines after it; no header means wrong format."""
    table = open_csv(path, delimiter)
    if table.head is None or table.head.text is None:
        problem = "is empty" if table.head is None else "starts with a line that is not UTF-8"
        raise BadInput(f"{path}: not {what}: the file {problem}; expected a CSV header line")
    return table.header, table.lines


def read_rows(
    path: Path, result: ParseResult, header: list[str], lines: Iterator[Line], delimiter: str = ","
) -> Iterator[CsvRow]:
    """Yield each data row under `header`; count it, and reject the unreadable ones.

    Every non-blank line counts in `result.rows_read`, so callers only see
    rows whose cells can be looked up by column name.
    """
    for row in rows_under(header, lines, path, delimiter, exact=True):
        result.rows_read += 1
        if isinstance(row, BadRecord):
            result.reject(row.file, row.line, row.field, row.reason)
        else:
            yield row


def require_columns(name: str, header: list[str], required: dict[str, str], what: str) -> None:
    """Refuse a file whose header lacks a required column: it is not this format.

    `required` maps each column to a short description used in the message.
    """
    missing = [column for column in required if column not in header]
    if missing:
        wanted = ", ".join(f"{c} ({required[c]})" for c in missing)
        raise BadInput(f"{name}: not {what}: the header has no column {wanted}")


def refuse_if_nothing_read(result: ParseResult, name: str, what: str) -> None:
    """A file whose every row was rejected is the wrong format, not a file of bad rows."""
    if result.rows_read and not result.records and len(result.rejections) == result.rows_read:
        raise BadInput(
            f"{name}: not {what}: no row could be read; first problem: {result.rejections[0]}"
        )


def non_negative(value: str) -> float | None:
    """The number in `value` if it is finite and not negative, else None."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if 0 <= number < math.inf else None


def epoch_seconds(value: str, name: str, number: int, field: str) -> float:
    """A POSIX time in seconds; fractions allowed, negatives and NaN refused."""
    seconds = non_negative(value)
    if seconds is None:
        raise BadRecord(name, number, field, f"{value!r} is not a time in epoch seconds")
    return seconds


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def check_not_before(
    name: str, number: int, field: str, later: datetime, earlier: datetime, earlier_field: str
) -> None:
    """Refuse a row whose `field` is before `earlier_field`: its durations would be negative."""
    if later < earlier:
        raise BadRecord(
            name, number, field,
            f"{later.isoformat()} is before {earlier_field} {earlier.isoformat()}: "
            "times go backwards",
        )  # fmt: skip
