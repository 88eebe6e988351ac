"""Average handle time and its distribution, from observed handle times in seconds.

Handle times are skewed (Brown et al. 2005 find them close to lognormal), so
besides the sample mean with its Student-t interval we fit a lognormal by
maximum likelihood on log times. The lognormal mean exp(mu + sigma^2 / 2)
gets Cox's interval, which accounts for the uncertainty of both parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtri, ndtri, stdtrit

from callboard.errors import BadInput
from callboard.queueing._samples import check_confidence, observed


@dataclass(frozen=True)
class MeanEstimate:
    """A sample mean (seconds) with a two-sided interval; `std` is the sample deviation."""

    mean: float
    lower: float
    upper: float
    std: float
    count: int


@dataclass(frozen=True)
class LognormalFit:
    """log(handle time) ~ Normal(mu, sigma^2); intervals for mu, sigma and the mean."""

    mu: float
    sigma: float
    mu_lower: float
    mu_upper: float
    sigma_lower: float
    sigma_upper: float
    mean: float
    mean_lower: float
    mean_upper: float
    count: int

    @property
    def median(self) -> float:
        return float(np.exp(self.mu))


def mean_with_ci(values: ArrayLike, *, confidence: float = 0.95) -> MeanEstimate:
    """Student-t interval; with thousands of calls it is the normal interval."""
    sample = observed("handle times", values, at_least=2)
    level = check_confidence(confidence)
    mean = float(sample.mean())
    std = float(sample.std(ddof=1))
    half = float(stdtrit(sample.size - 1, 0.5 + level / 2)) * std / np.sqrt(sample.size)
    return MeanEstimate(mean, float(mean - half), float(mean + half), std, int(sample.size))


def fit_lognormal(values: ArrayLike, *, confidence: float = 0.95) -> LognormalFit:
    """MLE on handle times > 0 (seconds). Zeros have no logarithm; whether they are
    real calls is a data question, so the caller decides and excludes them."""
    sample = observed("handle times", values, at_least=2)
    if (sample <= 0).any():
        at = int(np.flatnonzero(sample <= 0)[0])
        raise BadInput(
            f"handle times hold {float(sample[at])!r} at position {at}: a lognormal needs "
            "times above 0, so drop calls without talk time before fitting"
        )
    logs = np.log(sample)
    n = sample.size
    level = check_confidence(confidence)
    alpha = 1.0 - level
    mu = float(logs.mean())
    variance = float(logs.var(ddof=1))
    sigma = float(np.sqrt(variance))
    half = float(stdtrit(n - 1, 0.5 + level / 2)) * sigma / np.sqrt(n)
    sigma_lower = float(np.sqrt((n - 1) * variance / chdtri(n - 1, alpha / 2)))
    sigma_upper = float(np.sqrt((n - 1) * variance / chdtri(n - 1, 1 - alpha / 2)))
    log_mean = mu + variance / 2
    spread = float(ndtri(0.5 + level / 2)) * np.sqrt(variance / n + variance**2 / (2 * (n - 1)))
    return LognormalFit(
        mu=mu, sigma=sigma, mu_lower=float(mu - half), mu_upper=float(mu + half),
        sigma_lower=sigma_lower, sigma_upper=sigma_upper, mean=float(np.exp(log_mean)),
        mean_lower=float(np.exp(log_mean - spread)), mean_upper=float(np.exp(log_mean + spread)),
        count=int(n),
    )  # fmt: skip
