"""Service lost: answered-within-T contacts short of the target, over a span of one queue.

shortfall = sl_target × (offered − short abandons) − answered within T, the
count behind KPI.md's `sl` (A(wait ≤ T) / (O − Ab_s)). It is kept signed in the
attribution, so a cause that helped shows as a negative share instead of being
clipped away; the incident's headline loss is the positive part.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

_OFFERED = frozenset({"answered", "abandoned", "exited"})


@dataclass(frozen=True, slots=True)
class SpanFigures:
    offered: int
    eligible: int
    answered_within: int

    def shortfall(self, target: float) -> float:
        return target * self.eligible - self.answered_within

    @property
    def sl(self) -> float | None:
        return self.answered_within / self.eligible if self.eligible else None


def span_figures(
    contacts: Iterable[tuple[str, float, float | None, str]],
    queue: str,
    start: float,
    end: float,
    *,
    threshold_s: float,
    short_abandon_s: float,
) -> SpanFigures:
    """Figures of `queue`'s contacts that entered the queue in [start, end)."""
    offered = short = within = 0
    for name, queued_at, wait, outcome in contacts:
        if name != queue or not (start <= queued_at < end) or outcome not in _OFFERED:
            continue
        offered += 1
        if outcome == "abandoned" and wait is not None and wait < short_abandon_s:
            short += 1
        elif outcome == "answered" and wait is not None and wait <= threshold_s:
            within += 1
    return SpanFigures(offered, offered - short, within)
