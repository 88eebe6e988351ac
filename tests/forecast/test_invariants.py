"""Properties that must hold for any input: no peeking, ordered quantiles, conserved totals."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from callboard.forecast import DailyCounts, DayEffects, Days, Forecast, backtest
from callboard.forecast.negbin import negbin_quantiles
from tests.forecast.synthetic import series, weekdays


class PeekingGuard:
    """A model that records every history it is given and forecasts yesterday's counts."""

    name = "guard"

    def __init__(self) -> None:
        self.seen: list[tuple[np.datetime64, np.datetime64]] = []

    def __call__(self, history: DailyCounts, targets: Days, effects: DayEffects) -> Forecast:
        self.seen.append((history.days[-1], targets[0]))
        mean = np.repeat(history.counts[-1:], len(targets), axis=0)
        return Forecast.for_history(self.name, history, targets, mean, np.zeros(len(targets)), 0.0)


def test_every_origin_sees_only_earlier_days() -> None:
    days = weekdays("2024-01-01", 6)
    guard = PeekingGuard()
    backtest(series(days, np.ones(len(days))), {"guard": guard}, days[-10:], horizon_days=3)
    assert len(guard.seen) == 10
    for last_seen, target in guard.seen:
        assert target - last_seen >= np.timedelta64(3, "D")


@settings(max_examples=50, deadline=None)
@given(
    mean=st.floats(0.0, 500.0),
    extra=st.floats(0.0, 2.0),
    levels=st.lists(st.floats(0.01, 0.99), min_size=2, max_size=5),
)
def test_quantiles_never_decrease_with_the_level(
    mean: float, extra: float, levels: list[float]
) -> None:
    ordered = np.sort(np.array(levels))
    values = negbin_quantiles(np.array([mean]), np.array([mean + extra * mean**2]), ordered)[:, 0]
    assert np.all(np.diff(values) >= 0)
    assert np.all(values >= 0)


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.floats(0.0, 100.0), min_size=12, max_size=12),
    day=st.floats(0.0, 0.3),
    interval=st.floats(0.0, 0.3),
)
def test_aggregation_keeps_totals_and_never_shrinks_variance(
    counts: list[float], day: float, interval: float
) -> None:
    mean = np.array([counts])
    forecast = Forecast(
        "m", "q", np.array([np.datetime64("2024-01-01")]), 480, 5, mean, np.array([day]), interval
    )
    coarse = forecast.aggregate(30)
    assert np.isclose(coarse.mean.sum(), mean.sum())
    assert coarse.var.sum() >= forecast.variance().sum() - 1e-9
