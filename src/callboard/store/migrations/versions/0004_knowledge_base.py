"""Knowledge-base articles and their use events; an index on the event log's time.

The index lets the reports API find where a period starts in the event log
without scanning it from the beginning.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_index("ix_events_at", "events", ["at"])
    op.create_table(
        "kb_articles",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("published", sa.Boolean, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_articles"),
        sa.UniqueConstraint("language", "title", name="uq_kb_articles_language_title"),
    )
    op.create_index("ix_kb_articles_language", "kb_articles", ["language"])
    op.create_table(
        "kb_events",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("article_id", sa.Integer),
        sa.Column("session", sa.String(64)),
        sa.Column("language", sa.String(8)),
        sa.Column("query", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name="pk_kb_events"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["kb_articles.id"],
            ondelete="SET NULL",
            name="fk_kb_events_article_id_kb_articles",
        ),
    )
    op.create_index("ix_kb_events_at", "kb_events", ["at"])
    op.create_index("ix_kb_events_session", "kb_events", ["session"])


def downgrade() -> None:
    op.drop_table("kb_events")
    op.drop_table("kb_articles")
    op.drop_index("ix_events_at", table_name="events")
