"""`callboard user add|token|revoke`: API users and their tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from callboard.cli.context import console, errors, state
from callboard.errors import BadInput
from callboard.store import Role, UserStore

users_app = typer.Typer(help="API users and tokens.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="user")


def _users(ctx: typer.Context) -> UserStore:
    return UserStore(state(ctx).workspace.store())


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: str,
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(Role)}.")],
    agent_id: Annotated[
        str | None, typer.Option("--agent-id", help="The agent this user is (agents only).")
    ] = None,
) -> None:
    """Add a user with a role."""
    try:
        principal = _users(ctx).add(name, role, agent_id=agent_id)
    except BadInput as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print(f"added {principal.name} ({principal.role})")


@users_app.command("token")
def token(ctx: typer.Context, name: str) -> None:
    """Issue a new API token; it is printed once and only its hash is stored."""
    try:
        value = _users(ctx).issue_token(name)
    except BadInput as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    print(value)


@users_app.command("revoke")
def revoke(ctx: typer.Context, name: str) -> None:
    """Revoke every token of a user."""
    console.print(f"revoked {_users(ctx).revoke(name)} token(s) of {name}")
