"""Projection benchmark: a 200-agent live center projected 60 minutes ahead under each option.

The center: 170 heating agents on the phones, all busy, 60 callers already in
line; 15 agents on outbound work (tier 3 puts them on the phones), 15 in the
back office (tier 2 lends them the heating skill), and 20 reserve people who
can be on the line within 30 minutes (tier 1). Calls arrive at 3,300 an hour
(220 Erlangs at a 4-minute handle time), patience is exponential with a
3-minute mean. `callboard.sim.projection.project` runs 4 options x 30
replications of 60 minutes through a local process pool; the target is under
10 s.

The peer, measured in the same run: Ciw simulating the no-action option's
queue (M/M/170+M, same rates) for the same 60 minutes and 30 replications,
beside Callboard's driver on the same model, both from an empty center in
one process (Ciw cannot start from a live state, so from empty is the only
like-for-like comparison). SL is KPI.md's `sl` = A(wait <= 20 s) / (O - Ab_s)
over callers who arrive within the hour. The last line is one JSON object.

    PYTHONPATH=. .venv/bin/python bench/surge/run.py [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Iterable
from typing import Any

import ciw
import numpy as np

from callboard.domain import Agent
from callboard.engine import Center, Contact, QueueSpec
from callboard.sim.distributions import Exponential
from callboard.sim.driver import run
from callboard.sim.executors import local_executor
from callboard.sim.projection import Projection, project
from callboard.sim.scenario import AgentGroup, Arrivals, Callers, QueueScenario, Scenario
from callboard.surge.plan_file import parse_plan

RATE_PER_HOUR = 3300.0
SERVICE_S = 240.0
PATIENCE_S = 180.0
ON_PHONES = 170
OUTBOUND = 15
BACKOFFICE = 15
RESERVE = 20
IN_LINE = 60
MINUTES = 60
REPLICATIONS = 30
T_S = 20.0
SHORT_S = 5.0
NOW = 1_767_942_000.0  # 2026-01-09 07:00 UTC

PLAN: dict[str, Any] = {
    "name": "bench", "mode": "automatic", "deescalate_after": "20m", "target_sl": 0.7,
    "reserve": [{"id": f"r{i}", "contact": f"r{i}@example.org", "within": "30m"}
                for i in range(RESERVE)],
    "queues": {"heating": {"tiers": [
        {"tier": 3, "trigger": "waiting > 10", "actions": {"ready_reasons": ["outbound"]}},
        {"tier": 2, "trigger": "sl_30m < 0.6", "actions": {"add_support_group": "backoffice"}},
        {"tier": 1, "trigger": "sl_30m < 0.5",
         "actions": {"call_reserve": {"within": "30m", "count": RESERVE}}},
    ]}},
}  # fmt: skip


def scenario(agents: int = 0) -> Scenario:
    """The heating queue's callers; `agents` logged in all day (the from-empty model)."""
    group = (AgentGroup("agent", agents, {"heating": 1}, {"call": 1}),) if agents else ()
    return Scenario(
        name="bench", start=NOW, duration_s=MINUTES * 60.0, timezone="UTC", interval="30m",
        interval_s=1800.0, policy="longest_idle",
        queues=(QueueScenario(
            QueueSpec("heating", sl_threshold_s=T_S),
            Arrivals(per_interval=(RATE_PER_HOUR / 2,) * 48),
            Callers(service=Exponential(SERVICE_S), patience=Exponential(PATIENCE_S)),
        ),),
        agents=group,
    )  # fmt: skip


def live_snapshot() -> dict[str, Any]:
    """The live center at NOW: everyone on the phones busy, callers in line."""
    agents = [Agent(f"h{i}", skills={"heating": 1}, group="heating") for i in range(ON_PHONES)]
    agents += [Agent(f"o{i}", skills={"heating": 1}, group="outbound") for i in range(OUTBOUND)]
    agents += [Agent(f"b{i}", skills={"admin": 1}, group="backoffice") for i in range(BACKOFFICE)]
    center = Center([QueueSpec("heating", sl_threshold_s=T_S)], agents, start=NOW - 600.0)
    for agent in agents:
        center.login(NOW - 600.0, agent.agent_id)
    for index in range(OUTBOUND):
        center.set_not_ready(NOW - 600.0, f"o{index}", "outbound")
    for index in range(ON_PHONES + IN_LINE):
        center.arrive(NOW - 300.0 + index, f"live-{index}", "heating")
    for offer in center.take_offers():
        center.accept(NOW - 60.0, offer.agent_id, offer.contact_id)
    center.advance(NOW)
    return center.snapshot()


def sl_and_abandon(
    arrived: np.ndarray, waited: np.ndarray, answered: np.ndarray
) -> tuple[float, float]:
    """KPI.md `sl` and `abandon_rate` for callers arriving in [0, MINUTES): `waited` is
    the wait to answer or to hanging up."""
    inside = arrived < MINUTES * 60.0
    short = inside & ~answered & (waited < SHORT_S)
    hits = inside & answered & (waited <= T_S)
    return hits.sum() / (inside.sum() - short.sum()), (inside & ~answered).sum() / inside.sum()


def ciw_none(seed: int) -> tuple[float, float]:
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE_PER_HOUR / 3600.0)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / SERVICE_S)],
        number_of_servers=[ON_PHONES],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / PATIENCE_S)],
    )
    ciw.seed(seed)  # Ciw only offers global seeding.
    simulation = ciw.Simulation(network)
    # Long enough for every caller of the hour to be answered or to give up.
    simulation.simulate_until_max_time(MINUTES * 60.0 + 1200.0)
    records = simulation.get_all_records()
    arrived = np.array([r.arrival_date for r in records])
    answered = np.array([r.record_type == "service" for r in records])
    started = np.array(
        [r.service_start_date if r.record_type == "service" else r.exit_date for r in records]
    )
    return sl_and_abandon(arrived, started - arrived, answered)


def callboard_none(seed: int) -> tuple[float, float]:
    contacts: list[Contact] = []
    run(scenario(ON_PHONES), seed, contacts.extend)
    arrived = np.array([c.queued_at - NOW for c in contacts])
    answered = np.array([c.answered_at is not None for c in contacts])
    left = np.array([c.answered_at if c.answered_at is not None else c.ended_at or 0.0
                     for c in contacts])  # fmt: skip
    return sl_and_abandon(arrived, left - NOW - arrived, answered)


def timed(runs: Iterable[int], one: Any) -> tuple[float, list[tuple[float, float]]]:
    began = time.perf_counter()
    results = [one(seed) for seed in runs]
    return time.perf_counter() - began, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    plan = parse_plan(PLAN)
    snapshot = live_snapshot()

    began = time.perf_counter()
    result: Projection = project(
        snapshot, scenario(), plan, now=NOW, minutes=MINUTES, replications=REPLICATIONS,
        executor=local_executor(args.workers),
    )  # fmt: skip
    projection_s = time.perf_counter() - began

    seeds = range(1, REPLICATIONS + 1)
    callboard_s, callboard_runs = timed(seeds, callboard_none)
    ciw_s, ciw_runs = timed(seeds, ciw_none)

    print(f"projection: {ON_PHONES + OUTBOUND + BACKOFFICE}-agent center, {MINUTES} min, "
          f"{REPLICATIONS} replications x {len(result.options)} options, "
          f"{args.workers} workers: {projection_s:.2f} s (target < 10 s)")  # fmt: skip
    print(f"{'option':<8} {'sl mean [95% CI]':>24} {'abandon_rate':>14} {'peak_wait_s':>12}")
    for option in result.options:
        sl, ab, peak = option.sl, option.abandon_rate, option.peak_wait_s
        print(f"{option.option:<8} {sl.mean:>8.3f} [{sl.low:.3f}, {sl.high:.3f}] "
              f"{ab.mean:>14.3f} {peak.mean:>12.0f}")  # fmt: skip
    print(f"recommended (target sl {result.target_sl}): {result.recommended}")
    print()
    print(f"no-action option from empty, M/M/{ON_PHONES}+M, {REPLICATIONS} x {MINUTES} min, "
          "one process:")  # fmt: skip
    cb_sl, cb_ab = np.mean(callboard_runs, axis=0)
    ciw_sl, ciw_ab = np.mean(ciw_runs, axis=0)
    print(f"{'':<10} {'seconds':>8} {'sl':>7} {'abandon_rate':>13}")
    print(f"{'callboard':<10} {callboard_s:>8.2f} {cb_sl:>7.3f} {cb_ab:>13.3f}")
    print(f"{'ciw':<10} {ciw_s:>8.2f} {ciw_sl:>7.3f} {ciw_ab:>13.3f}")
    print(json.dumps({
        "projection_s": round(projection_s, 3),
        "workers": args.workers,
        "options": {o.option: round(o.sl.mean or 0.0, 4) for o in result.options},
        "recommended": result.recommended,
        "callboard_none_s": round(callboard_s, 3),
        "ciw_none_s": round(ciw_s, 3),
        "ciw_over_callboard": round(ciw_s / callboard_s, 2),
        "projection_over_ciw_none": round(projection_s / ciw_s, 2),
        "sl_none_callboard": round(float(cb_sl), 4),
        "sl_none_ciw": round(float(ciw_sl), 4),
        "abandon_none_callboard": round(float(cb_ab), 4),
        "abandon_none_ciw": round(float(ciw_ab), 4),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
