"""Import log, import issues and the event log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("written", sa.Integer, nullable=False),
        sa.Column("duplicates", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("repaired", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("counters", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imports"),
    )
    op.create_index("ix_imports_sha256", "imports", ["sha256"])
    op.create_table(
        "import_issues",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("field", sa.String(64)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_issues"),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            ondelete="CASCADE",
            name="fk_import_issues_import_id_imports",
        ),
    )
    op.create_index("ix_import_issues_import_id", "import_issues", ["import_id"])
    op.create_table(
        "events",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), autoincrement=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("contact_id", sa.String(128)),
        sa.Column("agent_id", sa.String(128)),
        sa.Column("queue", sa.String(128)),
        sa.Column("data", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_events"),
    )
    op.create_index("ix_events_contact_id", "events", ["contact_id"])


def downgrade() -> None:
    op.drop_index("ix_events_contact_id", table_name="events")
    op.drop_table("events")
    op.drop_index("ix_import_issues_import_id", table_name="import_issues")
    op.drop_table("import_issues")
    op.drop_index("ix_imports_sha256", table_name="imports")
    op.drop_table("imports")
