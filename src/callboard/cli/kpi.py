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
    GROUP_KEYS,
    OUTCOME_CHOICES,
    KpiQuestion,
    KpiReport,
    RecordsQuestion,
    answer_kpis,
    answer_records,
    check_choice,
    write_records,
)

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
    """KPIs per interval, queue, agent and more; each figure names its definition.

    The definitions are the metric dictionary, docs/kpi.md.
    """
    question = KpiQuestion(
        by=by or (), interval=interval, start=start, end=end, queues=queue or (),
        sl_threshold=sl_threshold, short_abandon=short_abandon, kpis=kpi or (),
        core=output == "table",
    )  # fmt: skip
    workspace = state(ctx).workspace
    dataset = workspace.records()
    try:
        check_choice(output, REPORT_FORMATS, "--format")
        report = answer_kpis(dataset, question, agent_states=workspace.agent_states())
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
    question = RecordsQuestion(
        format=output, start=start, end=end, queues=queue or (), outcomes=outcome or (),
        to_file=file is not None,
    )  # fmt: skip
    try:
        table = answer_records(state(ctx).workspace.records(), question)
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
        "Every KPI: --format json. Definitions: docs/kpi.md."
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
