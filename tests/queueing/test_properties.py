"""Invariants over the whole range: probabilities stay in [0, 1], more agents never
hurt, and nothing overflows or turns into NaN up to 100,000 agents and Erlangs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callboard.errors import BadInput
from callboard.queueing import (
    SL_DEFINITIONS,
    abandoned_within,
    erlang_a,
    erlang_b,
    erlang_c,
    offered_wait_tail,
    required_agents,
    service_level,
)
from callboard.queueing.erlang_b import RECURSION_LIMIT

agents_st = st.integers(min_value=0, max_value=100_000)
load_st = st.floats(min_value=0.0, max_value=100_000.0)
aht_st = st.floats(min_value=1.0, max_value=3_600.0)
patience_st = st.floats(min_value=1.0, max_value=10_000.0)
threshold_st = st.floats(min_value=0.0, max_value=600.0)

PROPERTY = settings(max_examples=60, deadline=None)


def _probabilities(*values: np.ndarray) -> None:
    for value in values:
        assert np.all(np.isfinite(value))
        assert np.all((value >= 0) & (value <= 1))


@PROPERTY
@given(agents_st, load_st)
def test_erlang_b_is_a_probability_that_falls_with_agents(agents: int, load: float) -> None:
    pair = erlang_b([agents, agents + 1], load)
    _probabilities(pair)
    assert pair[1] <= pair[0]


@PROPERTY
@given(agents_st, load_st, aht_st, threshold_st)
def test_erlang_c_is_finite_and_monotone_in_agents(
    agents: int, load: float, aht: float, threshold: float
) -> None:
    result = erlang_c(load / aht, aht, [agents, agents + 1], threshold)
    _probabilities(result.p_wait, result.service_level, result.occupancy)
    assert not np.isnan(result.asa).any()
    assert result.p_wait[1] <= result.p_wait[0]
    assert result.service_level[1] >= result.service_level[0]
    assert result.asa[1] <= result.asa[0]


@PROPERTY
@given(agents_st, load_st, aht_st, patience_st, threshold_st)
def test_erlang_a_is_finite_and_monotone_in_agents(
    agents: int, load: float, aht: float, patience: float, threshold: float
) -> None:
    result = erlang_a(load / aht, aht, patience, [agents, agents + 1], threshold)
    _probabilities(
        result.p_wait, result.p_abandon, result.occupancy, result.answered_within, result.p_wait_gt
    )
    assert np.all(np.isfinite(result.asa)) and np.all(np.isfinite(result.mean_queue))
    slack = 1e-9  # cancellation in 1 - P(answered | W > 0) near the crossover
    assert result.p_wait[1] <= result.p_wait[0] + slack
    assert result.p_abandon[1] <= result.p_abandon[0] + slack
    assert result.answered_within[1] >= result.answered_within[0] - slack
    assert result.answered_within[0] + result.p_abandon[0] <= 1 + slack


@PROPERTY
@given(agents_st, load_st, aht_st, patience_st, threshold_st)
def test_erlang_a_tails_are_ordered(
    agents: int, load: float, aht: float, patience: float, threshold: float
) -> None:
    # The actual wait is the offered wait cut short by patience, so its tail is lower;
    # both tails start at P(W > 0).
    rate = load / aht
    offered = offered_wait_tail(rate, aht, patience, agents, [0.0, threshold])
    result = erlang_a(rate, aht, patience, agents, threshold)
    assert float(offered[0]) == pytest.approx(float(result.p_wait), rel=1e-9, abs=1e-300)
    assert float(result.p_wait_gt) <= float(offered[1]) * (1 + 1e-12)
    early = abandoned_within(rate, aht, patience, agents, threshold)
    assert 0 <= float(early) <= float(result.p_abandon) * (1 + 1e-12)


@pytest.mark.parametrize(
    ("agents", "load"),
    [
        (100_000, 100_000.0),
        (100_000, 1.0),
        (1, 100_000.0),
        (100_000, 99_000.0),
        (99_999, 100_000.0),
    ],
)
def test_extremes_stay_finite(agents: int, load: float) -> None:
    _probabilities(erlang_b(agents, load))
    c = erlang_c(load / 180, 180.0, agents)
    _probabilities(c.p_wait, c.service_level, c.occupancy)
    a = erlang_a(load / 180, 180.0, 300.0, agents)
    _probabilities(a.p_wait, a.p_abandon, a.answered_within, a.p_wait_gt, a.occupancy)
    assert np.isfinite(a.asa) and np.isfinite(a.mean_queue)


def test_erlang_b_at_100000_agents_agrees_with_the_halfin_whitt_limit() -> None:
    # sqrt(n) B(n, n) -> sqrt(2 / pi) as n grows (Jagerman 1974), within 1% at n = 1e5.
    assert np.sqrt(1e5) * float(erlang_b(100_000, 100_000.0)) == pytest.approx(
        np.sqrt(2 / np.pi), rel=1e-2
    )


def test_the_two_erlang_b_methods_agree_where_they_meet() -> None:
    from callboard.queueing._gamma import log_poisson_cdf, log_poisson_pmf
    from callboard.queueing.erlang_b import log_erlang_b

    agents = np.arange(1.0, RECURSION_LIMIT + 1)
    for load in (0.01, 3.0, 40.0, 64.0, 500.0):
        loads = np.full_like(agents, load)
        direct = log_poisson_pmf(agents, loads) - log_poisson_cdf(agents, loads)
        np.testing.assert_allclose(log_erlang_b(agents, loads), direct, rtol=1e-12, atol=1e-12)


def test_everything_broadcasts() -> None:
    rates = np.array([[0.01], [0.05]])
    agents = np.array([5, 10, 20])
    assert erlang_c(rates, 180.0, agents).p_wait.shape == (2, 3)
    assert erlang_a(rates, 180.0, 300.0, agents).answered_within.shape == (2, 3)
    assert erlang_b(agents, 4.0).shape == (3,)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_b(2.5, 1.0), "agents=2.5"),
        (lambda: erlang_c(-1.0, 180.0, 3), "rate=-1.0"),
        (lambda: erlang_c(0.1, 0.0, 3), "aht=0.0"),
        (lambda: erlang_a(0.1, 180.0, np.nan, 3), "patience=nan"),
    ],
)
def test_bad_arguments_name_the_value(call: object, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        call()  # type: ignore[operator]


@PROPERTY
@given(agents_st, load_st, aht_st, patience_st, threshold_st)
def test_sl_offered_is_the_strictest_service_level(
    agents: int, load: float, aht: float, patience: float, threshold: float
) -> None:
    rate = load / aht
    levels = {
        name: float(
            service_level(
                rate, aht, agents, patience=patience, threshold=threshold, definition=name
            )
        )
        for name in SL_DEFINITIONS
    }
    _probabilities(np.array(list(levels.values())))
    for value in levels.values():
        assert levels["sl_offered"] <= value + 1e-12
    figures = erlang_a(rate, aht, patience, agents, threshold)
    assert levels["sl_met"] == pytest.approx(1 - float(figures.p_wait_gt), abs=1e-12)


def test_without_abandons_every_service_level_is_erlang_c() -> None:
    expected = float(erlang_c(100 / 1800, 180.0, 14).service_level)
    for name in SL_DEFINITIONS:
        assert float(service_level(100 / 1800, 180.0, 14, definition=name)) == expected


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=0.01, max_value=2_000.0),
    aht_st,
    st.one_of(st.none(), patience_st),
    st.floats(min_value=0.5, max_value=0.99),
    threshold_st,
)
def test_staffing_is_the_exact_threshold(
    load: float, aht: float, patience: float | None, sl: float, threshold: float
) -> None:
    rate = load / aht
    n = int(required_agents(rate, aht, patience=patience, sl=sl, threshold=threshold))

    def level(agents: int) -> float:
        if patience is None:
            return float(erlang_c(rate, aht, agents, threshold).service_level)
        return float(erlang_a(rate, aht, patience, agents, threshold).answered_within)

    assert level(n) >= sl
    assert n == 0 or level(n - 1) < sl
