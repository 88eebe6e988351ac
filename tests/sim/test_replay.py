"""Replay of January 1999 (anonymous bank): observed arrivals, fitted callers and
reconstructed staffing through the real engine reproduce the daily figures.

What the tolerances allow for, and why they are this size:

- Sampling noise. A day of 1,500 offered calls has a binomial standard error of
  about 0.008 in its abandonment rate, and the simulated side adds as much
  again (three replications of a random service and patience per call).
- Staffing. The data name who talked when, not who was logged in: agents are
  reconstructed from their conversations (`callboard.sim.replay`) and rounded
  to whole agents per interval, ±0.5 of 10 to 20, i.e. ±3-5% capacity. At the
  bank's occupancy (above 90%), Erlang A moves abandonment by 3-5 points and
  ASA by 15-30 s for a 5% capacity change, which is the resolution of any
  replay of this data on one day.
- Routing. The bank's agents were partly specialised and served priorities in
  ways the data do not show; the replay pools them across queues.

Hence: over the month, abandonment within ±0.015 and ASA within ±30% (ASA
grows like 1/(capacity − load) near saturation, and a systematic staffing
bias of 1-2%, such as counting short pauses inside a session as on duty, does
not average out over days; the replay measures 29 s against 37 s); per day,
a mean absolute error of at most 0.03 in abandonment and 15 s in ASA (about
half the one-day resolution, since errors of both signs average out over 20
days); and the replay must rank the days as the data do (correlation ≥ 0.6),
so it finds the bad days rather than matching on average only. Days with fewer
than 500 offered calls (weekends, holidays) are left out: one interval's
staffing error dominates them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from callboard.kpi import compute_kpis
from callboard.records import RecordDataset, to_record
from callboard.records.schema import records_to_table
from callboard.sim.driver import run
from callboard.sim.replay import replay_scenario
from tests.conftest import JANUARY_TZ

REPLICATIONS = 3
BUSY_DAY = 500


def daily(table: pa.Table) -> dict[date, dict[str, Any]]:
    return {row["day"]: row for row in compute_kpis(table, by=("day",)).rows}


def test_january_replay_reproduces_daily_abandonment_and_asa(
    january_dataset: RecordDataset,
) -> None:
    table = duckdb.connect().sql(f"select * from read_parquet('{january_dataset.glob()}')")
    records = table.arrow().read_all()
    scenario = replay_scenario(records, timezone=JANUARY_TZ, first_day=date(1999, 1, 1), days=31)
    observed = daily(records)
    simulated: list[dict[date, dict[str, Any]]] = []
    for seed in range(REPLICATIONS):
        finished: list[Any] = []
        run(scenario, seed, finished.extend)
        simulated.append(daily(records_to_table(map(to_record, finished), JANUARY_TZ)))
    days = [d for d, row in observed.items() if row["offered"] >= BUSY_DAY]
    assert len(days) >= 18

    def figure(rows: dict[date, dict[str, Any]], name: str) -> np.ndarray:
        return np.array([float(rows[d][name]) for d in days])

    seen_abandon = figure(observed, "abandon_rate")
    seen_asa = figure(observed, "asa")
    sim_abandon = np.mean([figure(run_, "abandon_rate") for run_ in simulated], axis=0)
    sim_asa = np.mean([figure(run_, "asa") for run_ in simulated], axis=0)

    offered = figure(observed, "offered")
    month_seen = float(np.sum(seen_abandon * offered) / np.sum(offered))
    sim_offered = np.mean([figure(run_, "offered") for run_ in simulated], axis=0)
    month_sim = float(np.sum(sim_abandon * sim_offered) / np.sum(sim_offered))
    assert abs(month_sim - month_seen) <= 0.015, (month_sim, month_seen)
    answered = figure(observed, "answered")
    month_asa_seen = float(np.sum(seen_asa * answered) / np.sum(answered))
    month_asa_sim = float(np.sum(sim_asa * answered) / np.sum(answered))
    assert abs(month_asa_sim / month_asa_seen - 1.0) <= 0.30, (month_asa_sim, month_asa_seen)

    assert float(np.mean(np.abs(sim_abandon - seen_abandon))) <= 0.03
    assert float(np.mean(np.abs(sim_asa - seen_asa))) <= 15.0
    assert float(np.corrcoef(sim_abandon, seen_abandon)[0, 1]) >= 0.6
    assert float(np.corrcoef(sim_asa, seen_asa)[0, 1]) >= 0.6
