"""A scenario that replays real contact records: the observed arrivals, fitted
callers and the staffing seen in the data.

- Arrivals: every offered contact (answered, abandoned or exited) enters its
  queue at its recorded queue-entry time, with its recorded priority.
- Service: a lognormal per queue, fitted by maximum likelihood to the talk
  times of answered contacts (`callboard.queueing.fit_lognormal`).
- Patience: exponential per queue, with Brown et al.'s mean, total wait over
  abandons (`callboard.queueing.mean_patience`), which treats answered waits
  as censored patience; or, with `patience="kaplan_meier"`, the empirical
  Kaplan–Meier distribution of the same censored data.
- Agents: the data hold no agent schedules, only who talked when. An agent
  is taken as on duty through a work session (conversations with gaps of at
  most 20 minutes), and each interval gets the time-average number of agents
  in session, each able to serve every queue. Idle agents who took no call
  are invisible and breaks inside a session are not, so staffing is only
  approximately right.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from callboard.engine import QueueSpec
from callboard.queueing import fit_lognormal, kaplan_meier, mean_patience
from callboard.sim.distributions import Distribution, Empirical, Exponential, Lognormal
from callboard.sim.scenario import AgentGroup, Arrivals, Callers, QueueScenario, Scenario

_OFFERED = ("answered", "abandoned", "exited")
PatienceModel = Literal["exponential", "kaplan_meier"]
# Patience of callers more patient than any observed abandonment: a week.
NEVER_S = 7 * 86400.0
# Longer than a break between two calls: the agent was away, not idle on the line.
SESSION_GAP_S = 20 * 60.0


def replay_scenario(
    records: pa.Table,
    *,
    timezone: str,
    first_day: date,
    days: int,
    interval_s: float = 1800.0,
    patience: PatienceModel = "exponential",
) -> Scenario:
    """The scenario for `days` local days from `first_day`; `records` in RECORD_SCHEMA."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(first_day, datetime.min.time(), zone).timestamp()
    end = datetime.combine(first_day + timedelta(days=days), datetime.min.time(), zone).timestamp()
    columns = _columns(records)
    offered = np.isin(columns["outcome"], _OFFERED)
    in_window = (columns["queued_at"] >= start) & (columns["queued_at"] < end)
    rows = offered & in_window
    queues = []
    for name in sorted(set(columns["queue"][rows].tolist())):
        mine = rows & (columns["queue"] == name)
        queues.append(_queue(name, columns, mine, start, interval_s, patience))
    staffing = _on_duty(columns, rows, start, end, interval_s)
    group = AgentGroup(
        name="observed",
        count=max(max(staffing), 1),
        skills={q.spec.name: 1 for q in queues},
        capacity={"call": 1},
        on_duty=tuple(staffing),
    )
    return Scenario(
        name=f"replay {first_day.isoformat()} +{days}d",
        start=start,
        duration_s=end - start,
        timezone=timezone,
        interval=f"{round(interval_s / 60)}m",
        interval_s=interval_s,
        policy="longest_idle",
        queues=tuple(queues),
        agents=(group,),
    )


def _columns(records: pa.Table) -> dict[str, np.ndarray]:
    def seconds(name: str) -> np.ndarray:
        values = records.column(name).cast(pa.int64()).to_numpy(zero_copy_only=False)
        return np.asarray(values, dtype=np.float64) / 1e6

    def floats(name: str) -> np.ndarray:
        return np.asarray(records.column(name).to_numpy(zero_copy_only=False), dtype=np.float64)

    return {
        "queue": np.asarray(records.column("queue").to_pylist(), dtype=object),
        "outcome": np.asarray(records.column("outcome").to_pylist(), dtype=object),
        "agent": np.asarray(records.column("agent").to_pylist(), dtype=object),
        "priority": np.asarray(records.column("priority").to_numpy(), dtype=np.int64),
        "queued_at": seconds("queued_at"),
        "answered_at": seconds("answered_at"),
        "ended_at": seconds("ended_at"),
        "wait_s": floats("wait_s"),
        "talk_s": floats("talk_s"),
    }


def _queue(
    name: str,
    columns: dict[str, np.ndarray],
    rows: np.ndarray,
    start: float,
    interval_s: float,
    patience_model: PatienceModel,
) -> QueueScenario:
    answered = rows & (columns["outcome"] == "answered")
    talk = columns["talk_s"][answered]
    talk = talk[np.isfinite(talk) & (talk > 0)]
    fit = fit_lognormal(talk)
    service = Lognormal(fit.mean, fit.mean * float(np.sqrt(np.expm1(fit.sigma**2))))
    waits = columns["wait_s"][rows]
    known = np.isfinite(waits)
    abandoned = columns["outcome"][rows] == "abandoned"
    patience_fit = mean_patience(waits[known], abandoned[known])
    patience: Distribution | None = None
    if patience_model == "kaplan_meier" and abandoned[known].any():
        patience = kaplan_meier_patience(waits[known], abandoned[known])
    elif np.isfinite(patience_fit.mean):
        patience = Exponential(patience_fit.mean)
    offsets = columns["queued_at"][rows] - start
    return QueueScenario(
        spec=QueueSpec(
            name, announce=None, aht_hint_s=service.mean,
            patience_hint_s=None if patience is None else float(patience_fit.mean),
        ),
        arrivals=Arrivals(
            interval_s=interval_s,
            replay=tuple(offsets.tolist()),
            replay_priorities=tuple(columns["priority"][rows].tolist()),
        ),
        callers=Callers(service=service, patience=patience),
    )  # fmt: skip


def kaplan_meier_patience(waits: np.ndarray, abandoned: np.ndarray) -> Empirical:
    """The Kaplan–Meier patience as a step distribution over the abandonment times.

    Each abandonment time carries the estimate's drop there; the mass the
    estimate leaves beyond the longest abandonment (callers more patient than
    anything observed) goes to `NEVER_S`, so they wait as long as it takes.
    """
    estimate = kaplan_meier(waits, abandoned)
    survival = estimate.survival
    drops = -np.diff(np.concatenate([[1.0], survival]))
    values = [*estimate.time.tolist(), NEVER_S]
    weights = [*drops.tolist(), float(survival[-1])]
    return Empirical(tuple(values), tuple(weights))


def _on_duty(
    columns: dict[str, np.ndarray], rows: np.ndarray, start: float, end: float, interval_s: float
) -> list[int]:
    """Agents on duty per interval: the time-average number inside a work session.

    A session runs from the start of an agent's conversation to the end of
    their last one with no gap longer than `SESSION_GAP_S` between them.
    """
    slots = round((end - start) / interval_s)
    present = np.zeros(slots)
    answered = rows & (columns["outcome"] == "answered")
    by_agent: dict[str, list[tuple[float, float]]] = {}
    for agent, began, ended in zip(
        columns["agent"][answered], columns["answered_at"][answered],
        columns["ended_at"][answered], strict=True,
    ):  # fmt: skip
        if agent is None or not np.isfinite(began):
            continue
        stop = ended if np.isfinite(ended) and ended > began else began
        by_agent.setdefault(agent, []).append((began, stop))
    for talks in by_agent.values():
        talks.sort()
        session_start, session_end = talks[0]
        for began, stop in talks[1:]:
            if began - session_end > SESSION_GAP_S:
                _add_presence(present, session_start, session_end, start, interval_s)
                session_start = began
            session_end = max(session_end, stop)
        _add_presence(present, session_start, session_end, start, interval_s)
    return [round(seconds / interval_s) for seconds in present]


def _add_presence(
    present: np.ndarray, began: float, ended: float, start: float, interval_s: float
) -> None:
    """Add the seconds of [began, ended) to each interval they cover."""
    slot = max(int((began - start) // interval_s), 0)
    while slot < len(present):
        low = start + slot * interval_s
        high = low + interval_s
        overlap = min(ended, high) - max(began, low)
        if overlap <= 0.0 and high > ended:
            break
        present[slot] += max(overlap, 0.0)
        slot += 1
