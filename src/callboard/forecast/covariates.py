"""Daily covariates, such as outdoor temperature, per queue or for every queue.

CSV columns `date`, an optional `queue`, then numeric columns. A `temperature`
column (°C) enters the day-total regression as heating and cooling degree-days,
because call volume on a heating hotline grows with how far it is below the
comfort base, not with the temperature itself. Other columns enter as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from callboard.csv_table import parse_date, parse_number, read_table
from callboard.errors import BadInput, BadRecord
from callboard.forecast.series import Days

HEATING_BASE_C = 15.5
COOLING_BASE_C = 22.0
ALL_QUEUES = ""


@dataclass(frozen=True)
class Covariates:
    """`values[queue][column][day]`; queue `""` applies to every queue."""

    columns: tuple[str, ...]
    values: dict[str, dict[str, dict[date, float]]]
    source: str

    def feature_names(self) -> list[str]:
        names: list[str] = []
        for column in self.columns:
            names += (
                ["heating_degree_days", "cooling_degree_days"]
                if column == "temperature"
                else [column]
            )
        return names

    def design(self, queue: str, days: Days, *, future: bool) -> np.ndarray:
        """Days × features. History gaps take the column mean; a future gap is an error."""
        columns: list[np.ndarray] = []
        for column in self.columns:
            series = {
                **self.values.get(ALL_QUEUES, {}).get(column, {}),
                **self.values.get(queue, {}).get(column, {}),
            }
            raw = np.array([series.get(d, np.nan) for d in days.astype("datetime64[D]").tolist()])
            if np.isnan(raw).any():
                if future or not series:
                    first = days[int(np.argmax(np.isnan(raw)))]
                    raise BadInput(
                        f"{self.source}: no {column!r} for queue {queue!r} on {first}; "
                        "add a row (a forecast value for future days)"
                    )
                raw = np.where(np.isnan(raw), float(np.mean(list(series.values()))), raw)
            if column == "temperature":
                columns += [
                    np.maximum(HEATING_BASE_C - raw, 0.0),
                    np.maximum(raw - COOLING_BASE_C, 0.0),
                ]
            else:
                columns.append(raw)
        return np.column_stack(columns) if columns else np.zeros((len(days), 0))


def read_covariates(path: Path, queues: set[str]) -> Covariates:
    """Read the file; a queue not among `queues` is rejected with its line number."""
    header, rows = read_table(path, "covariates", ["date"])
    columns = tuple(n for n in header if n not in ("date", "queue"))
    if not columns:
        raise BadInput(f"{path}: no covariate columns besides date and queue")
    values: dict[str, dict[str, dict[date, float]]] = {}
    for line, row in rows:
        queue = row.get("queue", ALL_QUEUES)
        if queue and queue not in queues:
            known = ", ".join(sorted(queues))
            raise BadRecord(str(path), line, "queue", f"unknown queue {queue!r}; known: {known}")
        day = parse_date(path, line, row["date"])
        for column in columns:
            if row.get(column, ""):
                value = parse_number(path, line, column, row[column])
                values.setdefault(queue, {}).setdefault(column, {})[day] = value
    return Covariates(columns, values, str(path))
