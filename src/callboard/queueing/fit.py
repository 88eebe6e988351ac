"""Everything a staffing model needs for one queue, estimated from its contacts.

Inputs are plain arrays for the offered contacts of one queue (KPI.md's O:
answered, abandoned and system exits), so the caller decides which contacts
count and where they come from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from callboard.errors import BadInput
from callboard.queueing.arrivals import ArrivalProfile, arrival_profile
from callboard.queueing.handle_time import LognormalFit, MeanEstimate, fit_lognormal, mean_with_ci
from callboard.queueing.patience import KaplanMeier, MeanPatience, kaplan_meier, mean_patience


@dataclass(frozen=True)
class QueueFit:
    offered: int
    arrivals: ArrivalProfile
    aht: MeanEstimate
    handle_lognormal: LognormalFit
    patience: MeanPatience
    survival: KaplanMeier


def fit_queue(
    *,
    seconds_of_day: ArrayLike,
    days: int,
    interval_s: float,
    queued: ArrayLike,
    waits: ArrayLike,
    abandoned: ArrayLike,
    handle: ArrayLike,
    confidence: float = 0.95,
) -> QueueFit:
    """Fit one queue.

    `seconds_of_day`, `queued`, `waits` and `abandoned` have one entry per
    offered contact; only contacts that `queued` (waited in line) inform the
    patience, as one answered at once reveals nothing about it. `handle` holds
    the handle times (talk + hold + ACW, seconds) of answered contacts with a
    known, positive handle time.
    """
    in_line = np.asarray(queued, dtype=bool)
    wait = np.asarray(waits, dtype=np.float64)
    gave_up = np.asarray(abandoned, dtype=bool)
    if not (in_line.shape == wait.shape == gave_up.shape):
        raise BadInput("queued, waits and abandoned need one entry per offered contact")
    arrivals = arrival_profile(
        seconds_of_day, days=days, interval_s=interval_s, confidence=confidence
    )
    return QueueFit(
        offered=int(arrivals.count.sum()),
        arrivals=arrivals,
        aht=mean_with_ci(handle, confidence=confidence),
        handle_lognormal=fit_lognormal(handle, confidence=confidence),
        patience=mean_patience(wait[in_line], gave_up[in_line], confidence=confidence),
        survival=kaplan_meier(wait[in_line], gave_up[in_line], confidence=confidence),
    )
