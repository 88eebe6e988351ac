"""Simulation benchmark: the full Callboard engine against Ciw and a plain SimPy model.

All three simulate the same M/M/100+M queue (1,000 calls/h, mean service
5.7 min, mean patience 3 min) for the same simulated hours, in one process, one
after the other. An *event* is a model event: an arrival, an answered call's
completion or an abandonment, counted from each run's own outcomes so the
three are measured in the same unit. Callboard runs through
`callboard.sim.driver.run`, i.e. the real `Center` with routing, agent state
machine and expected-wait bookkeeping, not a special-case loop; the ratios use
that default configuration, which announces an expected wait to every queued
caller and scores it, and the run also reports the engine without
announcements.

It then times a 20-queue, 1,000-agent multi-skill day (examples/scenarios/
multiskill-day.yaml). The last line printed is one JSON object; its
`engine_compiled` says whether the engine ran as built by mypyc (setup.py) or
from its Python source, which is about half as fast.

    .venv/bin/python bench/sim/run.py [--hours 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Generator
from operator import attrgetter
from pathlib import Path
from typing import Any

import numpy as np

import callboard.engine.center
from callboard.engine import Contact, QueueSpec
from callboard.queueing import erlang_a
from callboard.sim.distributions import Exponential
from callboard.sim.driver import run
from callboard.sim.scenario import AgentGroup, Arrivals, Callers, QueueScenario, Scenario
from callboard.sim.scenario_file import load_scenario

RATE_PER_HOUR = 1000.0
SERVICE_S = 342.0
PATIENCE_S = 180.0
AGENTS = 100
_outcome = attrgetter("outcome")
MULTISKILL = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / "multiskill-day.yaml"


def mm_scenario(hours: float, announce: str | None = "queue_length") -> Scenario:
    return Scenario(
        name="M/M/100+M", start=0.0, duration_s=hours * 3600.0, timezone="UTC",
        interval="30m", interval_s=1800.0, policy="longest_idle",
        queues=(
            QueueScenario(
                QueueSpec("q", announce=announce),
                Arrivals(per_interval=(RATE_PER_HOUR / 2,) * 48),
                Callers(service=Exponential(SERVICE_S), patience=Exponential(PATIENCE_S)),
            ),
        ),
        agents=(AgentGroup("agent", AGENTS, {"q": 1}, {"call": 1}),),
    )  # fmt: skip


def bench_callboard(
    hours: float, seed: int, announce: str | None = "queue_length"
) -> dict[str, Any]:
    """The engine as configured by default: every queued caller is told an expected wait."""
    outcomes: Counter[str | None] = Counter()

    def sink(contacts: list[Contact]) -> None:
        # Counted in C: the sink is inside the timing, like Ciw's pass over its records.
        outcomes.update(map(_outcome, contacts))

    began = time.perf_counter()
    run(mm_scenario(hours, announce), seed, sink)
    elapsed = time.perf_counter() - began
    counts = {
        "arrivals": outcomes.total(),
        "answered": outcomes["answered"],
        "abandoned": outcomes["abandoned"],
    }
    return _result(counts, elapsed)


def bench_ciw(hours: float, seed: int) -> dict[str, Any]:
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE_PER_HOUR / 60.0)],
        service_distributions=[ciw.dists.Exponential(rate=60.0 / SERVICE_S)],
        number_of_servers=[AGENTS],
        reneging_time_distributions=[ciw.dists.Exponential(rate=60.0 / PATIENCE_S)],
    )
    ciw.seed(seed)  # Ciw only offers global seeding.
    began = time.perf_counter()
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(hours * 60.0)
    records = simulation.get_all_records()
    elapsed = time.perf_counter() - began
    answered = sum(1 for r in records if r.record_type == "service")
    abandoned = sum(1 for r in records if r.record_type == "renege")
    arrivals = answered + abandoned + len(simulation.nodes[1].all_individuals)
    counts = {"arrivals": arrivals, "answered": answered, "abandoned": abandoned}
    return _result(counts, elapsed)


def bench_simpy(hours: float, seed: int) -> dict[str, Any]:
    import simpy

    rng = np.random.default_rng(seed)
    n = int(RATE_PER_HOUR * hours * 1.2) + 1000
    gaps = iter(rng.exponential(3600.0 / RATE_PER_HOUR, n).tolist())
    services = iter(rng.exponential(SERVICE_S, n).tolist())
    patiences = iter(rng.exponential(PATIENCE_S, n).tolist())
    counts = {"arrivals": 0, "answered": 0, "abandoned": 0}
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)

    def caller(service: float, patience: float) -> Generator[Any, Any, None]:
        with agents.request() as request:
            outcome = yield request | env.timeout(patience)
            if request in outcome:
                yield env.timeout(service)
                counts["answered"] += 1
            else:
                counts["abandoned"] += 1

    def source() -> Generator[Any, Any, None]:
        while True:
            yield env.timeout(next(gaps))
            counts["arrivals"] += 1
            env.process(caller(next(services), next(patiences)))

    env.process(source())
    began = time.perf_counter()
    env.run(until=hours * 3600.0)
    return _result(counts, time.perf_counter() - began)


def bench_multiskill(seed: int) -> dict[str, Any]:
    scenario = load_scenario(MULTISKILL)
    finished = [0]

    def sink(contacts: list[Contact]) -> None:
        finished[0] += len(contacts)

    began = time.perf_counter()
    stats = run(scenario, seed, sink)
    elapsed = time.perf_counter() - began
    return {
        "queues": len(scenario.queues),
        "agents": sum(g.count for g in scenario.agents),
        "arrivals": stats.arrivals + stats.redials,
        "wall_s": round(elapsed, 3),
    }


def _result(counts: dict[str, int], elapsed: float) -> dict[str, Any]:
    events = counts["arrivals"] + counts["answered"] + counts["abandoned"]
    arrivals = max(counts["arrivals"], 1)
    return {
        **counts,
        "events": events,
        "wall_s": round(elapsed, 3),
        "events_per_s": round(events / elapsed),
        "p_abandon": round(counts["abandoned"] / arrivals, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=200.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    exact = float(erlang_a(RATE_PER_HOUR / 3600.0, SERVICE_S, PATIENCE_S, AGENTS).p_abandon)
    results = {}
    for name, bench in (("callboard", bench_callboard), ("ciw", bench_ciw), ("simpy", bench_simpy)):
        results[name] = bench(args.hours, args.seed)
        print(f"{name:10s} {results[name]['events_per_s']:>10,} events/s  {results[name]}")
    quiet = bench_callboard(args.hours, args.seed, announce=None)
    print(
        f"{'(no EWT)':10s} {quiet['events_per_s']:>10,} events/s  the engine without announcements"
    )
    ours = results["callboard"]["events_per_s"]
    ratios = {
        "vs_ciw": round(ours / results["ciw"]["events_per_s"], 2),
        "vs_simpy": round(ours / results["simpy"]["events_per_s"], 2),
    }
    print(f"ratios: {ratios} (targets: ≥20× Ciw, ≥10× SimPy); exact P(abandon) {exact:.4f}")
    multiskill = bench_multiskill(args.seed)
    print(f"multi-skill day: {multiskill}")
    summary = {
        "benchmark": "sim",
        "model": "M/M/100+M",
        "engine_compiled": Path(str(callboard.engine.center.__file__)).suffix == ".so",
        "simulated_hours": args.hours,
        "exact_p_abandon": round(exact, 4),
        **{f"{name}": result for name, result in results.items()},
        "callboard_without_ewt": quiet,
        "ratios": ratios,
        "multiskill_day": multiskill,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
