"""Caller patience from queue waits, where an answer censors the patience.

A caller answered after w seconds would have waited at least w, so answered
(and system-exited) waits are right-censored observations and abandons are
events. Two estimators:

- Kaplan–Meier, distribution-free, with Greenwood variances and log(-log)
  pointwise intervals (they stay inside [0, 1]). Beyond the longest observed
  wait it says nothing, so it has no mean when the curve never reaches 0.
- Brown et al. (2005): under exponential patience the censored-data MLE of the
  mean is total wait / abandons (all queued callers' waits over the number who
  abandoned). 2 * total / mean is then approximately chi-square with
  2 * abandons degrees of freedom, which gives the interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import chdtri, ndtri

from callboard.errors import BadInput
from callboard.queueing._inputs import FloatArray
from callboard.queueing._samples import check_confidence, observed


@dataclass(frozen=True)
class KaplanMeier:
    """S(t) = P(patience > t), a step function that drops at each abandon time (seconds).

    `survival[i]` holds on [time[i], time[i+1]); `lower`/`upper` bound it pointwise.
    """

    time: FloatArray
    survival: FloatArray
    lower: FloatArray
    upper: FloatArray
    at_risk: NDArray[np.int64]
    events: NDArray[np.int64]

    def at(self, t: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(S, lower, upper) at times `t`; 1 before the first abandon."""
        index = np.searchsorted(self.time, np.asarray(t, dtype=np.float64), side="right") - 1
        pad = np.concatenate
        one = np.ones(1)
        return (
            pad([one, self.survival])[index + 1],
            pad([one, self.lower])[index + 1],
            pad([one, self.upper])[index + 1],
        )


@dataclass(frozen=True)
class MeanPatience:
    """Brown et al.'s estimate in seconds; `mean` is infinite when nobody abandoned."""

    mean: float
    lower: float
    upper: float
    abandons: int
    total_wait: float


def kaplan_meier(
    waits: ArrayLike, abandoned: ArrayLike, *, confidence: float = 0.95
) -> KaplanMeier:
    """KM over queued callers' `waits` (seconds); `abandoned` marks the events."""
    wait, event = _paired(waits, abandoned)
    z = float(ndtri(0.5 + check_confidence(confidence) / 2))
    order = np.argsort(wait, kind="stable")
    wait, event = wait[order], event[order]
    times, first = np.unique(wait, return_index=True)
    events = np.add.reduceat(event.astype(np.int64), first) if wait.size else np.zeros(0, np.int64)
    at_risk = wait.size - first
    keep = events > 0
    times, events, at_risk = times[keep], events[keep], at_risk[keep].astype(np.int64)
    survival = np.cumprod(1.0 - events / at_risk).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(events / (at_risk * (at_risk - events).astype(np.float64)))
        spread = z * np.sqrt(greenwood) / np.abs(np.log(survival))
        lower = np.where(survival > 0, survival ** np.exp(spread), 0.0)
        upper = np.where(survival > 0, survival ** np.exp(-spread), 0.0)
    return KaplanMeier(
        time=times, survival=survival, lower=np.nan_to_num(lower, nan=0.0),
        upper=np.nan_to_num(upper, nan=1.0), at_risk=at_risk, events=events,
    )  # fmt: skip


def mean_patience(
    waits: ArrayLike, abandoned: ArrayLike, *, confidence: float = 0.95
) -> MeanPatience:
    """Total wait / abandons (Brown et al. 2005), with its chi-square interval."""
    wait, event = _paired(waits, abandoned)
    alpha = 1.0 - check_confidence(confidence)
    total = float(wait.sum())
    abandons = int(event.sum())
    if abandons == 0:
        # No abandon yet: only a lower bound is known (chi-square with 2 df).
        return MeanPatience(np.inf, 2 * total / float(chdtri(2, alpha / 2)), np.inf, 0, total)
    dof = 2.0 * abandons
    return MeanPatience(
        mean=total / abandons,
        lower=2 * total / float(chdtri(dof, alpha / 2)),
        upper=2 * total / float(chdtri(dof, 1 - alpha / 2)),
        abandons=abandons,
        total_wait=total,
    )


def _paired(waits: ArrayLike, abandoned: ArrayLike) -> tuple[FloatArray, NDArray[np.bool_]]:
    wait = observed("waits", waits)
    event = np.asarray(abandoned, dtype=bool).ravel()
    if event.shape != wait.shape:
        raise BadInput(
            f"waits has {wait.size} values but abandoned has {event.size}: give one flag per wait"
        )
    return wait, event
