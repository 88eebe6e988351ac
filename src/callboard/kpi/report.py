"""A computed KPI report: figures together with the definitions that produced them.

KPI.md's first rule is that a figure never travels without its definition, so
the report carries both, and its JSON form is `{"definitions": ..., "rows": ...}`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from callboard.errors import BadInput
from callboard.kpi.definitions import KPIS, UNAVAILABLE
from callboard.kpi.grouping import GROUP_KEYS
from callboard.kpi.repeat_contacts import DEFAULT_REPEAT_WINDOW
from callboard.kpi.source import Selection

COUNTING_RULE = (
    "each contact is counted in the interval, queue and channel where it entered the "
    "queue (local_time); intervals are half-open [start, end); phantom contacts are "
    "left out of every KPI"
)


@dataclass(frozen=True)
class KpiReport:
    """`rows` hold the group keys, then every KPI under its dictionary name."""

    definitions: dict[str, Any]
    rows: list[dict[str, Any]]
    group_by: tuple[str, ...] = ()
    kpis: tuple[str, ...] = field(default_factory=lambda: tuple(KPIS))

    @property
    def columns(self) -> list[str]:
        return [*self.group_by, *self.kpis]

    def select(self, names: Sequence[str]) -> KpiReport:
        """The same report with only the KPIs `names`, in that order, rows and definitions alike."""
        unknown = [name for name in names if name not in self.kpis]
        if unknown:
            raise BadInput(f"unknown KPI {unknown[0]!r}; choose from {', '.join(self.kpis)}")
        keep = [*self.group_by, *names]
        definitions = dict(self.definitions)
        definitions["kpis"] = {name: self.definitions["kpis"][name] for name in names}
        rows = [{column: row[column] for column in keep} for row in self.rows]
        return KpiReport(definitions, rows, self.group_by, tuple(names))

    def to_json(self, indent: int | None = None) -> str:
        body = {"definitions": self.definitions, "rows": self.rows}
        # allow_nan=False: a NaN here would be a bug in the engine, not a figure.
        return json.dumps(body, default=_plain, ensure_ascii=False, allow_nan=False, indent=indent)

    def to_csv(self) -> str:
        """One header line of column names, then one line per row; nulls are empty."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if row[c] is None else _plain(row[c]) for c in self.columns])
        return out.getvalue()


def build_definitions(
    *,
    group_by: Sequence[str],
    interval: str,
    sl_threshold: float,
    short_abandon: float,
    selection: Selection,
    repeat_window: float = DEFAULT_REPEAT_WINDOW,
) -> dict[str, Any]:
    """What `KpiReport.definitions` says: thresholds, filters, keys and every KPI used."""
    return {
        "thresholds": {
            "sl_threshold_s": sl_threshold,
            "short_abandon_s": short_abandon,
            "repeat_window_s": repeat_window,
        },
        "counting": COUNTING_RULE,
        "interval": interval if "interval" in group_by else None,
        "group_by": {key: GROUP_KEYS[key] for key in group_by},
        "selection": selection.as_dict(),
        "kpis": {
            name: d.describe(sl_threshold, short_abandon, repeat_window) for name, d in KPIS.items()
        },
        "unavailable": dict(UNAVAILABLE),
    }


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | str):
        return value
    raise TypeError(f"cannot write {type(value).__name__} {value!r} in a KPI report")
