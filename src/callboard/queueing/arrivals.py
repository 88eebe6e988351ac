"""Arrival rates by interval of the day, with exact Poisson intervals.

A count k over an exposure of E seconds gives rate k / E, and Garwood's exact
interval [chi2(alpha/2; 2k) / 2, chi2(1 - alpha/2; 2k + 2) / 2] / E; for k = 0
the lower end is 0. Pooling the same interval of the day over `days` days
assumes the days share one rate, which is what a staffing profile wants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import chdtri

from callboard.errors import BadInput
from callboard.queueing._inputs import FloatArray, checked
from callboard.queueing._samples import check_confidence, observed

DAY_S = 86_400


@dataclass(frozen=True)
class PoissonRate:
    """Rates per second with the interval bounds; arrays of the broadcast input shape."""

    rate: FloatArray
    lower: FloatArray
    upper: FloatArray


@dataclass(frozen=True)
class ArrivalProfile:
    """One row per interval of the day: `start_s` seconds after local midnight."""

    start_s: FloatArray
    count: NDArray[np.int64]
    days: int
    interval_s: float
    rate: PoissonRate


def poisson_rate(
    count: ArrayLike, exposure_s: ArrayLike, *, confidence: float = 0.95
) -> PoissonRate:
    """Rate per second of `count` arrivals seen over `exposure_s` seconds."""
    k = checked("count", count)
    exposure = checked("exposure_s", exposure_s, positive=True)
    alpha = 1.0 - check_confidence(confidence)
    low = np.where(k > 0, chdtri(2 * np.maximum(k, 1), 1 - alpha / 2) / 2, 0.0)
    high = chdtri(2 * k + 2, alpha / 2) / 2
    return PoissonRate(
        rate=np.asarray(k / exposure), lower=np.asarray(low / exposure),
        upper=np.asarray(high / exposure),
    )  # fmt: skip


def arrival_profile(
    seconds_of_day: ArrayLike, *, days: int, interval_s: float, confidence: float = 0.95
) -> ArrivalProfile:
    """Pool arrivals (seconds after local midnight) into intervals of the day over `days` days."""
    offsets = observed("seconds_of_day", seconds_of_day, at_least=0)
    if interval_s <= 0 or DAY_S % interval_s:
        raise BadInput(f"interval of {interval_s!r} s does not divide a day: use e.g. 900 or 1800")
    if days < 1:
        raise BadInput(f"days={days!r} is not valid: the profile needs at least one observed day")
    if (offsets >= DAY_S).any():
        raise BadInput("seconds_of_day must be below 86400: pass the time since local midnight")
    bins = int(DAY_S // interval_s)
    count = np.bincount((offsets // interval_s).astype(np.int64), minlength=bins)
    return ArrivalProfile(
        start_s=np.arange(bins, dtype=np.float64) * interval_s,
        count=count.astype(np.int64),
        days=days,
        interval_s=float(interval_s),
        rate=poisson_rate(count, days * interval_s, confidence=confidence),
    )
