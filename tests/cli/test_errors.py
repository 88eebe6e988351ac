"""Bad input on the command line: one line naming the problem, and an exit code that says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callboard.cli.app import app
from tests.kpi.test_cli import small_workspace

runner = CliRunner(env={"COLUMNS": "200"})


def said(text: str) -> str:
    """Messages with line wrapping undone."""
    return " ".join(text.split())


def test_a_bad_time_zone_is_one_line_naming_the_option(tmp_path: Path) -> None:
    source = tmp_path / "calls.txt"
    source.write_text("")
    args = ["--data", str(tmp_path), "import", "anonymous-bank", str(source), "--tz", "Mars/Base"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: --tz 'Mars/Base' is not a time zone: use an IANA name such as "
        "Europe/Kyiv, America/New_York or UTC"
    ]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["staff", "--calls", "100", "--aht", "180", "--target", "80/20", "--interval", "30"],
        ["kpi", "--by", "interval", "--interval", "15"],
        ["fit", "--interval", "30"],
    ],
)
def test_a_duration_without_a_unit_is_refused(tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["--data", str(tmp_path), *args])
    assert result.exit_code == 2
    value = args[args.index("--interval") + 1]
    assert f"--interval '{value}' has no unit: write e.g. {value}m" in said(result.stderr)


def test_the_same_interval_with_a_unit_is_staffed_as_minutes() -> None:
    base = ["staff", "--calls", "100", "--aht", "180", "--target", "80/20", "--format", "json"]
    plans = [
        json.loads(runner.invoke(app, [*base, "--interval", text]).stdout)
        for text in ("30m", "30min", "1800s")
    ]
    assert {plan["interval_s"] for plan in plans} == {1800.0}
    assert {plan["rows"][0]["agents"] for plan in plans} == {14}


def test_an_unknown_queue_is_named_and_exits_1(tmp_path: Path) -> None:
    small_workspace(tmp_path)
    result = runner.invoke(app, ["--data", str(tmp_path), "kpi", "--queue", "XX"])
    assert result.exit_code == 1
    assert "no queue 'XX' in the records (queues: sales, support)" in said(result.stderr)
    assert "offered" not in result.stdout  # no table of zeros


def test_a_period_without_contacts_names_the_records_span(tmp_path: Path) -> None:
    small_workspace(tmp_path)
    args = ["--data", str(tmp_path), "kpi", "--from", "2030-01-01", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["rows"][0]["offered"] == 0
    assert "no contacts entered the queue from 2030-01-01 to the end" in said(result.stderr)
    assert "the records run from 2024-03-04" in said(result.stderr)


def test_a_filter_that_matches_exits_0(tmp_path: Path) -> None:
    small_workspace(tmp_path)
    result = runner.invoke(app, ["--data", str(tmp_path), "kpi", "--queue", "sales"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_square_brackets_in_an_error_are_printed_not_taken_for_markup(tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[columns]\ncontact_id = "id"\nqueue = "q"\nqueued_at = "at"\noutcome = "result"\n'
        '[outcomes]\nOK = "answered"\n'
    )
    calls = tmp_path / "calls.csv"
    calls.write_text(
        "id,q,at,result\n1,sales,2024-03-04T09:00:00,OK\n2,sales,2024-03-04T09:01:00,LOST\n"
    )
    args = ["--data", str(tmp_path / "ws"), "import", "csv", str(calls), "--mapping", str(mapping)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"'LOST' is not in [outcomes] of {mapping}" in said(result.stderr)


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"callboard {version('callboard')}\n"


def test_verbose_logs_each_step_as_a_json_line(tmp_path: Path, january_file: Path) -> None:
    args = ["--data", str(tmp_path), "-v", "import", "anonymous-bank", str(january_file)]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    done = [entry for entry in logged if entry["message"] == "importing anonymous-bank done"]
    assert len(done) == 1
    assert done[0]["level"] == "info" and done[0]["logger"] == "callboard.cli"
    assert done[0]["seconds"] > 0 and done[0]["total"] == 1
    quiet = runner.invoke(app, ["--data", str(tmp_path), "import", "anonymous-bank",
                                str(january_file), "--format", "json"])  # fmt: skip
    assert not [line for line in quiet.stderr.splitlines() if line.startswith("{")]
