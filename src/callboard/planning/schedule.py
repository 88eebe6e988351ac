"""Shift scheduling as a set-covering MILP solved by HiGHS.

Variables, per queue and day: `x[s]` agents on shift s; `b[g, t]` agents of
break group g (a template's break rule) starting that break at t, placed
implicitly (see `schedule_model`); `short[i]` for soft coverage.
Per queue: a headcount `h` and, with a days-off rule, `z[p]` agents on each
weekly working pattern. Coverage is

    sum_s x[s] covers(s, i) - sum b[g, t] on_break(g, t, i) + short[i] >= required[i]

and the surplus penalty folded into each shift's cost (surplus is on-duty
time plus shortfall less the requirement). A shortfall is priced, not
forbidden: the plan always exists and says
where it falls short. What cannot be fixed by paying more (an interval no
shift reaches, a day no working pattern allows) is reported up front as
`InfeasiblePlan`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from callboard.errors import BadConfig, InfeasiblePlan
from callboard.planning.requirements import Requirements
from callboard.planning.schedule_model import (
    Layout,
    Model,
    build,
    independent_queues,
    trivial_start,
)
from callboard.planning.series import weekday
from callboard.planning.shift_catalogue import Shift, covered, shift_catalogue
from callboard.planning.shifts import ShiftRules
from callboard.planning.solver import new_solver

SHOWN_INTERVALS = 10


@dataclass(frozen=True)
class SlotCount:
    """Agents on a template's shift from `start` to `end`, or on its break then.

    Breaks are counted per start time, not per shift: any agent of the
    template whose break window holds that time may take it.
    """

    queue: str
    day: str
    template: str
    start: str
    end: str
    agents: int


@dataclass(frozen=True)
class Schedule:
    requirements: Requirements
    staffed: NDArray[np.float64]  # queues × days × intervals, agents on duty (breaks removed)
    shifts: tuple[SlotCount, ...]
    breaks: tuple[SlotCount, ...]
    headcount: dict[str, int]
    cost: float
    status: str
    objective: float  # cost plus penalties, as the MILP priced it
    bound: float  # the solver's proof that no plan costs less
    solve_seconds: float

    @property
    def gap(self) -> float:
        """Relative MIP gap of the whole plan, HiGHS's definition over all pieces."""
        return max(self.objective - self.bound, 0.0) / max(abs(self.objective), 1e-9)

    def under_staffed(self) -> list[tuple[str, str, float]]:
        """(queue, 'day HH:MM', agents short) for every short interval."""
        short = self.requirements.required - self.staffed
        found = []
        for q, d, i in zip(*np.nonzero(short > 1e-6), strict=True):
            found.append(
                (self.requirements.queues[q], self.requirements.label(d, i), float(short[q, d, i]))
            )
        return found

    def as_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "gap": self.gap,
            "objective": self.objective,
            "bound": self.bound,
            "solve_seconds": self.solve_seconds,
            "cost_paid_hours": self.cost,
            "headcount": self.headcount,
            "shifts": [asdict(s) for s in self.shifts],
            "breaks": [asdict(b) for b in self.breaks],
            "under_staffed": [
                {"queue": q, "interval": at, "short": s} for q, at, s in self.under_staffed()
            ],
        }


def schedule_shifts(requirements: Requirements, rules: ShiftRules) -> Schedule:
    """Cheapest shifts (paid hours plus coverage penalties) within the time limit and gap.

    Fractional requirements are rounded up first: half an agent cannot be
    rostered, and a half-unit target makes every solution tie with its
    neighbours, which stalls the branch and bound.
    """
    requirements = replace(requirements, required=np.ceil(requirements.required - 1e-9))
    if rules.interval is not None and rules.interval != requirements.interval:
        raise BadConfig(
            rules.source,
            "interval",
            f"{rules.interval} minutes, but the requirements use {requirements.interval}",
        )
    shifts = shift_catalogue(
        rules, requirements.start_minute, requirements.interval, requirements.intervals
    )
    patterns = rules.working_patterns(requirements.open_weekdays)
    _check_coverable(requirements, rules, shifts, patterns)
    pieces = [
        (queues, days)
        for queues in independent_queues(requirements, rules)
        for days in _day_groups(requirements, rules, queues, bool(patterns))
    ]
    began = time.perf_counter()
    parts: list[tuple[list[int], list[int], Schedule]] = []
    for k, (queues, days) in enumerate(pieces):
        part = replace(
            requirements,
            queues=tuple(requirements.queues[q] for q in queues),
            days=requirements.days[days],
            required=requirements.required[np.ix_(queues, days)],
        )
        part_rules = replace(
            rules, sites=tuple(s for s in rules.sites if set(s.queues) <= set(part.queues))
        )
        left = max(rules.time_limit - (time.perf_counter() - began), 1.0) / (len(pieces) - k)
        model, layout = build(part, part_rules, shifts, patterns)
        solved = _solve(model, left, rules.gap, trivial_start(model, layout, part))
        parts.append((queues, days, _read(part, shifts, layout, *solved)))
    return _merge(requirements, parts)


def _day_groups(
    requirements: Requirements, rules: ShiftRules, queues: list[int], weekly: bool
) -> list[list[int]]:
    """Days solved together: all of them when a days-off rule or a headcount cap links them.

    Otherwise each day is its own MILP: HiGHS closes a one-day gap in a
    fraction of a second but can stall for minutes on a week of the same days.
    """
    names = {requirements.queues[q] for q in queues}
    capped = any(s.max_agents is not None and names & set(s.queues) for s in rules.sites)
    days = list(range(len(requirements.days)))
    return [days] if weekly or capped else [[d] for d in days]


def _merge(
    requirements: Requirements, parts: list[tuple[list[int], list[int], Schedule]]
) -> Schedule:
    """One schedule from independently solved pieces, in the requirements' order.

    A queue's headcount is the largest of its pieces: without a days-off rule
    every agent may work every day.
    """
    staffed = np.zeros_like(requirements.required)
    headcount: dict[str, int] = {}
    for queues, days, part in parts:
        staffed[np.ix_(queues, days)] = part.staffed
        for queue, count in part.headcount.items():
            headcount[queue] = max(headcount.get(queue, 0), count)
    plans = [part for _, _, part in parts]
    unfinished = [p.status for p in plans if p.status != "Optimal"]
    return Schedule(
        requirements,
        staffed,
        tuple(sorted((s for p in plans for s in p.shifts), key=lambda s: (s.queue, s.day))),
        tuple(sorted((b for p in plans for b in p.breaks), key=lambda b: (b.queue, b.day))),
        headcount,
        sum(p.cost for p in plans),
        unfinished[0] if unfinished else "Optimal",
        sum(p.objective for p in plans),
        sum(p.bound for p in plans),
        sum(p.solve_seconds for p in plans),
    )


def _check_coverable(
    requirements: Requirements,
    rules: ShiftRules,
    shifts: list[Shift],
    patterns: list[frozenset[int]],
) -> None:
    in_shift = covered(shifts, requirements.intervals)
    day_open = np.ones(len(requirements.days), dtype=bool)
    if rules.days_off_per_week is not None:
        working = sorted(set().union(*patterns)) if patterns else []
        day_open = np.isin(weekday(requirements.days), working)
    stuck = (requirements.required > 0) & ~(in_shift[None, None, :] & day_open[None, :, None])
    if not stuck.any():
        return
    labels = [
        f"{requirements.queues[q]} {requirements.label(d, i)}"
        for q, d, i in zip(*np.nonzero(stuck), strict=True)
    ]
    more = f" and {len(labels) - SHOWN_INTERVALS} more" if len(labels) > SHOWN_INTERVALS else ""
    if (stuck & ~in_shift[None, None, :]).any():
        reason = "no shift template reaches these intervals"
    else:
        reason = "the days-off rule leaves nobody working on these days"
    raise InfeasiblePlan(
        f"{rules.source}: {reason}; cannot cover {', '.join(labels[:SHOWN_INTERVALS])}{more}. "
        "Widen the start window, add a template, or relax the days-off rule."
    )


def _solve(
    model: Model, time_limit: float, gap: float, start: NDArray[np.float64]
) -> tuple[NDArray[np.float64], str, float, float, float]:
    """(column values, status, objective, dual bound, seconds)."""
    matrix = sparse.csc_matrix(
        (np.concatenate(model.values), (np.concatenate(model.rows), np.concatenate(model.cols))),
        shape=(model.constraints, model.columns),
    )
    lp = highspy.HighsLp()
    lp.num_col_ = model.columns
    lp.num_row_ = model.constraints
    lp.col_cost_ = np.concatenate(model.cost)
    lp.col_lower_ = np.zeros(model.columns)
    lp.col_upper_ = np.full(model.columns, highspy.kHighsInf)
    lp.row_lower_ = np.concatenate(model.lower)
    lp.row_upper_ = np.concatenate(model.upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    integer = np.concatenate(model.integer)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integer
    ]
    solver = new_solver()
    solver.setOptionValue("time_limit", float(time_limit))
    solver.setOptionValue("mip_rel_gap", float(gap))
    solver.setOptionValue("threads", 1)
    solver.passModel(lp)
    began = time.perf_counter()
    solver.run()
    seconds = time.perf_counter() - began
    status = solver.modelStatusToString(solver.getModelStatus())
    info = solver.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        # Out of time before any schedule: fall back to nobody on shift, which is always
        # feasible and reported as all short. (HiGHS 1.16 mis-scores a MIP start after
        # presolve, so this start cannot be handed to the solver instead.)
        fallback = float(np.concatenate(model.cost) @ start)
        return start, status, fallback, float(info.mip_dual_bound), seconds
    values = np.array(solver.getSolution().col_value)
    values[integer] = np.round(values[integer])
    return values, status, float(info.objective_function_value), float(info.mip_dual_bound), seconds


def _read(
    requirements: Requirements,
    shifts: list[Shift],
    layout: Layout,
    solution: NDArray[np.float64],
    status: str,
    objective: float,
    bound: float,
    seconds: float,
) -> Schedule:
    staffed = np.zeros_like(requirements.required)
    shift_counts: list[SlotCount] = []
    break_counts: list[SlotCount] = []
    cost = 0.0
    clock = _clock(requirements)
    for q, queue in enumerate(requirements.queues):
        for d, day in enumerate(requirements.days.astype(str)):
            first = int(layout.block_start[q, d])
            for s, shift in enumerate(shifts):
                agents = int(solution[first + s])
                if agents:
                    cost += agents * shift.cost
                    staffed[q, d, shift.start : shift.start + shift.length] += agents
                    shift_counts.append(
                        SlotCount(
                            queue,
                            day,
                            shift.template.name,
                            clock(shift.start),
                            clock(shift.start + shift.length),
                            agents,
                        )
                    )
            for group in layout.block.groups:
                column = first + group.first_column
                started = solution[column : column + len(group.starts)]
                per_start = np.diff(started, prepend=0.0).round().astype(int).tolist()
                for begin, agents in zip(group.starts.tolist(), per_start, strict=True):
                    if agents:
                        staffed[q, d, begin : begin + group.length] -= agents
                        break_counts.append(
                            SlotCount(
                                queue,
                                day,
                                group.template,
                                clock(begin),
                                clock(begin + group.length),
                                agents,
                            )
                        )
    # With weekly patterns the headcount is solved for; otherwise it is the busiest day.
    daily = np.array(
        [
            [solution[start : start + len(shifts)].round().sum() for start in row]
            for row in layout.block_start.tolist()
        ]
    ).reshape(layout.block_start.shape)
    headcount = {
        queue: int(solution[layout.headcount[q]]) if layout.weekly else int(daily[q].max(initial=0))
        for q, queue in enumerate(requirements.queues)
    }
    return Schedule(
        requirements,
        staffed,
        tuple(shift_counts),
        tuple(break_counts),
        headcount,
        cost,
        status,
        objective,
        bound,
        seconds,
    )


def _clock(requirements: Requirements) -> Callable[[int], str]:
    def label(interval: int) -> str:
        minute = requirements.start_minute + interval * requirements.interval
        return f"{minute // 60:02d}:{minute % 60:02d}"

    return label
