"""`callboard simulate SCENARIO`: replications of a scenario through the real engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from callboard.cli.context import console, errors
from callboard.errors import BadConfig, BadInput
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
) -> None:
    """Simulate SCENARIO and report KPIs per interval and in total, with 95% CIs."""
    if output not in ("table", "json"):
        errors.print(f"[red]error:[/red] --format must be table or json, not {output!r}")
        raise typer.Exit(2)
    try:
        prepared = prepare_simulation(
            scenario, replications=replications, seed=seed, workers=workers, dask=dask
        )
    except (BadConfig, BadInput) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=errors, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task(f"simulating {prepared.scenario.name}", total=replications)
        report = prepared.run(on_done=lambda _: progress.advance(task))
    if output == "json":
        console.print_json(json.dumps(report.as_dict(), default=str))
    else:
        _print_report(report)


def _print_report(report: SimulationReport) -> None:
    table = Table(
        title=f"{report.scenario}: {report.replications} replications, seed {report.seed} "
        "(mean, 95% CI)"
    )
    table.add_column("queue")
    for name in _SHOWN:
        table.add_column(name, justify="right")
    for row in [*report.by_queue, {"queue": "all", **report.total}]:
        table.add_row(str(row["queue"]), *(_cell(row.get(name)) for name in _SHOWN))
    console.print(table)
    console.print(
        "sl = A(wait ≤ T) / (O − Ab_s); asa = Σ wait(A) / A; abandon_rate = Ab / O "
        "(docs/kpi.md; --format json has every KPI per interval with its definition)"
    )
    if report.surge:
        _print_surge(report)


def _print_surge(report: SimulationReport) -> None:
    table = Table(title=f"surge plan: tiers in firing order, over {report.replications} runs")
    for column in ("queue", "tier", "fired in", "first fired (min after start)", "stood down in",
                   "reserve on the line / run"):  # fmt: skip
        table.add_column(column, justify="left" if column == "queue" else "right")
    for tier in report.surge:
        first = None if tier.first_fired_min is None else tier.first_fired_min.as_dict()
        table.add_row(
            tier.queue, str(tier.tier), f"{tier.fired_in}/{report.replications}", _cell(first),
            f"{tier.stood_down_in}/{report.replications}", f"{tier.reserve_on_line:.1f}",
        )  # fmt: skip
    console.print(table)


def _cell(value: dict[str, Any] | None) -> str:
    if value is None:
        return "—"
    mean, low, high = value["mean"], value["ci95_low"], value["ci95_high"]
    if low is None or high is None:
        return _number(mean)
    return f"{_number(mean)} ± {_number((high - low) / 2)}"


def _number(value: float) -> str:
    """Counts as whole numbers, seconds to a tenth, ratios to three places."""
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 1:
        return f"{value:.1f}"
    return f"{value:.3f}"
