"""The calendar file: holidays, special events and closed days.

CSV columns `date,kind,name` and an optional `factor`. `kind` is `holiday`,
`event` or `closed`. Holidays share one effect; each event name gets its own
(a product launch is not a tax deadline). `factor` is the expected ratio to a
normal day, used as the prior when history holds no such day yet. A closed day
gets no forecast at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from callboard.csv_table import parse_date, parse_number, read_table
from callboard.errors import BadRecord
from callboard.forecast.series import Days

KINDS = ("holiday", "event", "closed")


@dataclass(frozen=True)
class CalendarDay:
    day: date
    kind: str
    name: str
    factor: float | None


@dataclass(frozen=True)
class Calendar:
    entries: tuple[CalendarDay, ...] = field(default_factory=tuple)

    def closed(self, days: Days) -> np.ndarray:
        shut = {np.datetime64(e.day, "D") for e in self.entries if e.kind == "closed"}
        return np.array([d in shut for d in days], dtype=bool)

    def effect_names(self) -> list[str]:
        """One column for all holidays, one per event name, in a stable order."""
        names = ["holiday"] if any(e.kind == "holiday" for e in self.entries) else []
        events = sorted({e.name for e in self.entries if e.kind == "event"})
        return names + [f"event:{n}" for n in events]

    def indicators(self, days: Days) -> tuple[np.ndarray, list[str], np.ndarray]:
        """(days × effects 0/1 matrix, effect names, prior log-factor per effect)."""
        names = self.effect_names()
        matrix = np.zeros((len(days), len(names)))
        prior = np.zeros(len(names))
        index = {np.datetime64(d, "D"): i for i, d in enumerate(days.astype("datetime64[D]"))}
        for entry in self.entries:
            if entry.kind == "closed":
                continue
            column = names.index("holiday" if entry.kind == "holiday" else f"event:{entry.name}")
            if entry.factor is not None:
                prior[column] = math.log(entry.factor)
            row = index.get(np.datetime64(entry.day, "D"))
            if row is not None:
                matrix[row, column] = 1.0
        return matrix, names, prior


def read_calendar(path: Path) -> Calendar:
    _, rows = read_table(path, "calendar", ["date", "kind"])
    return Calendar(tuple(_entry(path, line, row) for line, row in rows))


def _entry(path: Path, line: int, row: dict[str, str]) -> CalendarDay:
    day = parse_date(path, line, row["date"])
    kind = row["kind"].lower()
    if kind not in KINDS:
        raise BadRecord(str(path), line, "kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    factor = parse_number(path, line, "factor", row["factor"]) if row.get("factor") else None
    if factor is not None and not factor > 0:
        raise BadRecord(str(path), line, "factor", "must be a positive ratio to a normal day")
    return CalendarDay(day, kind, row.get("name") or kind, factor)
