"""`callboard kpi` and `callboard records` through Typer's runner, on a real workspace folder."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from callboard.cli import kpi as kpi_cli
from callboard.cli.context import State
from callboard.domain import Outcome
from callboard.kpi import read_records_csv, select_records
from callboard.records.schema import RECORD_SCHEMA
from callboard.workspace import Workspace
from tests.kpi.factory import MONDAY_9AM, contact, table

A, AB = Outcome.ANSWERED, Outcome.ABANDONED


def small_workspace(root: Path) -> Workspace:
    """A workspace at `root` holding five hand-computed contacts: figures known by heart."""
    workspace = Workspace(root).ensure()
    workspace.records().write(
        table(
            contact(A, wait=4, talk=120, queue="sales", agent="ann"),
            contact(A, wait=40, talk=60, queue="sales", agent="bob"),
            contact(AB, wait=3, queue="support"),
            contact(AB, wait=30, queue="support"),
            contact(Outcome.PHANTOM, queue="support"),
        )
    )
    return workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return small_workspace(tmp_path)


def run(workspace: Workspace, *args: str) -> tuple[int, str, str]:
    app = typer.Typer()

    @app.callback()
    def options(ctx: typer.Context) -> None:
        ctx.obj = State(workspace=workspace)

    kpi_cli.register(app)
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_holds_definitions_and_rows_under_dictionary_names(workspace: Workspace) -> None:
    code, out, _ = run(workspace, "kpi", "--by", "queue", "--format", "json")
    assert code == 0
    body = json.loads(out)
    assert body["definitions"]["thresholds"] == {
        "sl_threshold_s": 20.0,
        "short_abandon_s": 5.0,
        "repeat_window_s": 604_800.0,
    }
    assert body["definitions"]["kpis"]["sl_answered"]["variant_of"] == "sl"
    sales, support = body["rows"]
    assert (sales["queue"], sales["offered"], sales["sl"], sales["asa"]) == ("sales", 2, 0.5, 22)
    assert (support["abandoned_short"], support["sl"]) == (1, 0.0)
    assert support["sl_answered"] is None


def test_kpi_option_picks_columns_and_intervals_print_as_iso(workspace: Workspace) -> None:
    code, out, _ = run(
        workspace, "kpi", "--by", "interval", "--interval", "15m", "--kpi", "sl,asa", "--format",
        "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["rows"] == [
        {"interval": "2024-03-04T09:00:00", "sl": pytest.approx(1 / 3), "asa": 22.0}
    ]


def test_csv_has_one_header_and_a_line_per_group(workspace: Workspace) -> None:
    code, out, _ = run(workspace, "kpi", "--by", "day,queue", "--format", "csv", "--queue", "sales")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["day"], r["queue"], r["answered"]) for r in rows] == [("2024-03-04", "sales", "2")]
    assert rows[0]["abandon_rate"] == "0.0"


def test_table_names_each_definition_with_its_threshold(workspace: Workspace) -> None:
    code, out, _ = run(workspace, "kpi", "--kpi", "sl", "--sl-threshold", "30")
    assert code == 0
    assert "A(wait ≤ 30s) / (O − Ab_s)" in out
    assert "T = 30s, S = 5s" in out
    assert "33.3%" in out  # one answer within 30 s, over O − Ab_s = 4 − 1


def test_bad_options_are_named_and_exit_2(workspace: Workspace) -> None:
    code, _, err = run(workspace, "kpi", "--format", "xml")
    assert code == 2 and "--format 'xml' is not one of table, json, csv" in err
    code, _, err = run(workspace, "kpi", "--from", "yesterday")
    assert code == 2 and "ISO time" in err
    code, _, err = run(workspace, "kpi", "--kpi", "service_level")
    assert code == 2 and "unknown KPI 'service_level'" in err
    code, _, err = run(workspace, "records", "--format", "parquet")
    assert code == 2 and "--output FILE" in err


def test_an_empty_workspace_warns_and_still_reports(tmp_path: Path) -> None:
    code, out, err = run(Workspace(tmp_path), "kpi", "--format", "json")
    assert code == 0 and "callboard import" in err
    assert json.loads(out)["rows"][0]["offered"] == 0


def test_records_csv_round_trips_to_the_same_table(workspace: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "abandoned.csv"
    code, _, err = run(
        workspace, "records", "--outcome", "abandoned", "--format", "csv", "--output", str(target)
    )
    assert code == 0 and "wrote 2 records" in err
    expected = select_records(workspace.records(), outcome="abandoned")
    assert read_records_csv(target).equals(expected)


def test_records_csv_goes_to_stdout_without_output(workspace: Workspace) -> None:
    code, out, _ = run(workspace, "records", "--format", "csv", "--queue", "sales")
    assert code == 0
    assert [row["agent"] for row in csv.DictReader(io.StringIO(out))] == ["ann", "bob"]


def test_records_parquet_round_trips_in_record_schema(workspace: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    start = MONDAY_9AM.isoformat()
    code, _, _ = run(
        workspace, "records", "--from", start, "--format", "parquet", "--output", str(target)
    )
    assert code == 0
    back = pq.read_table(target)
    assert back.schema == RECORD_SCHEMA
    assert back.num_rows == 4  # the phantom is not behind any figure
    assert back.equals(select_records(workspace.records()))
