"""Handle time and patience per queue, fitted from the imported contact records.

Handle time is talk + hold + after-call work of answered contacts; patience is
Brown et al.'s total wait over abandons among contacts that actually queued,
since a caller answered at once reveals nothing about how long they would wait.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from callboard.errors import BadInput
from callboard.queueing import mean_patience
from callboard.records import RecordDataset
from callboard.staffing.staff_plan import QueueTimes

COLUMNS = ["queue", "outcome", "queued", "wait_s", "talk_s", "hold_s", "acw_s"]


def fit_queue_times(dataset: RecordDataset) -> dict[str, QueueTimes]:
    files = dataset.files()
    if not files:
        raise BadInput(f"{dataset.root}: no contact records to fit handle times from")
    table = pa.concat_tables([pq.read_table(f, columns=COLUMNS, partitioning=None) for f in files])
    data = {name: table.column(name).to_numpy(zero_copy_only=False) for name in COLUMNS}
    result: dict[str, QueueTimes] = {}
    for queue in sorted(set(data["queue"].tolist())):
        mine = data["queue"] == queue
        answered = mine & (data["outcome"] == "answered")
        handle = sum(
            np.nan_to_num(data[c][answered].astype(np.float64))
            for c in ("talk_s", "hold_s", "acw_s")
        )
        handle = handle[handle > 0] if isinstance(handle, np.ndarray) else np.zeros(0)
        if handle.size == 0:
            continue
        waited = (
            mine & data["queued"].astype(bool) & np.isin(data["outcome"], ["answered", "abandoned"])
        )
        waits = np.nan_to_num(data["wait_s"][waited].astype(np.float64))
        patience = (
            mean_patience(waits, data["outcome"][waited] == "abandoned").mean
            if waits.size
            else np.inf
        )
        result[queue] = QueueTimes(
            float(handle.mean()), float(patience) if np.isfinite(patience) else None
        )
    return result
