"""Where the engine reads contact records from, and which of them a question selects.

A source is either a `RecordDataset` (the Parquet folder of a workspace) or a
`pyarrow.Table` in `RECORD_SCHEMA` (the simulator hands its records over in
memory). Both become the DuckDB view `records`, so every query is written once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeAlias

import duckdb
import pyarrow as pa

from callboard.errors import BadInput
from callboard.records import RECORD_SCHEMA, RecordDataset

Source: TypeAlias = RecordDataset | pa.Table

_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)

# Durations a simulator may leave as NaN are read as unknown (null), so that
# sums, averages and quantiles never turn into NaN.
CLEAN_COLUMNS = ", ".join(
    f"CASE WHEN isnan({column}_s) THEN NULL ELSE {column}_s END AS {column}"
    for column in ("wait", "talk", "hold", "acw")
)


@contextmanager
def open_records(source: Source) -> Iterator[duckdb.DuckDBPyConnection]:
    """A private DuckDB connection with the view `records` over `source`."""
    connection = duckdb.connect()
    try:
        # TIMESTAMPTZ values then leave DuckDB in UTC, as RECORD_SCHEMA stores them.
        connection.execute("SET TimeZone = 'UTC'")
        if isinstance(source, RecordDataset):
            files = [str(path) for path in source.files()]
            if files:
                connection.read_parquet(files).create_view("records")
            else:
                connection.register("records", RECORD_SCHEMA.empty_table())
        elif isinstance(source, pa.Table):
            missing = [name for name in RECORD_SCHEMA.names if name not in source.column_names]
            if missing:
                raise BadInput(
                    f"the records table lacks the columns {', '.join(missing)}; build it in "
                    "RECORD_SCHEMA with callboard.records.schema.finish_table"
                )
            connection.register("records", source)
            # An in-memory table is a simulator run or a live report: small, and a
            # replication must give the same figures twice. Parallel float sums (the
            # repeat-contact window reorders rows) differ in the last digits.
            connection.execute("SET threads = 1")
        else:
            raise BadInput(
                f"cannot read contact records from a {type(source).__name__}; "
                "pass a RecordDataset or a pyarrow.Table in RECORD_SCHEMA"
            )
        yield connection
    finally:
        connection.close()


@dataclass(frozen=True)
class Selection:
    """The contacts a question is about: a half-open time range and a set of queues.

    A timezone-aware bound is an instant, compared with `queued_at`; a naive
    bound is a time on the center's wall clock, compared with `local_time`.
    Either way a contact is selected by when it entered the queue.
    """

    start: datetime | None = None
    end: datetime | None = None
    queues: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.queues, str):
            # A bare string is one queue, not a sequence of one-letter queues.
            object.__setattr__(self, "queues", (self.queues,))
        start, end = self.start, self.end
        if start is not None and end is not None and _comparable(start, end) and end <= start:
            raise BadInput(
                f"the period is empty: end {end.isoformat()} is not after "
                f"start {start.isoformat()}; intervals are half-open [start, end)"
            )

    def conditions(self) -> tuple[list[str], dict[str, object]]:
        """SQL conditions over `records` and the parameters they bind."""
        sql: list[str] = []
        params: dict[str, object] = {}
        for name, bound, operator in (("start_us", self.start, ">="), ("end_us", self.end, "<")):
            if bound is None:
                continue
            column = "queued_at" if bound.tzinfo is not None else "local_time"
            sql.append(f"epoch_us({column}) {operator} ${name}")
            params[name] = _epoch_us(bound)
        if self.queues is not None:
            sql.append("list_contains($queues, queue)")
            params["queues"] = list(self.queues)
        return sql, params

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "queues": list(self.queues) if self.queues is not None else None,
        }


def _comparable(a: datetime, b: datetime) -> bool:
    return (a.tzinfo is None) == (b.tzinfo is None)


def _epoch_us(moment: datetime) -> int:
    """Microseconds since 1970 of an instant, or of a wall-clock time read as if UTC.

    The second is what `epoch_us(local_time)` computes in DuckDB, so naive bounds
    and the naive `local_time` column compare on the same scale.
    """
    if moment.tzinfo is not None:
        return (moment.astimezone(UTC).replace(tzinfo=None) - _EPOCH) // _MICROSECOND
    return (moment - _EPOCH) // _MICROSECOND
