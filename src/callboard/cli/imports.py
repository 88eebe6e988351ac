"""`callboard import FORMAT FILE...`: real history into contact records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from callboard.cli.context import console, errors, state
from callboard.errors import BadConfig, BadInput
from callboard.records import IMPORTERS, ImportReport
from callboard.store import import_into


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)


def import_command(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="One of: " + ", ".join(IMPORTERS))],
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", exists=False)],
    tz: Annotated[str, typer.Option("--tz", help="The center's time zone (IANA name).")] = "UTC",
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", help="Column-mapping TOML or YAML for the csv format (docs/formats.md)."
        ),
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Import call records; bad rows are reported and every valid row is kept.

    Exits non-zero only when nothing at all could be imported. Each format, with
    its outcomes, repairs and rejections: docs/formats.md.
    """
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=errors, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task(f"importing {fmt}", total=len(files))
        try:
            reports = import_into(
                state(ctx).workspace.ensure(), fmt, files, tz=tz, mapping=mapping,
                on_file=lambda _: progress.advance(task),
            )  # fmt: skip
        except (BadInput, BadConfig) as exc:
            errors.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
    if output == "json":
        console.print_json(json.dumps([r.as_dict() for r in reports]))
    else:
        _print_reports(reports)
    if not any(r.written or r.duplicates for r in reports):
        raise typer.Exit(1)


def _print_reports(reports: list[ImportReport]) -> None:
    table = Table(title="Import summary")
    for column in ("file", "rows read", "written", "rejected", "duplicates", "repaired"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for r in reports:
        table.add_row(
            r.file, str(r.rows_read), str(r.written), str(r.rejected), str(r.duplicates),
            str(r.repaired),
        )  # fmt: skip
    console.print(table)
    for r in reports:
        if r.error:
            errors.print(f"[red]error:[/red] {r.error}")
        for reason in r.first_reasons:
            errors.print(f"[yellow]rejected:[/yellow] {reason}")
        if r.rejected > len(r.first_reasons):
            errors.print(f"... and {r.rejected - len(r.first_reasons)} more rejected in {r.file}")
        for key, value in sorted(r.counters.items()):
            console.print(f"{r.file}: {key} = {value}")
