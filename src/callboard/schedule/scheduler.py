"""Shift scheduling as a set-covering MILP solved by HiGHS.

Variables, per queue and day: `x[s]` agents on shift s; `b[g, t]` agents of
break group g (a template's break rule) starting that break at t, placed
implicitly (see `milp`); `short[i]` for soft coverage.
Per queue: a headcount `h` and, with a days-off rule, `z[p]` agents on each
weekly working pattern (such a week is solved day by day, see `_solve_week`).
Coverage is

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
from callboard.forecast import weekday
from callboard.schedule.highs_solver import new_solver
from callboard.schedule.milp import (
    IntArray,
    Layout,
    Model,
    build,
    choose_patterns,
    independent_queues,
    trivial_start,
)
from callboard.schedule.shift_catalogue import Shift, covered, shift_catalogue
from callboard.schedule.shift_rules import ShiftRules
from callboard.staffing import Requirements

SHOWN_INTERVALS = 10
# A solve may take this many times its even share of the time left: most pieces close
# far inside their share, and a hard one cut off at it keeps a large gap.
OVERRUN = 3.0


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
    budget = _GapBudget(rules, requirements)
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
        left = _share_of_time(rules.time_limit - (time.perf_counter() - began), len(pieces) - k)
        allowed = budget.share(part.required)
        piece = _Piece(part, part_rules, shifts, patterns)
        if patterns and not _capped(part_rules):
            plan = _solve_week(piece, left, allowed)
        else:
            plan = _solve_whole(piece, left, allowed)
        budget.spend(part.required, plan.objective - plan.bound)
        parts.append((queues, days, plan))
    return _merge(requirements, parts)


def _share_of_time(left: float, solves: int) -> float:
    """Seconds for the next of `solves` solves, when `left` seconds remain for all of them."""
    left = max(left, 1.0)
    return min(left, OVERRUN * left / max(solves, 1))


class _GapBudget:
    """Shares the plan's allowed gap, in objective units, among the pieces solved one by one.

    The gap that matters is the whole plan's, so a piece that closes early
    leaves its unused share to the rest: small queues, whose relative gap is
    slow to close, then stop as soon as the plan as a whole is within the
    target. The budget is the target gap times a floor on the plan's
    objective: every required agent-hour is either worked (at least the
    cheapest template's hourly cost) or paid as a shortfall, plus the surplus
    penalty that both carry, so the floor never exceeds the true optimum.
    """

    def __init__(self, rules: ShiftRules, requirements: Requirements) -> None:
        cheapest = min(template.cost for template in rules.templates)
        self.rate = max(min(cheapest, rules.under_penalty) + rules.over_penalty, 0.0)
        self.rate *= requirements.interval / 60.0
        self.floor_left = self.floor(requirements.required)
        self.left = rules.gap * self.floor_left

    def floor(self, required: NDArray[np.float64]) -> float:
        return float(required.sum()) * self.rate

    def share(self, required: NDArray[np.float64]) -> float:
        if self.floor_left <= 0.0:
            return 0.0
        return max(self.left, 0.0) * min(self.floor(required) / self.floor_left, 1.0)

    def spend(self, required: NDArray[np.float64], gap: float) -> None:
        self.left -= max(gap, 0.0)
        self.floor_left -= self.floor(required)


def _capped(rules: ShiftRules) -> bool:
    return any(site.max_agents is not None for site in rules.sites)


@dataclass(frozen=True)
class _Piece:
    """Queues and days solved as one: their requirements, rules, shifts and days-off patterns."""

    requirements: Requirements
    rules: ShiftRules
    shifts: list[Shift]
    patterns: list[frozenset[int]]


def _solve_whole(piece: _Piece, time_limit: float, allowed_gap: float) -> Schedule:
    """The piece as one MILP."""
    model, layout = build(piece.requirements, piece.rules, piece.shifts, piece.patterns)
    solved = _solve(model, time_limit, piece.rules.gap, allowed_gap)
    values = solved.values
    if values is None:
        # Out of time before any schedule: fall back to nobody on shift, which is always
        # feasible and reported as all short.
        values = trivial_start(model, layout, piece.requirements)
        solved = replace(solved, objective=float(np.concatenate(model.cost) @ values))
    return _read(piece.requirements, piece.shifts, layout, values, *solved.figures())


def _solve_week(piece: _Piece, time_limit: float, allowed_gap: float) -> Schedule:
    """A days-off week in two stages (a tour-scheduling decomposition, after Bechtold et al.).

    Stage one solves each day alone, as if everyone could work every day; the
    sum of those bounds is a bound on the week, since the week only adds the
    link between days. The shifts each day then wants fix the working
    patterns (`choose_patterns`), and stage two re-solves, with the number of
    shifts fixed, only the days the patterns overstaff. One week as a single
    MILP stalls for minutes on break and pattern integrality, while single
    days close in fractions of a second. When the two stages miss the allowed
    gap, or cannot follow the patterns (seat limits), the time left goes to
    the week as one MILP, and the better plan and the better bound are kept.
    """
    requirements, shifts, patterns = piece.requirements, piece.shifts, piece.patterns
    began = time.perf_counter()

    def left() -> float:
        return time_limit - (time.perf_counter() - began)

    week, layout = build(requirements, piece.rules, shifts, patterns)
    values = np.zeros(week.columns)
    days = len(requirements.days)
    day_objective = np.zeros(days)
    bound = 0.0
    floors = requirements.required.sum(axis=(0, 2)) + 1e-9
    for d in range(days):
        # Half the allowance for the days: the rest absorbs what the patterns cost.
        unused = max(allowed_gap / 2 - (day_objective.sum() - bound), 0.0)
        solved = _solve_day(
            piece,
            (d, None),
            (layout, values),
            _share_of_time(left(), days - d + 1),
            unused * floors[d] / floors[d:].sum(),
        )
        if solved is None:
            return _solve_whole(piece, left(), allowed_gap)
        day_objective[d], day_bound = solved
        bound += day_bound
    shift_columns = layout.block_start[:, :, None] + np.arange(len(shifts))
    wanted = values[shift_columns].sum(axis=2).round().astype(np.int64)
    counts = np.zeros_like(wanted)
    day_weekday = weekday(requirements.days)
    works = np.array([[int(w) in p for p in patterns] for w in day_weekday], dtype=np.int64)
    for q in range(len(requirements.queues)):
        chosen = choose_patterns(wanted[q], day_weekday, patterns)
        if chosen is None:
            return _solve_whole(piece, left(), allowed_gap)
        values[layout.pattern_start[q] + np.arange(len(patterns))] = chosen
        values[layout.headcount[q]] = chosen.sum()
        counts[q] = works @ chosen
    changed = [d for d in range(days) if (counts[:, d] != wanted[:, d]).any()]
    for n, d in enumerate(changed):
        solved = _solve_day(
            piece,
            (d, counts[:, [d]]),
            (layout, values),
            _share_of_time(left(), len(changed) - n),
            0.0,  # what these days give up counts against stage one's bound, not their own
        )
        if solved is None:
            return _solve_whole(piece, left(), allowed_gap)
        day_objective[d] = solved[0]
    objective = float(day_objective.sum())
    status = "Optimal"
    if objective - bound > max(allowed_gap, piece.rules.gap * objective):
        status = "Time limit reached"
        if left() >= 1.0:
            whole = _solve_whole(piece, left(), allowed_gap)
            bound = max(bound, whole.bound)
            if whole.objective < objective:
                return replace(whole, bound=bound, solve_seconds=time.perf_counter() - began)
            status = whole.status
    seconds = time.perf_counter() - began
    return _read(requirements, shifts, layout, values, status, objective, bound, seconds)


def _solve_day(
    piece: _Piece,
    day: tuple[int, IntArray | None],
    week: tuple[Layout, NDArray[np.float64]],
    time_limit: float,
    allowed_gap: float,
) -> tuple[float, float] | None:
    """Solve day `day[0]` alone, with `day[1]` shifts per queue if given, into the week's columns.

    Returns the day's (objective, bound), or None if HiGHS found no plan
    (fixed counts the seat limits cannot hold, or no time).
    """
    d, counts = day
    layout, values = week
    requirements, rules, shifts = piece.requirements, piece.rules, piece.shifts
    part = replace(
        requirements, days=requirements.days[[d]], required=requirements.required[:, [d]]
    )
    model, day_layout = build(part, rules, shifts, [], counts)
    solved = _solve(model, time_limit, rules.gap, allowed_gap)
    if solved.values is None:
        return None
    size = layout.block.under_start + requirements.intervals
    for q in range(len(requirements.queues)):
        source = int(day_layout.block_start[q, 0])
        target = int(layout.block_start[q, d])
        values[target : target + size] = solved.values[source : source + size]
    return solved.objective, solved.bound


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


@dataclass(frozen=True)
class _Solved:
    values: NDArray[np.float64] | None  # None when HiGHS found no feasible plan in time
    status: str
    objective: float
    bound: float  # HiGHS's dual bound
    seconds: float

    def figures(self) -> tuple[str, float, float, float]:
        return self.status, self.objective, self.bound, self.seconds


def _solve(model: Model, time_limit: float, gap: float, allowed_gap: float) -> _Solved:
    """Solve until within the relative `gap` or `allowed_gap` objective units of the bound.

    Whichever is looser stops the search: the absolute allowance is this
    piece's share of what `_GapBudget` has left of the plan's target.
    """
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
    solver.setOptionValue("time_limit", max(float(time_limit), 0.1))  # never negative
    solver.setOptionValue("mip_rel_gap", float(gap))
    solver.setOptionValue("mip_abs_gap", float(allowed_gap))
    solver.setOptionValue("threads", 1)
    solver.passModel(lp)
    began = time.perf_counter()
    solver.run()
    seconds = time.perf_counter() - began
    status = solver.modelStatusToString(solver.getModelStatus())
    info = solver.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return _Solved(None, status, np.inf, float(info.mip_dual_bound), seconds)
    values = np.array(solver.getSolution().col_value)
    values[integer] = np.round(values[integer])
    return _Solved(
        values, status, float(info.objective_function_value), float(info.mip_dual_bound), seconds
    )


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
