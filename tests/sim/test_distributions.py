"""Duration distributions: their means, and Kaplan–Meier patience as a step distribution."""

from __future__ import annotations

import numpy as np
import pytest

from callboard.sim.distributions import Empirical, Exponential, Fixed, Lognormal, Sampler
from callboard.sim.replay import NEVER_S, kaplan_meier_patience


@pytest.mark.parametrize(
    "distribution",
    [Exponential(300.0), Lognormal(300.0, 200.0), Fixed(300.0), Empirical((100.0, 500.0))],
    ids=lambda d: type(d).__name__,
)
def test_samples_have_the_stated_mean(distribution: object) -> None:
    sampler = Sampler(distribution, np.random.default_rng(1))  # type: ignore[arg-type]
    draws = np.array([sampler.next() for _ in range(40_000)])
    assert draws.mean() == pytest.approx(300.0, rel=0.02)


def test_lognormal_is_parameterised_by_its_own_mean_and_sd() -> None:
    draws = Lognormal(240.0, 180.0).draw(np.random.default_rng(2), 200_000)
    assert draws.mean() == pytest.approx(240.0, rel=0.01)
    assert draws.std() == pytest.approx(180.0, rel=0.03)


def test_empirical_weights_set_the_shares() -> None:
    draws = Empirical((1.0, 2.0), (3.0, 1.0)).draw(np.random.default_rng(3), 40_000)
    assert float(np.mean(draws == 1.0)) == pytest.approx(0.75, abs=0.01)
    assert Empirical((1.0, 2.0), (3.0, 1.0)).mean == 1.25


def test_kaplan_meier_patience_puts_each_drop_on_its_abandon_time() -> None:
    waits = np.array([10.0, 20.0, 30.0, 40.0])
    abandoned = np.array([True, False, True, False])
    # At 10 s: 1 of 4 at risk leaves, S = 0.75; at 30 s: 1 of 2, S = 0.375.
    patience = kaplan_meier_patience(waits, abandoned)
    assert patience.values == (10.0, 30.0, NEVER_S)
    assert patience.weights == pytest.approx((0.25, 0.375, 0.375))
