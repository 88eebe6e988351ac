"""Occupancy and utilization per agent, from agent-state spans and contact records.

KPI.md: occupancy = handle time / (handle time + ready-idle time); utilization
= handle time / logged-in time. Ready-idle time is logged-in time that was
neither paused nor handling; it is floored at zero, because an agent may pause
during a call and the two would otherwise be subtracted twice.
Spans are clipped to the report's period the way contacts are selected: an
aware bound against the instants, a naive one against the center's wall clock.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from callboard.kpi.source import Selection, Source, open_records
from callboard.records import AGENT_STATE_SCHEMA, RecordDataset

OCCUPANCY_DEFINITIONS = {
    "occupancy": {
        "formula": "handle time / (handle time + ready-idle time); ready-idle = logged in − "
        "paused − handling, floored at 0",
        "variant_of": None,
        "unit": "ratio",
        "note": "per agent, from agent-state spans (login and pause events of the source)",
    },
    "utilization": {
        "formula": "handle time / logged-in time",
        "variant_of": None,
        "unit": "ratio",
        "note": "per agent, from agent-state spans",
    },
    "logged_in_s": {"formula": "time logged in", "variant_of": None, "unit": "s", "note": None},
    "paused_s": {"formula": "time paused (not ready)", "variant_of": None, "unit": "s",
                 "note": None},
}  # fmt: skip
_FAR = 2**62  # microseconds: an unbounded side of the period


def agent_occupancy(
    records: Source, agent_states: RecordDataset | pa.Table, selection: Selection
) -> dict[str, dict[str, Any]]:
    """Per agent: logged_in_s, paused_s, handle_s, occupancy, utilization (None when undefined)."""
    conditions, params = selection.conditions()
    start, end = selection.start, selection.end
    naive = (start is not None and start.tzinfo is None) or (end is not None and end.tzinfo is None)
    begin_col, end_col = ("local_start", "local_end") if naive else ("start_at", "end_at")
    params |= {"from_us": params.get("start_us", -_FAR), "to_us": params.get("end_us", _FAR)}
    where = " AND ".join(["outcome = 'answered'", "agent IS NOT NULL", *conditions])
    sql = f"""
        WITH clipped AS (
            SELECT agent, state,
                greatest(0, least(epoch_us({end_col}), $to_us)
                            - greatest(epoch_us({begin_col}), $from_us)) / 1e6 AS seconds
            FROM spans),
        presence AS (
            SELECT agent,
                coalesce(sum(seconds) FILTER (WHERE state = 'logged_in'), 0) AS logged_in_s,
                coalesce(sum(seconds) FILTER (WHERE state = 'paused'), 0) AS paused_s
            FROM clipped GROUP BY agent),
        handling AS (
            SELECT agent, sum(coalesce(talk_s, 0) + coalesce(hold_s, 0) + coalesce(acw_s, 0))
                AS handle_s
            FROM records WHERE {where} GROUP BY agent)
        SELECT agent, logged_in_s, paused_s, coalesce(handle_s, 0) AS handle_s
        FROM presence LEFT JOIN handling USING (agent)
        WHERE logged_in_s > 0
        ORDER BY agent
    """
    with open_records(records) as connection:
        _register_spans(connection, agent_states)
        rows = connection.execute(sql, params).fetchall()
    figures: dict[str, dict[str, Any]] = {}
    for agent, logged_in, paused, handle in rows:
        ready_idle = max(logged_in - paused - handle, 0.0)
        busy_or_idle = handle + ready_idle
        figures[agent] = {
            "logged_in_s": logged_in,
            "paused_s": paused,
            "occupancy": handle / busy_or_idle if busy_or_idle > 0 else None,
            "utilization": handle / logged_in,
        }
    return figures


def _register_spans(connection: Any, agent_states: RecordDataset | pa.Table) -> None:
    if isinstance(agent_states, RecordDataset):
        files = [str(path) for path in agent_states.files()]
        if files:
            connection.read_parquet(files).create_view("spans")
            return
        connection.register("spans", AGENT_STATE_SCHEMA.empty_table())
    else:
        connection.register("spans", agent_states)
