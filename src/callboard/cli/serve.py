"""`callboard serve`: the live API over the workspace's store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callboard.cases.policy_file import load_policies
from callboard.cli.context import errors, state
from callboard.errors import BadConfig
from callboard.server.app import ServerConfig, build_app
from callboard.server.centers import center_factory
from callboard.sim.scenario_file import load_scenario
from callboard.store import open_store
from callboard.store.cases import SlaPolicies


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
) -> None:
    """Run the API server (OpenAPI at /docs); with --center, the live contact center too.

    The center is built from the scenario on the first start; later starts
    recover it from the store's journal.
    """
    import uvicorn

    workspace = state(ctx).workspace.ensure()
    try:
        policies = SlaPolicies(*load_policies(sla)) if sla else SlaPolicies()
        factory = center_factory(load_scenario(center)) if center else None
    except BadConfig as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    config = ServerConfig(
        policies=policies, center=factory, snapshot_every=snapshot_every, workspace=workspace
    )
    app = build_app(open_store(workspace.db_url), config)
    uvicorn.run(app, host=host, port=port, log_level="info")
