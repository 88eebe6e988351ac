"""`--chart FILE.html` writes a chart that opens offline; a chart we cannot write is refused."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from callboard.cli.app import app
from tests.kpi.test_cli import small_workspace

runner = CliRunner(env={"COLUMNS": "200"})


def test_kpi_chart_is_self_contained_html_with_each_rate(tmp_path: Path) -> None:
    small_workspace(tmp_path)
    chart = tmp_path / "kpi.html"
    args = ["--data", str(tmp_path), "kpi", "--by", "interval,queue", "--chart", str(chart)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    page = chart.read_text()
    assert '<script src="http' not in page and "plotly.js" in page.lower()  # bundled, offline
    assert "sales service level" in page and "support abandon rate" in page


def test_forecast_chart_and_daily_table(tmp_path: Path) -> None:
    counts = tmp_path / "counts.csv"
    lines = [
        f"2024-01-{d:02d}T{h:02d}:00,sales,{10 + h}" for d in range(1, 29) for h in range(8, 18)
    ]
    counts.write_text("timestamp,queue,count\n" + "\n".join(lines) + "\n")
    chart = tmp_path / "forecast.html"
    args = ["forecast", "--counts", str(counts), "--horizon", "2d", "--chart", str(chart)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "contacts per day" in result.stdout
    assert result.stdout.count("sales") == 2  # one row per day, not one per interval
    assert "sales mean" in chart.read_text()


def test_a_png_chart_without_an_image_exporter_is_refused_before_work(tmp_path: Path) -> None:
    from importlib.util import find_spec

    small_workspace(tmp_path)
    chart = tmp_path / "kpi.png"
    args = ["--data", str(tmp_path), "kpi", "--by", "day", "--chart", str(chart)]
    result = runner.invoke(app, args)
    if find_spec("kaleido") is None:
        assert result.exit_code == 2
        assert "PNG needs plotly's image export" in " ".join(result.stderr.split())
        assert not chart.exists()
    else:
        assert result.exit_code == 0 and chart.stat().st_size > 0


def test_a_chart_needs_a_time_to_draw_over(tmp_path: Path) -> None:
    small_workspace(tmp_path)
    chart = tmp_path / "kpi.html"
    result = runner.invoke(
        app, ["--data", str(tmp_path), "kpi", "--by", "queue", "--chart", str(chart)]
    )
    assert result.exit_code == 2
    assert "--chart needs a time in --by" in result.stderr
