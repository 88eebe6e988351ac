"""Erlang C (M/M/n): infinitely patient callers, exponential handle times.

Where agents <= load the queue grows without bound: every caller waits, the
service level is 0, the ASA is infinite and agents are always busy. Those are
returned as such (never NaN) so that a staffing search can compare them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from callboard.queueing._inputs import FloatArray, checked, checked_agents
from callboard.queueing.erlang_b import log_erlang_b


@dataclass(frozen=True)
class ErlangC:
    """Steady-state figures; every field has the broadcast shape of the inputs.

    p_wait: P(W > 0). service_level: P(W <= threshold), which is every KPI.md
    service-level variant at once because nobody abandons. asa: mean wait in
    seconds (all callers are answered). occupancy: load / agents, at most 1.
    """

    p_wait: FloatArray
    service_level: FloatArray
    asa: FloatArray
    occupancy: FloatArray


def erlang_c(
    rate: ArrayLike, aht: ArrayLike, agents: ArrayLike, threshold: ArrayLike = 20.0
) -> ErlangC:
    """Erlang C for arrivals `rate` per second, `aht` seconds, answer `threshold` seconds."""
    rate = checked("rate", rate)
    aht = checked("aht", aht, positive=True)
    agents = checked_agents(agents)
    threshold = checked("threshold", threshold)
    rate, aht, agents, threshold = np.broadcast_arrays(rate, aht, agents, threshold)
    load = rate * aht
    stable = agents > load
    # Unstable cells get a harmless stand-in staffing so the formulas run on
    # the whole array; their results are replaced below.
    staffed = np.where(stable, agents, load + 1.0)
    spare = staffed - load
    p_wait = np.exp(log_erlang_c(staffed, load))
    service_level = 1.0 - p_wait * np.exp(-spare * threshold / aht)
    asa = p_wait * aht / spare
    occupancy = load / staffed
    busy = ~stable & (load > 0)
    return ErlangC(
        p_wait=np.where(busy, 1.0, p_wait),
        service_level=np.where(busy, 0.0, service_level),
        asa=np.where(busy, np.inf, asa),
        occupancy=np.where(busy, 1.0, occupancy),
    )


def log_erlang_c(agents: FloatArray, load: FloatArray) -> FloatArray:
    """log P(W > 0) for agents > load: 1/C = rho + (1 - rho) / B, summed in log space."""
    rho = load / agents
    with np.errstate(divide="ignore"):
        return -np.logaddexp(np.log(rho), np.log1p(-rho) - log_erlang_b(agents, load))
