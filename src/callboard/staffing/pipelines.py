"""The staffing pipelines behind `plan staff` and `plan reserve` (`staff`: volume_staffing.py).

Each takes typed inputs and returns a typed result, so the CLI only reads its
options and formats, and the server can run the same pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from callboard.errors import BadInput
from callboard.forecast import HistorySource, load_history
from callboard.records import RecordDataset
from callboard.staffing.queue_times import fit_queue_times
from callboard.staffing.reserve_people import Assignment, Person, assign_reserve
from callboard.staffing.reserve_tiers import DEFAULT_TIERS, ReserveNeed, Surge, reserve_tiers
from callboard.staffing.staff_plan import QueueTimes, StaffPlan, Targets, plan_staff
from callboard.staffing.target_syntax import ServiceLevelTarget

# Where handle times come from: one QueueTimes for every queue, or fitted per queue.
TimesSource = QueueTimes | RecordDataset


def staff_history(
    source: HistorySource,
    times: TimesSource,
    targets: Targets,
    *,
    horizon_days: int,
    quantile: float = 0.5,
) -> StaffPlan:
    """Forecast each queue of the history, then staff a quantile of it."""
    history = load_history(source)
    forecasts = history.forecasts(horizon_days)
    return plan_staff(forecasts, queue_times(history.series, times), targets, quantile=quantile)


@dataclass(frozen=True)
class ReserveRequest:
    """The normal plan's target, the floor a surge must meet, the surge and the tiers."""

    normal: ServiceLevelTarget
    floor: ServiceLevelTarget
    surge: Surge = field(default_factory=Surge)
    tiers: tuple[int, ...] = DEFAULT_TIERS  # response times, minutes
    detect_after: int = 60  # minutes after opening a surge day is recognised
    people: Sequence[Person] = ()


@dataclass(frozen=True)
class ReservePlan:
    needs: list[ReserveNeed]
    fills: list[Assignment]  # empty when no people were given

    def as_dict(self) -> dict[str, Any]:
        return {"tiers": [asdict(n) for n in self.needs], "people": [asdict(a) for a in self.fills]}


def reserve_history(
    source: HistorySource, times: TimesSource, request: ReserveRequest, *, horizon_days: int
) -> ReservePlan:
    """Reserve people per tier so a surge over the normal plan still meets the floor."""
    history = load_history(source)
    forecasts = history.forecasts(horizon_days)
    times_by_queue = queue_times(history.series, times)
    normal = Targets(sl=request.normal.level, threshold=request.normal.threshold)
    plan = plan_staff(forecasts, times_by_queue, normal)
    needs = [
        reserve_tiers(
            f,
            times_by_queue[f.queue],
            p.agents,
            surge=request.surge,
            floor_sl=request.floor.level,
            threshold=request.floor.threshold,
            tiers=request.tiers,
            detect_after=request.detect_after,
        )
        for f, p in zip(forecasts, plan.queues, strict=True)
    ]
    if not request.people:
        return ReservePlan(needs, [])
    return ReservePlan(
        needs, assign_reserve({n.queue: n.tiers for n in needs}, list(request.people))
    )


def queue_times(queues: Iterable[str], times: TimesSource) -> dict[str, QueueTimes]:
    """Handle times per queue: the given ones for all, or each fitted from the records."""
    if isinstance(times, QueueTimes):
        return {queue: times for queue in queues}
    fitted = fit_queue_times(times)
    missing = sorted(set(queues) - set(fitted))
    if missing:
        raise BadInput(f"no handle times for queue {missing[0]!r} in the records; give --aht")
    return fitted
