"""The live engine's command journal and its snapshots.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), autoincrement=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("command", sa.String(32), nullable=False),
        sa.Column("args", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_journal"),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("journal_seq", sa.BigInteger, nullable=False),
        sa.Column("taken_at", sa.Float, nullable=False),
        sa.Column("state", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
    )


def downgrade() -> None:
    op.drop_table("snapshots")
    op.drop_table("journal")
