"""Shares of the lost service, by replaying the window with causes set back to normal.

For each replication r and each coalition S of causes, the window is replayed
through the engine with the causes in S at their normal level; the saving
w_r(S) = shortfall_r(nothing changed) − shortfall_r(S normal) is the game, and
each cause's share is its Shapley value, averaged over replications with a 95%
interval (normal approximation over the replications' values). The shares add
up to w(all); the remainder is the rest of the observed loss: what would have
been lost even on a normal day, plus the gap between the replay and the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from callboard.incidents.counterfactual import Cause, apply_all
from callboard.incidents.loss import span_figures
from callboard.incidents.shapley import coalitions, shapley
from callboard.sim import Executor, InlineExecutor, ReplayWindow, run_window

Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Target:
    """Which contacts the loss counts: one queue's entries in [start, end), POSIX seconds."""

    queue: str
    start: float
    end: float
    sl_target: float
    threshold_s: float
    short_abandon_s: float


@dataclass(frozen=True, slots=True)
class Estimate:
    mean: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "ci95_low": self.low, "ci95_high": self.high}


def estimate(values: Sequence[float]) -> Estimate:
    data = np.asarray(values, dtype=np.float64)
    mean = float(data.mean())
    half = Z95 * float(data.std(ddof=1)) / np.sqrt(len(data)) if len(data) > 1 else 0.0
    return Estimate(mean, mean - half, mean + half)


@dataclass(frozen=True)
class Attribution:
    shares: dict[str, Estimate]  # cause -> lost contacts it explains
    replay_shortfall: Estimate  # the window replayed as it was
    normal_shortfall: Estimate  # every measurable cause at its normal level
    replay_sl: Estimate
    replications: int


def _one(
    task: tuple[ReplayWindow, tuple[Cause, ...], Target, int, int],
) -> dict[frozenset[str], tuple[float, float]]:
    """Every coalition of one replication: (shortfall, SL) by coalition."""
    window, causes, target, seed, replication = task
    out: dict[frozenset[str], tuple[float, float]] = {}
    for coalition in coalitions([c.name for c in causes]):
        changed = apply_all(window, causes, coalition, seed * 1_000_003 + replication)
        run = run_window(changed, np.random.SeedSequence([seed, replication]))
        figures = span_figures(
            run.contacts, target.queue, target.start, target.end,
            threshold_s=target.threshold_s, short_abandon_s=target.short_abandon_s,
        )  # fmt: skip
        out[coalition] = (figures.shortfall(target.sl_target), figures.sl or 0.0)
    return out


def attribute(
    window: ReplayWindow,
    causes: Sequence[Cause],
    target: Target,
    *,
    replications: int,
    seed: int = 0,
    executor: Executor | None = None,
) -> Attribution:
    names = [c.name for c in causes]
    tasks = [(window, tuple(causes), target, seed, r) for r in range(replications)]
    results = list((executor or InlineExecutor()).map_unordered(_one, tasks))
    per_cause: dict[str, list[float]] = {name: [] for name in names}
    actual, normal, sl = [], [], []
    everything = frozenset(names)
    for result in results:
        base = result[frozenset()][0]
        saving = {coalition: base - short for coalition, (short, _) in result.items()}
        for name, value in shapley(names, saving).items():
            per_cause[name].append(value)
        actual.append(base)
        normal.append(result[everything][0])
        sl.append(result[frozenset()][1])
    return Attribution(
        shares={name: estimate(values) for name, values in per_cause.items()},
        replay_shortfall=estimate(actual), normal_shortfall=estimate(normal),
        replay_sl=estimate(sl), replications=replications,
    )  # fmt: skip


def replay_sl(
    window: ReplayWindow, target: Target, *, replications: int, seed: int = 0
) -> Estimate:
    """The SL of the target span over replications of `window` as given."""
    values = []
    for r in range(replications):
        run = run_window(window, np.random.SeedSequence([seed, r]))
        figures = span_figures(
            run.contacts, target.queue, target.start, target.end,
            threshold_s=target.threshold_s, short_abandon_s=target.short_abandon_s,
        )  # fmt: skip
        values.append(figures.sl or 0.0)
    return estimate(values)
