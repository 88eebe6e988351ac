"""`ewt evaluate` and `ewt fit` as library calls: records in, scores or a model out.

The state sweep always runs over every record, so an evaluated day starts
with the running statistics the days before it left (as a live engine would
have them); `days` then chooses which queue entries are scored or fitted on.
That is how a model is fitted on some days and judged on others without
mixing days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from callboard.engine import EwtModel
from callboard.errors import BadInput
from callboard.ewt_audit.announcements import CALIBRATED, announcements, calibrated
from callboard.ewt_audit.calibration import fit_model
from callboard.ewt_audit.entry_state import EntryStates, entry_states
from callboard.ewt_audit.scores import Score, score
from callboard.records import RecordDataset

_COLUMNS = [
    "queue", "outcome", "agent", "priority", "queued", "queued_at", "answered_at",
    "ended_at", "wait_s", "talk_s", "acw_s", "local_time",
]  # fmt: skip


@dataclass(frozen=True)
class PredictorReport:
    overall: Score
    by_queue: dict[str, Score]
    by_hour: dict[int, Score]
    range_coverage: float | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            **self.overall.as_dict(),
            "by_queue": {q: s.as_dict() for q, s in self.by_queue.items()},
            "by_hour": {f"{h:02d}": s.as_dict() for h, s in self.by_hour.items()},
        }
        if self.range_coverage is not None:
            data["p10_p90_coverage"] = round(self.range_coverage, 4)
        return data


@dataclass(frozen=True)
class Evaluation:
    predictors: dict[str, PredictorReport]
    queued: int
    days: int

    def as_dict(self) -> dict[str, object]:
        return {name: report.as_dict() for name, report in self.predictors.items()}


def read_records(dataset: RecordDataset) -> pa.Table:
    files = dataset.files()
    if not files:
        raise BadInput(f"{dataset.root}: no contact records; run `callboard import` first")
    # Hive partitioning stays off: `day` is a real column (see RecordDataset.glob).
    return pa.concat_tables([pq.read_table(f, columns=_COLUMNS, partitioning=None) for f in files])


def chosen_states(dataset: RecordDataset, days: Sequence[date] = ()) -> EntryStates:
    states = entry_states(read_records(dataset))
    if not days:
        return states
    rows = np.isin(states.day, np.array(sorted(days), dtype="datetime64[D]"))
    if not rows.any():
        raise BadInput(
            "no queued contact on the chosen days; the records cover "
            f"{states.day.min()} to {states.day.max()}"
        )
    return states.subset(rows)


def evaluate(states: EntryStates, model: EwtModel | None = None) -> Evaluation:
    told = announcements(states, model)
    reports = {name: _report(states, values) for name, values in told.items()}
    if model is not None:
        low = calibrated(states, model.low)
        high = calibrated(states, model.high)
        reports[CALIBRATED] = PredictorReport(
            **{**reports[CALIBRATED].__dict__, "range_coverage": _coverage(states, low, high)}
        )
    return Evaluation(reports, len(states), len(np.unique(states.day)))


def fit(states: EntryStates) -> EwtModel:
    return fit_model(states)


def _report(states: EntryStates, announced: NDArray[np.float64]) -> PredictorReport:
    def part(rows: NDArray[np.bool_]) -> Score:
        return score(announced[rows], states.wait_s[rows], states.answered[rows])

    everyone = np.ones(len(states), dtype=bool)
    return PredictorReport(
        overall=part(everyone),
        by_queue={str(q): part(states.queue == q) for q in np.unique(states.queue)},
        by_hour={int(h): part(states.hour == h) for h in np.unique(states.hour)},
    )


def _coverage(
    states: EntryStates, low: NDArray[np.float64], high: NDArray[np.float64]
) -> float | None:
    rows = states.answered & np.isfinite(low) & np.isfinite(high)
    if not rows.any():
        return None
    actual = states.wait_s[rows]
    return float(np.mean((actual >= low[rows]) & (actual <= high[rows])))
