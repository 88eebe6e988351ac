"""Patience, handle-time and arrival-rate estimators on small cases with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from callboard.errors import BadInput
from callboard.queueing import (
    arrival_profile,
    fit_lognormal,
    kaplan_meier,
    mean_patience,
    mean_with_ci,
    poisson_rate,
)


def test_kaplan_meier_by_hand() -> None:
    # At risk 6, 5, 3, 1 at the abandon times 1, 2, 3, 5; the answered calls at
    # 2 and 4 leave the risk set after their time (a tie counts as at risk).
    km = kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    np.testing.assert_array_equal(km.time, [1, 2, 3, 5])
    np.testing.assert_array_equal(km.at_risk, [6, 5, 3, 1])
    np.testing.assert_allclose(km.survival, [5 / 6, 2 / 3, 4 / 9, 0.0])
    # Greenwood at t = 1: S^2 * 1 / (6 * 5); log(-log) interval from it.
    s = 5 / 6
    spread = 1.959963984540054 * np.sqrt(1 / 30) / abs(np.log(s))
    assert km.lower[0] == pytest.approx(s ** np.exp(spread))
    assert km.upper[0] == pytest.approx(s ** np.exp(-spread))
    survival, lower, upper = km.at([0.5, 2.5, 10.0])
    np.testing.assert_allclose(survival, [1.0, 2 / 3, 0.0])
    assert np.all(lower <= survival) and np.all(survival <= upper)


def test_estimators_recover_an_exponential_patience_under_censoring() -> None:
    rng = np.random.default_rng(7)
    patience = rng.exponential(300.0, 20_000)
    offered_wait = rng.exponential(200.0, 20_000)
    wait = np.minimum(patience, offered_wait)
    abandoned = patience < offered_wait
    simple = mean_patience(wait, abandoned)
    assert simple.lower < 300.0 < simple.upper
    assert simple.upper - simple.lower < 0.1 * 300.0
    # Three pointwise 95% intervals would all cover only ~86% of the time; at
    # 99.9% each, a miss means a real bias.
    km = kaplan_meier(wait, abandoned, confidence=0.999)
    times = np.array([60.0, 300.0, 600.0])
    _, lower, upper = km.at(times)
    truth = np.exp(-times / 300.0)
    assert np.all(lower < truth) and np.all(truth < upper)


def test_mean_patience_without_abandons_is_only_bounded_below() -> None:
    result = mean_patience([10.0, 20.0], [False, False])
    assert result.mean == np.inf and result.upper == np.inf
    # chi-square with 2 df: the lower bound is 2 * total / 7.3778.
    assert result.lower == pytest.approx(60.0 / 7.377758908227871)


def test_mean_with_ci_uses_student_t() -> None:
    result = mean_with_ci([1.0, 2.0, 3.0, 4.0])
    # t(3; 0.975) = 3.182446; s = 1.290994.
    assert result.mean == 2.5
    assert result.upper - result.mean == pytest.approx(3.182446305 * 1.290994449 / 2)


def test_lognormal_fit_recovers_its_parameters() -> None:
    rng = np.random.default_rng(11)
    sample = rng.lognormal(mean=4.8, sigma=0.9, size=50_000)
    fit = fit_lognormal(sample)
    assert fit.mu_lower < 4.8 < fit.mu_upper
    assert fit.sigma_lower < 0.9 < fit.sigma_upper
    true_mean = np.exp(4.8 + 0.9**2 / 2)
    assert fit.mean_lower < true_mean < fit.mean_upper
    assert fit.median == pytest.approx(np.exp(fit.mu))


def test_poisson_interval_matches_garwood_tables() -> None:
    # Garwood (1936) 95% limits: k = 0 -> [0, 3.689]; k = 10 -> [4.795, 18.390].
    rates = poisson_rate([0, 10], 1.0)
    np.testing.assert_allclose(rates.lower, [0.0, 4.795], atol=5e-4)
    np.testing.assert_allclose(rates.upper, [3.689, 18.390], atol=5e-4)


def test_arrival_profile_pools_days() -> None:
    # Two days, 30-minute intervals: three calls in 08:00-08:30 and one at 23:59.
    seconds = np.array([8 * 3600, 8 * 3600 + 60, 8 * 3600 + 1799, 86_399])
    profile = arrival_profile(seconds, days=2, interval_s=1800)
    assert profile.count.size == 48 and profile.count.sum() == 4
    assert profile.count[16] == 3 and profile.count[47] == 1
    assert profile.rate.rate[16] == pytest.approx(3 / (2 * 1800))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: kaplan_meier([1.0, -2.0], [True, False]), "-2.0 at position 1"),
        (lambda: kaplan_meier([1.0, 2.0], [True]), "one flag per wait"),
        (lambda: fit_lognormal([0.0, 3.0, 4.0]), "0.0 at position 0"),
        (lambda: mean_with_ci([5.0]), "at least 2"),
        (lambda: arrival_profile([1.0], days=1, interval_s=7000), "does not divide a day"),
        (lambda: poisson_rate(3, 0.0), "exposure_s=0.0"),
    ],
)
def test_bad_samples_are_named(call: object, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        call()  # type: ignore[operator]
