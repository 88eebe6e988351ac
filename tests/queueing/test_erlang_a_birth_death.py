"""Erlang A against an independent computation: the truncated birth–death chain.

The number in system is a birth–death process (births lambda; deaths
min(k, n) mu + max(k - n, 0) theta). Its stationary law is built in log space
and normalised with logsumexp; arrivals see it (PASTA), and P(abandon) is the
abandonment flow theta E[Q] / lambda. The waiting-time figures follow a tagged
caller through a pure-death chain of "callers ahead of me", solved with a
sparse matrix exponential, so no incomplete gamma function is involved.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import diags
from scipy.sparse.linalg import expm_multiply
from scipy.special import gammaln, logsumexp

from callboard.queueing import erlang_a


def birth_death(
    rate: float, aht: float, patience: float, agents: int, threshold: float
) -> dict[str, float]:
    mu, theta = 1 / aht, 1 / patience
    busy = np.arange(agents + 1)
    log_busy = busy * np.log(rate * aht) - gammaln(busy + 1)
    # Queue states out to 12 standard deviations past the fluid queue length:
    # the stationary weights there are below e^-70.
    fluid = max(0.0, rate - agents * mu) / theta
    depth = int(fluid + 12 * np.sqrt(fluid + agents * mu / theta + 1) + 50)
    ahead = np.arange(1, depth + 1)
    log_queue = log_busy[-1] + np.cumsum(np.log(rate) - np.log(agents * mu + ahead * theta))
    log_all = np.concatenate([log_busy, log_queue])
    pi = np.exp(log_all - logsumexp(log_all))
    waiting = pi[agents:]  # arriving to n + i in system: i callers ahead
    mean_queue = float((ahead * pi[agents + 1 :]).sum())
    # Tagged caller, states [answered, 0 ahead, 1 ahead, ...]: with i ahead it
    # moves up at n mu + i theta (from 0 ahead: answered), and abandons at theta.
    move = agents * mu + np.arange(depth + 1) * theta
    generator = diags(
        [np.concatenate([[0.0], -(move + theta)]), move], [0, 1], shape=(depth + 2, depth + 2)
    ).tocsc()
    start = np.concatenate([[0.0], waiting])
    at_threshold = expm_multiply(generator * threshold, start)
    return {
        "p_wait": float(waiting.sum()),
        "p_abandon": theta * mean_queue / rate,
        "mean_queue": mean_queue,
        "answered_within": 1.0 - float(waiting.sum()) + float(at_threshold[0]),
        "p_wait_gt": float(at_threshold[1:].sum()),
    }


CASES = [
    # rate per s, aht s, patience s, agents, threshold s
    (1 / 60, 180.0, 300.0, 1, 20.0),
    (100 / 1800, 180.0, 300.0, 14, 20.0),
    (95 / 180, 180.0, 120.0, 100, 20.0),
    (1020 / 240, 240.0, 600.0, 1000, 30.0),
    (9900 / 180, 180.0, 300.0, 10_000, 20.0),
    (10_100 / 180, 180.0, 60.0, 10_000, 10.0),
]


@pytest.mark.parametrize(("rate", "aht", "patience", "agents", "threshold"), CASES)
def test_closed_form_matches_the_birth_death_chain(
    rate: float, aht: float, patience: float, agents: int, threshold: float
) -> None:
    expected = birth_death(rate, aht, patience, agents, threshold)
    result = erlang_a(rate, aht, patience, agents, threshold)
    for name, value in expected.items():
        assert float(getattr(result, name)) == pytest.approx(value, rel=1e-7, abs=1e-12), name
