"""`callboard simulate SCENARIO`: replications of a scenario through the real engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from callboard.cli.cells import UNITS, figure, header
from callboard.cli.charts import Chart, ChartOption, check_chart_path, show_chart
from callboard.cli.context import console, errors
from callboard.cli.problems import fail, reported
from callboard.cli.progress import progress
from callboard.cli.tables import Column, print_table
from callboard.sim import SimulationReport, prepare_simulation

# The KPIs the table shows; --format json carries every KPI with its definition.
_SHOWN = ("offered", "answered", "abandoned", "sl", "asa", "abandon_rate", "avg_wait")


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_command)


def simulate_command(
    scenario: Annotated[
        Path, typer.Argument(metavar="SCENARIO", help="Scenario .toml or .yaml (docs/scenarios.md)")
    ],
    replications: Annotated[int, typer.Option("--replications", min=1)] = 30,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the whole set of runs.")] = 0,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local worker processes.")] = 1,
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="tcp://HOST:PORT",
            help="Run replications on this Dask scheduler instead of local processes.",
        ),
    ] = None,
    records: Annotated[
        Path | None,
        typer.Option(
            "--records",
            metavar="DIR",
            help="Also write the first run's contacts to DIR as an importable CSV with its "
            "mapping (callboard import csv DIR/contacts.csv --mapping DIR/mapping.toml).",
        ),
    ] = None,
    chart: ChartOption = None,
) -> None:
    """Simulate SCENARIO and report KPIs per interval and in total, with 95% CIs.

    --chart FILE draws each queue's mean service level and abandon rate per interval.
    """
    if output not in ("table", "json"):
        fail(f"--format must be table or json, not {output!r}")
    with reported():
        check_chart_path(chart)
        prepared = prepare_simulation(
            scenario, replications=replications, seed=seed, workers=workers, dask=dask
        )
    with progress(f"simulating {prepared.scenario.name}", total=replications) as advance:
        report = prepared.run(on_done=advance)
    if records is not None:
        written = prepared.write_records(records)
        errors.print(f"records: {written} (zone {prepared.scenario.timezone})")
    if output == "json":
        console.print_json(json.dumps(report.as_dict(), default=str))
    else:
        _print_report(report)
    if chart is not None:
        show_chart(_interval_chart(report), chart, in_terminal=False)


def _interval_chart(report: SimulationReport) -> Chart:
    labels = sorted({str(row["interval"]) for row in report.by_interval})
    at = {label: i for i, label in enumerate(labels)}
    chart = Chart(f"{report.scenario}: mean of {report.replications} runs", "interval", "%", labels)
    for row in report.by_interval:
        for name in ("sl", "abandon_rate"):
            value = row.get(name)
            line = chart.series.setdefault(f"{row['queue']} {header(name)}", [None] * len(labels))
            if value is not None and value["mean"] is not None:
                line[at[str(row["interval"])]] = 100 * value["mean"]
    return chart


def _print_report(report: SimulationReport) -> None:
    rows = [*report.by_queue, {"queue": "all", **report.total}]
    columns = [Column("queue", [str(row["queue"]) for row in rows], key=True)]
    columns += [
        Column(header(name), [_cell(row.get(name), UNITS.get(name)) for row in rows])
        for name in _SHOWN
    ]
    title = (
        f"{report.scenario}: {report.replications} replications, seed {report.seed} "
        "(mean ± half the 95% CI)"
    )
    notes = [
        "Rates in %, waits as m:ss. service level = A(wait ≤ T) / (O − Ab_s); "
        "avg speed of answer = Σ wait(A) / A; abandon rate = Ab / O (docs/kpi.md). "
        "--format json has every KPI per interval with its definition."
    ]
    print_table(console, title, columns, notes=notes)
    if report.surge:
        _print_surge(report)


def _print_surge(report: SimulationReport) -> None:
    runs = report.replications
    tiers = report.surge
    first = [None if t.first_fired_min is None else t.first_fired_min.as_dict() for t in tiers]
    columns = [
        Column("queue", [t.queue for t in tiers], key=True),
        Column("tier", [str(t.tier) for t in tiers]),
        Column("fired in", [f"{t.fired_in}/{runs}" for t in tiers]),
        Column("first fired (min after start)", [_cell(f, None) for f in first]),
        Column("stood down in", [f"{t.stood_down_in}/{runs}" for t in tiers]),
        Column("reserve on the line / run", [f"{t.reserve_on_line:.1f}" for t in tiers]),
    ]
    print_table(console, f"surge plan: tiers in firing order, over {runs} runs", columns)


def _cell(value: dict[str, Any] | None, unit: str | None) -> str:
    if value is None:
        return "—"
    mean, low, high = value["mean"], value["ci95_low"], value["ci95_high"]
    if low is None or high is None or mean is None:
        return figure(mean, unit)
    half = (high - low) / 2
    if unit == "ratio":
        return f"{100 * mean:.1f} ± {100 * half:.1f}%"
    return f"{figure(mean, unit)} ± {figure(half, unit)}"
