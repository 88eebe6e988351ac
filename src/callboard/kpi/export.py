"""Writing drilled-down contact records to CSV or Parquet, and reading CSV back.

Parquet keeps RECORD_SCHEMA as is. CSV quotes every string, so an empty string
and a null (an empty, unquoted field) stay apart, and `read_records_csv` gives
back the same table.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from callboard.errors import BadInput
from callboard.records import RECORD_SCHEMA

EXPORT_FORMATS = ("csv", "parquet")


def write_records(table: pa.Table, fmt: str, destination: Path | BinaryIO) -> None:
    """Write records in `fmt`; `destination` is a path or a binary stream."""
    if fmt == "csv":
        pacsv.write_csv(table, destination, pacsv.WriteOptions(quoting_style="needed"))
    elif fmt == "parquet":
        pq.write_table(table, destination, compression="zstd")
    else:
        raise BadInput(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")


def read_records_csv(path: Path) -> pa.Table:
    """Read a CSV written by `write_records` back into RECORD_SCHEMA."""
    options = pacsv.ConvertOptions(
        column_types=RECORD_SCHEMA,
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    return pacsv.read_csv(path, convert_options=options).cast(RECORD_SCHEMA)
