"""`select_records`: the contact records behind a figure, for drill-down and export.

It applies the same selection as `compute_kpis` (queue-entry time, half-open
range, queues), so the rows it returns are exactly the ones a figure counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pyarrow as pa

from callboard.domain import Outcome
from callboard.errors import BadInput
from callboard.kpi.source import Selection, Source, open_records
from callboard.records import RECORD_SCHEMA

# `offered` is KPI.md's O, the union that most figures count.
OUTCOME_CHOICES: dict[str, tuple[str, ...]] = {
    "offered": tuple(o.value for o in Outcome if o.offered),
    **{o.value: (o.value,) for o in Outcome},
}


def select_records(
    source: Source,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    queues: Sequence[str] | None = None,
    outcome: str | Sequence[str] | None = None,
) -> pa.Table:
    """Records in RECORD_SCHEMA, ordered by queue entry.

    `outcome` takes Outcome values or `offered`. Without it, every record a KPI
    can count is returned: phantom contacts only come back when asked for by name.
    """
    outcomes = _outcomes(outcome)
    conditions, params = Selection(start, end, queues).conditions()
    if outcomes is None:
        conditions.append(f"outcome <> '{Outcome.PHANTOM.value}'")
    else:
        conditions.append("list_contains($outcomes, outcome)")
        params["outcomes"] = list(outcomes)
    columns = ", ".join(f'"{name}"' for name in RECORD_SCHEMA.names)
    sql = (
        f"SELECT {columns} FROM records WHERE {' AND '.join(conditions)} "
        "ORDER BY queued_at, contact_id"
    )
    with open_records(source) as connection:
        # The Arrow C stream works across DuckDB versions, whose fetch methods differ.
        relation = connection.sql(sql, params=params)
        table = pa.RecordBatchReader.from_stream(relation).read_all()
    return table.cast(RECORD_SCHEMA)


def _outcomes(outcome: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if outcome is None:
        return None
    names = [outcome] if isinstance(outcome, str) else list(outcome)
    if not names:
        raise BadInput("no outcome given; leave it out to select every countable record")
    chosen: list[str] = []
    for name in names:
        if name not in OUTCOME_CHOICES:
            raise BadInput(f"unknown outcome {name!r}; choose from {', '.join(OUTCOME_CHOICES)}")
        chosen.extend(v for v in OUTCOME_CHOICES[name] if v not in chosen)
    return tuple(chosen)
