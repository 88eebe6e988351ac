"""Assemble the shift-scheduling MILP in sparse coordinate form.

Breaks are placed implicitly (Bechtold & Jacobs 1990): per queue, day,
template and break rule the model counts agents by break start time instead
of giving each shift its own break variables. The shifts of one template share
the same break window relative to their start, so no window nests strictly
inside another, and these constraints are exactly what makes the counts
assignable to shifts:

- as many breaks as agents on the template's shifts;
- forward: shifts whose window has closed by time t need that many breaks
  started by t;
- backward: shifts whose window opens at t or later need that many breaks
  started at t or later.

Written directly, the forward and backward sums make rows with as many
entries as there are break starts. They are written on running totals
instead: `started[k]` counts breaks begun by the k-th start time (the
breaks at that time are the difference of neighbours), `closed[k]` and
`opening[k]` count agents whose window has closed by, or opens at or after,
that time. Every row then has two to four entries, which keeps HiGHS's LP
small and its cuts cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from callboard.errors import BadConfig
from callboard.forecast import weekday
from callboard.schedule.highs_solver import new_solver
from callboard.schedule.shift_catalogue import Shift
from callboard.schedule.shift_rules import ShiftRules
from callboard.staffing import Requirements

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass
class Model:
    """Columns and rows in coordinate form, grown block by block."""

    cost: list[FloatArray] = field(default_factory=list)
    integer: list[NDArray[np.bool_]] = field(default_factory=list)
    rows: list[IntArray] = field(default_factory=list)
    cols: list[IntArray] = field(default_factory=list)
    values: list[FloatArray] = field(default_factory=list)
    lower: list[FloatArray] = field(default_factory=list)
    upper: list[FloatArray] = field(default_factory=list)
    columns: int = 0
    constraints: int = 0

    def add_columns(self, cost: FloatArray, *, integer: bool) -> int:
        first = self.columns
        self.cost.append(cost)
        self.integer.append(np.full(len(cost), integer))
        self.columns += len(cost)
        return first

    def add_rows(self, lower: FloatArray, upper: FloatArray) -> int:
        first = self.constraints
        self.lower.append(np.asarray(lower, dtype=np.float64))
        self.upper.append(np.asarray(upper, dtype=np.float64))
        self.constraints += len(lower)
        return first

    def add_entries(self, rows: IntArray, cols: IntArray, values: FloatArray) -> None:
        self.rows.append(np.asarray(rows, dtype=np.int64))
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.values.append(np.asarray(values, dtype=np.float64))


@dataclass(frozen=True)
class BreakGroup:
    """One template's break rule: the running-total columns of its break starts."""

    template: str
    starts: IntArray  # interval index of each break start time
    length: int  # intervals
    first_column: int  # of `started`, relative to the block


@dataclass(frozen=True)
class Block:
    """The constraints of one queue-day: coverage rows first, then break rows.

    Columns: shifts, then `started` totals (integer), then the `closed` and
    `opening` totals (continuous: integer whenever the shifts are), then
    the shortfall per interval.
    """

    rows: IntArray
    cols: IntArray
    values: FloatArray
    break_lower: FloatArray
    break_upper: FloatArray
    shift_cost: FloatArray
    groups: tuple[BreakGroup, ...]
    started_columns: int
    total_columns: int
    under_start: int


@dataclass(frozen=True)
class Layout:
    block: Block
    block_start: IntArray  # queues × days: first column of each block
    headcount: IntArray  # the headcount column of each queue
    pattern_start: IntArray  # the first working-pattern column of each queue
    weekly: bool  # whether days-off patterns tie the days together


def build(
    requirements: Requirements,
    rules: ShiftRules,
    shifts: list[Shift],
    patterns: list[frozenset[int]],
    day_counts: IntArray | None = None,
) -> tuple[Model, Layout]:
    """The MILP of one piece; `day_counts[q, d]`, when given, fixes the shifts worked each day.

    Fixed counts are how a week is rebuilt one day at a time once the
    days-off patterns are chosen (see `choose_patterns`).
    """
    queues, days, intervals = requirements.required.shape
    hours = requirements.interval / 60.0
    block = build_block(shifts, intervals)
    # Surplus = on duty + short - required, so its penalty folds into each shift's on-duty
    # time and the shortfall's price, leaving coverage a pure covering row.
    on_duty = np.array([sh.length - sum(sh.break_lengths) for sh in shifts], dtype=np.float64)
    over_cost = rules.over_penalty * hours * on_duty
    short_cost = (rules.under_penalty + rules.over_penalty) * hours
    model = Model()
    block_start = np.zeros((queues, days), dtype=np.int64)
    headcount = np.zeros(queues, dtype=np.int64)
    pattern_starts = np.zeros(queues, dtype=np.int64)
    day_weekday = weekday(requirements.days)
    for q in range(queues):
        headcount[q] = model.add_columns(np.zeros(1), integer=True)
        pattern_start = model.add_columns(np.zeros(len(patterns)), integer=True)
        pattern_starts[q] = pattern_start
        if patterns:
            row = model.add_rows(np.zeros(1), np.zeros(1))
            model.add_entries(
                np.full(len(patterns) + 1, row),
                np.concatenate([[headcount[q]], pattern_start + np.arange(len(patterns))]),
                np.concatenate([[1.0], -np.ones(len(patterns))]),
            )
        for d in range(days):
            first = model.add_columns(block.shift_cost + over_cost, integer=True)
            model.add_columns(np.zeros(block.started_columns), integer=True)
            model.add_columns(np.zeros(block.total_columns), integer=False)
            model.add_columns(np.full(intervals, short_cost), integer=False)
            block_start[q, d] = first
            required = requirements.required[q, d]
            row = model.add_rows(
                np.concatenate([required, block.break_lower]),
                np.concatenate([np.full(intervals, np.inf), block.break_upper]),
            )
            model.add_entries(row + block.rows, first + block.cols, block.values)
            # Agents working today: all those whose pattern works today, or at most the headcount.
            if day_counts is not None:
                others = np.zeros(0, dtype=np.int64)
                count = np.full(1, float(day_counts[q, d]))
                day_row = model.add_rows(count, count)
            elif patterns:
                working = [p for p, on in enumerate(patterns) if int(day_weekday[d]) in on]
                others = pattern_start + np.array(working, dtype=np.int64)
                day_row = model.add_rows(np.zeros(1), np.zeros(1))
            else:
                others = np.array([headcount[q]])
                day_row = model.add_rows(np.full(1, -np.inf), np.zeros(1))
            model.add_entries(
                np.full(len(shifts) + len(others), day_row),
                np.concatenate([first + np.arange(len(shifts)), others]),
                np.concatenate([np.ones(len(shifts)), -np.ones(len(others))]),
            )
    add_site_limits(model, requirements, rules, block_start, headcount, block)
    return model, Layout(block, block_start, headcount, pattern_starts, bool(patterns))


class _Rows:
    """Coordinate entries and bounds of the rows after the coverage rows."""

    def __init__(self, first_row: int) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.values: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.next_row = first_row

    def entry(self, row: int, col: int, value: float) -> None:
        self.rows.append(row)
        self.cols.append(col)
        self.values.append(value)

    def row(self, entries: list[tuple[int, float]], lower: float, upper: float) -> None:
        for col, value in entries:
            self.entry(self.next_row, col, value)
        self.lower.append(lower)
        self.upper.append(upper)
        self.next_row += 1


def build_block(shifts: list[Shift], intervals: int) -> Block:
    out = _Rows(intervals)
    for s, shift in enumerate(shifts):
        for i in range(shift.start, shift.start + shift.length):
            out.entry(i, s, 1.0)
    keys = sorted({(sh.template.name, r) for sh in shifts for r in range(len(sh.break_starts))})
    plans = []
    for name, rule in keys:
        members = [(s, sh) for s, sh in enumerate(shifts) if sh.template.name == name]
        starts = np.unique(np.concatenate([sh.break_starts[rule] for _, sh in members]))
        plans.append((name, rule, members, starts))
    started = len(shifts)
    totals = started + sum(len(p[3]) for p in plans)
    groups: list[BreakGroup] = []
    for name, rule, members, starts in plans:
        length = members[0][1].break_lengths[rule]
        count = len(starts)
        done = [started + k for k in range(count)]
        closed = [totals + k for k in range(count)]
        opening = [totals + count + k for k in range(count)]
        groups.append(BreakGroup(name, starts, length, started))
        for i in range(intervals):  # on break at i: starts in (i - length, i]
            high = int(np.searchsorted(starts, i, side="right")) - 1
            low = int(np.searchsorted(starts, i - length, side="right"))
            if high >= low:
                out.entry(i, done[high], -1.0)
                if low > 0:
                    out.entry(i, done[low - 1], 1.0)
        for k in range(1, count):  # breaks per start time are never negative
            out.row([(done[k], 1.0), (done[k - 1], -1.0)], 0.0, np.inf)
        out.row([(done[-1], 1.0)] + [(s, -1.0) for s, _ in members], 0.0, 0.0)
        close_at = np.searchsorted(starts, [sh.break_starts[rule][-1] for _, sh in members])
        open_at = np.searchsorted(starts, [sh.break_starts[rule][0] for _, sh in members])
        for k in range(count):
            closing_now = [
                (s, -1.0) for (s, _), at in zip(members, close_at, strict=True) if at == k
            ]
            previous = [(closed[k - 1], -1.0)] if k else []
            out.row([(closed[k], 1.0), *previous, *closing_now], 0.0, 0.0)
            out.row([(closed[k], 1.0), (done[k], -1.0)], -np.inf, 0.0)  # forward
        for k in reversed(range(count)):
            opening_now = [
                (s, -1.0) for (s, _), at in zip(members, open_at, strict=True) if at == k
            ]
            following = [(opening[k + 1], -1.0)] if k + 1 < count else []
            out.row([(opening[k], 1.0), *following, *opening_now], 0.0, 0.0)
            before = [(done[k - 1], 1.0)] if k else []
            out.row([(opening[k], 1.0), (done[-1], -1.0), *before], -np.inf, 0.0)  # backward
        started += count
        totals += 2 * count
    under = totals
    for i in range(intervals):
        out.entry(i, under + i, 1.0)
    return Block(
        np.array(out.rows, dtype=np.int64),
        np.array(out.cols, dtype=np.int64),
        np.array(out.values),
        np.array(out.lower),
        np.array(out.upper),
        np.array([shift.cost for shift in shifts]),
        tuple(groups),
        started - len(shifts),
        totals - started,
        under,
    )


def add_site_limits(
    model: Model,
    requirements: Requirements,
    rules: ShiftRules,
    block_start: IntArray,
    headcount: IntArray,
    block: Block,
) -> None:
    """Seats bound the agents on duty: the coverage rows' shift and break terms, summed."""
    index = {queue: q for q, queue in enumerate(requirements.queues)}
    intervals = requirements.intervals
    on_duty = (block.rows < intervals) & (block.cols < block.under_start)
    duty_rows, duty_cols, duty_values = (
        block.rows[on_duty],
        block.cols[on_duty],
        block.values[on_duty],
    )
    for site in rules.sites:
        members = [index[queue] for queue in site.queues]
        if site.max_agents is not None:
            row = model.add_rows(np.full(1, -np.inf), np.full(1, float(site.max_agents)))
            model.add_entries(np.full(len(members), row), headcount[members], np.ones(len(members)))
        if site.seats is None:
            continue
        for d in range(len(requirements.days)):
            first = model.add_rows(np.full(intervals, -np.inf), np.full(intervals, site.seats))
            for q in members:
                model.add_entries(first + duty_rows, block_start[q, d] + duty_cols, duty_values)


def trivial_start(model: Model, layout: Layout, requirements: Requirements) -> FloatArray:
    """The plan with nobody on shift: every requirement is left short."""
    start = np.zeros(model.columns)
    steps = np.arange(requirements.intervals)
    for q in range(len(requirements.queues)):
        for d in range(len(requirements.days)):
            start[layout.block_start[q, d] + layout.block.under_start + steps] = (
                requirements.required[q, d]
            )
    return start


def choose_patterns(
    needed: IntArray, day_weekday: IntArray, patterns: list[frozenset[int]]
) -> IntArray | None:
    """Agents per weekly pattern so that every day has at least `needed[d]` working.

    The fewest agent-days win: each extra agent on a day costs at least its
    cheapest shift, so this is the days-off problem of Baker (1974) in the
    costs of the day-by-day solutions. None when no patterns cover the days.
    """
    works = np.array(
        [[int(w) in pattern for pattern in patterns] for w in day_weekday], dtype=np.float64
    )
    solver = new_solver()
    solver.setOptionValue("threads", 1)
    lp = highspy.HighsLp()
    lp.num_col_ = len(patterns)
    lp.num_row_ = len(needed)
    lp.col_cost_ = works.sum(axis=0)
    lp.col_lower_ = np.zeros(len(patterns))
    lp.col_upper_ = np.full(len(patterns), highspy.kHighsInf)
    lp.row_lower_ = needed.astype(np.float64)
    lp.row_upper_ = np.full(len(needed), highspy.kHighsInf)
    matrix = sparse.csc_matrix(works)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(patterns)
    solver.passModel(lp)
    solver.run()
    if solver.getInfo().primal_solution_status != 2:  # kSolutionStatusFeasible
        return None
    return np.round(solver.getSolution().col_value).astype(np.int64)


def independent_queues(requirements: Requirements, rules: ShiftRules) -> list[list[int]]:
    """Groups of queue indices that no site limit ties together, each solvable on its own.

    Smaller MILPs close their gap far faster than one block-diagonal model.
    """
    index = {queue: q for q, queue in enumerate(requirements.queues)}
    group = list(range(len(requirements.queues)))

    def root(q: int) -> int:
        while group[q] != q:
            q = group[q]
        return q

    for n, site in enumerate(rules.sites):
        unknown = [queue for queue in site.queues if queue not in index]
        if unknown:
            raise BadConfig(
                rules.source,
                f"site[{n}].queues",
                f"unknown queue {unknown[0]!r}; the requirements have "
                f"{', '.join(requirements.queues)}",
            )
        if site.seats is None and site.max_agents is None:
            continue
        members = [index[queue] for queue in site.queues]
        for q in members[1:]:
            group[root(q)] = root(members[0])
    found: dict[int, list[int]] = {}
    for q in range(len(group)):
        found.setdefault(root(q), []).append(q)
    return list(found.values())
