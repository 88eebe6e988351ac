"""`compute_kpis`: one DuckDB query per report, over Parquet or an in-memory table.

The query classifies each selected contact once (`FLAGS`), aggregates KPI.md's
symbols per group (`MEASURES`, both in `callboard.kpi.measures`), and turns
them into KPIs with the SQL of the metric dictionary (`callboard.kpi.definitions`).
Python only formats.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

import pyarrow as pa

from callboard.domain import interval_minutes
from callboard.errors import BadInput
from callboard.kpi.definitions import DEFAULT_SHORT_ABANDON, DEFAULT_SL_THRESHOLD, KPIS
from callboard.kpi.grouping import check_keys, key_sql
from callboard.kpi.measures import FLAGS, MEASURES
from callboard.kpi.occupancy import OCCUPANCY_DEFINITIONS, agent_occupancy
from callboard.kpi.repeat_contacts import (
    DEFAULT_REPEAT_WINDOW,
    RECORDS_WITH_NEIGHBOURS,
    REPEAT_FLAGS,
    REPEAT_MEASURES,
)
from callboard.kpi.report import KpiReport, build_definitions
from callboard.kpi.source import CLEAN_COLUMNS, Selection, Source, open_records
from callboard.records import RecordDataset


def compute_kpis(
    source: Source,
    *,
    by: Sequence[str] = (),
    interval: str = "30m",
    start: datetime | None = None,
    end: datetime | None = None,
    queues: Sequence[str] | None = None,
    sl_threshold: float = DEFAULT_SL_THRESHOLD,
    short_abandon: float = DEFAULT_SHORT_ABANDON,
    repeat_window: float = DEFAULT_REPEAT_WINDOW,
    agent_states: RecordDataset | pa.Table | None = None,
) -> KpiReport:
    """Every KPI of the dictionary per group of `by` (one total row when `by` is empty).

    `start`/`end` bound the queue-entry time, half-open; naive values are the
    center's wall clock, aware values are instants. Groups with no contacts do
    not appear, except the total row, which always does.

    With `agent_states` and `by=("agent",)`, rows also carry occupancy,
    utilization, logged-in and paused time; agents who were logged in but
    answered nothing get a row too, since their idle time is the point.
    """
    keys = check_keys(by)
    minutes = interval_minutes(interval)
    for label, value in (
        ("sl_threshold", sl_threshold),
        ("short_abandon", short_abandon),
        ("repeat_window", repeat_window),
    ):
        if not math.isfinite(value) or value < 0:
            raise BadInput(f"{label} must be a number of seconds ≥ 0, got {value!r}")
    selection = Selection(start, end, queues)
    sql, params = kpi_sql(keys, minutes, selection)
    params |= {"sl_threshold": float(sl_threshold), "short_abandon": float(short_abandon)}
    params["repeat_window"] = float(repeat_window)
    with open_records(source) as connection:
        cursor = connection.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    definitions = build_definitions(
        group_by=keys,
        interval=f"{minutes}m",
        sl_threshold=sl_threshold,
        short_abandon=short_abandon,
        repeat_window=repeat_window,
        selection=selection,
    )
    kpis = tuple(KPIS)
    if agent_states is not None and keys == ("agent",):
        rows, kpis = _with_occupancy(rows, source, agent_states, selection, definitions)
    return KpiReport(definitions=definitions, rows=rows, group_by=keys, kpis=kpis)


def _with_occupancy(
    rows: list[dict[str, object]],
    source: Source,
    agent_states: RecordDataset | pa.Table,
    selection: Selection,
    definitions: dict[str, object],
) -> tuple[list[dict[str, object]], tuple[str, ...]]:
    """Add occupancy columns; an agent-wide figure has no meaning for a subset of queues."""
    extra = tuple(OCCUPANCY_DEFINITIONS)
    figures = (
        {} if selection.queues is not None else agent_occupancy(source, agent_states, selection)
    )
    unavailable = definitions["unavailable"]
    assert isinstance(unavailable, dict)
    kpi_definitions = definitions["kpis"]
    assert isinstance(kpi_definitions, dict)
    if selection.queues is not None:
        for name in extra:
            unavailable[name] = "agent-wide figures; not computed for a subset of queues"
    else:
        for name in ("occupancy", "utilization"):
            unavailable.pop(name, None)
        kpi_definitions.update(OCCUPANCY_DEFINITIONS)
    empty = dict.fromkeys(extra)
    merged = [{**row, **empty, **figures.get(str(row["agent"]), {})} for row in rows]
    seen = {row["agent"] for row in rows}
    blank = dict.fromkeys(KPIS)
    merged += [
        {"agent": agent, **blank, **empty, **values}
        for agent, values in figures.items()
        if agent not in seen
    ]
    return merged, (*KPIS, *extra)


def kpi_sql(
    keys: Sequence[str], interval_minutes: int, selection: Selection
) -> tuple[str, dict[str, object]]:
    """The report query and its filter parameters (thresholds are bound by the caller)."""
    conditions, params = selection.conditions()
    where = " AND ".join(["outcome <> 'phantom'", *conditions])
    quoted = [f'"{key}"' for key in keys]
    inner = [
        f"{key_sql(key, interval_minutes)} AS {q}" for key, q in zip(keys, quoted, strict=True)
    ]
    measures = MEASURES | REPEAT_MEASURES
    inner += [f"{expression} AS {name}" for name, expression in measures.items()]
    outer = [*quoted, *(f"{d.sql} AS {name}" for name, d in KPIS.items())]
    group = "GROUP BY ALL" if keys else ""
    order = f"ORDER BY {', '.join(q + ' NULLS LAST' for q in quoted)}" if keys else ""
    flags = ", ".join(
        f"{expression} AS {name}" for name, expression in (FLAGS | REPEAT_FLAGS).items()
    )
    sql = (
        f"WITH contacts AS (SELECT *, {CLEAN_COLUMNS} "
        f"FROM {RECORDS_WITH_NEIGHBOURS} WHERE {where}), "
        f"flagged AS (SELECT *, {flags} FROM contacts), "
        f"grouped AS (SELECT {', '.join(inner)} FROM flagged {group}) "
        f"SELECT {', '.join(outer)} FROM grouped {order}"
    )
    return sql, params
