"""Arrivals, handle time and patience per queue, fitted from the imported contact records.

This is the one fitter: `callboard fit` prints what it returns, and `plan
staff` and `plan reserve` staff with its means, so the two can never disagree
on a queue. Contacts are KPI.md's offered ones (answered, abandoned, exited).
Handle time is talk + hold + after-call work of answered contacts with a known
talk time (KPI.md's handled); unknown hold or ACW counts as none, and a total
of zero is left out, since such a call tells nothing about the work. Patience
is Brown et al.'s total wait over abandons among contacts that actually
queued, answers and exits being censored waits: a caller answered at once
reveals nothing about how long they would wait.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from callboard.errors import BadInput
from callboard.queueing import QueueFit, fit_queue
from callboard.records import RecordDataset
from callboard.staffing.staff_plan import QueueTimes

OFFERED = ("answered", "abandoned", "exited")
COLUMNS = ["queue", "outcome", "queued", "wait_s", "talk_s", "hold_s", "acw_s", "local_time", "day"]


@dataclass(frozen=True)
class QueueFits:
    fits: dict[str, QueueFit]
    not_fitted: dict[str, str]  # queue -> why it could not be fitted

    def queues(self) -> list[str]:
        return sorted(self.fits.keys() | self.not_fitted.keys())

    def times(self) -> dict[str, QueueTimes]:
        """The means a staffing model takes; no abandon yet means no patience (Erlang C)."""
        return {
            queue: QueueTimes(
                fit.aht.mean, fit.patience.mean if math.isfinite(fit.patience.mean) else None
            )
            for queue, fit in self.fits.items()
        }


def fit_queues(dataset: RecordDataset, interval_s: float = 1800.0) -> QueueFits:
    """Fit every queue; arrival rates are per `interval_s` of the day."""
    if dataset.is_empty():
        raise BadInput(f"no contact records in {dataset.root}: run `callboard import` first")
    table = ds.dataset(dataset.files(), format="parquet").to_table(
        columns=COLUMNS, filter=pc.field("outcome").isin(list(OFFERED))
    )
    days = len(pc.unique(table.column("day")))
    fits: dict[str, QueueFit] = {}
    not_fitted: dict[str, str] = {}
    for queue in sorted(pc.unique(table.column("queue")).to_pylist()):
        rows = table.filter(pc.equal(table.column("queue"), queue))
        try:
            fits[queue] = _fit(rows, days, interval_s)
        except BadInput as exc:
            not_fitted[queue] = f"not fitted: {exc}"
    return QueueFits(fits, not_fitted)


def fit_queue_times(dataset: RecordDataset) -> dict[str, QueueTimes]:
    """Mean handle time and patience per queue, as `fit_queues` estimates them."""
    return fit_queues(dataset).times()


def _fit(rows: pa.Table, days: int, interval_s: float) -> QueueFit:
    local = rows.column("local_time").to_numpy(zero_copy_only=False).astype("datetime64[us]")
    seconds_of_day = (local - local.astype("datetime64[D]")).astype(np.float64) / 1e6
    outcome = rows.column("outcome").to_numpy(zero_copy_only=False)
    talk = _seconds(rows, "talk_s", missing=np.nan)
    handle = talk + _seconds(rows, "hold_s", missing=0.0) + _seconds(rows, "acw_s", missing=0.0)
    return fit_queue(
        seconds_of_day=seconds_of_day,
        days=days,
        interval_s=interval_s,
        queued=rows.column("queued").to_numpy(zero_copy_only=False),
        waits=_seconds(rows, "wait_s", missing=0.0),
        abandoned=outcome == "abandoned",
        handle=handle[(outcome == "answered") & (handle > 0)],  # NaN (unknown talk) is not > 0
    )


def _seconds(rows: pa.Table, name: str, *, missing: float) -> np.ndarray[Any, np.dtype[np.float64]]:
    values = rows.column(name).to_numpy(zero_copy_only=False).astype(np.float64)
    return np.where(np.isnan(values), missing, values)
