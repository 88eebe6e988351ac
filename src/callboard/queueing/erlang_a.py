"""Erlang A (M/M/n+M): Erlang C plus exponential patience with mean `patience` seconds.

Closed forms after Garnett, Mandelbaum & Reiman (2002) and Mandelbaum & Zeltyn
("The M/M/n+G queue: summary of performance measures"). With
x = n mu / theta and y = lambda / theta (mu = 1/aht, theta = 1/patience):

- A(x, y) = x e^y y^-x gamma(x, y) = sum_j y^j / (x+1)...(x+j), the queue
  states' weight relative to state n; P(W > 0) = A B / (1 + (A - 1) B).
- The offered wait V (what an infinitely patient caller would wait) behind j
  queued callers is a sum of Exp(theta (x + i)), i = 0..j, i.e. -log of a
  Beta(x, j+1) variable / theta, which sums over j to
  P(V > t) = P(W > 0) P(x, y e^-theta t) / P(x, y).
- Answered with 0 < V <= t: P(W > 0) (x/y) [P(x+1, y) - P(x+1, z)] / P(x, y),
  z = y e^-theta t; t = infinity gives P(answered | W > 0).
- Abandoned within s: P(Ab) - P(W > 0) [z P(x, z) - x P(x+1, z)] / (y P(x, y)).

P(.,.) is the regularized lower incomplete gamma, used only through its
logarithm (`_gamma.log_gammainc`) so that 100,000 agents neither overflow nor
lose the tail. Little's law on the abandoning stream gives E[W] = P(Ab) patience.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit, gammaln, xlogy

from callboard.queueing._gamma import log_gammainc
from callboard.queueing._inputs import FloatArray, checked, checked_agents
from callboard.queueing.erlang_b import log_erlang_b


@dataclass(frozen=True)
class ErlangA:
    """Steady-state figures over all arrivals; fields have the broadcast input shape.

    p_wait: P(W > 0). p_abandon: P(abandon). asa: E[W] in seconds over every
    arrival, abandoned ones included (KPI.md `avg_wait`, not `asa`). mean_queue:
    E[callers waiting]. occupancy: answered load / agents. answered_within:
    P(answered and W <= threshold), KPI.md `sl_offered`. p_wait_gt: P(W > threshold).
    """

    p_wait: FloatArray
    p_abandon: FloatArray
    asa: FloatArray
    mean_queue: FloatArray
    occupancy: FloatArray
    answered_within: FloatArray
    p_wait_gt: FloatArray


@dataclass(frozen=True)
class _Model:
    """Broadcast inputs plus the logarithms every figure is built from.

    Unstaffed cells (agents = 0) carry x = 1 and empty ones (rate = 0) carry
    rate 1 as stand-ins so the logarithms stay finite; `finish` overwrites
    their results with the exact limits.
    """

    rate: FloatArray
    aht: FloatArray
    patience: FloatArray
    agents: FloatArray
    x: FloatArray
    y: FloatArray
    p_wait: FloatArray
    log_p_x_y: FloatArray
    log_r1: FloatArray
    unstaffed: NDArray[np.bool_]
    idle: NDArray[np.bool_]

    @property
    def served_given_wait(self) -> FloatArray:
        """P(answered | W > 0) = (x / y) P(x+1, y) / P(x, y), at most 1."""
        return np.minimum(np.exp(self.log_x_over_y + self.log_r1), 1.0)

    @property
    def log_x_over_y(self) -> FloatArray:
        """log(n mu / lambda); a ratio of logarithms, since a tiny rate overflows x / y."""
        return np.asarray(np.log(self.x) - np.log(self.y), dtype=np.float64)

    @property
    def p_abandon(self) -> FloatArray:
        return self.p_wait * (1.0 - self.served_given_wait)

    def log_ratio(self, shape: FloatArray, t: FloatArray) -> FloatArray:
        """log P(shape, y e^-t/patience) - log P(x, y): a tail factor relative to P(W > 0)."""
        return log_gammainc(shape, self.y * np.exp(-t / self.patience)) - self.log_p_x_y

    def finish(self, value: FloatArray, unstaffed: FloatArray | float, idle: float) -> FloatArray:
        """Put the exact limits in place of the stand-in cells; empty wins over unstaffed."""
        return np.asarray(
            np.where(self.idle, idle, np.where(self.unstaffed, unstaffed, value)), dtype=np.float64
        )


def erlang_a(
    rate: ArrayLike,
    aht: ArrayLike,
    patience: ArrayLike,
    agents: ArrayLike,
    threshold: ArrayLike = 20.0,
) -> ErlangA:
    """Erlang A for `rate` per second, `aht` and mean `patience` in seconds."""
    model = _model(rate, aht, patience, agents)
    t = checked("threshold", threshold)
    p_abandon = model.finish(model.p_abandon, unstaffed=1.0, idle=0.0)
    answered_load = model.rate * (1.0 - p_abandon) * model.aht
    return ErlangA(
        p_wait=model.finish(model.p_wait, unstaffed=1.0, idle=0.0),
        p_abandon=p_abandon,
        asa=np.asarray(p_abandon * model.patience),
        mean_queue=np.asarray(model.rate * p_abandon * model.patience),
        # Rounding can put answered load / agents a few ulps above 1.
        occupancy=model.finish(
            np.minimum(answered_load / np.maximum(model.agents, 1.0), 1.0), 0.0, 0.0
        ),
        answered_within=_answered_within(model, t),
        p_wait_gt=_wait_tail(model, t),
    )


def offered_wait_tail(
    rate: ArrayLike, aht: ArrayLike, patience: ArrayLike, agents: ArrayLike, t: ArrayLike
) -> FloatArray:
    """P(V > t): the wait a caller with unlimited patience would face, which is what an
    expected-wait announcement promises. With no agents V is infinite: the tail is 1."""
    return _offered_wait_tail(_model(rate, aht, patience, agents), checked("t", t))


def wait_tail(
    rate: ArrayLike, aht: ArrayLike, patience: ArrayLike, agents: ArrayLike, t: ArrayLike
) -> FloatArray:
    """P(W > t) for the actual wait W = min(V, patience draw)."""
    return _wait_tail(_model(rate, aht, patience, agents), checked("t", t))


def answered_within(
    rate: ArrayLike, aht: ArrayLike, patience: ArrayLike, agents: ArrayLike, t: ArrayLike
) -> FloatArray:
    """P(answered and W <= t) over all arrivals."""
    return _answered_within(_model(rate, aht, patience, agents), checked("t", t))


def abandoned_within(
    rate: ArrayLike, aht: ArrayLike, patience: ArrayLike, agents: ArrayLike, t: ArrayLike
) -> FloatArray:
    """P(abandoned and W <= t) over all arrivals; with t = S these are KPI.md's short abandons."""
    model = _model(rate, aht, patience, agents)
    t = checked("t", t)
    z_over_y = np.exp(-t / model.patience)
    # P(abandoned after t | W > 0) = [z P(x, z) - x P(x+1, z)] / (y P(x, y)).
    later = z_over_y * np.exp(model.log_ratio(model.x, t)) - np.exp(
        model.log_x_over_y + model.log_ratio(model.x + 1.0, t)
    )
    p_abandon = model.p_abandon
    within = np.clip(p_abandon - model.p_wait * np.maximum(later, 0.0), 0.0, p_abandon)
    return model.finish(within, unstaffed=-np.expm1(-t / model.patience), idle=0.0)


def _model(rate: ArrayLike, aht: ArrayLike, patience: ArrayLike, agents: ArrayLike) -> _Model:
    rate, aht, patience, agents = np.broadcast_arrays(
        checked("rate", rate),
        checked("aht", aht, positive=True),
        checked("patience", patience, positive=True),
        checked_agents(agents),
    )
    idle = rate == 0
    unstaffed = agents == 0
    y = np.where(idle, 1.0, rate) * patience
    x = np.where(unstaffed, 1.0, agents) * patience / aht
    log_p_x_y = log_gammainc(x, y)
    log_a = y - xlogy(x, y) + gammaln(x + 1.0) + log_p_x_y
    log_b = log_erlang_b(np.where(unstaffed, 1.0, agents), y * aht / patience)
    with np.errstate(divide="ignore"):
        # P(W > 0) = 1 / (1 + (1/B - 1) / A), with (1/B - 1) / A kept as a logarithm.
        log_free_over_queue = -log_b + np.log1p(-np.exp(log_b)) - log_a
    return _Model(
        rate=rate, aht=aht, patience=patience, agents=agents, x=x, y=y,
        p_wait=expit(-log_free_over_queue), log_p_x_y=log_p_x_y,
        log_r1=log_gammainc(x + 1.0, y) - log_p_x_y, unstaffed=unstaffed, idle=idle,
    )  # fmt: skip


def _offered_wait_tail(model: _Model, t: FloatArray) -> FloatArray:
    tail = model.p_wait * np.exp(model.log_ratio(model.x, t))
    return model.finish(tail, unstaffed=1.0, idle=0.0)


def _wait_tail(model: _Model, t: FloatArray) -> FloatArray:
    return np.asarray(_offered_wait_tail(model, t) * np.exp(-t / model.patience))


def _answered_within(model: _Model, t: FloatArray) -> FloatArray:
    # Of the answered callers who waited, the share still waiting at t is
    # P(x+1, z) / P(x+1, y).
    later = -np.expm1(model.log_ratio(model.x + 1.0, t) - model.log_r1)
    within = 1.0 - model.p_wait + model.p_wait * model.served_given_wait * later
    return model.finish(np.clip(within, 0.0, 1.0), unstaffed=0.0, idle=1.0)
