"""What counts as an incident: every threshold with its default, in one place.

The defaults describe a hotline's usual promise (80% answered within 20 s,
no more than one caller in seven hanging up) and ignore quiet intervals,
where two unlucky calls would otherwise make an "incident" of the night shift.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from callboard.errors import BadInput


@dataclass(frozen=True, slots=True)
class DetectionSettings:
    """`interval_min` is the grid; runs shorter than `min_duration_min` are dropped, and
    runs of one queue at most `merge_gap_min` apart become one incident."""

    interval_min: int = 30
    sl_target: float = 0.8
    sl_threshold_s: float = 20.0
    short_abandon_s: float = 5.0
    abandon_max: float = 0.15
    min_duration_min: int = 60
    merge_gap_min: int = 30
    min_offered: int = 10

    def __post_init__(self) -> None:
        for name in ("sl_target", "abandon_max"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0.0 < value <= 1.0):
                raise BadInput(f"{name} must be a share in (0, 1], got {value!r}")
        for name in ("sl_threshold_s", "short_abandon_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0.0):
                raise BadInput(f"{name} must be seconds >= 0, got {value!r}")
        if self.interval_min <= 0 or 1440 % self.interval_min:
            raise BadInput(f"interval must divide a day in minutes, got {self.interval_min}")
        for name in ("min_duration_min", "merge_gap_min", "min_offered"):
            if getattr(self, name) < 0:
                raise BadInput(f"{name} must be >= 0, got {getattr(self, name)}")

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.__slots__}
