"""Every concrete shift the templates allow on a day's interval grid, with break options.

A shift is a template at one start time; each of its breaks may begin at any
grid point of its window. Starts that would leave the grid (before opening or
after closing) are dropped, because no requirement exists there to cover.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from callboard.errors import BadConfig
from callboard.schedule.shift_rules import ShiftRules, Template


@dataclass(frozen=True)
class Shift:
    template: Template
    start: int  # interval index on the day grid
    length: int  # intervals
    # For each break rule, the interval index where each allowed break begins.
    break_starts: tuple[NDArray[np.int64], ...]
    break_lengths: tuple[int, ...]

    @property
    def cost(self) -> float:
        """Paid hours times the template's hourly cost."""
        return self.template.cost * self.template.paid_minutes / 60.0


def shift_catalogue(
    rules: ShiftRules, start_minute: int, interval: int, intervals: int
) -> list[Shift]:
    end_minute = start_minute + interval * intervals
    shifts: list[Shift] = []
    for t, template in enumerate(rules.templates):
        key = f"template[{t}]"
        every = template.every or interval
        for field_name, minutes in (("every", every), ("length", template.length)):
            if minutes % interval:
                raise BadConfig(
                    rules.source,
                    f"{key}.{field_name}",
                    f"{minutes} minutes is not a multiple of the {interval}-minute grid",
                )
        for b, rule in enumerate(template.breaks):
            if rule.length % interval or rule.earliest % interval or rule.latest % interval:
                raise BadConfig(
                    rules.source,
                    f"{key}.break[{b}]",
                    f"break times must be multiples of the {interval}-minute grid",
                )
        if (template.earliest_start - start_minute) % interval:
            raise BadConfig(
                rules.source,
                f"{key}.earliest_start",
                f"does not fall on the {interval}-minute grid starting at "
                f"{start_minute // 60:02d}:{start_minute % 60:02d}",
            )
        for begin in range(template.earliest_start, template.latest_start + 1, every):
            if begin < start_minute or begin + template.length > end_minute:
                continue
            first = (begin - start_minute) // interval
            break_starts = tuple(
                first
                + np.arange(rule.earliest, rule.latest - rule.length + 1, interval) // interval
                for rule in template.breaks
            )
            shifts.append(
                Shift(
                    template,
                    first,
                    template.length // interval,
                    break_starts,
                    tuple(rule.length // interval for rule in template.breaks),
                )
            )
    return shifts


def covered(shifts: list[Shift], intervals: int) -> NDArray[np.bool_]:
    """Intervals that lie inside at least one shift."""
    mask = np.zeros(intervals, dtype=bool)
    for shift in shifts:
        mask[shift.start : shift.start + shift.length] = True
    return mask
