"""Validity: the full engine reproduces exact Erlang A and Erlang C.

M/M/100+M with 1,000 calls/h, mean service 5.7 min and mean patience 3 min,
then the same without abandonment at ρ ≈ 0.9; P(answered within 20 s) is over
all arrivals (KPI.md's `sl_offered`).

How the estimate is made, and why. One long run after a one-hour warm-up is
cut into 100 batches of 40 simulated hours (4 million arrivals). A batch is
far longer than the queue's memory (minutes), so batch proportions are nearly
independent, and their spread gives an honest confidence interval. That spread
is large: near ρ = 0.93 a few tenths of a percent more offered work in a batch
moves P(wait > 0) by a couple of points, so plain batch means have a standard
error near 0.002 even over millions of arrivals. The estimator therefore uses
two control variates whose expectations are known exactly, the batch's
arrival count (λ · 40 h) and its mean service draw (5.7 min), and regresses
the batch proportions on them (Lavenberg and Welch's control-variate method);
the intercept is the estimate and the regression's standard error gives the
95% interval. This cuts the standard error about threefold without any
knowledge of the answer. Both must hold: the estimate within ±0.002 of exact,
and its 95% interval covering exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest
from scipy.stats import t as student_t

from callboard.engine import Contact
from callboard.queueing import erlang_a, erlang_c
from callboard.sim.distributions import Exponential
from callboard.sim.driver import run
from tests.sim.helpers import one_queue

RATE_PER_HOUR = 1000.0
SERVICE_S = 342.0
PATIENCE_S = 180.0
THRESHOLD_S = 20.0
BATCHES = 100
BATCH_H = 40.0
WARMUP_S = 3600.0
TOLERANCE = 0.002


def _zeros() -> list[float]:
    return [0.0] * BATCHES


@dataclass
class Batches:
    """Per-batch sums, by the batch of each contact's queue entry."""

    arrivals: list[float] = field(default_factory=_zeros)
    abandoned: list[float] = field(default_factory=_zeros)
    waited: list[float] = field(default_factory=_zeros)
    within: list[float] = field(default_factory=_zeros)
    talk_s: list[float] = field(default_factory=_zeros)
    answered: list[float] = field(default_factory=_zeros)

    def __call__(self, contacts: list[Contact]) -> None:
        for contact in contacts:
            batch = int((contact.queued_at - WARMUP_S) // (BATCH_H * 3600.0))
            if not 0 <= batch < BATCHES:
                continue
            self.arrivals[batch] += 1
            if contact.outcome == "abandoned":
                self.abandoned[batch] += 1
            if contact.queued:
                self.waited[batch] += 1
            answered = contact.answered_at
            if answered is not None and contact.ended_at is not None:
                self.answered[batch] += 1
                self.talk_s[batch] += contact.ended_at - answered
                if answered - contact.queued_at <= THRESHOLD_S:
                    self.within[batch] += 1

    def estimate(self, counts: list[float]) -> tuple[float, float, float]:
        """(control-variate estimate, its 95% half-width, plain batch mean) of counts/arrivals."""
        arrivals = np.asarray(self.arrivals)
        ratios = np.asarray(counts) / arrivals
        controls = np.column_stack(
            [
                np.ones(BATCHES),
                arrivals - RATE_PER_HOUR * BATCH_H,
                np.asarray(self.talk_s) / np.asarray(self.answered) - SERVICE_S,
            ]
        )
        coef, *_ = np.linalg.lstsq(controls, ratios, rcond=None)
        residuals = ratios - controls @ coef
        dof = BATCHES - controls.shape[1]
        variance = float(residuals @ residuals) / dof * np.linalg.inv(controls.T @ controls)[0, 0]
        half = float(student_t.ppf(0.975, dof)) * variance**0.5
        return float(coef[0]), half, float(ratios.mean())


def check(name: str, batches: Batches, counts: list[float], exact: float) -> None:
    value, half, plain = batches.estimate(counts)
    where = f"{name}: {value:.5f} ± {half:.5f} (plain mean {plain:.5f}) vs exact {exact:.5f}"
    assert abs(value - exact) <= TOLERANCE, where
    assert value - half <= exact <= value + half, where


def simulate(agents: int, patience: Exponential | None, seed: int) -> Batches:
    hours = WARMUP_S / 3600.0 + BATCHES * BATCH_H
    scenario = one_queue(
        rate_per_hour=RATE_PER_HOUR, agents=agents, service=Exponential(SERVICE_S),
        patience=patience, hours=hours,
    )  # fmt: skip
    batches = Batches()
    run(scenario, seed, batches)
    assert sum(batches.arrivals) >= 3_900_000
    return batches


def test_erlang_a_m_m_100_plus_m() -> None:
    batches = simulate(100, Exponential(PATIENCE_S), seed=2026)
    exact = erlang_a(RATE_PER_HOUR / 3600.0, SERVICE_S, PATIENCE_S, 100, threshold=THRESHOLD_S)
    check("P(abandon)", batches, batches.abandoned, float(exact.p_abandon))
    check("P(wait > 0)", batches, batches.waited, float(exact.p_wait))
    check("answered within 20 s", batches, batches.within, float(exact.answered_within))


def test_erlang_c_limit_without_abandonment() -> None:
    agents = 106  # load 95 Erlang: ρ = 0.896
    batches = simulate(agents, None, seed=2027)
    exact = erlang_c(RATE_PER_HOUR / 3600.0, SERVICE_S, agents, threshold=THRESHOLD_S)
    assert sum(batches.abandoned) == 0
    check("P(wait > 0)", batches, batches.waited, float(exact.p_wait))
    check("answered within 20 s", batches, batches.within, float(exact.service_level))


def test_the_check_fails_when_the_simulation_misses_the_exact_value() -> None:
    rng = np.random.default_rng(0)
    batches = Batches()
    batches.arrivals = (40000.0 + rng.normal(0, 200, BATCHES).round()).tolist()
    batches.answered = [39000.0] * BATCHES
    batches.talk_s = (39000.0 * (SERVICE_S + rng.normal(0, 1.7, BATCHES))).tolist()
    batches.abandoned = (np.asarray(batches.arrivals) * rng.normal(0.025, 0.0005, BATCHES)).tolist()
    check("P(abandon)", batches, batches.abandoned, 0.025)
    with pytest.raises(AssertionError, match="vs exact"):
        check("P(abandon)", batches, batches.abandoned, 0.0275)
    with pytest.raises(AssertionError, match="vs exact"):
        check("P(abandon)", batches, batches.abandoned, 0.0254)
