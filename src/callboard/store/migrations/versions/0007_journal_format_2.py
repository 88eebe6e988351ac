"""Journal rows in format 2: every field of the engine's command record, named as the record.

Format 1 (the rows before this revision) left fields at their defaults out and
called an agent's display name `name`; format 2 writes every field and calls it
`agent_name` (`name` is the command's). docs/journal.md describes both. The
defaults are copied here, not imported, so that this revision means the same
whatever the engine later becomes.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Format 1 fields that could be left out, with the value that meant.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "arrive": {"priority": 0, "caller": None, "attributes": None},
    "add_agent": {"agent_name": "", "skills": {}, "capacity": {"call": 1}, "group": None},
    "login": {"ready": True},
    "reject": {"reason": "other"},
    "complete": {"acw_s": None},
    "set_mode": {"message": None},
}
_BATCH = 1000

_journal = sa.table(
    "journal",
    sa.column("seq", sa.BigInteger),
    sa.column("command", sa.String),
    sa.column("args", sa.JSON),
    sa.column("format", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.add_column(sa.Column("format", sa.Integer, nullable=False, server_default="1"))
    _rewrite(1, 2, _to_format_2)


def downgrade() -> None:
    _rewrite(2, 1, _to_format_1)
    with op.batch_alter_table("journal") as batch:
        batch.drop_column("format")


def _to_format_2(command: str, args: dict[str, Any]) -> dict[str, Any]:
    if command == "add_agent" and "name" in args:
        args = {**args, "agent_name": args["name"]}
        del args["name"]
    return {**_DEFAULTS.get(command, {}), **args}


def _to_format_1(command: str, args: dict[str, Any]) -> dict[str, Any]:
    if command == "add_agent" and "agent_name" in args:
        args = {**args, "name": args["agent_name"]}
        del args["agent_name"]
    return args


def _rewrite(old: int, new: int, change: Any) -> None:
    """Rewrite the rows of format `old`, a batch at a time, so a long journal never sits
    in memory whole."""
    conn = op.get_bind()
    after = -1
    while True:
        rows = conn.execute(
            sa.select(_journal.c.seq, _journal.c.command, _journal.c.args)
            .where(_journal.c.format == old, _journal.c.seq > after)
            .order_by(_journal.c.seq)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        for seq, command, args in rows:
            data = json.loads(args) if isinstance(args, str) else dict(args)
            conn.execute(
                sa.update(_journal)
                .where(_journal.c.seq == seq)
                .values(args=change(command, data), format=new)
            )
        after = rows[-1][0]
