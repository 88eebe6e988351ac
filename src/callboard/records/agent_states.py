"""Agent-state spans on disk: the data occupancy and utilization need.

Same layout as the contact records (Parquet, partitioned by local day of the
span's start), kept in a folder of its own because its rows are not contacts.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from callboard.domain import AgentStateSpan
from callboard.records.schema import UTC_TS

AGENT_STATE_SCHEMA = pa.schema(
    [
        pa.field("span_id", pa.string(), nullable=False),
        pa.field("agent", pa.string(), nullable=False),
        pa.field("state", pa.string(), nullable=False),
        pa.field("reason", pa.string()),
        pa.field("start_at", UTC_TS, nullable=False),
        pa.field("end_at", UTC_TS, nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("tz", pa.string(), nullable=False),
        pa.field("local_start", pa.timestamp("us"), nullable=False),
        pa.field("local_end", pa.timestamp("us"), nullable=False),
        pa.field("day", pa.date32(), nullable=False),
    ]
)


def spans_to_table(spans: Iterable[AgentStateSpan], tz: str) -> pa.Table:
    rows = list(spans)
    start = pa.array([s.start_at for s in rows], type=UTC_TS)
    end = pa.array([s.end_at for s in rows], type=UTC_TS)
    zone = pa.timestamp("us", tz=tz)
    local_start = pc.local_timestamp(start.cast(zone))
    # The id makes re-imports idempotent: one agent cannot start the same state twice at once.
    ids = [f"{s.source}:{s.agent}:{s.state}:{s.start_at.timestamp():.6f}" for s in rows]
    columns = {
        "span_id": pa.array(ids, type=pa.string()),
        "agent": pa.array([s.agent for s in rows], type=pa.string()),
        "state": pa.array([s.state for s in rows], type=pa.string()),
        "reason": pa.array([s.reason for s in rows], type=pa.string()),
        "start_at": start,
        "end_at": end,
        "source": pa.array([s.source for s in rows], type=pa.string()),
        "tz": pa.array([tz] * len(rows), type=pa.string()),
        "local_start": local_start,
        "local_end": pc.local_timestamp(end.cast(zone)),
        "day": local_start.cast(pa.date32()),
    }
    return pa.Table.from_arrays(
        [columns[f.name] for f in AGENT_STATE_SCHEMA], schema=AGENT_STATE_SCHEMA
    )
