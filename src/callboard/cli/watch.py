"""`callboard watch asterisk-queue-log FILE`: follow a live queue_log into the records."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from callboard.cli.cells import percent
from callboard.cli.context import console, state
from callboard.cli.options import with_unit, zone
from callboard.cli.problems import reported, say
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
    with reported():
        watch = watch_queue_log(
            file, lambda: state(ctx).workspace.ensure().records(), tz=zone(tz),
            every=with_unit(every, "--every"),
        )  # fmt: skip
    try:
        while True:
            read = watch.read()
            for rejection in read.rejections:
                say("rejected", rejection)
            console.print(
                escape(
                    f"{read.at:%H:%M:%S} contacts written {read.written} (+{read.new}), "
                    f"calls in progress {read.in_progress}; last 15 min: offered {read.offered}, "
                    f"service level {percent(read.sl)}, abandon rate {percent(read.abandon_rate)}"
                )
            )
            if once:
                return
            time.sleep(watch.pause_s)
    except KeyboardInterrupt:
        return
