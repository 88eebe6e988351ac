"""Cases with their audit trail, users and hashed API tokens.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("opened_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("caller", sa.String(128)),
        sa.Column("category", sa.String(128)),
        sa.Column("queue", sa.String(128)),
        sa.Column("region", sa.String(128)),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(128)),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("assignee", sa.String(128)),
        sa.Column("contact_ids", sa.JSON, nullable=False),
        sa.Column("first_response_at", TZ),
        sa.Column("resolved_at", TZ),
        sa.Column("closed_at", TZ),
        sa.Column("pending_spans", sa.JSON, nullable=False),
        sa.Column("escalations", sa.JSON, nullable=False),
        sa.Column("csat_score", sa.Integer),
        sa.Column("csat_comment", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    for column in ("status", "caller", "assignee"):
        op.create_index(f"ix_cases_{column}", "cases", [column])
    op.create_table(
        "case_events",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), autoincrement=True),
        sa.Column("case_id", sa.Integer, nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_case_events"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], ondelete="CASCADE", name="fk_case_events_case_id_cases"
        ),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("agent_id", sa.String(128)),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name="fk_api_tokens_user_id_users"
        ),
    )


def downgrade() -> None:
    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_index("ix_case_events_case_id", table_name="case_events")
    op.drop_table("case_events")
    for column in ("status", "caller", "assignee"):
        op.drop_index(f"ix_cases_{column}", table_name="cases")
    op.drop_table("cases")
