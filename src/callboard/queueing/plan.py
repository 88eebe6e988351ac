"""A staffing answer together with the KPIs it achieves, as the CLI and API show it.

Each figure is keyed by its KPI.md name, so a reader can tell which service
level and which wait it is: Erlang C reports `sl` (all variants coincide
there) and `asa`; Erlang A reports `sl_offered` (what its staffing targets),
`avg_wait` (the mean wait of all arrivals) and `abandon_rate`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from callboard.queueing._inputs import FloatArray
from callboard.queueing.erlang_a import erlang_a
from callboard.queueing.erlang_c import erlang_c
from callboard.queueing.exact_staffing import IntArray, required_agents, scheduled_agents


@dataclass(frozen=True)
class StaffingPlan:
    """`agents` answer calls; `scheduled` also covers shrinkage. KPIs are at `agents`."""

    model: str
    load: FloatArray
    agents: IntArray
    scheduled: IntArray
    kpis: dict[str, FloatArray]


def plan_staffing(
    rate: ArrayLike,
    aht: ArrayLike,
    *,
    patience: ArrayLike | None = None,
    sl: float | None = None,
    threshold: float = 20.0,
    max_asa: float | None = None,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> StaffingPlan:
    """`required_agents` per cell plus the KPIs that staffing achieves (same units)."""
    agents = required_agents(
        rate, aht, patience=patience, sl=sl, threshold=threshold, max_asa=max_asa,
        max_abandon=max_abandon, max_occupancy=max_occupancy,
    )  # fmt: skip
    scheduled = scheduled_agents(agents, shrinkage)
    load = np.asarray(np.asarray(rate, dtype=np.float64) * np.asarray(aht, dtype=np.float64))
    if patience is None:
        c = erlang_c(rate, aht, agents, threshold)
        kpis = {"sl": c.service_level, "asa": c.asa, "occupancy": c.occupancy}
        return StaffingPlan("erlang_c", load, agents, scheduled, kpis)
    a = erlang_a(rate, aht, patience, agents, threshold)
    kpis = {
        "sl_offered": a.answered_within,
        "avg_wait": a.asa,
        "abandon_rate": a.p_abandon,
        "occupancy": a.occupancy,
    }
    return StaffingPlan("erlang_a", load, agents, scheduled, kpis)
