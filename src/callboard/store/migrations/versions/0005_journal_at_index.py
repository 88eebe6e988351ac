"""An index on the journal's time.

The caller widget opens an ended contact (for its CSAT survey) by finding its
`arrive` command at the instant the event log says it arrived; without the
index that is a scan of the whole journal on every call.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_journal_at", "journal", ["at"])


def downgrade() -> None:
    op.drop_index("ix_journal_at", table_name="journal")
