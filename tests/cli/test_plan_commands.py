"""`callboard forecast` and `callboard plan` through Typer's runner, on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from callboard.cli.context import State
from callboard.cli.planning import register
from callboard.records import RecordDataset
from callboard.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "planning"
runner = CliRunner()


def make_app(root: Path) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = State(workspace=Workspace(root))

    register(app)
    return app


def small_counts(tmp_path: Path) -> Path:
    """Three weeks of weekdays, two queues, 30-minute counts from 08:00 to 12:00."""
    lines = ["timestamp,queue,count"]
    for day in range(1, 22):
        if day % 7 in (6, 0):  # 2024-01-06 and -07 are a weekend
            continue
        for slot in range(8):
            stamp = f"2024-01-{day:02d}T{8 + slot // 2:02d}:{30 * (slot % 2):02d}"
            lines += [f"{stamp},billing,{20 + slot}", f"{stamp},tech,{5 + slot % 3}"]
    path = tmp_path / "counts.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_backtest_json_on_bank_calls(tmp_path: Path, bank_calls_file: Path) -> None:
    args = ["forecast", "backtest", "--counts", str(bank_calls_file), "--horizon", "1d"]
    result = runner.invoke(make_app(tmp_path), [*args, "--aggregate", "30m", "--format", "json"])
    assert result.exit_code == 0, result.output
    shape = json.loads(result.stdout)
    assert shape["best"] == "dayprofile"
    assert set(shape["models"]["dayprofile"]) == {"wape", "rmse", "coverage_80"}


def test_forecast_csv_has_quantiles_per_queue(tmp_path: Path) -> None:
    args = ["forecast", "--counts", str(small_counts(tmp_path)), "--horizon", "5d"]
    result = runner.invoke(make_app(tmp_path), [*args, "--quantiles", "0.5,0.9", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "queue,day,interval,model,mean,q50,q90"
    # The data end on Friday 2024-01-19; five days ahead hold Monday to Wednesday.
    assert len(lines) == 1 + 3 * 8 * 2
    assert lines[1].startswith("billing,2024-01-22,08:00,")


def test_negative_count_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("timestamp,count\n2024-01-01T08:00,4\n2024-01-01T08:30,-1\n")
    result = runner.invoke(make_app(tmp_path), ["forecast", "--counts", str(path)])
    assert result.exit_code == 2
    assert f"{path}:3 field 'count': negative value -1" in result.stderr


def test_unknown_queue_in_covariates_is_reported(tmp_path: Path) -> None:
    weather = tmp_path / "weather.csv"
    weather.write_text("date,queue,temperature\n2024-01-02,sales,3\n")
    args = ["forecast", "--counts", str(small_counts(tmp_path)), "--covariates", str(weather)]
    result = runner.invoke(make_app(tmp_path), args)
    assert result.exit_code == 2
    assert "weather.csv:2 field 'queue': unknown queue 'sales'" in result.stderr


def test_staff_csv_feeds_schedule_which_writes_a_chart(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    args = ["plan", "staff", "--counts", str(small_counts(tmp_path)), "--horizon", "7d"]
    staffed = runner.invoke(app, [*args, "--aht", "180", "--quantile", "0.9", "--format", "csv"])
    assert staffed.exit_code == 0, staffed.output
    requirements = tmp_path / "required.csv"
    requirements.write_text(staffed.stdout)
    assert staffed.stdout.splitlines()[0] == "timestamp,queue,required"
    shifts = tmp_path / "shifts.toml"
    shifts.write_text(
        '[[template]]\nname = "morning"\nearliest_start = "08:00"\nlatest_start = "10:00"\n'
        'every = "30m"\nlength = "2h"\n'
    )
    chart = tmp_path / "coverage.svg"
    args = ["plan", "schedule", "--requirements", str(requirements), "--shifts", str(shifts)]
    result = runner.invoke(app, [*args, "--chart", str(chart), "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["status"] == "Optimal" and plan["gap"] <= 0.01
    assert {s["queue"] for s in plan["shifts"]} == {"billing", "tech"}
    assert chart.read_text().startswith("<svg")


def test_schedule_with_unreachable_intervals_names_them(tmp_path: Path) -> None:
    requirements = tmp_path / "required.csv"
    requirements.write_text("timestamp,required\n2024-01-08T08:00,2\n2024-01-08T20:00,1\n")
    shifts = tmp_path / "shifts.toml"
    shifts.write_text('interval = "1h"\n[[template]]\nearliest_start = "08:00"\nlength = "4h"\n')
    args = ["plan", "schedule", "--requirements", str(requirements), "--shifts", str(shifts)]
    result = runner.invoke(make_app(tmp_path), args)
    assert result.exit_code == 2
    assert "cannot cover all 2024-01-08 20:00" in result.stderr


def test_example_shift_rules_cover_a_flat_week(tmp_path: Path) -> None:
    requirements = tmp_path / "required.csv"
    week = "".join(
        f"2024-01-{d:02d}T{h:02d}:{m:02d},3\n"
        for d in range(8, 13)
        for h in range(7, 21)
        for m in (0, 30)
    )
    requirements.write_text("timestamp,required\n" + week)
    args = ["plan", "schedule", "--requirements", str(requirements)]
    result = runner.invoke(
        make_app(tmp_path), [*args, "--shifts", str(EXAMPLES / "shifts.toml"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["under_staffed"] == []


@pytest.mark.parametrize("command", [["forecast"], ["plan", "staff", "--aht", "200"]])
def test_records_source_counts_offered_contacts(
    command: list[str], january_dataset: RecordDataset
) -> None:
    app = make_app(january_dataset.root.parent)
    result = runner.invoke(app, [*command, "--records", "--horizon", "2d", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    rows = rows if isinstance(rows, list) else rows["intervals"]
    assert {"PS", "NW"} <= {row["queue"] for row in rows}


def test_reserve_assigns_people_by_skill_and_travel(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name,skills,travel_minutes\nana,billing,20\nben,billing;tech,100\n")
    args = ["plan", "reserve", "--counts", str(small_counts(tmp_path)), "--aht", "180"]
    result = runner.invoke(
        make_app(tmp_path),
        [
            *args,
            "--multiplier",
            "2",
            "--people",
            str(people),
            "--detect-after",
            "30m",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {t["queue"] for t in report["tiers"]} == {"billing", "tech"}
    assert any("ana" in a["people"] for a in report["people"] if a["tier"] == 30)


def test_schedule_with_agents_prints_a_roster(tmp_path: Path) -> None:
    requirements = tmp_path / "required.csv"
    rows = [f"2024-01-{d:02d}T{h:02d}:00,1" for d in (8, 9) for h in range(8, 12)]
    requirements.write_text("timestamp,required\n" + "\n".join(rows) + "\n")
    shifts = tmp_path / "shifts.toml"
    shifts.write_text('[[template]]\nearliest_start = "08:00"\nlength = "4h"\n')
    agents = tmp_path / "agents.csv"
    agents.write_text("name,skills,unavailable\nana,all,2024-01-09\nben,all,\n")
    args = ["plan", "schedule", "--requirements", str(requirements), "--shifts", str(shifts)]
    result = runner.invoke(make_app(tmp_path), [*args, "--agents", str(agents), "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert [(e["agent"], e["day"]) for e in plan["roster"]] == [
        ("ana", "2024-01-08"),
        ("ben", "2024-01-09"),
    ]
    assert plan["unfilled"] == []


def test_plan_staff_reads_the_target_as_staff_does_under_either_name(tmp_path: Path) -> None:
    args = ["plan", "staff", "--counts", str(small_counts(tmp_path)), "--aht", "180"]
    app = make_app(tmp_path)
    plans = [
        json.loads(runner.invoke(app, [*args, option, text, "--format", "json"]).stdout)
        for option, text in [("--sl", "80/20"), ("--target", "0.8/20s"), ("--sl", "80%/20")]
    ]
    assert plans[0] == plans[1] == plans[2]
    assert "SHARE/WAIT" in " ".join(runner.invoke(app, ["plan", "staff", "--help"]).stdout.split())
