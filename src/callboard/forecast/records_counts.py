"""Offered contacts per queue and interval, counted from the Parquet contact records.

A contact counts in the interval of its queue entry on the center's wall
clock (`local_time`), and only if it was offered (answered, abandoned or
exited), matching the KPI counting rule, so a forecast predicts the load agents
actually see.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from callboard.domain import Outcome
from callboard.errors import BadInput
from callboard.forecast.series import DailyCounts, from_points
from callboard.records import RecordDataset

OFFERED = [o.value for o in Outcome if o.offered]


def counts_from_records(dataset: RecordDataset, interval: int) -> dict[str, DailyCounts]:
    files = dataset.files()
    if not files:
        raise BadInput(f"{dataset.root}: no contact records; run `callboard import` first")
    # Hive partitioning stays off: `day` is a real column (see RecordDataset.glob).
    table = pa.concat_tables(
        [
            pq.read_table(f, columns=["queue", "local_time", "outcome"], partitioning=None)
            for f in files
        ]
    )
    table = table.filter(pc.is_in(table.column("outcome"), value_set=pa.array(OFFERED)))
    queues = table.column("queue").to_numpy(zero_copy_only=False)
    stamps = table.column("local_time").to_numpy().astype("datetime64[m]")
    result: dict[str, DailyCounts] = {}
    for queue in sorted(set(queues.tolist())):
        mine = queues == queue
        result[queue] = from_points(queue, stamps[mine], np.ones(int(mine.sum())), interval)
    return result
