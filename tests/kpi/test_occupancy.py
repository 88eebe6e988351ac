"""Occupancy and utilization from agent-state spans, computed by hand and end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callboard.cli.app import app
from callboard.kpi import compute_kpis
from callboard.records import RecordDataset, import_files
from callboard.records.agent_states import AGENT_STATE_SCHEMA
from callboard.records.asterisk_agents import agent_spans

T = 1_700_000_000  # 2023-11-14T22:13:20Z
QUEUE_LOG = f"""\
{T}|NONE|support|Alice|ADDMEMBER|
{T}|NONE|support|Bob|ADDMEMBER|
{T + 600}|NONE|support|Alice|PAUSE|lunch
{T + 1200}|NONE|support|Alice|UNPAUSE|
{T + 1300}|c1|support|NONE|ENTERQUEUE||0441112233|1
{T + 1310}|c1|support|Alice|CONNECT|10|c1.1|2
{T + 1910}|c1|support|Alice|COMPLETECALLER|10|600|1
{T + 2000}|c2|support|NONE|ENTERQUEUE||0441112244|1
{T + 2000}|c2|support|Alice|CONNECT|0|c2.1|1
{T + 2300}|c2|support|Alice|COMPLETEAGENT|0|300|1
{T + 3600}|NONE|support|Alice|REMOVEMEMBER|
{T + 3600}|NONE|support|Bob|REMOVEMEMBER|
"""


def _import(tmp_path: Path) -> tuple[RecordDataset, RecordDataset]:
    log = tmp_path / "queue_log"
    log.write_text(QUEUE_LOG)
    records = RecordDataset(tmp_path / "records")
    spans = RecordDataset(tmp_path / "spans", AGENT_STATE_SCHEMA, key="span_id", order="start_at")
    (report,) = import_files(records, "asterisk-queue-log", [log], agent_states=spans)
    assert report.written == 2 and report.agent_spans == 3
    return records, spans


def test_occupancy_is_handle_time_over_handle_plus_ready_idle(tmp_path: Path) -> None:
    records, spans = _import(tmp_path)
    report = compute_kpis(records, by=("agent",), agent_states=spans)
    rows = {row["agent"]: row for row in report.rows}
    alice = rows["Alice"]
    # logged in 3600 s, paused 600 s, handled 600 + 300 s: ready-idle 2100 s.
    assert (alice["logged_in_s"], alice["paused_s"]) == (3600, 600)
    assert alice["occupancy"] == pytest.approx(900 / 3000)
    assert alice["utilization"] == pytest.approx(900 / 3600)
    assert alice["handled"] == 2
    # Bob answered nothing: his row exists, with occupancy 0, because idle time matters.
    assert rows["Bob"]["occupancy"] == 0 and rows["Bob"]["handled"] is None
    assert "occupancy" in report.definitions["kpis"]
    assert "occupancy" not in report.definitions["unavailable"]


def test_the_period_clips_the_spans(tmp_path: Path) -> None:
    records, spans = _import(tmp_path)
    end = datetime.fromtimestamp(T + 1800, UTC)  # half the hour: c1 is in, c2 is not
    report = compute_kpis(records, by=("agent",), agent_states=spans, end=end)
    alice = next(row for row in report.rows if row["agent"] == "Alice")
    assert alice["logged_in_s"] == 1800 and alice["paused_s"] == 600
    assert alice["occupancy"] == pytest.approx(600 / (600 + 600))


def test_a_queue_subset_has_no_agent_wide_figures(tmp_path: Path) -> None:
    records, spans = _import(tmp_path)
    report = compute_kpis(records, by=("agent",), agent_states=spans, queues=["support"])
    assert all(row["occupancy"] is None for row in report.rows)
    assert "subset of queues" in report.definitions["unavailable"]["occupancy"]


def test_reimporting_keeps_one_copy_of_each_span(tmp_path: Path) -> None:
    records, spans = _import(tmp_path)
    log = tmp_path / "queue_log"
    (again,) = import_files(records, "asterisk-queue-log", [log], agent_states=spans)
    assert again.agent_spans == 0
    report = compute_kpis(records, by=("agent",), agent_states=spans)
    assert next(r for r in report.rows if r["agent"] == "Alice")["logged_in_s"] == 3600


def test_spans_still_open_at_the_end_of_the_log_are_closed_and_counted() -> None:
    events = [
        (100.0, "Ann", "q", "ADDMEMBER", ("PAUSED",)),
        (160.0, "Ann", "q", "UNPAUSE", ("",)),
        (400.0, "Ann", "q", "PAUSE", ("training",)),
        (1000.0, "Ben", "q", "AGENTLOGIN", ("SIP/1",)),
        (1100.0, "Ben", "q2", "ADDMEMBER", ("",)),
        (1200.0, "Ben", "q2", "REMOVEMEMBER", ("",)),  # still a member of q: stays logged in
    ]
    spans, counters = agent_spans(events, source="test")
    summary = sorted(
        (s.agent, s.state, s.reason or "", s.start_at.timestamp(), s.end_at.timestamp())
        for s in spans
    )
    assert summary == [
        ("Ann", "logged_in", "", 100.0, 1200.0),
        ("Ann", "paused", "", 100.0, 160.0),
        ("Ann", "paused", "training", 400.0, 1200.0),
        ("Ben", "logged_in", "", 1000.0, 1200.0),
    ]
    assert counters["open_agent_spans"] == 3


def test_kpi_by_agent_on_the_command_line_shows_occupancy(tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_text(QUEUE_LOG)
    runner = CliRunner()
    imported = runner.invoke(
        app, ["--data", str(tmp_path), "import", "asterisk-queue-log", str(log)]
    )
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(
        app, ["--data", str(tmp_path), "kpi", "--by", "agent", "--format", "json"]
    )
    rows = {row["agent"]: row for row in json.loads(result.stdout)["rows"]}
    assert rows["Alice"]["occupancy"] == pytest.approx(0.3)
    table = runner.invoke(app, ["--data", str(tmp_path), "kpi", "--by", "agent"])
    assert "occupancy" in table.stdout
