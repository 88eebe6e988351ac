"""`callboard import FORMAT FILE...`: real history into contact records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from callboard.cli.context import console, state
from callboard.cli.options import zone
from callboard.cli.problems import reported, say
from callboard.cli.progress import progress
from callboard.cli.tables import Column, print_table
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
    with reported(), progress(f"importing {fmt}", total=len(files)) as advance:
        reports = import_into(
            state(ctx).workspace.ensure(), fmt, files, tz=zone(tz), mapping=mapping,
            on_file=advance,
        )  # fmt: skip
    if output == "json":
        console.print_json(json.dumps([r.as_dict() for r in reports]))
    else:
        _print_reports(reports)
    if not any(r.written or r.duplicates for r in reports):
        raise typer.Exit(1)


def _print_reports(reports: list[ImportReport]) -> None:
    headers = ("rows read", "written", "rejected", "duplicates", "repaired")
    figures = [(r.rows_read, r.written, r.rejected, r.duplicates, r.repaired) for r in reports]
    columns = [Column("file", [r.file for r in reports], key=True)]
    columns += [Column(h, [f"{f[i]:,}" for f in figures]) for i, h in enumerate(headers)]
    print_table(console, "Import summary", columns)
    for r in reports:
        if r.error:
            say("error", r.error, "red")
        for reason in r.first_reasons:
            say("rejected", reason)
        if r.rejected > len(r.first_reasons):
            say("rejected", f"... and {r.rejected - len(r.first_reasons)} more in {r.file}")
        for key, value in sorted(r.counters.items()):
            console.print(escape(f"{r.file}: {key} = {value}"))
