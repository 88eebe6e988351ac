"""The `callboard` command: global options and the registration of each command group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callboard.cli import (
    demo,
    imports,
    kb,
    kpi,
    planning,
    serve,
    simulate,
    staff,
    surge,
    users,
    watch,
)
from callboard.cli.context import State
from callboard.workspace import Workspace

app = typer.Typer(
    name="callboard",
    help="Keep hotlines answering: import call records, measure KPIs, staff, simulate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="CALLBOARD_DATA",
            help="Workspace folder with the SQLite store and Parquet records.",
        ),
    ] = None,
) -> None:
    ctx.obj = State(workspace=Workspace.locate(data))


for module in (imports, kpi, staff, planning, simulate, users, serve, demo, watch, kb, surge):
    module.register(app)


def main() -> None:
    app()
