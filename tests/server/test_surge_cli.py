"""`callboard surge check` and `callboard surge project` (against a real running server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from callboard.cli import serve, surge
from callboard.cli.app import main_options
from tests.server.hotline import Hotline
from tests.surge.live_hotline import calls, served, staff, surge_app, tick

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def cli_with(module: Any) -> typer.Typer:
    """One command group with `callboard`'s global options, as `callboard` registers it."""
    app = typer.Typer()
    app.callback()(main_options)
    module.register(app)
    return app


def cli() -> typer.Typer:
    return cli_with(surge)


def test_check_lists_the_tiers_and_rejects_a_plan_for_other_queues(tmp_path: Path) -> None:
    plan = str(EXAMPLES / "plans" / "heating.yaml")
    center = str(EXAMPLES / "scenarios" / "heating.yaml")
    result = CliRunner().invoke(cli(), ["surge", "check", plan, "--center", center])
    assert result.exit_code == 0, result.output
    assert "heating tier 3: waiting > 5 and oldest_wait > 60s for 2m" in result.output
    other = tmp_path / "other.yaml"
    other.write_text("queues:\n  sales: {arrivals: {rate_per_hour: 1}, service: 60}\n"
                     "agents: [{name: a, count: 1, skills: {sales: 1}}]\n")  # fmt: skip
    bad = CliRunner().invoke(cli(), ["surge", "check", plan, "--center", str(other)])
    assert bad.exit_code == 2 and "queues.heating" in bad.output and "known: sales" in bad.output


def test_project_asks_the_running_server(hotline_db: Hotline) -> None:
    with served(hotline_db, surge_app(hotline_db, target_sl=0.6)) as plan:
        staff(hotline_db)
        calls(hotline_db, 12)
        tick(hotline_db, plan, 10)
        base = ["surge", "project", "--url", hotline_db.url, "--replications", "10"]
        token = ["--token", hotline_db.tokens["sue"]]
        table = CliRunner().invoke(cli(), [*base, *token, "--minutes", "30"])
        assert table.exit_code == 0, table.output
        text = " ".join(table.output.split())  # Rich wraps to the terminal's width
        assert "30 minutes, 10 replications per option" in text
        assert "target sl 0.6: recommended" in text
        raw = CliRunner().invoke(cli(), [*base, *token, "--format", "json"])
        assert raw.exit_code == 0, raw.output
        body = json.loads(raw.output)
        assert [o["option"] for o in body["options"]] == ["none", "tier3", "tier2", "tier1"]
        agent = CliRunner().invoke(cli(), [*base, "--token", hotline_db.tokens["ann"]])
        assert agent.exit_code == 1 and "403" in agent.output


def test_serve_refuses_a_plan_without_a_center_or_for_other_queues(tmp_path: Path) -> None:
    plan = str(EXAMPLES / "plans" / "heating.yaml")
    data = ["--data", str(tmp_path)]
    alone = CliRunner().invoke(cli_with(serve), [*data, "serve", "--plan", plan])
    assert alone.exit_code == 2 and "--plan needs --center" in alone.output
    other = tmp_path / "other.yaml"
    other.write_text("queues:\n  sales: {arrivals: {rate_per_hour: 1}, service: 60}\n"
                     "agents: [{name: a, count: 1, skills: {sales: 1}}]\n")  # fmt: skip
    wrong = CliRunner().invoke(
        cli_with(serve), [*data, "serve", "--center", str(other), "--plan", plan]
    )
    assert wrong.exit_code == 2 and "queues.heating" in wrong.output
    smtp = CliRunner().invoke(
        cli_with(serve),
        [*data, "serve", "--center", str(other), "--notify-smtp", "nowhere"],
    )
    assert smtp.exit_code == 2 and "HOST:PORT" in smtp.output
