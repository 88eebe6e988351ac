"""Reading the CSV exports the importers share, one physical line at a time.

Rows are split with the `csv` module but read through `read_lines`, so a line
with bad bytes costs only that line. The price is that a quoted field cannot
span lines; none of the exports we read (Asterisk's queue_log table,
mod_callcenter CDRs, ACD reports) write one, and a row broken that way is
rejected as a wrong field count rather than silently merged.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from callboard.errors import BadInput, BadRecord
from callboard.records.importer import ParseResult
from callboard.records.lines import Line, read_lines


@dataclass(frozen=True, slots=True)
class CsvRow:
    number: int  # 1-based line number in the file
    values: dict[str, str]  # header name -> stripped cell


def split_csv(text: str, delimiter: str = ",") -> list[str]:
    """Split one line as CSV (quotes honoured) and strip each cell."""
    return [cell.strip() for cell in next(csv.reader([text], delimiter=delimiter), [])]


def first_line(lines: Iterator[Line]) -> Line | None:
    """The first line with any text, which is where a CSV header is."""
    for line in lines:
        if line.text is None or line.text.strip():
            return line
    return None


def read_header(path: Path, what: str, delimiter: str = ",") -> tuple[list[str], Iterator[Line]]:
    """The header cells (lower-cased) and the lines after it; no header means wrong format."""
    lines = read_lines(path)
    head = first_line(lines)
    if head is None or head.text is None:
        problem = "is empty" if head is None else "starts with a line that is not UTF-8"
        raise BadInput(f"{path}: not {what}: the file {problem}; expected a CSV header line")
    return [cell.lower() for cell in split_csv(head.text, delimiter)], lines


def read_rows(
    path: Path, result: ParseResult, header: list[str], lines: Iterator[Line], delimiter: str = ","
) -> Iterator[CsvRow]:
    """Yield each data row under `header`; count it, and reject the unreadable ones.

    Every non-blank line counts in `result.rows_read`. A row with bad bytes or a
    field count other than the header's is rejected here, so callers only see
    rows whose cells can be looked up by column name.
    """
    name = str(path)
    for line in lines:
        if line.text is not None and not line.text.strip():
            continue
        result.rows_read += 1
        if line.text is None:
            result.reject(name, line.number, None, line.error or "unreadable")
            continue
        cells = split_csv(line.text, delimiter)
        if len(cells) != len(header):
            result.reject(
                name, line.number, None,
                f"has {len(cells)} fields, expected {len(header)} as in the header "
                "(truncated or malformed line)",
            )  # fmt: skip
            continue
        yield CsvRow(line.number, dict(zip(header, cells, strict=True)))


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
