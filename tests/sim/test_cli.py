"""`callboard simulate` through Typer's runner, with real scenario files."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from callboard.cli import simulate

SCENARIO = """
name: cli
duration: 2h
queues:
  q:
    arrivals: {rate_per_hour: 40}
    service: 240
    patience: 120
agents:
  - {name: team, count: 2, skills: {q: 1}}
"""


def app() -> typer.Typer:
    application = typer.Typer()

    @application.callback()
    def main() -> None:
        """Test root, like the real one: commands are subcommands."""

    simulate.register(application)
    return application


def test_json_output_carries_totals_intervals_and_definitions(tmp_path: Path) -> None:
    path = tmp_path / "cli.yaml"
    path.write_text(SCENARIO)
    result = CliRunner().invoke(
        app(), ["simulate", str(path), "--replications", "2", "--seed", "3", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["replications"] == 2
    assert report["total"]["offered"]["n"] == 2
    assert {row["queue"] for row in report["by_interval"]} == {"q"}
    assert "formula" in report["definitions"]["kpis"]["sl"]


def test_table_output_names_the_kpis(tmp_path: Path) -> None:
    path = tmp_path / "cli.yaml"
    path.write_text(SCENARIO)
    result = CliRunner().invoke(app(), ["simulate", str(path), "--replications", "2"])
    assert result.exit_code == 0, result.output
    assert "abandon rate" in result.stdout
    assert "all" in result.stdout


def test_a_bad_scenario_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(SCENARIO.replace("patience: 120", "patience: soon"))
    result = CliRunner().invoke(app(), ["simulate", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output
    assert "queues.q.patience" in result.output
