"""`callboard staff` and `callboard fit` through Typer's runner, with real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callboard.cli.app import app as APP
from callboard.records import RecordDataset
from callboard.workspace import Workspace

runner = CliRunner(env={"COLUMNS": "200"})


def said(text: str) -> str:
    """Messages with Rich's line wrapping undone."""
    return " ".join(text.split())


def test_staff_a_single_interval_as_json() -> None:
    args = ["staff", "--calls", "100", "--interval", "30m", "--aht", "180", "--target", "80/20"]
    result = runner.invoke(APP, [*args, "--shrinkage", "30%", "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    (row,) = plan["rows"]
    assert plan["model"] == "erlang_c"
    assert (row["agents"], row["scheduled"]) == (14, 20)
    assert row["sl"] == pytest.approx(0.8883500192)


def test_staff_with_patience_uses_erlang_a_and_names_its_kpis() -> None:
    args = ["staff", "--calls", "100", "--interval", "30m", "--aht", "180", "--patience", "300"]
    result = runner.invoke(APP, [*args, "--target", "80/20", "--max-abandon", "1%"])
    assert result.exit_code == 0, result.output
    assert "Erlang A" in result.stdout
    for words in ("SL of offered", "avg wait", "abandon rate", "occupancy"):
        assert words in said(result.stdout)


def test_staff_from_a_volume_file_keeps_good_rows_and_names_bad_ones(tmp_path: Path) -> None:
    volume = tmp_path / "volume.csv"
    volume.write_text(
        "timestamp,queue,count\n"
        "2024-01-08T08:00,PS,100\n"
        "2024-01-08T08:15,PS,lots\n"
        "yesterday,PS,40\n"
        "2024-01-08T08:00,NE,0\n"
    )
    args = ["staff", "--volume", str(volume), "--aht", "180", "--target", "80/20"]
    result = runner.invoke(APP, [*args, "--format", "json"])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)["rows"]
    assert [(r["queue"], r["agents"]) for r in rows] == [("PS", 24), ("NE", 0)]
    assert f"{volume}:3 field 'count': 'lots'" in said(result.stderr)
    assert f"{volume}:4 field 'timestamp': 'yesterday'" in said(result.stderr)


def test_staff_rejects_a_file_without_the_needed_columns(tmp_path: Path) -> None:
    volume = tmp_path / "volume.csv"
    volume.write_text("when,calls\n2024-01-08T08:00,10\n")
    result = runner.invoke(
        APP, ["staff", "--volume", str(volume), "--aht", "180", "--target", "80/20"]
    )
    assert result.exit_code == 2
    assert (
        f"{volume}: the volume file needs the columns timestamp, count; missing timestamp, count"
        in said(result.stderr)
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--target", "80"], "write e.g. 80/20"),
        (["--target", "80/20", "--interval", "soon"], "--interval 'soon': expected a number"),
        (["--target", "80/20", "--shrinkage", "100%"], "--shrinkage '100%' is out of range"),
        (["--target", "80/20", "--max-abandon", "5%"], "max_abandon needs a patience"),
    ],
)
def test_staff_explains_bad_options(extra: list[str], message: str) -> None:
    result = runner.invoke(APP, ["staff", "--calls", "10", "--aht", "180", *extra])
    assert result.exit_code == 2
    assert message in said(result.stderr)


def test_staff_needs_exactly_one_source_of_volume(tmp_path: Path) -> None:
    result = runner.invoke(APP, ["staff", "--aht", "180", "--target", "80/20"])
    assert result.exit_code == 2
    assert "exactly one of --volume FILE or --calls N" in said(result.stderr)


def test_fit_on_an_empty_workspace_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(APP, ["--data", str(tmp_path), "fit"])
    assert result.exit_code == 2
    assert "run `callboard import` first" in said(result.stderr)


def test_fit_on_january_prints_each_queue_with_intervals(january_dataset: RecordDataset) -> None:
    data = str(january_dataset.root.parent)
    result = runner.invoke(APP, ["--data", data, "fit", "--interval", "30m", "--format", "json"])
    assert result.exit_code == 0, result.output
    fits = {entry["queue"]: entry for entry in json.loads(result.stdout)}
    # Every offered call (README: 27,060 answered + 3,101 abandoned) lands in one queue.
    assert sum(entry["offered"] for entry in fits.values()) == 30_161
    for name, entry in fits.items():
        aht, patience = entry["aht"], entry["patience"]
        print(
            f"{name}: aht {aht['mean']:.1f} s [{aht['lower']:.1f}, {aht['upper']:.1f}], "
            f"patience {patience['mean']:.1f} s [{patience['lower']:.1f}, {patience['upper']:.1f}]"
        )
        assert aht["lower"] < aht["mean"] < aht["upper"]
        assert patience["lower"] < patience["mean"] < patience["upper"]
        assert len(entry["arrivals"]["count"]) == 48
    # PS, the regular service, is the population Brown et al. (2005) describe:
    # about 446 s of patience over the year and handle times of about 3 minutes.
    ps = fits["PS"]
    assert ps["patience"]["lower"] < 446 < ps["patience"]["upper"] + 50
    assert 150 < ps["aht"]["mean"] < 250
    table = runner.invoke(APP, ["--data", data, "fit"])
    assert "Queue PS" in table.stdout and "Kaplan–Meier" in table.stdout


def test_fit_reports_a_queue_too_small_to_fit(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from callboard.domain import ContactRecord, Outcome
    from callboard.records.schema import records_to_table

    start = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
    record = ContactRecord(
        contact_id="c1", source="test", queue="tiny", outcome=Outcome.ANSWERED,
        arrived_at=start, queued_at=start, answered_at=start + timedelta(seconds=5),
        queued=True, wait_s=5.0, talk_s=120.0,
    )  # fmt: skip
    Workspace.locate(tmp_path).ensure().records().write(records_to_table([record], "UTC"))
    result = runner.invoke(APP, ["--data", str(tmp_path), "fit", "--format", "json"])
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)
    assert entry["queue"] == "tiny"
    assert "handle times has 1 values; the estimate needs at least 2" in entry["error"]


def test_staff_reads_the_target_as_plan_staff_does_under_either_name() -> None:
    args = ["staff", "--calls", "100", "--interval", "30m", "--aht", "180", "--format", "json"]
    plans = [
        json.loads(runner.invoke(APP, [*args, option, text]).stdout)["rows"]
        for option, text in [("--target", "80/20"), ("--sl", "0.8/20s"), ("--target", "80%/20")]
    ]
    assert plans[0] == plans[1] == plans[2]
    assert "SHARE/WAIT" in said(runner.invoke(APP, ["staff", "--help"]).stdout)
