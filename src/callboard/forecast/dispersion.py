"""Moment estimate of the extra-Poisson variance of counts around their expectation.

For Y ~ Poisson(mu * G) with E[G] = 1 and Var[G] = v, E[(Y - mu)^2 - mu] = v mu^2,
so v is estimated by pooling that identity over intervals.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def overdispersion(actual: NDArray[np.float64], expected: NDArray[np.float64]) -> float:
    """The pooled gamma variance v >= 0; zero when the counts look Poisson or there is no data."""
    expected = np.asarray(expected, dtype=np.float64)
    weight = float(np.sum(expected**2))
    if weight <= 0:
        return 0.0
    excess = float(np.sum((actual - expected) ** 2 - expected))
    return max(excess / weight, 0.0)
