"""How close announcements came to the waits that followed.

For callers answered after queueing the wait is known: MAE, RMSE, bias
(announced minus actual, so positive means callers were told too much) and the
shares within ±30 s and within ±25% of the actual wait. For callers who
abandoned (or were sent away: `censored`), the true wait is censored at the
time they stayed: all that is known is whether the announcement was already
too short (`told_less_share`: they stayed longer than announced and were still
not answered) and by how much at least (`shortfall_s`, the mean of max(stayed - announced, 0)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

WITHIN_S = 30.0
WITHIN_SHARE = 0.25


@dataclass(frozen=True)
class Score:
    answered: int
    no_announcement: int
    mae_s: float | None
    rmse_s: float | None
    bias_s: float | None
    within_30s: float | None
    within_25pct: float | None
    censored: int
    told_less_share: float | None
    shortfall_s: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            name: (round(value, 4) if isinstance(value, float) else value)
            for name, value in self.__dict__.items()
        }


def score(
    announced: NDArray[np.float64], actual: NDArray[np.float64], answered: NDArray[np.bool_]
) -> Score:
    told = np.isfinite(announced)
    known = answered & told
    error = announced[known] - actual[known]
    n = int(known.sum())
    lost = ~answered & told
    stayed, said = actual[lost], announced[lost]

    def mean(values: NDArray[np.float64] | NDArray[np.bool_], count: int) -> float | None:
        return float(np.mean(values)) if count else None

    return Score(
        answered=n,
        no_announcement=int((answered & ~told).sum()),
        mae_s=mean(np.abs(error), n),
        rmse_s=float(np.sqrt(np.mean(error**2))) if n else None,
        bias_s=mean(error, n),
        within_30s=mean(np.abs(error) <= WITHIN_S, n),
        within_25pct=mean(np.abs(error) <= WITHIN_SHARE * actual[known], n),
        censored=int(lost.sum()),
        told_less_share=mean(stayed > said, len(stayed)),
        shortfall_s=mean(np.maximum(stayed - said, 0.0), len(stayed)),
    )
