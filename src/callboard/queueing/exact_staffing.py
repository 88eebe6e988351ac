"""The smallest agent count meeting every target, for many intervals at once.

Every figure the targets constrain (service level, ASA, abandon rate,
occupancy) is monotone in the agent count, so the answer is found by
bracketing and bisection on whole numbers. Square-root staffing,
n = load + beta sqrt(load), only seeds the bracket: the answer is the exact
threshold of the exact formula, so n agents meet the targets and n - 1 do not.
All cells move together, one vectorised evaluation per step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri

from callboard.errors import BadInput, InfeasiblePlan
from callboard.queueing._inputs import FloatArray, checked, checked_fraction
from callboard.queueing.erlang_a import erlang_a
from callboard.queueing.erlang_c import erlang_c
from callboard.queueing.service_level import checked_definition, service_level

IntArray = NDArray[np.int64]

# Beyond load + 50 sqrt(load) + 100 agents every probability of waiting is far
# below double precision, so a target still unmet there can never be met.
_SPARE_SIGMAS = 50.0
_SPARE_FLOOR = 100.0


@dataclass(frozen=True)
class _Targets:
    sl: float | None
    max_asa: float | None
    max_abandon: float | None
    max_occupancy: float | None
    sl_definition: str
    short_abandon: float

    def describe(self) -> str:
        named = {
            "sl": self.sl,
            "max_asa": self.max_asa,
            "max_abandon": self.max_abandon,
            "max_occupancy": self.max_occupancy,
        }
        return ", ".join(f"{name}={value}" for name, value in named.items() if value is not None)


def required_agents(
    rate: ArrayLike,
    aht: ArrayLike,
    *,
    patience: ArrayLike | None = None,
    sl: float | None = None,
    threshold: ArrayLike = 20.0,
    max_asa: float | None = None,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    sl_definition: str = "sl_offered",
    short_abandon: float = 5.0,
) -> IntArray:
    """Agents to schedule per cell: the exact minimum, then / (1 - shrinkage) rounded up.

    `rate` per second, `aht`, `patience`, `threshold` and `max_asa` in seconds;
    `sl`, `max_abandon` and `max_occupancy` are fractions. Erlang C when
    `patience` is None, else Erlang A, whose `asa` is the mean wait of all
    arrivals. `sl_definition` names the KPI.md variant the `sl` target uses
    (Erlang A only; under Erlang C they coincide): the default `sl_offered` is
    the strictest, so the staffing meets the target whichever variant a report
    prints. A cell with no calls needs 0 agents.
    """
    targets = _targets(sl, max_asa, max_abandon, max_occupancy, sl_definition, short_abandon)
    if patience is None and max_abandon is not None:
        raise BadInput("max_abandon needs a patience: Erlang C assumes nobody abandons")
    _shrinkage(shrinkage)  # a bad value fails before the search, not after it
    arrays = [
        checked("rate", rate),
        checked("aht", aht, positive=True),
        checked("threshold", threshold),
    ]
    if patience is not None:
        arrays.append(checked("patience", patience, positive=True))
    broadcast = np.broadcast_arrays(*arrays)
    shape = broadcast[0].shape
    flat = [np.ravel(a) for a in broadcast]
    meets = _meets(flat, targets)
    load = flat[0] * flat[1]
    agents = _search(load, meets, erlang_c_floor=patience is None, targets=targets)
    return scheduled_agents(agents.reshape(shape), shrinkage)


def scheduled_agents(agents: ArrayLike, shrinkage: float) -> IntArray:
    """Agents to put on the schedule so that `agents` remain after `shrinkage`.

    The 1e-9 keeps 14 / 0.7 = 20.000000000000004 at 20 instead of 21.
    """
    keep = 1.0 - _shrinkage(shrinkage)
    return np.asarray(np.ceil(np.asarray(agents, dtype=np.float64) / keep - 1e-9), dtype=np.int64)


def _targets(
    sl: float | None,
    max_asa: float | None,
    max_abandon: float | None,
    max_occupancy: float | None,
    sl_definition: str,
    short_abandon: float,
) -> _Targets:
    if sl is None and max_asa is None and max_abandon is None and max_occupancy is None:
        raise BadInput("no staffing target: give sl, max_asa, max_abandon or max_occupancy")
    if max_asa is not None and not (np.isfinite(max_asa) and max_asa > 0):
        raise BadInput(f"max_asa={max_asa!r} is not valid: give a number of seconds above 0")
    return _Targets(
        sl=None if sl is None else checked_fraction("sl", sl),
        max_asa=max_asa,
        max_abandon=None if max_abandon is None else checked_fraction("max_abandon", max_abandon),
        max_occupancy=None
        if max_occupancy is None
        else checked_fraction("max_occupancy", max_occupancy, upper_open=False),
        sl_definition=checked_definition(sl_definition),
        short_abandon=float(checked("short_abandon", short_abandon)),
    )


def _shrinkage(shrinkage: float) -> float:
    value = float(shrinkage)
    if not (np.isfinite(value) and 0 <= value < 1):
        raise BadInput(
            f"shrinkage={value!r} is not valid: give a fraction from 0 up to (not incl.) 1"
        )
    return value


Check = Callable[[NDArray[np.intp], FloatArray], NDArray[np.bool_]]


def _meets(flat: list[FloatArray], targets: _Targets) -> Check:
    """A test of `agents[i]` for the cells `index`, closing over the flattened inputs."""
    rate, aht, threshold = flat[0], flat[1], flat[2]
    patience = flat[3] if len(flat) > 3 else None

    def check(index: NDArray[np.intp], agents: FloatArray) -> NDArray[np.bool_]:
        r, h, t = rate[index], aht[index], threshold[index]
        ok = np.ones(index.shape, dtype=bool)
        if patience is None:
            c = erlang_c(r, h, agents, t)
            asa, occupancy, sl_value = c.asa, c.occupancy, c.service_level
        else:
            p = patience[index]
            a = erlang_a(r, h, p, agents, t)
            asa, occupancy, sl_value = a.asa, a.occupancy, a.answered_within
            if targets.max_abandon is not None:
                ok &= a.p_abandon <= targets.max_abandon
            if targets.sl is not None and targets.sl_definition != "sl_offered":
                sl_value = service_level(
                    r, h, agents, patience=p, threshold=t,
                    definition=targets.sl_definition, short_abandon=targets.short_abandon,
                )  # fmt: skip
        if targets.sl is not None:
            ok &= sl_value >= targets.sl
        if targets.max_asa is not None:
            ok &= asa <= targets.max_asa
        if targets.max_occupancy is not None:
            ok &= occupancy <= targets.max_occupancy
        return ok

    return check


def _search(
    load: FloatArray, meets: Check, *, erlang_c_floor: bool, targets: _Targets
) -> FloatArray:
    """Bracket around the guess, then bisect. Invariants: `low` always fails (-1
    stands for "nothing below 0") and `high`, once set, always meets."""
    cells = load.size
    # Erlang C is unstable at agents <= load, so floor(load) is a known failure.
    low = np.where((load > 0) & erlang_c_floor, np.floor(load), -1.0)
    beta = 1.0 if targets.sl is None else max(float(ndtri(targets.sl)), 0.0)
    probe = np.maximum(np.ceil(load + beta * np.sqrt(load)), low + 1.0)
    if targets.max_occupancy is not None:
        probe = np.maximum(probe, np.ceil(load / targets.max_occupancy))
    probe = np.where(load > 0, probe, 0.0)
    high = np.full(cells, np.nan)
    ceiling = np.maximum(load + _SPARE_SIGMAS * np.sqrt(load) + _SPARE_FLOOR, probe)
    first_step = np.maximum(np.ceil(np.sqrt(load) / 2.0), 1.0)
    step = first_step.copy()
    open_ = np.arange(cells)
    while open_.size:
        ok = meets(open_, probe[open_])
        high[open_[ok]] = probe[open_[ok]]
        open_ = open_[~ok]
        low[open_] = probe[open_]
        _raise_if_unreachable(open_, probe, ceiling, targets)
        probe[open_] = np.minimum(low[open_] + step[open_], ceiling[open_])
        step[open_] *= 2.0
    return _bisect(low, _lower_high(low, high, meets, first_step), meets)


def _lower_high(low: FloatArray, high: FloatArray, meets: Check, step: FloatArray) -> FloatArray:
    """Step `high` down while it still meets, doubling the step, so that bisection
    starts from a narrow bracket even when `low` is a far-off -1 (Erlang A)."""
    open_ = np.flatnonzero(high - low > step)
    while open_.size:
        probe = high[open_] - step[open_]
        ok = meets(open_, probe)
        high[open_[ok]] = probe[ok]
        low[open_[~ok]] = probe[~ok]
        step[open_] *= 2.0
        open_ = open_[ok]
        open_ = open_[high[open_] - low[open_] > step[open_]]
    return high


def _bisect(low: FloatArray, high: FloatArray, meets: Check) -> FloatArray:
    open_ = np.flatnonzero(high - low > 1)
    while open_.size:
        middle = np.floor((low[open_] + high[open_]) / 2.0)
        ok = meets(open_, middle)
        high[open_[ok]] = middle[ok]
        low[open_[~ok]] = middle[~ok]
        open_ = open_[high[open_] - low[open_] > 1]
    return high


def _raise_if_unreachable(
    failed: NDArray[np.intp], probe: FloatArray, ceiling: FloatArray, targets: _Targets
) -> None:
    stuck = failed[probe[failed] >= ceiling[failed]]
    if stuck.size:
        cell = int(stuck[0])
        raise InfeasiblePlan(
            f"cell {cell}: {int(probe[cell])} agents still miss {targets.describe()}; "
            "relax the targets or check the rate and handle time of that cell"
        )
