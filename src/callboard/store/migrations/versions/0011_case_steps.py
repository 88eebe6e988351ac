"""The handling protocol's steps an agent marked done on a case (callboard/protocol).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_steps",
        sa.Column("case_id", sa.Integer, nullable=False),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "step", name="pk_case_steps"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_steps_case_id_cases", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("case_steps")
