"""Independent replications of a scenario, their KPIs, and the combined report.

Each replication gets its own child of one `SeedSequence`, so the whole set is
reproducible from `seed` and replications never share random streams, whichever
process or machine runs them. Each replication turns its contacts into
`ContactRecord`s and computes KPIs with `callboard.kpi.compute_kpis`, the
same code that measures real days; only the per-group rows travel back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from callboard.domain import ContactRecord
from callboard.engine import Contact
from callboard.kpi import compute_kpis
from callboard.records.schema import records_to_table
from callboard.sim.driver import RunStats, run
from callboard.sim.executors import Executor, InlineExecutor
from callboard.sim.records import to_record
from callboard.sim.scenario import Scenario
from callboard.sim.summary import combine

_INTERVAL_KEYS = ("interval", "queue")
_QUEUE_KEYS = ("queue",)


@dataclass(frozen=True, slots=True)
class Replication:
    """KPI rows of one replication, by interval and queue, by queue, and in total."""

    index: int
    by_interval: list[dict[str, Any]]
    by_queue: list[dict[str, Any]]
    total: list[dict[str, Any]]
    stats: RunStats


@dataclass(frozen=True, slots=True)
class SimulationReport:
    """Mean and 95% CI of every KPI; `definitions` is the KPI engine's, unchanged."""

    scenario: str
    replications: int
    seed: int
    definitions: dict[str, Any]
    by_interval: list[dict[str, Any]]
    by_queue: list[dict[str, Any]]
    total: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "replications": self.replications,
            "seed": self.seed,
            "definitions": self.definitions,
            "total": self.total,
            "by_queue": self.by_queue,
            "by_interval": self.by_interval,
        }


def replicate(task: tuple[Scenario, int, np.random.SeedSequence]) -> Replication:
    """Run one replication and compute its KPIs (module-level so that it pickles)."""
    scenario, index, seed = task
    records: list[ContactRecord] = []
    counted_from = scenario.start + scenario.warmup_s

    def sink(contacts: list[Contact]) -> None:
        records.extend(to_record(c) for c in contacts if c.queued_at >= counted_from)

    stats = run(scenario, seed, sink)
    table = records_to_table(records, scenario.timezone)
    threshold = _sl_threshold(scenario)
    return Replication(
        index=index,
        by_interval=compute_kpis(
            table, by=_INTERVAL_KEYS, interval=scenario.interval, sl_threshold=threshold
        ).rows,
        by_queue=compute_kpis(
            table, by=_QUEUE_KEYS, interval=scenario.interval, sl_threshold=threshold
        ).rows,
        total=compute_kpis(table, interval=scenario.interval, sl_threshold=threshold).rows,
        stats=stats,
    )


def simulate(
    scenario: Scenario,
    *,
    replications: int = 30,
    seed: int = 0,
    executor: Executor | None = None,
    on_done: Callable[[Replication], None] | None = None,
) -> SimulationReport:
    """Run the replications (through `executor`, inline by default) and combine them."""
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    children = np.random.SeedSequence(seed).spawn(replications)
    tasks = [(scenario, index, child) for index, child in enumerate(children)]
    results: list[Replication] = []
    for result in (executor or InlineExecutor()).map_unordered(replicate, tasks):
        results.append(result)
        if on_done is not None:
            on_done(result)
    results.sort(key=lambda r: r.index)
    threshold = _sl_threshold(scenario)
    definitions = compute_kpis(
        records_to_table([], scenario.timezone), interval=scenario.interval, sl_threshold=threshold
    ).definitions
    total = combine((r.total for r in results), (), replications)
    return SimulationReport(
        scenario=scenario.name,
        replications=replications,
        seed=seed,
        definitions=definitions,
        by_interval=combine((r.by_interval for r in results), _INTERVAL_KEYS, replications),
        by_queue=combine((r.by_queue for r in results), _QUEUE_KEYS, replications),
        total=total[0] if total else {},
    )


def _sl_threshold(scenario: Scenario) -> float:
    """The KPI engine takes one SL threshold per report: the queues' own when they agree,
    otherwise KPI.md's default of 20 s."""
    thresholds = {q.spec.sl_threshold_s for q in scenario.queues}
    return thresholds.pop() if len(thresholds) == 1 else 20.0
