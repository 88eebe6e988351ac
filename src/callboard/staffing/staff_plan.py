"""Staffing plan: agents per interval from a forecast quantile, and what each target costs.

Planning to a high quantile of the forecast rather than its mean is how the
plan absorbs forecast error; the cost table makes that choice, and every
service target, visible in agent-hours, so a manager can see that (say) the
abandonment ceiling, not the service level, is what drives the evening.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
from numpy.typing import NDArray

from callboard.errors import BadInput
from callboard.forecast import Forecast
from callboard.queueing import required_agents


@dataclass(frozen=True)
class QueueTimes:
    """Mean handle time and mean patience of a queue, seconds; no patience means Erlang C."""

    aht: float
    patience: float | None = None


@dataclass(frozen=True)
class Targets:
    sl: float | None = 0.8
    threshold: float = 20.0
    max_abandon: float | None = None
    max_occupancy: float | None = None
    shrinkage: float = 0.0

    def named(self) -> dict[str, str]:
        """The targets that are set, with a readable description."""
        found = {}
        if self.sl is not None:
            found["sl"] = f"{self.sl:.0%} answered within {self.threshold:g} s"
        if self.max_abandon is not None:
            found["max_abandon"] = f"at most {self.max_abandon:.1%} abandon"
        if self.max_occupancy is not None:
            found["max_occupancy"] = f"occupancy at most {self.max_occupancy:.0%}"
        return found

    def without(self, name: str) -> Targets:
        return self._keeping(set(self.named()) - {name})

    def only(self, name: str) -> Targets:
        return self._keeping({name})

    def _keeping(self, names: set[str]) -> Targets:
        return replace(
            self,
            sl=self.sl if "sl" in names else None,
            max_abandon=self.max_abandon if "max_abandon" in names else None,
            max_occupancy=self.max_occupancy if "max_occupancy" in names else None,
        )


@dataclass(frozen=True)
class QueuePlan:
    queue: str
    days: NDArray[np.datetime64]
    interval_starts: list[str]
    interval: int
    contacts: NDArray[np.float64]  # the planned quantile, days × intervals
    agents: NDArray[np.int64]  # scheduled agents (after shrinkage), days × intervals


@dataclass(frozen=True)
class TargetCost:
    target: str
    description: str
    alone_hours: float  # agent-hours if this were the only target
    marginal_hours: float  # agent-hours saved by dropping it while keeping the others


@dataclass(frozen=True)
class StaffPlan:
    queues: list[QueuePlan]
    quantile: float
    total_hours: float
    costs: list[TargetCost]
    quantile_hours: float  # agent-hours above a plan for the median forecast

    def as_dict(self) -> dict[str, object]:
        return {
            "quantile": self.quantile,
            "agent_hours": self.total_hours,
            "targets": [asdict(c) for c in self.costs],
            "quantile_hours": self.quantile_hours,
            "intervals": self.rows(),
        }

    def rows(self) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for plan in self.queues:
            for d, day in enumerate(plan.days.astype(str)):
                for i, start in enumerate(plan.interval_starts):
                    out.append(
                        {
                            "timestamp": f"{day}T{start}",
                            "queue": plan.queue,
                            "contacts": float(plan.contacts[d, i]),
                            "required": int(plan.agents[d, i]),
                        }
                    )
        return out


def plan_staff(
    forecasts: list[Forecast],
    times: dict[str, QueueTimes],
    targets: Targets,
    *,
    quantile: float = 0.5,
) -> StaffPlan:
    """Required agents for each forecast queue, plus the agent-hours behind each target."""
    if not 0 < quantile < 1:
        raise BadInput(f"quantile {quantile!r}: give a level between 0 and 1, such as 0.9")
    missing = [f.queue for f in forecasts if f.queue not in times]
    if missing:
        raise BadInput(f"no handle time for queue {missing[0]!r}; give --aht or fit from records")
    contacts = [f.quantiles(np.array([quantile]))[0] for f in forecasts]
    plans = [
        QueuePlan(
            f.queue,
            f.days,
            f.interval_starts(),
            f.interval,
            c,
            _agents(c, f.interval, times[f.queue], targets),
        )
        for f, c in zip(forecasts, contacts, strict=True)
    ]

    def hours(chosen: Targets, load: list[NDArray[np.float64]] = contacts) -> float:
        return sum(
            float(_agents(c, f.interval, times[f.queue], chosen).sum()) * f.interval / 60
            for f, c in zip(forecasts, load, strict=True)
        )

    total = sum(float(p.agents.sum()) * p.interval / 60 for p in plans)
    named = targets.named()
    costs = [
        TargetCost(
            name,
            text,
            hours(targets.only(name)),
            total - hours(targets.without(name)) if len(named) > 1 else total,
        )
        for name, text in named.items()
    ]
    median = [f.quantiles(np.array([0.5]))[0] for f in forecasts]
    return StaffPlan(plans, quantile, total, costs, total - hours(targets, median))


def _agents(
    contacts: NDArray[np.float64], interval: int, times: QueueTimes, targets: Targets
) -> NDArray[np.int64]:
    patience = times.patience
    max_abandon = targets.max_abandon if patience is not None else None
    if targets.max_abandon is not None and patience is None:
        raise BadInput(
            "an abandonment target needs a patience: give --patience or fit from records"
        )
    return required_agents(
        contacts / (interval * 60.0),
        times.aht,
        patience=patience,
        sl=targets.sl,
        threshold=targets.threshold,
        max_abandon=max_abandon,
        max_occupancy=targets.max_occupancy,
        shrinkage=targets.shrinkage,
    )
