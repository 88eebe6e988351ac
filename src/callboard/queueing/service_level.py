"""KPI.md's service-level variants as steady-state probabilities of a queueing model.

With T the answer threshold and S the short-abandon threshold, and every
probability taken over all arrivals (the model has no system exits, so
O = A + Ab):

- `sl` = A(wait <= T) / (O - Ab_s):
  answered_within(T) / (1 - abandoned_within(S)).
- `sl_answered` = A(wait <= T) / A: answered_within(T) / (1 - p_abandon).
- `sl_offered` = A(wait <= T) / O: answered_within(T).
- `sl_late_abandons` = A(wait <= T) / (A + Ab(wait > T)):
  answered_within(T) / (1 - abandoned_within(T)).
- `sl_met` = [A(wait <= T) + Ab(wait <= T)] / (A + Ab): P(W <= T) = 1 - p_wait_gt.

`sl_offered` is the smallest of the five, so staffing to it meets the target
under every variant. Under Erlang C nobody abandons and all five equal
P(W <= T), the `service_level` of `erlang_c`.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from callboard.errors import BadInput
from callboard.queueing._inputs import FloatArray
from callboard.queueing.erlang_a import abandoned_within, erlang_a
from callboard.queueing.erlang_c import erlang_c

SlDefinition = Literal["sl", "sl_answered", "sl_offered", "sl_late_abandons", "sl_met"]
SL_DEFINITIONS: tuple[SlDefinition, ...] = get_args(SlDefinition)


def checked_definition(definition: str) -> SlDefinition:
    for name in SL_DEFINITIONS:
        if name == definition:
            return name
    known = ", ".join(SL_DEFINITIONS)
    raise BadInput(f"service-level definition {definition!r} is unknown: use one of {known}")


def service_level(
    rate: ArrayLike,
    aht: ArrayLike,
    agents: ArrayLike,
    *,
    patience: ArrayLike | None = None,
    threshold: ArrayLike = 20.0,
    definition: str = "sl",
    short_abandon: ArrayLike = 5.0,
) -> FloatArray:
    """The named KPI.md variant: Erlang C when `patience` is None, Erlang A otherwise.

    Times in seconds, `rate` per second; `short_abandon` is KPI.md's S.
    """
    name = checked_definition(definition)
    if patience is None:
        return erlang_c(rate, aht, agents, threshold).service_level
    figures = erlang_a(rate, aht, patience, agents, threshold)
    within = figures.answered_within
    if name == "sl_offered":
        return within
    if name == "sl_met":
        return 1.0 - figures.p_wait_gt
    if name == "sl_answered":
        left = figures.p_abandon
    else:
        cut = short_abandon if name == "sl" else threshold
        left = abandoned_within(rate, aht, patience, agents, cut)
    kept = 1.0 - left
    # When everyone left counts is answered in time the ratio is 1 up to rounding.
    ratio = np.minimum(within / np.where(kept > 0, kept, 1.0), 1.0)
    return np.asarray(np.where(kept > 0, ratio, 0.0))
