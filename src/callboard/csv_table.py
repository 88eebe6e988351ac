"""Small headed CSV files (calendar, covariates, people): rows with file and line for errors.

Header names are matched case-insensitively and cells are stripped, so a
hand-edited spreadsheet export reads the same as a generated file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from callboard.errors import BadInput, BadRecord


def read_table(
    path: Path, what: str, required: list[str]
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """(header, rows as (line number, {column: text})); the file is read at once."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise BadInput(f"{path}: cannot read {what} file ({exc.strerror})") from None
    reader = csv.DictReader(text.splitlines())
    header = [n.strip().lower() for n in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise BadInput(
            f"{path}: the {what} file needs the columns {', '.join(required)}; "
            f"missing {', '.join(missing)}"
        )
    rows = [
        (line, {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k})
        for line, raw in enumerate(reader, start=2)
    ]
    return header, iter(rows)


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
