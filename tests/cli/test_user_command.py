from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from callboard.cli.app import app
from callboard.store import open_store
from callboard.store.users import Role, UserStore
from callboard.workspace import Workspace

runner = CliRunner()


def test_tokens_are_shown_once_and_stored_hashed(tmp_path: Path) -> None:
    base = ["--data", str(tmp_path), "user"]
    assert runner.invoke(app, [*base, "add", "ann", "--role", "agent"]).exit_code == 0
    issued = runner.invoke(app, [*base, "token", "ann"])
    token = issued.stdout.strip()
    assert issued.exit_code == 0 and token.startswith("cb_")
    engine = open_store(Workspace(tmp_path).db_url)
    principal = UserStore(engine).authenticate(token)
    assert principal is not None and principal.role == Role.AGENT and principal.agent_id == "ann"
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM api_tokens").scalar_one()
    assert token not in stored and len(stored) == 64
    assert "revoked 1" in runner.invoke(app, [*base, "revoke", "ann"]).stdout
    assert UserStore(engine).authenticate(token) is None


def test_bad_roles_and_unknown_users_are_errors(tmp_path: Path) -> None:
    base = ["--data", str(tmp_path), "user"]
    bad_role = runner.invoke(app, [*base, "add", "x", "--role", "boss"])
    assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
    assert runner.invoke(app, [*base, "token", "nobody"]).exit_code == 2


def test_a_password_is_asked_twice_and_signs_in(tmp_path: Path) -> None:
    base = ["--data", str(tmp_path), "user"]
    added = runner.invoke(
        app, [*base, "add", "sue", "--role", "supervisor", "--password"],
        input="a long password\na long password\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    users = UserStore(open_store(Workspace(tmp_path).db_url))
    assert users.check_password("sue", "a long password") is not None
    changed = runner.invoke(
        app, [*base, "passwd", "sue", "--password-stdin"], input="another one\n"
    )
    assert changed.exit_code == 0 and "password set for sue" in changed.stdout
    assert users.check_password("sue", "another one") is not None
    short = runner.invoke(app, [*base, "passwd", "sue", "--password-stdin"], input="short\n")
    assert short.exit_code == 2 and "at least 8 characters" in short.output
    nobody = runner.invoke(app, [*base, "passwd", "zoe", "--password-stdin"], input="x" * 9 + "\n")
    assert nobody.exit_code == 2 and "no user named 'zoe'" in nobody.output


def test_a_sign_in_link_holds_a_one_time_code_not_a_token(tmp_path: Path) -> None:
    base = ["--data", str(tmp_path), "user"]
    runner.invoke(app, [*base, "add", "ann", "--role", "agent"])
    printed = runner.invoke(app, [*base, "link", "ann", "--url", "https://cb.example.org/"])
    link = printed.stdout.strip()
    assert printed.exit_code == 0 and link.startswith("https://cb.example.org/login?code=")
    assert link.endswith("&next=/wallboard") and "cb_" not in link
    code = link.split("code=")[1].split("&")[0]
    users = UserStore(open_store(Workspace(tmp_path).db_url))
    assert users.redeem_login_code(code) is not None
    assert users.redeem_login_code(code) is None
