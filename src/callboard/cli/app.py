"""The `callboard` command: global options, and the table of commands loaded on demand.

A command's module, and the library it calls, is imported only when that
command runs or shows its own help: `callboard --help` pays for Typer and Rich
alone, and `callboard staff` never loads DuckDB, FastAPI or the forecast
models. Each row of `COMMANDS` names a command, the module under `callboard.cli`
whose `register(app)` defines it, and the one line the listing shows before the
module is loaded (tests/cli/test_lazy_commands.py checks that line against the
command's own help).

To add a command: write `cli/<module>.py` with `register(app)` as the others
do, and add its row here. Never import the module at the top of this file.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from callboard.cli.context import State
from callboard.cli.logs import configure_logging
from callboard.workspace import Workspace


@dataclass(frozen=True)
class Entry:
    """One command of `callboard`: where it is defined, and its line in the listing."""

    name: str
    module: str
    summary: str


COMMANDS = (
    Entry(
        "import",
        "imports",
        "Import call records; bad rows are reported and every valid row is kept.",
    ),
    Entry(
        "kpi", "kpi", "KPIs per interval, queue, agent and more; each figure names its definition."
    ),
    Entry(
        "records",
        "kpi",
        "Export the contact records behind any figure, selected the way `kpi` counts them.",
    ),
    Entry(
        "staff",
        "staff",
        "Agents per interval for a service-level target (Erlang C, or Erlang A with --patience).",
    ),
    Entry(
        "fit",
        "fit",
        "Per queue: arrival rate by interval of the day, AHT and patience, with 95% intervals.",
    ),
    Entry(
        "ewt",
        "ewt",
        "Expected waits: audit every predictor on imported records, fit the calibrated one.",
    ),
    Entry("forecast", "planning", "Forecast contacts per queue and interval, with quantiles."),
    Entry("plan", "planning", "Staffing plans, shift schedules and the reserve roster."),
    Entry(
        "simulate",
        "simulate",
        "Simulate SCENARIO and report KPIs per interval and in total, with 95% CIs.",
    ),
    Entry("user", "users", "Users: passwords, sign-in links and API tokens."),
    Entry(
        "serve",
        "serve",
        "Run the API server (OpenAPI at /docs); with --center, the live contact center too.",
    ),
    Entry(
        "demo", "demo", "Serve a demo center from a scenario and drive it with simulated traffic."
    ),
    Entry("watch", "watch", "Follow a PBX's live log into the contact records."),
    Entry("kb", "kb", "The knowledge base agents and callers search."),
    Entry("surge", "surge", "Surge plans: check one, project a live center under each tier."),
    Entry("triage", "triage", "Suggest a request's category and priority from its text."),
    Entry("incident", "incident", "Incidents: stretches of missed service, and why they happened."),
)


def load_module(name: str) -> Any:
    """The module that defines a command group, with its `register(app)`."""
    return importlib.import_module(f"callboard.cli.{name}")


@cache
def defined_commands(module: str) -> dict[str, Any]:
    """The commands `module.register` defines, as the Click objects Typer builds."""
    group = typer.Typer()
    load_module(module).register(group)
    # A Typer with one command and no callback would become that command; a
    # callback keeps it a group, so every module gives its commands by name.
    group.callback()(lambda: None)
    return dict(typer.main.get_group(group).commands)


class LazyGroup(TyperGroup):
    """Lists commands from `COMMANDS`, and imports a command's module only to run it."""

    _listing = False  # while the listing or shell completion is drawn: summaries only

    def list_commands(self, ctx: Any) -> list[str]:
        return [entry.name for entry in COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = next((e for e in COMMANDS if e.name == cmd_name), None)
        if entry is None:
            return None
        if self._listing:
            return typer.core.TyperCommand(name=entry.name, help=entry.summary)
        return defined_commands(entry.module)[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        self._listing = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # Typer suggests close names from `self.commands`, which stays empty here.
        self.commands = {entry.name: None for entry in COMMANDS}  # type: ignore[misc]
        try:
            return super().resolve_command(ctx, args)
        finally:
            self.commands = {}


app = typer.Typer(
    name="callboard",
    cls=LazyGroup,
    help="Keep hotlines answering: import call records, measure KPIs, staff, simulate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"callboard {version('callboard')}")
        raise typer.Exit()


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
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="Log what runs to stderr, one JSON object a line; -vv adds debug detail.",
        ),
    ] = 0,
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    configure_logging(verbose)
    ctx.obj = State(workspace=Workspace.locate(data))


def main() -> None:
    app()
