"""`callboard kpi` and `callboard records`: the figures, and the contacts behind them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from callboard.cli.cells import figure, header
from callboard.cli.charts import Chart, ChartOption, check_chart_path, show_chart
from callboard.cli.context import console, errors, state
from callboard.cli.options import with_unit
from callboard.cli.problems import reported, say
from callboard.cli.tables import Column, print_table
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
    why_empty,
    write_records,
)

REPORT_FORMATS = ("table", "json", "csv")
TIME_KEYS = ("interval", "hour", "day", "dow")

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
        str,
        typer.Option(
            "--interval", help="Interval width for --by interval, with its unit: 15m, 1h."
        ),
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
    definitions: Annotated[
        bool, typer.Option("--definitions", help="Also print each KPI's definition and unit.")
    ] = False,
    chart: ChartOption = None,
    repeat_window: Annotated[
        str,
        typer.Option(
            "--repeat-window", help="Window of repeat_rate and fcr, with its unit: 7d, 48h."
        ),
    ] = "7d",
) -> None:
    """KPIs per interval, queue, agent and more; each figure names its definition.

    The definitions are the metric dictionary, docs/kpi.md. When --queue, --from
    or --to select no contact, the command says why and exits 1. --chart FILE
    draws the rates (in %) over the first of interval, hour, day or dow in --by.
    """
    question = KpiQuestion(
        by=by or (), interval=interval, start=start, end=end, queues=queue or (),
        sl_threshold=sl_threshold, short_abandon=short_abandon, kpis=kpi or (),
        core=output == "table", repeat_window=repeat_window,
    )  # fmt: skip
    workspace = state(ctx).workspace
    dataset = workspace.records()
    with reported():
        check_choice(output, REPORT_FORMATS, "--format")
        with_unit(interval, "--interval")
        with_unit(repeat_window, "--repeat-window")
        check_chart_path(chart)
        if chart is not None and not set(",".join(by or ()).split(",")) & set(TIME_KEYS):
            raise BadInput("--chart needs a time in --by: interval, hour, day or dow")
        report = answer_kpis(dataset, question, agent_states=workspace.agent_states())
        empty = why_empty(dataset, question, report)
    if dataset.is_empty():
        say("warning", f"no contact records in {dataset.root}; import some with `callboard import`")
    if output == "json":
        typer.echo(report.to_json())
    elif output == "csv":
        typer.echo(report.to_csv(), nl=False)
    elif empty is None:
        _print_table(report, definitions)
    if empty is not None:
        say("nothing matched", empty)
        raise typer.Exit(1)
    if chart is not None:
        show_chart(_rates_chart(report), chart, in_terminal=False)


def _rates_chart(report: KpiReport) -> Chart:
    """Each rate KPI in %, one line per group of the other keys (a queue, say)."""
    times = [key for key in report.group_by if key in TIME_KEYS][:1]
    others = [key for key in report.group_by if key != times[0]]
    labels = sorted({figure(row[times[0]], None) for row in report.rows})
    at = {label: i for i, label in enumerate(labels)}
    chart = Chart("KPIs", times[0], "%", labels)
    described = report.definitions["kpis"]
    for row in report.rows:
        group = " ".join(str(row[key]) for key in others)
        for name in report.kpis:
            if described[name]["unit"] == "ratio" and row[name] is not None:
                line = chart.series.setdefault(
                    f"{group} {header(name)}".strip(), [None] * len(labels)
                )
                line[at[figure(row[times[0]], None)]] = 100 * row[name]
    return chart


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
    with reported():
        table = answer_records(state(ctx).workspace.records(), question)
    if file is None:
        write_records(table, output, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        write_records(table, output, file)
        errors.print(escape(f"wrote {table.num_rows} records to {file}"))


def _print_table(report: KpiReport, definitions: bool) -> None:
    described = report.definitions["kpis"]
    columns = [Column(key, [figure(row[key], None) for row in report.rows], key=True)
               for key in report.group_by]  # fmt: skip
    columns += [
        Column(
            header(name),
            [figure(row[name], described[name]["unit"]) for row in report.rows],
            note=f"{header(name)} = {described[name]['formula']}",
        )
        for name in report.kpis
    ]
    thresholds = report.definitions["thresholds"]
    notes = [
        f"T = {thresholds['sl_threshold_s']:g}s, S = {thresholds['short_abandon_s']:g}s. "
        "Rates in %, waits as m:ss. Each contact counts where it entered the queue; "
        "intervals are [start, end).",
        "Every KPI: --format json. Definitions: --definitions, docs/kpi.md.",
    ]
    print_table(console, "KPIs", columns, notes=notes)
    if definitions:
        rows = [(header(n), n, described[n]["formula"], described[n]["unit"]) for n in report.kpis]
        columns = [Column("KPI", [r[0] for r in rows], key=True)]
        columns += [Column(h, [r[i] for r in rows], key=True)
                    for i, h in enumerate(("name", "formula", "unit"), 1)]  # fmt: skip
        print_table(console, "Definitions (docs/kpi.md)", columns)
