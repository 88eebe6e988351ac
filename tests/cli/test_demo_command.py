from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from callboard.cli.app import app
from tests.fixtures.ports import free_port

HEATING = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / "heating.yaml"


def test_the_demo_serves_a_center_that_simulated_callers_and_agents_use(tmp_path: Path) -> None:
    args = [
        "--data",
        str(tmp_path),
        "demo",
        "--scenario",
        str(HEATING),
        "--speed",
        "120",
        "--seconds",
        "6",
        "--port",
        str(free_port()),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "/api/v1/stream/queues" in result.output
    counts = [
        tuple(map(int, m))
        for m in re.findall(r"callers (\d+)  calls completed (\d+)", result.output)
    ]
    assert counts and counts[-1][0] > 0 and counts[-1][1] > 0
    assert (tmp_path / "demo" / "callboard.db").exists()


def test_a_bad_scenario_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("queues: {}\nagents: []\n")
    result = CliRunner().invoke(app, ["--data", str(tmp_path), "demo", "--scenario", str(bad)])
    assert result.exit_code == 2 and "queues" in result.output
