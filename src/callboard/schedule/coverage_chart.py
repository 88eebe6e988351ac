"""Coverage against requirement: an SVG step chart and a per-day text summary.

Hand-written SVG keeps the schedule package free of plotting dependencies;
the web UI draws its own interactive charts from the same arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from callboard.schedule.scheduler import Schedule

WIDTH = 960
HEIGHT = 240
MARGIN = 30


def coverage_svg(plan: Schedule) -> str:
    """All queues summed, days side by side: requirement in grey, staffed in blue."""
    required = plan.requirements.required.sum(axis=0).ravel()
    staffed = plan.staffed.sum(axis=0).ravel()
    top = max(float(required.max(initial=0)), float(staffed.max(initial=0)), 1.0)
    step = (WIDTH - 2 * MARGIN) / max(len(required), 1)

    def path(values: NDArray[np.float64]) -> str:
        points = []
        for i, value in enumerate(values):
            y = HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * float(value) / top
            points += [f"{MARGIN + i * step:.1f},{y:.1f}", f"{MARGIN + (i + 1) * step:.1f},{y:.1f}"]
        return " ".join(points)

    per_day = plan.requirements.intervals
    separators = ""
    for d, day in enumerate(plan.requirements.days.astype(str)):
        x = MARGIN + d * per_day * step
        separators += (
            f'<line x1="{x:.1f}" y1="{MARGIN}" x2="{x:.1f}" y2="{HEIGHT - MARGIN}" stroke="#ddd"/>'
            f'<text x="{x + 2:.1f}" y="{MARGIN - 8}" font-size="10">{day}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="sans-serif">'
        f"<title>Agents on duty against the requirement</title>{separators}"
        f'<polyline fill="none" stroke="#999" stroke-width="1.5" points="{path(required)}"/>'
        f'<polyline fill="none" stroke="#1f6fd1" stroke-width="1.5" points="{path(staffed)}"/>'
        f'<text x="{MARGIN}" y="{HEIGHT - 8}" font-size="11">grey: required, blue: on duty '
        f"(peak {top:g} agents)</text></svg>"
    )


def coverage_by_day(plan: Schedule) -> list[dict[str, object]]:
    """Agent-hours required, on duty, short and surplus for each day, all queues summed."""
    hours = plan.requirements.interval / 60.0
    rows: list[dict[str, object]] = []
    for d, day in enumerate(plan.requirements.days.astype(str)):
        required = plan.requirements.required[:, d]
        staffed = plan.staffed[:, d]
        rows.append(
            {
                "day": day,
                "required_hours": round(float(required.sum()) * hours, 2),
                "staffed_hours": round(float(staffed.sum()) * hours, 2),
                "short_hours": round(float(np.clip(required - staffed, 0, None).sum()) * hours, 2),
                "surplus_hours": round(
                    float(np.clip(staffed - required, 0, None).sum()) * hours, 2
                ),
            }
        )
    return rows
