"""Across replications: the mean of each KPI and its 95% confidence interval.

Replications are independent, so the interval is the Student t interval
mean ± t(0.975, n-1) · s / √n over the n replications that have the figure.
A group (interval, queue) absent from a replication had no contacts there:
its counts are 0, while its ratios are undefined and left out of n.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from scipy.stats import t as student_t

from callboard.kpi import KPIS

Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Estimate:
    """`low`/`high` are None with fewer than two values (no spread to measure)."""

    mean: float
    low: float | None
    high: float | None
    n: int

    def as_dict(self) -> dict[str, float | int | None]:
        return {"mean": self.mean, "ci95_low": self.low, "ci95_high": self.high, "n": self.n}


def estimate(values: Sequence[float]) -> Estimate | None:
    n = len(values)
    if n == 0:
        return None
    mean = math.fsum(values) / n
    if n < 2:
        return Estimate(mean, None, None, n)
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    half = float(student_t.ppf(0.975, n - 1)) * math.sqrt(variance / n)
    return Estimate(mean, mean - half, mean + half, n)


def combine(
    runs: Iterable[list[dict[str, Any]]], keys: Sequence[str], replications: int
) -> list[dict[str, Any]]:
    """One row per group: its keys, then `{kpi: Estimate.as_dict()}` for every KPI."""
    groups: dict[Key, list[dict[str, Any]]] = {}
    for rows in runs:
        for row in rows:
            groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    combined = []
    for group_key in sorted(groups, key=_sortable):
        rows = groups[group_key]
        out: dict[str, Any] = {k: _plain(v) for k, v in zip(keys, group_key, strict=True)}
        for name, definition in KPIS.items():
            values = [float(r[name]) for r in rows if r.get(name) is not None]
            if definition.unit == "contacts":
                values += [0.0] * (replications - len(rows))
            result = estimate(values)
            out[name] = None if result is None else result.as_dict()
        combined.append(out)
    return combined


def _sortable(key: Key) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in key)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value
