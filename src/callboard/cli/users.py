"""`callboard user add|passwd|link|token|revoke`: users, their passwords, links and tokens."""

from __future__ import annotations

import sys
from typing import Annotated
from urllib.parse import quote

import typer
from rich.markup import escape

from callboard.cli.context import console, errors, state
from callboard.errors import BadInput
from callboard.store import LOGIN_CODE_S, Role, UserStore

users_app = typer.Typer(
    help="Users: passwords, sign-in links and API tokens.", no_args_is_help=True
)

PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="user")


def _users(ctx: typer.Context) -> UserStore:
    return UserStore(state(ctx).workspace.store())


def _refuse(exc: BadInput) -> typer.Exit:
    errors.print(f"[red]error:[/red] {escape(str(exc))}")
    return typer.Exit(2)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: str,
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(Role)}.")],
    agent_id: Annotated[
        str | None, typer.Option("--agent-id", help="The agent this user is (agents only).")
    ] = None,
    password: Annotated[
        bool, typer.Option("--password", help="Ask for a password to sign in with.")
    ] = False,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user with a role (and, with --password, a password for the screens)."""
    secret = _password(password_stdin) if password or password_stdin else None
    try:
        principal = _users(ctx).add(name, role, agent_id=agent_id, password=secret)
    except BadInput as exc:
        raise _refuse(exc) from None
    console.print(f"added {escape(principal.name)} ({principal.role})")


@users_app.command("passwd")
def passwd(ctx: typer.Context, name: str, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password for signing in to the screens (hashed with argon2id)."""
    try:
        _users(ctx).set_password(name, _password(password_stdin))
    except BadInput as exc:
        raise _refuse(exc) from None
    console.print(f"password set for {escape(name)}")


@users_app.command("link")
def link(
    ctx: typer.Context,
    name: str,
    url: Annotated[
        str, typer.Option("--url", help="The server's address as the browser reaches it.")
    ] = "http://127.0.0.1:8080",
    next_path: Annotated[str, typer.Option("--next", help="The screen to open.")] = "/wallboard",
) -> None:
    """Print a one-time sign-in link: it works once, within 15 minutes."""
    try:
        code = _users(ctx).issue_login_code(name, valid_s=LOGIN_CODE_S)
    except BadInput as exc:
        raise _refuse(exc) from None
    print(f"{url.rstrip('/')}/login?code={code}&next={quote(next_path)}")


@users_app.command("token")
def token(ctx: typer.Context, name: str) -> None:
    """Issue a new API token; it is printed once and only its hash is stored."""
    try:
        value = _users(ctx).issue_token(name)
    except BadInput as exc:
        raise _refuse(exc) from None
    print(value)


@users_app.command("revoke")
def revoke(ctx: typer.Context, name: str) -> None:
    """Revoke every token and sign-in session of a user."""
    console.print(f"revoked {_users(ctx).revoke(name)} token(s) of {escape(name)}")
