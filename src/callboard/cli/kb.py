"""`callboard kb import FILE`: load knowledge-base articles from a TOML or YAML file
(`callboard.store.kb_file` describes the file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from callboard.cli.context import console, state
from callboard.cli.problems import reported, say
from callboard.store import import_articles

kb_app = typer.Typer(help="The knowledge base agents and callers search.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")


@kb_app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .toml, .yaml or .yml file with `articles`.")],
) -> None:
    """Add or update articles from a file; bad articles are reported and skipped."""
    with reported():
        done = import_articles(file, state(ctx).workspace.store)
    for problem in done.problems:
        say("error", problem, "red")
    console.print(
        escape(f"{file}: {done.added} added, {done.updated} updated, {done.rejected} rejected")
    )
    if done.rejected:
        raise typer.Exit(1)
