"""What each queue's wallboard figures are judged against: a targets file, else the plan.

A figure is green when it meets its target, amber when it misses it but not by
more than its alarm level, and red beyond that (docs/wallboard.md). The file is a
config-kit model, so a mistake is a BadConfig naming the file and the dotted key:

    [default]
    sl = { target = "80%", alarm = "70%" }     # higher is better
    abandon_rate = { target = "5%", alarm = "10%" }  # lower is better
    longest_wait = { target = "1m", alarm = "3m" }   # lower is better

    [queue.emergency]                          # a queue's own keys win over default
    sl = "90%"                                 # alarm left out: 10 points below
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from callboard.config import Name, Section, checked, duration, load, problem, shown
from callboard.surge import Plan

# When a file gives a target without its alarm: how far a miss may go before it is red.
RATE_MARGIN = 0.10  # ten percentage points
WAIT_FACTOR = 2.0  # twice the target wait


def _share(value: Any) -> float:
    """A rate as 0.8, or as the text "80%"."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            value = float(value.strip()[:-1]) / 100
        except ValueError:
            raise problem(f'must be a share such as 0.8 or "80%", got {shown(value)}') from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise problem(f'must be a share between 0 and 1, such as 0.8 or "80%", got {shown(value)}')
    return float(value)


def _wait(value: Any) -> float:
    return duration(value, positive=True)


Share = Annotated[float, checked(_share)]
Wait = Annotated[float, checked(_wait)]


class _Target(Section):
    """A target and its alarm level; `sl = "80%"` alone is `sl = { target = "80%" }`, with
    the alarm a margin beyond the target."""

    better: ClassVar[Literal["higher", "lower"]] = "lower"
    target: float
    alarm: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _target_alone(cls, data: Any) -> Any:
        return data if isinstance(data, dict) else {"target": data}

    @model_validator(mode="after")
    def _alarm_beyond_target(self) -> Self:
        worse = self.alarm is not None and (
            self.alarm > self.target if self.better == "higher" else self.alarm < self.target
        )
        if worse:
            side = "at or below" if self.better == "higher" else "at or above"
            raise problem(f"must be {side} the target {shown(self.target)}", "alarm")
        return self

    def threshold(self) -> Threshold:
        return Threshold(self.target, self._alarm(), self.better)

    def _alarm(self) -> float:
        raise NotImplementedError


class HigherShare(_Target):
    better = "higher"
    target: Share
    alarm: Share | None = None

    def _alarm(self) -> float:
        return self.alarm if self.alarm is not None else max(0.0, self.target - RATE_MARGIN)


class LowerShare(_Target):
    target: Share
    alarm: Share | None = None

    def _alarm(self) -> float:
        return self.alarm if self.alarm is not None else min(1.0, self.target + RATE_MARGIN)


class WaitTarget(_Target):
    target: Wait
    alarm: Wait | None = None

    def _alarm(self) -> float:
        return self.alarm if self.alarm is not None else self.target * WAIT_FACTOR


class QueueTargetsTable(Section):
    sl: HigherShare | None = Field(default=None, description="service level: higher is better")
    abandon_rate: LowerShare | None = Field(
        default=None, description="abandoned share: lower is better"
    )
    longest_wait: WaitTarget | None = Field(default=None, description="the oldest caller's wait")


class TargetsFile(Section):
    default: QueueTargetsTable = QueueTargetsTable()
    queue: dict[Name, QueueTargetsTable] = Field(default_factory=dict)


@dataclass(frozen=True)
class Threshold:
    """`better` says which way is good: a figure at `target` or better is ok, one at
    `alarm` or better a warning, anything worse bad (wallboard-states.js judges)."""

    target: float
    alarm: float
    better: Literal["higher", "lower"]


@dataclass(frozen=True)
class QueueTargets:
    sl: Threshold | None = None
    abandon_rate: Threshold | None = None
    longest_wait: Threshold | None = None

    def as_dict(self) -> dict[str, dict[str, Any] | None]:
        return {name: None if value is None else asdict(value)
                for name, value in (("sl", self.sl), ("abandon_rate", self.abandon_rate),
                                    ("longest_wait", self.longest_wait))}  # fmt: skip


@dataclass(frozen=True)
class Targets:
    """Targets by queue; `source` says where they came from, for the wallboard's legend."""

    by_queue: dict[str, QueueTargets]
    default: QueueTargets
    source: Literal["file", "plan", "none"]

    def of(self, queue: str) -> QueueTargets:
        return self.by_queue.get(queue, self.default)


NO_TARGETS = Targets({}, QueueTargets(), "none")


def load_targets(path: str | Path) -> Targets:
    """A targets file as Targets; BadConfig names the file and key of a mistake."""
    data = load(path, TargetsFile, "targets file")
    default = _queue(data.default, QueueTargets())
    by_queue = {name: _queue(table, default) for name, table in data.queue.items()}
    return Targets(by_queue, default, "file")


def plan_targets(plan: Plan) -> Targets:
    """The plan's `target_sl` for the queues it plans: what its projections aim at."""
    sl = HigherShare(target=plan.target_sl).threshold()
    return Targets({q.queue: QueueTargets(sl=sl) for q in plan.queues}, QueueTargets(), "plan")


def _queue(table: QueueTargetsTable, fallback: QueueTargets) -> QueueTargets:
    """The table's thresholds, each missing one taken from `fallback` (the default's)."""
    sl, abandon_rate, wait = table.sl, table.abandon_rate, table.longest_wait
    return QueueTargets(
        sl=sl.threshold() if sl else fallback.sl,
        abandon_rate=abandon_rate.threshold() if abandon_rate else fallback.abandon_rate,
        longest_wait=wait.threshold() if wait else fallback.longest_wait,
    )
