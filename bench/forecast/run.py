"""Forecast benchmark: Callboard's day-profile model against statsforecast's MSTL.

20 queues × 8 weeks of weekdays × 48 half-hour intervals, synthesised from the
shapes of the bank-calls series (its weekday profile and its day-to-day
totals, shifted and scaled per queue, with Poisson–gamma noise). Both models
fit the first 7 weeks and forecast the last week; both are warm (each is run
once on a small series before timing, which for statsforecast absorbs its
numba JIT compilation). Prints a readable summary and ONE JSON line.

    .venv/bin/python bench/forecast/run.py [--bank-calls PATH]

Needs `statsforecast` (the bench extra), not Callboard's runtime.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from callboard.forecast import DailyCounts, DayEffects, DayProfileModel, read_counts

QUEUES = 20
WEEKS = 8
INTERVALS = 48
TEST_DAYS = 5
SHARED = Path(os.environ.get("CALLBOARD_SHARED", Path(__file__).resolve().parents[3] / "shared"))
BANK_CALLS = SHARED / "data" / "bank-calls" / "2003-03-to-06.csv"


def synthesise(bank_calls: Path, seed: int = 7) -> list[DailyCounts]:
    """Queues that share the bank's intraday shape and day-to-day movement, at other scales."""
    source = read_counts(bank_calls)["all"]
    shares = source.counts / source.counts.sum(axis=1, keepdims=True)
    grid = np.linspace(0, source.intervals - 1, INTERVALS * 3)
    fine = np.array([np.interp(grid, np.arange(source.intervals), row) for row in shares])
    profiles = fine.reshape(len(fine), INTERVALS, 3).sum(axis=2)
    profiles /= profiles.sum(axis=1, keepdims=True)
    totals = source.counts.sum(axis=1) / source.counts.sum(axis=1).mean()
    rng = np.random.default_rng(seed)
    days = weekdays(np.datetime64("2024-01-01"), WEEKS)
    queues = []
    for q in range(QUEUES):
        offset = int(rng.integers(0, len(totals) - len(days)))
        scale = float(rng.uniform(300, 3000))
        day_effect = rng.gamma(200.0, 1 / 200.0, len(days))
        rate = (scale * totals[offset : offset + len(days)] * day_effect)[:, None]
        rate = rate * profiles[offset : offset + len(days)]
        queues.append(DailyCounts(f"q{q:02d}", days, 0, 30, rng.poisson(rate).astype(np.float64)))
    return queues


def weekdays(start: np.datetime64, weeks: int) -> np.ndarray:
    days = start + np.arange(7 * weeks).astype("timedelta64[D]")
    return days[((days.astype(np.int64) + 3) % 7) < 5]


def wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    return float(np.abs(actual - forecast).sum() / actual.sum())


def run_callboard(queues: list[DailyCounts]) -> tuple[np.ndarray, float]:
    model = DayProfileModel()
    train = [q.select(q.days[:-TEST_DAYS]) for q in queues]
    targets = queues[0].days[-TEST_DAYS:]
    model(train[0], targets, DayEffects())  # warm: imports, first-call costs
    began = time.perf_counter()
    means = np.stack([model(t, targets, DayEffects()).mean for t in train])
    return means, time.perf_counter() - began


def run_statsforecast(queues: list[DailyCounts]) -> tuple[np.ndarray, float, float]:
    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoETS

    def frame(series: list[np.ndarray]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "unique_id": np.repeat([f"q{i:02d}" for i in range(len(series))], len(series[0])),
                "ds": np.tile(np.arange(len(series[0])), len(series)),
                "y": np.concatenate(series),
            }
        )

    def engine() -> StatsForecast:
        model = MSTL(
            season_length=[INTERVALS, INTERVALS * 5], trend_forecaster=AutoETS(model="ZZN")
        )
        return StatsForecast(models=[model], freq=1, n_jobs=1)

    horizon = TEST_DAYS * INTERVALS
    train = [q.counts[:-TEST_DAYS].ravel() for q in queues]
    began = time.perf_counter()
    engine().forecast(df=frame(train[:1]), h=horizon)  # JIT warm-up, excluded from timing
    warmup = time.perf_counter() - began
    began = time.perf_counter()
    result = engine().forecast(df=frame(train), h=horizon)
    seconds = time.perf_counter() - began
    means = result.sort_values(["unique_id", "ds"])["MSTL"].to_numpy()
    return np.clip(means.reshape(len(queues), TEST_DAYS, INTERVALS), 0, None), seconds, warmup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank-calls", type=Path, default=BANK_CALLS)
    args = parser.parse_args()
    queues = synthesise(args.bank_calls)
    actual = np.stack([q.counts[-TEST_DAYS:] for q in queues])
    ours, our_seconds = run_callboard(queues)
    theirs, their_seconds, warmup = run_statsforecast(queues)
    report = {
        "bench": "forecast",
        "queues": QUEUES,
        "weeks": WEEKS,
        "intervals": INTERVALS,
        "test_days": TEST_DAYS,
        "callboard_dayprofile": {
            "wape": round(wape(actual, ours), 4),
            "seconds": round(our_seconds, 3),
        },
        "statsforecast_mstl_autoets": {
            "wape": round(wape(actual, theirs), 4),
            "seconds": round(their_seconds, 3),
            "jit_warmup_seconds_excluded": round(warmup, 1),
        },
    }
    for name in ("callboard_dayprofile", "statsforecast_mstl_autoets"):
        figures = report[name]
        assert isinstance(figures, dict)
        print(f"# {name}: WAPE {figures['wape']:.2%}, {figures['seconds']:.3f} s (warm)")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
