"""`callboard serve`: the live API over the workspace's store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from callboard.cli.context import console, errors, state
from callboard.errors import BadConfig, BadInput
from callboard.server import Opening, ServeOptions, prepare, switchboard, uvicorn_config
from callboard.store import LOGIN_CODE_S, StoreLocked


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
    targets: Annotated[
        Path | None,
        typer.Option(
            "--targets",
            help="Wallboard targets (TOML/YAML: sl, abandon_rate, longest_wait per queue; "
            "docs/wallboard.md); default: the plan's target SL.",
        ),
    ] = None,
    imap: Annotated[
        list[str] | None,
        typer.Option(
            "--imap",
            metavar="URL",
            help="Read a mailbox: imap[s]://USER:PASSWORD@HOST:PORT/FOLDER?queue=NAME; each "
            "e-mail becomes a case and a contact (docs/channels.md). Repeat for several.",
        ),
    ] = None,
    mail_smtp: Annotated[
        str | None,
        typer.Option(
            "--smtp",
            metavar="URL",
            help="Send e-mail replies: smtp[s]://[USER:PASSWORD@]HOST:PORT.",
        ),
    ] = None,
    channels: Annotated[
        Path | None,
        typer.Option(
            "--channels",
            help="Mailboxes, SMTP server and messengers in a TOML/YAML file "
            "(docs/channels.md), beside or instead of --imap, --smtp and --messenger.",
        ),
    ] = None,
    messenger: Annotated[
        list[str] | None,
        typer.Option(
            "--messenger",
            metavar="NAME:QUEUE:WEBHOOK_URL",
            help="A messenger bridge posting to /api/v1/channels/NAME/messages; agents' "
            "replies go to WEBHOOK_URL. Repeat for several.",
        ),
    ] = None,
    standby: Annotated[
        bool,
        typer.Option(
            "--standby",
            help="If another server holds the store, wait as a hot standby and take over "
            "when it stops (instead of refusing to start).",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        list[str] | None,
        typer.Option(
            "--forwarded-allow-ips",
            metavar="ADDRESS",
            help="A reverse proxy (IP or network) whose X-Forwarded-For and -Proto headers "
            "are believed; repeat for several. Default: none, the peer is the client.",
        ),
    ] = None,
    allowed_origins: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-origins",
            metavar="ORIGIN",
            help="Another origin (https://host[:port]) whose pages may act with the sign-in "
            "cookie and open the agent WebSocket, besides this server's own; repeatable.",
        ),
    ] = None,
    widget_frame_ancestors: Annotated[
        list[str] | None,
        typer.Option(
            "--widget-frame-ancestors",
            metavar="SITE",
            help="A site that may embed the caller widget in a frame (CSP frame-ancestors), "
            "such as https://www.example.org; repeatable. Default: any site.",
        ),
    ] = None,
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
        follow_shifts, tuple(allowed_origins or ()), tuple(widget_frame_ancestors or ()),
        targets=targets, imap=tuple(imap or ()), mail_smtp=mail_smtp,
        messengers=tuple(messenger or ()), channels=channels,
    )  # fmt: skip
    address = f"http://{host}:{port}"
    try:
        prepared = prepare(state(ctx).workspace.ensure(), options)
        app = switchboard(prepared.store, prepared.config, address=address, standby=standby)
        config = uvicorn_config(
            app, host=host, port=port, forwarded_allow_ips=tuple(forwarded_allow_ips or ())
        )
    except (BadConfig, BadInput, StoreLocked) as exc:
        errors.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    print_openings(prepared.openings(_browsable(host, port)))
    # The journal's writer thread waits for the GIL after every commit; a 1 ms switch
    # interval (default 5 ms) keeps that wait out of the answer's latency.
    sys.setswitchinterval(0.001)
    uvicorn.Server(config).run()


def print_openings(openings: list[Opening]) -> None:
    """The sign-in links and screens, one a line; shared with `demo`."""
    width = max(len(opening.what) for opening in openings)
    for opening in openings:
        console.print(f"  {opening.what:<{width}}  {escape(opening.url)}", soft_wrap=True)
    minutes = LOGIN_CODE_S // 60
    console.print(
        f"  (a sign-in link works once, within {minutes} minutes; `callboard user link NAME`)"
    )


def _browsable(host: str, port: int) -> str:
    """The address to print: a server listening everywhere is opened on this machine."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
