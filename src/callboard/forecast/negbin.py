"""Negative-binomial quantiles matched to a mean and a variance.

A gamma mixture of Poissons is negative binomial, so matching the first two
moments gives integer quantiles that widen with over-dispersion; where the
variance is not above the mean the Poisson is used.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import stats


def negbin_quantiles(
    mean: NDArray[np.float64], variance: NDArray[np.float64], levels: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Quantiles with shape `levels.shape + mean.shape`."""
    mean = np.maximum(np.asarray(mean, dtype=np.float64), 0.0)
    excess = np.asarray(variance, dtype=np.float64) - mean
    levels = np.asarray(levels, dtype=np.float64).reshape((-1,) + (1,) * mean.ndim)
    overdispersed = excess > 1e-9 * np.maximum(mean, 1.0)
    size = np.where(overdispersed, mean**2 / np.where(overdispersed, excess, 1.0), 1.0)
    prob = np.where(overdispersed, size / (size + mean), 0.5)
    with np.errstate(invalid="ignore", divide="ignore"):
        nb = stats.nbinom.ppf(levels, np.maximum(size, 1e-12), prob)
        poisson = stats.poisson.ppf(levels, mean)
    out = np.where(overdispersed, nb, poisson)
    return np.where(mean > 0, np.nan_to_num(out, nan=0.0), 0.0)
