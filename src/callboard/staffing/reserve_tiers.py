"""Reserve tiers: how many people on call, by how fast they can be on the line.

A surge day is recognised some time after opening (`detect_after`: by then
the intraday update has seen enough of the day to know its level). Reserves
are called then, and a tier with response time r is on the phones r minutes
later and stays for the day. So the first tier must close the staffing gap
from its arrival until the next tier arrives, and so on; the last tier closes
the largest gap of the rest of the day. The gap per interval is the agents a
floor service level needs under the surge, less the agents the normal plan
puts on the phones. Intervals before the first tier can arrive are reported,
since only in-house measures (idle and outbound staff, the support group)
can help there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from callboard.errors import BadInput
from callboard.forecast import Forecast
from callboard.queueing import required_agents
from callboard.staffing.staff_plan import QueueTimes

DEFAULT_TIERS = (30, 60, 120)


@dataclass(frozen=True)
class Surge:
    """A surge as a forecast quantile (for example 0.9) or as a multiplier of the mean."""

    quantile: float | None = 0.9
    multiplier: float | None = None

    def contacts(self, forecast: Forecast) -> NDArray[np.float64]:
        if self.multiplier is not None:
            return forecast.mean * self.multiplier
        if self.quantile is None or not 0 < self.quantile < 1:
            raise BadInput("a surge needs a quantile between 0 and 1 or a multiplier")
        surge: NDArray[np.float64] = forecast.quantiles(np.array([self.quantile]))[0]
        return surge


@dataclass(frozen=True)
class ReserveNeed:
    queue: str
    tiers: dict[int, int]  # response minutes -> people in that tier
    peak_gap: int
    uncovered: list[str]  # 'day HH:MM' intervals short before the first tier can arrive


def reserve_tiers(
    forecast: Forecast,
    times: QueueTimes,
    planned: NDArray[np.int64],
    *,
    surge: Surge,
    floor_sl: float,
    threshold: float = 20.0,
    tiers: tuple[int, ...] = DEFAULT_TIERS,
    detect_after: int = 60,
) -> ReserveNeed:
    """Tier sizes for one queue; `planned` is the normal plan's agents on the phones.

    The worst day of the forecast decides each tier.
    """
    if not tiers or sorted(tiers) != list(tiers) or tiers[0] <= 0:
        raise BadInput(
            f"tiers {tiers!r}: give increasing response times in minutes, such as 30,60,120"
        )
    if planned.shape != forecast.mean.shape:
        raise BadInput("the planned agents must cover the forecast's days and intervals")
    rate = 1.0 / (forecast.interval * 60.0)
    needed = required_agents(
        surge.contacts(forecast) * rate,
        times.aht,
        patience=times.patience,
        sl=floor_sl,
        threshold=threshold,
    )
    gap = np.maximum(needed - planned, 0)
    arrival = [detect_after + t for t in tiers] + [forecast.intervals * forecast.interval]
    sizes: dict[int, int] = {}
    covered = 0
    for k, response in enumerate(tiers):
        first = -(-arrival[k] // forecast.interval)
        last = arrival[k + 1] // forecast.interval if k + 1 < len(tiers) else forecast.intervals
        window = gap[:, first : max(last, first)]
        cumulative = max(covered, int(window.max(initial=0)))
        sizes[response] = cumulative - covered
        covered = cumulative
    early = -(-arrival[0] // forecast.interval)
    starts = forecast.interval_starts()
    uncovered = [
        f"{forecast.days[d]} {starts[i]}"
        for d, i in zip(*np.nonzero(gap[:, :early] > 0), strict=True)
    ]
    return ReserveNeed(forecast.queue, sizes, int(gap.max(initial=0)), uncovered)
