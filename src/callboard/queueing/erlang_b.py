"""Erlang B: the blocking probability of M/M/n/n, the building block of Erlang C and A.

Up to `RECURSION_LIMIT` agents we use the textbook recursion on the inverse,
1/B(k) = 1 + (k / load) / B(k-1), carried in log space (`logaddexp`) so that
1/B never overflows. Beyond it, B = pmf(n) / cdf(n) of a Poisson(load), whose
logarithms come from `_gamma` and stay finite up to 100,000 agents and
100,000 Erlangs, where the recursion would cost 100,000 passes over the array.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from callboard.queueing._gamma import log_poisson_cdf, log_poisson_pmf
from callboard.queueing._inputs import FloatArray, checked, checked_agents

RECURSION_LIMIT = 64


def erlang_b(agents: ArrayLike, load: ArrayLike) -> FloatArray:
    """P(an arrival finds all `agents` busy) with no waiting room; `load` in Erlangs.

    Returns an array of the broadcast shape (0-d for scalars).
    """
    return np.exp(log_erlang_b(checked_agents(agents), checked("load", load)))


def log_erlang_b(agents: FloatArray, load: FloatArray) -> FloatArray:
    """log B for checked inputs; -inf where B underflows (many agents, tiny load)."""
    agents, load = np.broadcast_arrays(agents, load)
    result = np.empty(agents.shape, dtype=np.float64)
    small = agents <= RECURSION_LIMIT
    result[small] = _log_recursion(agents[small], load[small])
    big = ~small
    if big.any():
        n, a = agents[big], load[big]
        with np.errstate(divide="ignore", invalid="ignore"):
            result[big] = np.where(
                a > 0, log_poisson_pmf(n, a) - log_poisson_cdf(n, np.maximum(a, 1e-300)), -np.inf
            )
    return result


def _log_recursion(agents: FloatArray, load: FloatArray) -> FloatArray:
    log_inverse = np.zeros_like(agents)
    with np.errstate(divide="ignore"):
        log_load = np.log(load)
    for k in range(1, int(agents.max(initial=0)) + 1):
        step = agents >= k
        log_inverse[step] = np.logaddexp(0.0, np.log(k) - log_load[step] + log_inverse[step])
    return -log_inverse
