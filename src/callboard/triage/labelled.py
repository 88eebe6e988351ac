"""Labelled requests: the examples the model learns from, read from a CSV file.

Python's csv module reads the file, not the one-line reader (csv_table.py),
because real exports quote a request that spans lines (BANKING77 has 13); the
reader's line count still names the line a bad row starts on.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from callboard.errors import BadInput, BadRecord


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str


# The label's column when none is named: the first of these the header has.
LABEL_COLUMNS = ("label", "category")


def read_labelled(
    path: Path, text_column: str = "text", label_column: str | None = None
) -> list[Example]:
    """Every row of a headed CSV file as an example; a row with an empty text or label
    raises its BadRecord (file, line, field), since a silently dropped row would skew
    the categories."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return _examples(path, handle, text_column, label_column)
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 text (byte {exc.start + 1} of a block)") from None
    except csv.Error as exc:
        raise BadInput(f"{path}: not a CSV file ({exc})") from None


def _examples(
    path: Path, handle: TextIO, text_column: str, label_column: str | None
) -> list[Example]:
    reader = csv.reader(handle)
    header = [cell.strip().casefold() for cell in next(reader, [])]
    if label_column is None:
        label_column = next((c for c in LABEL_COLUMNS if c in header), LABEL_COLUMNS[0])
    missing = [c for c in (text_column, label_column) if c.casefold() not in header]
    if missing:
        raise BadInput(
            f"{path}: needs the columns {text_column} and {label_column}; missing "
            f"{', '.join(missing)} (the header has {', '.join(header) or 'nothing'}); "
            "name others with --text-column and --label-column"
        )
    text_at, label_at = header.index(text_column.casefold()), header.index(label_column.casefold())
    examples: list[Example] = []
    start = reader.line_num + 1
    for row in reader:
        if len(row) > len(header):
            raise BadRecord(
                str(path), start, None,
                f"has {len(row)} fields but the header {len(header)}; quote a text with a comma",
            )  # fmt: skip
        if any(cell.strip() for cell in row):
            examples.append(
                _example(path, start, row, (text_column, text_at), (label_column, label_at))
            )
        start = reader.line_num + 1
    if not examples:
        raise BadInput(f"{path}: no labelled rows under the header")
    return examples


def _example(
    path: Path, line: int, row: list[str], text: tuple[str, int], label: tuple[str, int]
) -> Example:
    values = []
    for column, at in (text, label):
        value = row[at].strip() if at < len(row) else ""
        if not value:
            raise BadRecord(str(path), line, column, "is empty")
        values.append(value)
    return Example(values[0], values[1])
