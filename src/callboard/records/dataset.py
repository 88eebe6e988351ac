"""The folder of Parquet contact records, partitioned by local day.

Layout: `<root>/day=YYYY-MM-DD/part-<uuid>.parquet`. A write never rewrites an
existing file: new contacts go to a new part file, written to a temporary name,
fsynced and renamed, so a crash leaves either the whole part or nothing.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from callboard.records.schema import RECORD_SCHEMA


@dataclass(frozen=True)
class WriteResult:
    written: int
    duplicates: int


class RecordDataset:
    """A day-partitioned Parquet folder of rows that each have a unique `key` column.

    Contact records are the default; agent-state spans use the same machinery
    with their own schema, key and sort column.
    """

    def __init__(
        self,
        root: Path,
        schema: pa.Schema = RECORD_SCHEMA,
        *,
        key: str = "contact_id",
        order: str = "queued_at",
    ) -> None:
        self.root = Path(root)
        self.schema = schema
        self.key = key
        self.order = order

    def partition(self, day: date) -> Path:
        return self.root / f"day={day.isoformat()}"

    def files(self) -> list[Path]:
        return sorted(self.root.glob("day=*/*.parquet"))

    def glob(self) -> str:
        """A glob DuckDB can scan; hive partitioning is off because `day` is a real column."""
        return str(self.root / "day=*" / "*.parquet")

    def is_empty(self) -> bool:
        return not self.files()

    def existing_ids(self, day: date) -> pa.Array:
        parts = sorted(self.partition(day).glob("*.parquet"))
        if not parts:
            return pa.array([], type=pa.string())
        ids = [pq.read_table(p, columns=[self.key]).column(0) for p in parts]
        return pa.chunked_array(ids, type=pa.string()).combine_chunks()

    def write(self, table: pa.Table) -> WriteResult:
        """Append rows not stored yet; duplicates (same key) are counted, not written."""
        if table.schema != self.schema:
            table = table.select(self.schema.names).cast(self.schema)
        written = duplicates = 0
        days = pc.unique(table.column("day")).to_pylist()
        for day in sorted(days):
            part = table.filter(pc.equal(table.column("day"), pa.scalar(day, pa.date32())))
            part, dup_in_batch = _first_per_id(part, self.key)
            seen = self.existing_ids(day)
            if len(seen):
                fresh = pc.invert(pc.is_in(part.column(self.key), value_set=seen))
                kept = part.filter(fresh)
            else:
                kept = part
            duplicates += dup_in_batch + (part.num_rows - kept.num_rows)
            if kept.num_rows:
                self._write_part(day, kept.sort_by([(self.order, "ascending")]))
                written += kept.num_rows
        return WriteResult(written=written, duplicates=duplicates)

    def _write_part(self, day: date, table: pa.Table) -> None:
        folder = self.partition(day)
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"part-{uuid.uuid4().hex}.parquet"
        tmp = final.with_suffix(".tmp")
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        tmp.rename(final)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _first_per_id(table: pa.Table, key: str) -> tuple[pa.Table, int]:
    """Keep the first row for each key within one batch."""
    ids = table.column(key)
    if pc.count_distinct(ids).as_py() == table.num_rows:
        return table, 0
    indexed = table.append_column("_row", pa.array(range(table.num_rows), type=pa.int64()))
    firsts = indexed.group_by(key, use_threads=False).aggregate([("_row", "min")])
    keep = pc.sort_indices(firsts.column("_row_min"))
    rows = pc.take(firsts.column("_row_min"), keep)
    return table.take(rows), table.num_rows - len(rows)
