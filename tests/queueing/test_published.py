"""Erlang B, C and A against values published elsewhere."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from callboard.queueing import erlang_a, erlang_b, erlang_c, required_agents

RATE = 100 / 1800  # 100 calls per 30 minutes
AHT = 180.0


def test_erlang_c_matches_the_issue_example() -> None:
    # Issue 3; the same example as Call Centre Helper's "Erlang C formula made simple".
    result = erlang_c(RATE, AHT, 14, threshold=20.0)
    assert float(result.p_wait) == pytest.approx(0.1741319336, abs=1e-10)
    assert float(result.service_level) == pytest.approx(0.8883500192, abs=1e-10)
    assert float(result.occupancy) == pytest.approx(0.7142857143, abs=1e-10)


def test_the_issue_example_needs_14_agents_for_80_in_20() -> None:
    assert int(required_agents(RATE, AHT, sl=0.8, threshold=20.0)) == 14


def test_erlang_a_matches_the_issue_example() -> None:
    result = erlang_a(RATE, AHT, 300.0, 14, threshold=20.0)
    assert float(result.p_wait) == pytest.approx(0.1452601, abs=1e-7)
    assert float(result.p_abandon) == pytest.approx(0.0139837, abs=1e-7)
    assert float(result.answered_within) == pytest.approx(0.9167921, abs=1e-7)


# Appendix A "Table of Erlang B" of Carrier Grade Voice Over IP, 2nd ed. (via
# globalspec.com): the largest load in Erlangs, to one decimal, that `channels`
# lines carry at the given blocking probability.
ERLANG_B_TABLE = [
    (5, 0.01, 1.4), (5, 0.05, 2.2), (6, 0.01, 1.9), (6, 0.02, 2.3), (7, 0.001, 1.6),
    (7, 0.05, 3.7), (8, 0.005, 2.7), (8, 0.02, 3.6), (9, 0.01, 3.8), (9, 0.03, 4.7),
    (10, 0.0001, 2.3), (10, 0.001, 3.1), (10, 0.004, 3.8),
]  # fmt: skip


@pytest.mark.parametrize(("channels", "blocking", "erlangs"), ERLANG_B_TABLE)
def test_erlang_b_capacity_rounds_to_the_published_table(
    channels: int, blocking: float, erlangs: float
) -> None:
    capacity = brentq(lambda load: float(erlang_b(channels, load)) - blocking, 1e-9, 100.0)
    assert abs(capacity - erlangs) <= 0.05 + 1e-9


def test_erlang_b_capacity_of_15_lines_at_1_percent() -> None:
    # erlang.com calculator manual, "How much traffic can a trunk group handle": 8.108 Erlangs.
    capacity = brentq(lambda load: float(erlang_b(15, load)) - 0.01, 1.0, 30.0)
    assert capacity == pytest.approx(8.108, abs=5e-4)


def test_erlang_b_of_30_lines_at_25_erlangs() -> None:
    # Wolfram "Compute loss probabilities for a queue": ErlangB[30, 25.] is "approximately 0.05".
    assert float(erlang_b(30, 25.0)) == pytest.approx(0.0526, abs=1e-4)


@pytest.mark.parametrize(
    ("agents", "load", "blocking"), [(1, 1.0, 0.5), (2, 1.0, 0.2), (0, 7.0, 1.0)]
)
def test_erlang_b_small_cases_by_hand(agents: int, load: float, blocking: float) -> None:
    # B(1, a) = a / (1 + a); B(2, a) = (a^2 / 2) / (1 + a + a^2 / 2); no lines block everything.
    assert float(erlang_b(agents, load)) == pytest.approx(blocking, rel=1e-14)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9, 0.99])
def test_erlang_c_single_agent_is_mm1(rho: float) -> None:
    # M/M/1 (Kleinrock, Queueing Systems I, ch. 3): P(W > 0) = rho,
    # mean wait rho / (mu - lambda), P(W > t) = rho e^{-(mu - lambda) t}.
    aht = 100.0
    result = erlang_c(rho / aht, aht, 1, threshold=30.0)
    assert float(result.p_wait) == pytest.approx(rho, rel=1e-12)
    assert float(result.asa) == pytest.approx(rho / (1 / aht - rho / aht), rel=1e-12)
    tail = rho * np.exp(-(1 - rho) / aht * 30.0)
    assert float(result.service_level) == pytest.approx(1 - tail, rel=1e-12)


@pytest.mark.parametrize("load", [0.3, 1.0, 1.7, 1.99])
def test_erlang_c_two_agents_is_mm2(load: float) -> None:
    # M/M/2 (Kleinrock, Queueing Systems I): P(W > 0) = 2 rho^2 / (1 + rho), rho = a / 2.
    rho = load / 2
    assert float(erlang_c(load / 60.0, 60.0, 2).p_wait) == pytest.approx(
        2 * rho**2 / (1 + rho), rel=1e-12
    )


def test_erlang_a_tends_to_erlang_c_as_patience_grows() -> None:
    # Garnett, Mandelbaum & Reiman (2002): Erlang C is Erlang A with theta -> 0.
    # The gap shrinks like 1 / patience; at 1e7 s it is about 1e-5 relative.
    a = erlang_a(RATE, AHT, 1e7, 14)
    c = erlang_c(RATE, AHT, 14)
    assert float(a.p_wait) == pytest.approx(float(c.p_wait), rel=1e-4)
    assert float(a.answered_within) == pytest.approx(float(c.service_level), rel=1e-4)
    assert float(a.asa) == pytest.approx(float(c.asa), rel=1e-4)


def test_erlang_a_with_patience_equal_to_handle_time_is_an_infinite_server_queue() -> None:
    # With theta = mu every caller in the system leaves at rate mu whether served
    # or waiting, so the head count is Poisson(a) (the M/M/infinity law), and
    # P(W > 0) = P(Poisson(a) >= n).
    from scipy.stats import poisson

    load, agents = 12.0, 10
    result = erlang_a(load / AHT, AHT, AHT, agents)
    assert float(result.p_wait) == pytest.approx(float(poisson.sf(agents - 1, load)), rel=1e-10)
