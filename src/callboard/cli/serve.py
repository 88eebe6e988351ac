"""`callboard serve`: the live API over the workspace's store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callboard.cases.policy_file import load_policies
from callboard.cli.context import errors, state
from callboard.errors import BadConfig
from callboard.server.app import ServerConfig, build_app
from callboard.store import open_store
from callboard.store.cases import SlaPolicies


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8080,
    sla: Annotated[Path | None, typer.Option("--sla", help="SLA policy TOML file.")] = None,
) -> None:
    """Run the API server (OpenAPI at /docs)."""
    import uvicorn

    workspace = state(ctx).workspace.ensure()
    try:
        policies = SlaPolicies(*load_policies(sla)) if sla else SlaPolicies()
    except BadConfig as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    app = build_app(open_store(workspace.db_url), ServerConfig(policies=policies))
    uvicorn.run(app, host=host, port=port, log_level="info")
