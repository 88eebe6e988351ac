"""The on-disk (Arrow/Parquet) form of `ContactRecord`.

Besides the record's own fields, two columns are derived when a batch is
written: `local_time`, the queue-entry time on the center's wall clock (used for
interval grouping, so the KPI engine never converts time zones per row), and
`day`, its date, which is also the partition key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from callboard.domain import ContactRecord

UTC_TS = pa.timestamp("us", tz="UTC")

RECORD_SCHEMA = pa.schema(
    [
        pa.field("contact_id", pa.string(), nullable=False),
        pa.field("call_id", pa.string()),
        pa.field("source", pa.string(), nullable=False),
        pa.field("channel", pa.string(), nullable=False),
        pa.field("queue", pa.string(), nullable=False),
        pa.field("priority", pa.int16(), nullable=False),
        pa.field("caller", pa.string()),
        pa.field("region", pa.string()),
        pa.field("agent", pa.string()),
        pa.field("arrived_at", UTC_TS, nullable=False),
        pa.field("queued_at", UTC_TS, nullable=False),
        pa.field("answered_at", UTC_TS),
        pa.field("ended_at", UTC_TS),
        pa.field("outcome", pa.string(), nullable=False),
        pa.field("exit_reason", pa.string()),
        pa.field("queued", pa.bool_(), nullable=False),
        pa.field("wait_s", pa.float64()),
        pa.field("ivr_s", pa.float64()),
        pa.field("ring_s", pa.float64()),
        pa.field("talk_s", pa.float64()),
        pa.field("hold_s", pa.float64()),
        pa.field("acw_s", pa.float64()),
        pa.field("callback", pa.bool_(), nullable=False),
        pa.field("attributes", pa.string()),
        pa.field("tz", pa.string(), nullable=False),
        pa.field("local_time", pa.timestamp("us"), nullable=False),
        pa.field("day", pa.date32(), nullable=False),
    ]
)

_RECORD_FIELDS = [
    "contact_id", "call_id", "source", "channel", "queue", "priority", "caller", "region",
    "agent", "arrived_at", "queued_at", "answered_at", "ended_at", "outcome", "exit_reason",
    "queued", "wait_s", "ivr_s", "ring_s", "talk_s", "hold_s", "acw_s", "callback",
]  # fmt: skip


def records_to_table(records: Iterable[ContactRecord], tz: str) -> pa.Table:
    """Build a table in RECORD_SCHEMA; `tz` is the center's zone for local columns."""
    columns: dict[str, list[object]] = {name: [] for name in _RECORD_FIELDS}
    attributes: list[str | None] = []
    for record in records:
        for name in _RECORD_FIELDS:
            columns[name].append(getattr(record, name))
        attributes.append(
            json.dumps(record.attributes, sort_keys=True) if record.attributes else None
        )
    arrays: dict[str, pa.Array] = {}
    for name in _RECORD_FIELDS:
        arrays[name] = pa.array(columns[name], type=RECORD_SCHEMA.field(name).type)
    arrays["attributes"] = pa.array(attributes, type=pa.string())
    return finish_table(arrays, tz)


def finish_table(arrays: dict[str, pa.Array], tz: str) -> pa.Table:
    """Add the derived `tz`, `local_time` and `day` columns and order to the schema.

    Importers that build columns directly (for speed) call this too, so the
    derivation lives in one place.
    """
    queued_at = arrays["queued_at"].cast(UTC_TS)
    local = pc.local_timestamp(queued_at.cast(pa.timestamp("us", tz=tz)))
    arrays = dict(arrays)
    arrays["queued_at"] = queued_at
    arrays["tz"] = pa.array([tz] * len(queued_at), type=pa.string())
    arrays["local_time"] = local
    arrays["day"] = local.cast(pa.date32())
    length = len(queued_at)
    for f in RECORD_SCHEMA:
        if f.name not in arrays:
            arrays[f.name] = pa.nulls(length, type=f.type)
    return pa.Table.from_arrays(
        [arrays[f.name].cast(f.type) for f in RECORD_SCHEMA], schema=RECORD_SCHEMA
    )
