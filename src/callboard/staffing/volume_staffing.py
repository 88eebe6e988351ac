"""Agents for the counts of a volume file, the pipeline behind `callboard staff`.

Apart from `pipelines.py`, because it needs only the Erlang formulas: the
command that runs it never loads the forecast models or PyArrow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from callboard.errors import BadInput
from callboard.queueing import StaffingPlan, plan_staffing
from callboard.staffing.target_syntax import ServiceLevelTarget
from callboard.staffing.volume_file import Volume


@dataclass(frozen=True)
class VolumeTargets:
    """What `callboard staff` staffs for; `max_abandon` needs a patience (Erlang A)."""

    aht: float
    sl: ServiceLevelTarget
    patience: float | None = None
    max_asa: float | None = None
    max_abandon: float | None = None
    shrinkage: float = 0.0


def staff_volume(volume: Volume, interval_s: float, targets: VolumeTargets) -> StaffingPlan:
    """Agents for each interval of `volume` (Erlang C, or Erlang A with a patience)."""
    if not volume.rows:
        raise BadInput(
            f"{volume.source}: no usable rows; expected a header timestamp,count[,queue]"
        )
    return plan_staffing(
        np.array([row.count for row in volume.rows]) / interval_s,
        targets.aht,
        patience=targets.patience,
        sl=targets.sl.level,
        threshold=targets.sl.threshold,
        max_asa=targets.max_asa,
        max_abandon=targets.max_abandon,
        shrinkage=targets.shrinkage,
    )
