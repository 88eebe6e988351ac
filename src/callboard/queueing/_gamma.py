"""Logarithms of the regularized incomplete gamma functions that never underflow.

SciPy's `gammainc`/`gammaincc` are accurate to a few ulps but return 0 once the
value drops below about 1e-308, which happens routinely at 10,000+ agents. In
that deep tail both functions are a leading power term times a series whose
terms shrink geometrically, so the logarithm is computed from that product
instead. The switch point `_TINY` leaves the SciPy value in its accurate,
normal-float range.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammainc, gammaincc, gammaln, xlogy

from callboard.queueing._inputs import FloatArray

_TINY = 1e-280
_SERIES_TOLERANCE = 1e-17


def log_gammainc(shape: FloatArray, z: FloatArray) -> FloatArray:
    """log P(shape, z), the lower regularized incomplete gamma; shape > 0, z >= 0.

    Deep lower tail (z well below shape): P = z^s e^-z / Gamma(s+1) * sum_k z^k / (s+1)_k,
    and the ratios z / (s + k) are below 1, so the sum converges.
    """
    shape, z = np.broadcast_arrays(np.asarray(shape, np.float64), np.asarray(z, np.float64))
    with np.errstate(divide="ignore"):
        result = np.log(gammainc(shape, z))
    tail = ~(result > np.log(_TINY)) & (z > 0)
    if tail.any():
        s, w = shape[tail], z[tail]
        lead = xlogy(s, w) - w - gammaln(s + 1)
        result = np.array(result, copy=True)
        result[tail] = lead + np.log(_geometric_like_sum(w, s + 1, step=1.0))
    return np.asarray(result, dtype=np.float64)


def log_poisson_cdf(count: FloatArray, mean: FloatArray) -> FloatArray:
    """log P(Poisson(mean) <= count) for whole `count` >= 0 and mean > 0.

    Deep upper tail of the gamma (mean well above count): the cdf is
    pmf(count) * sum_k count (count-1) ... (count-k+1) / mean^k, a finite sum whose
    ratios (count - k) / mean are below 1.
    """
    count, mean = np.broadcast_arrays(np.asarray(count, np.float64), np.asarray(mean, np.float64))
    with np.errstate(divide="ignore"):
        result = np.log(gammaincc(count + 1, mean))
    tail = ~(result > np.log(_TINY))
    if tail.any():
        k, m = count[tail], mean[tail]
        result = np.array(result, copy=True)
        result[tail] = log_poisson_pmf(k, m) + np.log(_geometric_like_sum(k, m, step=-1.0))
    return np.asarray(result, dtype=np.float64)


def log_poisson_pmf(count: FloatArray, mean: FloatArray) -> FloatArray:
    """log P(Poisson(mean) = count); `xlogy` makes mean = 0 give 0 or -inf, never NaN."""
    return np.asarray(xlogy(count, mean) - mean - gammaln(count + 1), dtype=np.float64)


def _geometric_like_sum(numerator: FloatArray, denominator: FloatArray, step: float) -> FloatArray:
    """sum_k prod_{j<k} r_j for ratios r_j = numerator / (denominator + step j), step = +1,
    or r_j = (numerator - j) / denominator, step = -1 (which ends when numerator - j = 0).

    Callers only use it where every ratio is below 1, so the loop ends; terms are
    added until each is below 1e-17 of its running sum.
    """
    total = np.ones_like(numerator)
    term = np.ones_like(numerator)
    live = np.ones(numerator.shape, dtype=bool)
    j = 0.0
    while live.any():
        if step > 0:
            ratio = numerator[live] / (denominator[live] + j + 1.0)
        else:
            ratio = np.maximum(numerator[live] - j, 0.0) / denominator[live]
        term[live] = term[live] * ratio
        total[live] += term[live]
        live[live] = term[live] > _SERIES_TOLERANCE * total[live]
        j += 1.0
    return total
