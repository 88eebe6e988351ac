"""`callboard watch asterisk-queue-log FILE`: follow a live queue_log into the records."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from callboard.cli.context import console, errors, state
from callboard.errors import BadInput
from callboard.kpi import watch_queue_log

watch_app = typer.Typer(help="Follow a PBX's live log into the contact records.")


def register(app: typer.Typer) -> None:
    app.add_typer(watch_app, name="watch")


@watch_app.command("asterisk-queue-log")
def asterisk_queue_log(
    ctx: typer.Context,
    file: Path,
    tz: Annotated[str, typer.Option("--tz", help="Zone of the PBX clock.")] = "UTC",
    every: Annotated[str, typer.Option("--every", help="How often to read the file.")] = "5s",
    once: Annotated[
        bool, typer.Option("--once", help="Read what is there now, then stop.")
    ] = False,
) -> None:
    """Import each call as it ends, and print the last 15 minutes' KPIs after every read."""
    try:
        watch = watch_queue_log(
            file, lambda: state(ctx).workspace.ensure().records(), tz=tz, every=every
        )
    except BadInput as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    try:
        while True:
            read = watch.read()
            for rejection in read.rejections:
                errors.print(f"[yellow]rejected:[/yellow] {rejection}")
            console.print(
                f"{read.at:%H:%M:%S} contacts written {read.written} (+{read.new}), "
                f"calls in progress {read.in_progress}; last 15 min: offered {read.offered}, "
                f"sl {_ratio(read.sl)}, abandon_rate {_ratio(read.abandon_rate)}"
            )
            if once:
                return
            time.sleep(watch.pause_s)
    except KeyboardInterrupt:
        return


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
