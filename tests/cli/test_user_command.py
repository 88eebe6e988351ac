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
