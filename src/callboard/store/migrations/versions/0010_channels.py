"""E-mail and messenger channels: mail in and out of cases, attachments, messenger
conversations, and the outbox of replies still to deliver.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("mailbox", sa.String(128), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("case_id", sa.Integer),
        sa.Column("contact_id", sa.String(64)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender", sa.String(320), nullable=False),
        sa.Column("recipients", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("thread", sa.JSON, nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("agent_id", sa.String(128)),
        sa.PrimaryKeyConstraint("id", name="pk_mail_messages"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_mail_messages_case_id_cases", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("message_id", name="uq_mail_messages_message_id"),
    )
    op.create_index("ix_mail_messages_case_id", "mail_messages", ["case_id", "id"])
    op.create_index("ix_mail_messages_contact_id", "mail_messages", ["contact_id"])
    op.create_table(
        "mail_attachments",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("mail_id", sa.Integer, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("data", sa.LargeBinary),
        sa.PrimaryKeyConstraint("id", name="pk_mail_attachments"),
        sa.ForeignKeyConstraint(
            ["mail_id"], ["mail_messages.id"], name="fk_mail_attachments_mail_id_mail_messages",
            ondelete="CASCADE",
        ),
    )  # fmt: skip
    op.create_index("ix_mail_attachments_mail_id", "mail_attachments", ["mail_id"])
    op.create_table(
        "channel_conversations",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("conversation", sa.String(255), nullable=False),
        sa.Column("contact_id", sa.String(64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_channel_conversations"),
        sa.UniqueConstraint("contact_id", name="uq_channel_conversations_contact_id"),
    )
    op.create_index(
        "ix_channel_conversations_channel", "channel_conversations", ["channel", "conversation"]
    )
    op.create_table(
        "channel_inbound",
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("contact_id", sa.String(64), nullable=False),
        sa.Column("chat_message_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("channel", "message_id", name="pk_channel_inbound"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True)),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("key", name="uq_outbox_key"),
    )
    op.create_index("ix_outbox_next_at", "outbox", ["next_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("channel_inbound")
    op.drop_table("channel_conversations")
    op.drop_table("mail_attachments")
    op.drop_table("mail_messages")
