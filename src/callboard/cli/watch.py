"""`callboard watch asterisk-queue-log FILE`: follow a live queue_log into the records."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from callboard.cli.context import console, errors, state
from callboard.domain.durations import seconds as parse_seconds
from callboard.errors import BadInput
from callboard.kpi import compute_kpis
from callboard.records.follow import QueueLogFollower

watch_app = typer.Typer(help="Follow a PBX's live log into the contact records.")
WINDOW = timedelta(minutes=15)


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
        pause = parse_seconds(every, what="--every")
    except BadInput as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if not file.exists():
        errors.print(f"[red]error:[/red] {file} does not exist")
        raise typer.Exit(2)
    dataset = state(ctx).workspace.ensure().records()
    follower = QueueLogFollower(file, dataset, tz=tz)
    try:
        while True:
            report = follower.poll()
            for rejection in report.rejections:
                errors.print(f"[yellow]rejected:[/yellow] {rejection}")
            now = datetime.now(UTC)
            (total,) = compute_kpis(dataset, start=now - WINDOW, end=now).rows
            console.print(
                f"{now:%H:%M:%S} contacts written {follower.written} (+{report.written}), "
                f"calls in progress {len({line.split('|')[1] for line in follower.carried})}; "
                f"last 15 min: offered {total['offered']}, sl {_ratio(total['sl'])}, "
                f"abandon_rate {_ratio(total['abandon_rate'])}"
            )
            if once:
                return
            time.sleep(pause)
    except KeyboardInterrupt:
        return


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
