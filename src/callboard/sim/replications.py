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
from callboard.records import records_to_table, to_record
from callboard.sim.driver import RunStats, run
from callboard.sim.executors import Executor, InlineExecutor
from callboard.sim.scenario import Scenario
from callboard.sim.summary import Estimate, combine, estimate
from callboard.surge import ON_THE_LINE, LiveMetrics, PlanRunner, SurgeControl, TimelineEntry

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
    # The scenario's surge plan at work: its timeline (empty without a plan).
    surge: tuple[TimelineEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class TierSummary:
    """One tier across replications: how often it fired and stood down, and when it first
    fired (minutes after the start, over the replications where it fired)."""

    queue: str
    tier: int
    fired_in: int
    stood_down_in: int
    first_fired_min: Estimate | None
    reserve_on_line: float  # mean reserve people who reached the line per replication

    def as_dict(self) -> dict[str, Any]:
        first = None if self.first_fired_min is None else self.first_fired_min.as_dict()
        return {"queue": self.queue, "tier": self.tier, "fired_in": self.fired_in,
                "stood_down_in": self.stood_down_in, "first_fired_min": first,
                "reserve_on_line": self.reserve_on_line}  # fmt: skip


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
    surge: list[TierSummary]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "replications": self.replications,
            "seed": self.seed,
            "definitions": self.definitions,
            "total": self.total,
            "by_queue": self.by_queue,
            "by_interval": self.by_interval,
            "surge": [tier.as_dict() for tier in self.surge],
        }


def replicate(task: tuple[Scenario, int, np.random.SeedSequence]) -> Replication:
    """Run one replication and compute its KPIs (module-level so that it pickles)."""
    scenario, index, seed = task
    records: list[ContactRecord] = []
    counted_from = scenario.start + scenario.warmup_s

    def sink(contacts: list[Contact]) -> None:
        records.extend(to_record(c) for c in contacts if c.queued_at >= counted_from)

    control = surge_control(scenario)
    stats = run(scenario, seed, sink, on_output=control)
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
        surge=() if control is None else tuple(control.runner.timeline),
    )


def surge_control(scenario: Scenario) -> SurgeControl | None:
    """The scenario's plan wired to a run; recommendations are confirmed at once by a
    stand-in supervisor, "simulation", since a simulation has nobody to ask."""
    if scenario.plan is None:
        return None
    thresholds = {q.spec.name: q.spec.sl_threshold_s for q in scenario.queues}
    aht_hints = {q.spec.name: q.spec.aht_hint_s for q in scenario.queues}
    return SurgeControl(
        PlanRunner(scenario.plan), LiveMetrics(thresholds, aht_hint_s=aht_hints),
        forecast=scenario.forecast_window, confirm_as="simulation",
    )  # fmt: skip


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
        surge=_tiers(scenario, results),
    )


def _tiers(scenario: Scenario, results: list[Replication]) -> list[TierSummary]:
    if scenario.plan is None:
        return []
    summaries = []
    for queue_plan in scenario.plan.queues:
        for tier in queue_plan.tiers:
            mine = [[e for e in r.surge if e.queue == queue_plan.queue and e.tier == tier.number]
                    for r in results]  # fmt: skip
            first = [min(e.at for e in entries if e.kind == "fired") for entries in mine
                     if any(e.kind == "fired" for e in entries)]  # fmt: skip
            arrived = sum(1 for entries in mine for e in entries
                          if e.kind == "effect" and e.detail.endswith(ON_THE_LINE))  # fmt: skip
            summaries.append(TierSummary(
                queue=queue_plan.queue, tier=tier.number, fired_in=len(first),
                stood_down_in=sum(any(e.kind == "stood_down" for e in m) for m in mine),
                first_fired_min=estimate([(at - scenario.start) / 60.0 for at in first]),
                reserve_on_line=arrived / len(results) if results else 0.0,
            ))  # fmt: skip
    return summaries


def _sl_threshold(scenario: Scenario) -> float:
    """The KPI engine takes one SL threshold per report: the queues' own when they agree,
    otherwise KPI.md's default of 20 s."""
    thresholds = {q.spec.sl_threshold_s for q in scenario.queues}
    return thresholds.pop() if len(thresholds) == 1 else 20.0
