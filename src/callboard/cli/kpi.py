"""`callboard kpi` and `callboard records`: the figures, and the contacts behind them."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from callboard.cli.context import console, errors, state
from callboard.errors import BadInput
from callboard.kpi import (
    DEFAULT_SHORT_ABANDON,
    DEFAULT_SL_THRESHOLD,
    EXPORT_FORMATS,
    GROUP_KEYS,
    OUTCOME_CHOICES,
    KpiReport,
    compute_kpis,
    select_records,
    write_records,
)

# The table shows these unless --kpi says otherwise; json and csv hold every KPI.
TABLE_KPIS = ("offered", "answered", "abandoned", "sl", "sl_answered", "asa", "abandon_rate", "aht")
# Shown with --by agent when the workspace holds agent-state spans.
AGENT_KPIS = ("occupancy", "utilization")
REPORT_FORMATS = ("table", "json", "csv")

FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="T",
        help="Queue entries from this time on (ISO; without an offset: the center's clock).",
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", metavar="T", help="Queue entries before this time (half-open)."),
]
QueueOption = Annotated[
    list[str] | None,
    typer.Option("--queue", metavar="Q", help="Only this queue; repeat for several."),
]


def register(app: typer.Typer) -> None:
    app.command("kpi")(kpi_command)
    app.command("records")(records_command)


def kpi_command(
    ctx: typer.Context,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="KEY",
            help=f"Group by {'|'.join(GROUP_KEYS)}; repeat or comma-separate.",
        ),
    ] = None,
    interval: Annotated[
        str, typer.Option("--interval", help="Interval width for --by interval: 15m, 30m, 60m.")
    ] = "30m",
    start: FromOption = None,
    end: ToOption = None,
    queue: QueueOption = None,
    sl_threshold: Annotated[
        float, typer.Option("--sl-threshold", help="Service-level threshold T in seconds.")
    ] = DEFAULT_SL_THRESHOLD,
    short_abandon: Annotated[
        float, typer.Option("--short-abandon", help="Short-abandon threshold S in seconds.")
    ] = DEFAULT_SHORT_ABANDON,
    kpi: Annotated[
        list[str] | None,
        typer.Option(
            "--kpi",
            metavar="NAME",
            help="Only these KPIs (default: all; the table shows a core set).",
        ),
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """KPIs of KPI.md per interval, queue, agent and more; each figure names its definition."""
    dataset = state(ctx).workspace.records()
    try:
        _choose(output, REPORT_FORMATS, "--format")
        report = compute_kpis(
            dataset, by=_split(by), interval=interval, start=_when(start, "--from"),
            end=_when(end, "--to"), queues=queue or None, sl_threshold=sl_threshold,
            short_abandon=short_abandon, agent_states=state(ctx).workspace.agent_states(),
        )  # fmt: skip
        table_kpis = (*TABLE_KPIS, *(k for k in AGENT_KPIS if k in report.kpis))
        report = report.select(_split(kpi) or (table_kpis if output == "table" else report.kpis))
    except BadInput as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if dataset.is_empty():
        errors.print(
            f"[yellow]warning:[/yellow] no contact records in {dataset.root}; "
            "import some with `callboard import`"
        )
    if output == "json":
        typer.echo(report.to_json())
    elif output == "csv":
        typer.echo(report.to_csv(), nl=False)
    else:
        console.print(_table(report))


def records_command(
    ctx: typer.Context,
    output: Annotated[str, typer.Option("--format", help="csv or parquet.")],
    start: FromOption = None,
    end: ToOption = None,
    queue: QueueOption = None,
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome", metavar="O", help=f"Only {'|'.join(OUTCOME_CHOICES)}; repeat for several."
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--output", metavar="FILE", help="Write here instead of standard output."),
    ] = None,
) -> None:
    """Export the contact records behind any figure, selected the way `kpi` counts them."""
    try:
        _choose(output, EXPORT_FORMATS, "--format")
        if output == "parquet" and file is None:
            raise BadInput("parquet is binary: add --output FILE, or use --format csv")
        table = select_records(
            state(ctx).workspace.records(), start=_when(start, "--from"),
            end=_when(end, "--to"), queues=queue or None, outcome=outcome or None,
        )  # fmt: skip
    except BadInput as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if file is None:
        write_records(table, output, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        write_records(table, output, file)
        errors.print(f"wrote {table.num_rows} records to {file}")


def _table(report: KpiReport) -> Table:
    thresholds = report.definitions["thresholds"]
    caption = (
        f"T = {thresholds['sl_threshold_s']:g}s, S = {thresholds['short_abandon_s']:g}s. "
        "Each contact counts where it entered the queue; intervals are [start, end). "
        "Every KPI: --format json."
    )
    table = Table(title="KPIs", caption=caption)
    for key in report.group_by:
        table.add_column(key)
    for name in report.kpis:
        table.add_column(
            f"{name}\n({report.definitions['kpis'][name]['formula']})", justify="right"
        )
    for row in report.rows:
        table.add_row(*(_cell(row[c]) for c in report.columns))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _choose(value: str, allowed: tuple[str, ...], option: str) -> None:
    if value not in allowed:
        raise BadInput(f"{option} {value!r} is not one of {', '.join(allowed)}")


def _when(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(
            f"{option} {text!r} is not an ISO time such as 1999-01-05 or 1999-01-05T10:30 "
            "(add +02:00 or Z for an instant instead of the center's clock)"
        ) from None
