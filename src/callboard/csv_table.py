"""The one CSV reader: headed CSV files read one physical line at a time.

Each line is decoded on its own, so a line with bad bytes costs only that
row, never the file. The price is that a quoted field cannot span lines; none
of the files we read (queue_log table exports, mod_callcenter CDRs, ACD
reports, counts, calendars, people) write one, and a row broken that way is
refused as a wrong field count rather than silently merged.

A whole-file problem (unreadable, no header, a missing column) is `BadInput`;
a row's problem is a `BadRecord` with file, line and field. The importers
count bad rows and go on (`CsvFile.rows` hands them over); the planning
readers stop at the first (`read_table` raises it). Header names are matched
case-insensitively and cells are stripped, so a hand-edited spreadsheet
export reads the same as a generated file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from callboard.errors import BadInput, BadRecord

_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based, as an editor shows it
    text: str | None  # None when the bytes are not UTF-8
    error: str | None = None


def read_lines(path: Path) -> Iterator[Line]:
    """Yield each line without its line ending (LF or CRLF), decoded as UTF-8; a byte-order
    mark that spreadsheet programs put first is dropped."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            raw = raw.rstrip(b"\r\n")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Line(number, None, f"bytes are not UTF-8 at column {exc.start + 1}")
                continue
            yield Line(number, text.removeprefix(_BOM) if number == 1 else text)


def split_csv(text: str, delimiter: str = ",") -> list[str]:
    """Split one line as CSV (quotes honoured) and strip each cell."""
    return [cell.strip() for cell in next(csv.reader([text], delimiter=delimiter), [])]


def first_line(lines: Iterator[Line]) -> Line | None:
    """The first line with any text, which is where a CSV header is."""
    for line in lines:
        if line.text is None or line.text.strip():
            return line
    return None


@dataclass(frozen=True, slots=True)
class CsvRow:
    number: int  # 1-based line number in the file
    values: dict[str, str]  # header name (lower case) -> stripped cell


@dataclass
class CsvFile:
    """An open CSV file: its header line and the lines after it."""

    path: Path
    head: Line | None  # None for an empty file; its text is None when not UTF-8
    lines: Iterator[Line]
    delimiter: str = ","

    @property
    def header(self) -> list[str]:
        """The column names in lower case; empty when there is no readable header."""
        if self.head is None or self.head.text is None:
            return []
        return [cell.lower() for cell in split_csv(self.head.text, self.delimiter)]

    def missing(self, columns: Sequence[str]) -> list[str]:
        return [column for column in columns if column not in self.header]

    def rows(self, *, exact: bool = True) -> Iterator[CsvRow | BadRecord]:
        return rows_under(self.header, self.lines, self.path, self.delimiter, exact=exact)


def rows_under(
    header: list[str], lines: Iterator[Line], path: Path, delimiter: str = ",", *, exact: bool
) -> Iterator[CsvRow | BadRecord]:
    """Each non-blank line of `lines`: a row under `header`, or the BadRecord that says why not.

    `exact` rows have as many cells as the header, as a program writes them.
    Otherwise, for files people edit, cells missing at the end of a row are
    empty, empty cells past the header are ignored, and rows of empty cells
    are skipped.
    """
    name, width = str(path), len(header)
    for line in lines:
        if line.text is None:
            yield BadRecord(name, line.number, None, line.error or "unreadable")
            continue
        if not line.text.strip():
            continue
        cells = split_csv(line.text, delimiter)
        if not exact:
            if not any(cells):
                continue
            if not any(cells[width:]):
                cells = cells[:width] + [""] * (width - len(cells))
        if len(cells) != width:
            yield BadRecord(
                name, line.number, None,
                f"has {len(cells)} fields, expected {width} as in the header "
                "(truncated or malformed line)",
            )  # fmt: skip
            continue
        yield CsvRow(line.number, dict(zip(header, cells, strict=True)))


def open_csv(path: Path, delimiter: str = ",") -> CsvFile:
    """The file's header line and the lines after it; only an unreadable file is refused here."""
    lines = read_lines(path)
    try:
        head = first_line(lines)
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    return CsvFile(path, head, lines, delimiter)


def read_table(
    path: Path, what: str, required: list[str]
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """(header, rows as (line number, {column: text})) of a small file people edit, read at
    once; the first bad row raises its BadRecord."""
    table = open_csv(path)
    if table.head is not None and table.head.text is None:
        raise BadInput(f"{path}: the {what} file starts with a line that is not UTF-8")
    missing = table.missing(required)
    if missing:
        raise BadInput(
            f"{path}: the {what} file needs the columns {', '.join(required)}; "
            f"missing {', '.join(missing)}"
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for row in table.rows(exact=False):
        if isinstance(row, BadRecord):
            raise row
        rows.append((row.number, row.values))
    return table.header, iter(rows)


def parse_date(path: Path, line: int, text: str, field: str = "date") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRecord(str(path), line, field, f"{text!r} is not a YYYY-MM-DD date") from None


def parse_number(path: Path, line: int, field: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise BadRecord(str(path), line, field, f"{text!r} is not a number") from None
