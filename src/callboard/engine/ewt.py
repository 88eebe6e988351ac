"""Expected-wait predictors and the record of how good their announcements were.

Each predictor answers "how long until the contact at position k is answered"
from what the engine knows now. They follow Ibrahim and Whitt's comparisons
of queue-length-based and delay-history-based predictors:

- `queue_length`: sum over the k-1 contacts ahead and the contact itself of the
  time to the next departure, 1/(s·μ + i·θ) with i still waiting: s working
  agents, μ = 1/AHT, θ the estimated abandonment rate (QL-m).
- `head_of_line`: how long the contact at the head has already waited (HOL).
- `last_to_enter`: the wait of the last contact to reach an agent (LES).
- `erlang_a`: the steady-state mean wait of delayed callers from Erlang A at the
  smoothed arrival rate and current staffing; ignores the position.
- `calibrated`: a linear function of the others' answers, the position and the
  agents staffed, with coefficients fitted on a queue's own history
  (`callboard ewt fit`, the spec's `EwtModel`), which also gives a 10–90% range.

A prediction is None when the engine cannot make one (no agent working).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

from callboard.engine.queues import LiveQueue
from callboard.engine.spec import EwtModel
from callboard.queueing import erlang_a, erlang_c

# Beyond this many terms the QL sum continues as its midpoint integral. Its
# relative error per term is θ²/(12 (s·μ + i·θ)²), at most 1/(12 (sμ/θ)²):
# 3e-5 for 100 agents with AHT 5.7 min and patience 3 min, and below 1% as
# long as one agent's service rate is at least three times the abandonment rate.
_EXACT_TERMS: Final = 8
# _AHEAD[k] is 0.0 .. k-1 as floats: the exact terms' loop then multiplies floats
# only, with no range object or int-to-float conversion per term.
_AHEAD: Final = tuple(tuple(float(i) for i in range(k)) for k in range(_EXACT_TERMS + 1))


class Predictor:
    """One way to answer "how long until the contact at `position` is answered"; None
    when it cannot tell. A native class rather than a plain function, so that the
    engine's call per queued contact is a native method call (`predict`), not a Python-level one."""

    def predict(self, queue: LiveQueue, position: int, now: float) -> float | None:
        raise NotImplementedError

    def __call__(self, queue: LiveQueue, position: int, now: float) -> float | None:
        return self.predict(queue, position, now)


def queue_length(queue: LiveQueue, position: int, now: float) -> float | None:
    stats = queue.stats
    service_rate = stats.staffed / stats.aht_s
    if service_rate <= 0.0:
        return None
    exposure = stats.exposure_s
    return queue_length_wait(
        position, service_rate, stats.abandons / exposure if exposure > 0.0 else 0.0
    )


def queue_length_wait(position: int, service_rate: float, theta: float) -> float:
    """QL-m for `service_rate` = s·μ > 0 and abandonment rate `theta`, per second."""
    exact = position if position < _EXACT_TERMS else _EXACT_TERMS
    total = 0.0
    for ahead in _AHEAD[exact]:
        total += 1.0 / (service_rate + ahead * theta)
    if position > exact:
        if theta > 0.0:
            low = service_rate + (exact - 0.5) * theta
            high = service_rate + (position - 0.5) * theta
            total += math.log(high / low) / theta
        else:
            total += (position - exact) / service_rate
    return total


def head_of_line(queue: LiveQueue, position: int, now: float) -> float | None:
    line = queue.line
    for priority in line.priorities:
        head = line.head(priority)
        if head is not None:
            return now - head.queued_at
    return 0.0


def last_to_enter(queue: LiveQueue, position: int, now: float) -> float | None:
    return queue.stats.last_wait_s


def calibrated_features(
    queue_length_s: float,
    head_of_line_s: float,
    last_to_enter_s: float,
    position: int,
    staffed: int,
) -> list[float]:
    """The calibrated predictor's inputs, in `EWT_FEATURES` order; shared with the audit,
    which rebuilds the same state from records and fits the coefficients on it."""
    return [1.0, queue_length_s, head_of_line_s, last_to_enter_s, float(position), float(staffed)]


def linear(coefficients: tuple[float, ...], features: list[float]) -> float:
    """A calibrated estimate in seconds, never below zero."""
    total = 0.0
    for coefficient, value in zip(coefficients, features, strict=True):
        total += coefficient * value
    return total if total > 0.0 else 0.0


def _live_features(queue: LiveQueue, position: int, now: float) -> list[float] | None:
    ql = queue_length(queue, position, now)
    if ql is None:
        return None
    hol = head_of_line(queue, position, now)
    return calibrated_features(
        ql, 0.0 if hol is None else hol, queue.stats.last_wait_s, position, queue.stats.staffed
    )


def calibrated_range(queue: LiveQueue, position: int, now: float) -> tuple[float, float] | None:
    """The 10% and 90% quantiles of the wait; None without a fitted model or agents."""
    model: EwtModel | None = queue.spec.ewt_model
    if model is None:
        return None
    features = _live_features(queue, position, now)
    if features is None:
        return None
    low = linear(model.low, features)
    high = linear(model.high, features)
    return (low, high) if low <= high else (high, low)


class QueueLength(Predictor):
    def predict(self, queue: LiveQueue, position: int, now: float) -> float | None:
        return queue_length(queue, position, now)


class HeadOfLine(Predictor):
    def predict(self, queue: LiveQueue, position: int, now: float) -> float | None:
        return head_of_line(queue, position, now)


class LastToEnter(Predictor):
    def predict(self, queue: LiveQueue, position: int, now: float) -> float | None:
        return last_to_enter(queue, position, now)


class Calibrated(Predictor):
    """The fitted mean wait; None when the queue has no model (or no agent working)."""

    def predict(self, queue: LiveQueue, position: int, now: float) -> float | None:
        model: EwtModel | None = queue.spec.ewt_model
        if model is None:
            return None
        features = _live_features(queue, position, now)
        return None if features is None else linear(model.mean, features)


class ErlangAPredictor(Predictor):
    """Mean wait of delayed callers, cached per rounded (rate, agents, AHT, patience).

    Rounding keeps the cache small: the arrival rate to 1/h, AHT and patience
    to whole seconds.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[int, int, int, int], float | None] = {}

    def predict(self, queue: LiveQueue, position: int, now: float) -> float | None:
        stats = queue.stats
        rate_h = round(stats.arrival_rate() * 3600.0)
        theta = stats.abandon_rate()
        patience = round(1.0 / theta) if theta > 0.0 else 0
        key = (rate_h, stats.staffed, round(stats.aht_s), patience)
        if key not in self._cache:
            self._cache[key] = erlang_a_wait(*key)
        return self._cache[key]


def erlang_a_wait(rate_h: int, agents: int, aht_s: int, patience_s: int) -> float | None:
    """Mean wait of delayed callers, E[W] / P(W > 0); Erlang C when nobody has abandoned."""
    if agents <= 0 or aht_s <= 0:
        return None
    if rate_h <= 0:
        return 0.0
    rate = rate_h / 3600.0
    if patience_s <= 0:
        delayed = erlang_c(rate, float(aht_s), agents)
        mean_wait, p_wait = float(delayed.asa), float(delayed.p_wait)
    else:
        model = erlang_a(rate, float(aht_s), float(patience_s), agents)
        mean_wait, p_wait = float(model.asa), float(model.p_wait)
    if not math.isfinite(mean_wait):
        return None
    return mean_wait / p_wait if p_wait > 0.0 else 0.0


def make_predictors() -> dict[str, Predictor]:
    return {
        "queue_length": QueueLength(),
        "head_of_line": HeadOfLine(),
        "last_to_enter": LastToEnter(),
        "erlang_a": ErlangAPredictor(),
        "calibrated": Calibrated(),
    }


PREDICTOR_NAMES = ("queue_length", "head_of_line", "last_to_enter", "erlang_a", "calibrated")


@dataclass(slots=True)
class Accuracy:
    """Announced versus actual waits of one predictor on one queue, in seconds.

    Only answered contacts have an actual wait; abandoned ones are counted in
    `censored` because their true wait is unknown (it was longer than they
    stayed).
    """

    answered: int = 0
    censored: int = 0
    sum_error_s: float = 0.0
    sum_abs_error_s: float = 0.0
    sum_sq_error_s: float = 0.0

    def add(self, predicted: float, actual: float | None) -> None:
        if actual is None:
            self.censored += 1
            return
        error = predicted - actual
        self.answered += 1
        self.sum_error_s += error
        self.sum_abs_error_s += abs(error)
        self.sum_sq_error_s += error * error

    def summary(self) -> dict[str, float | int | None]:
        n = self.answered
        return {
            "answered": n,
            "censored": self.censored,
            "bias_s": self.sum_error_s / n if n else None,
            "mae_s": self.sum_abs_error_s / n if n else None,
            "rmse_s": math.sqrt(self.sum_sq_error_s / n) if n else None,
        }

    def to_data(self) -> list[Any]:
        return [
            self.answered, self.censored, self.sum_error_s, self.sum_abs_error_s,
            self.sum_sq_error_s,
        ]  # fmt: skip

    @classmethod
    def from_data(cls, data: list[Any]) -> Accuracy:
        return cls(int(data[0]), int(data[1]), float(data[2]), float(data[3]), float(data[4]))
