"""`callboard serve`: the live API over the workspace's store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from callboard.cli.context import errors, state
from callboard.errors import BadConfig, BadInput
from callboard.server import ServeOptions, prepare, switchboard
from callboard.store import StoreLocked


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8080,
    sla: Annotated[Path | None, typer.Option("--sla", help="SLA policy TOML file.")] = None,
    center: Annotated[
        Path | None,
        typer.Option(
            "--center", help="Scenario file whose queues and agents the live center runs."
        ),
    ] = None,
    snapshot_every: Annotated[
        int, typer.Option("--snapshot-every", min=1, help="Commands between engine snapshots.")
    ] = 1000,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan", help="Surge plan (TOML/YAML) to run; default: the scenario's `plan`."
        ),
    ] = None,
    webhook: Annotated[
        list[str] | None,
        typer.Option(
            "--notify-webhook",
            metavar="URL",
            help="POST reserve call-outs and SLA escalations here.",
        ),
    ] = None,
    smtp: Annotated[
        str | None,
        typer.Option(
            "--notify-smtp",
            metavar="HOST:PORT",
            help="E-mail reserve call-outs and SLA escalations.",
        ),
    ] = None,
    sender: Annotated[
        str, typer.Option("--notify-from", help="From address of surge e-mails.")
    ] = "callboard@localhost",
    keep_snapshots: Annotated[
        int,
        typer.Option("--keep-snapshots", min=1, help="Engine snapshots kept; older are pruned."),
    ] = 3,
    follow_shifts: Annotated[
        bool,
        typer.Option(
            "--follow-shifts",
            help="Log the scenario's agents in and out and start their breaks at its shift "
            "times, as a simulation does (needs --center).",
        ),
    ] = False,
    standby: Annotated[
        bool,
        typer.Option(
            "--standby",
            help="If another server holds the store, wait as a hot standby and take over "
            "when it stops (instead of refusing to start).",
        ),
    ] = False,
) -> None:
    """Run the API server (OpenAPI at /docs); with --center, the live contact center too.

    The center is built from the scenario on the first start; later starts
    recover it from the store's journal. With --plan (or a scenario that names
    a plan), surge control runs the plan against it (the API under
    /api/v1/surge); reserve call-outs are always logged, and also sent to each
    --notify-webhook and by --notify-smtp.

    Only one server writes a store. A second one on the same store refuses,
    naming the first, or with --standby answers as a standby
    (GET /api/v1/health says "role": "standby") until the first one stops, then
    recovers the center and serves (docs/operations.md).
    """
    import uvicorn

    options = ServeOptions(
        sla, center, snapshot_every, plan, tuple(webhook or ()), smtp, sender, keep_snapshots,
        follow_shifts,
    )  # fmt: skip
    try:
        store, config = prepare(state(ctx).workspace.ensure(), options)
        app = switchboard(store, config, address=f"http://{host}:{port}", standby=standby)
    except (BadConfig, BadInput, StoreLocked) as exc:
        errors.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    # The journal's writer thread waits for the GIL after every commit; a 1 ms switch
    # interval (default 5 ms) keeps that wait out of the answer's latency.
    sys.setswitchinterval(0.001)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
