"""The tables, as SQLAlchemy Core metadata. Migrations under `migrations/` create them;
`tests/store/test_migrations.py` fails if the two drift apart."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per imported file: the summary the CLI prints, kept for audit.
imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("format", String(64), nullable=False),
    Column("tz", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("written", Integer, nullable=False),
    Column("duplicates", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("repaired", Integer, nullable=False),
    Column("error", Text),
    Column("counters", JSON, nullable=False),
    Index("ix_imports_sha256", "sha256"),
)

# Every rejected or repaired row, so "what did we drop?" has an answer later.
import_issues = Table(
    "import_issues",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # rejected | repaired
    Column("line", Integer, nullable=False),
    Column("field", String(64)),
    Column("reason", Text, nullable=False),
    Index("ix_import_issues_import_id", "import_id"),
)

# The event spine, append-only. `seq` orders replay; `at` is POSIX seconds.
events = Table(
    "events",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("type", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Column("contact_id", String(128)),
    Column("agent_id", String(128)),
    Column("queue", String(128)),
    Column("data", JSON, nullable=False),
    Index("ix_events_contact_id", "contact_id"),
    # Reports fold one period of the log into contact records (server/routes/reports.py).
    Index("ix_events_at", "at"),
)

# Cases: the registration record of every handled contact (issue: live server).
cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("caller", String(128)),
    Column("category", String(128)),
    Column("queue", String(128)),
    Column("region", String(128)),
    Column("priority", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("outcome", String(128)),
    Column("notes", Text, nullable=False),
    Column("assignee", String(128)),
    Column("contact_ids", JSON, nullable=False),
    Column("first_response_at", DateTime(timezone=True)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    # [[start, end-or-null], ...] as ISO strings: the SLA clock pauses while pending.
    Column("pending_spans", JSON, nullable=False),
    Column("escalations", JSON, nullable=False),
    Column("csat_score", Integer),
    Column("csat_comment", Text),
    Index("ix_cases_status", "status"),
    Index("ix_cases_caller", "caller"),
    Index("ix_cases_assignee", "assignee"),
)

# The audit trail: who changed what on a case, and when. Append-only.
case_events = Table(
    "case_events",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("changes", JSON, nullable=False),
    Index("ix_case_events_case_id", "case_id"),
)

# The handling protocol's steps marked done on a case (store/protocol_steps.py).
case_steps = Table(
    "case_steps",
    metadata,
    Column(
        "case_id",
        Integer,
        ForeignKey("cases.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("step", String(64), primary_key=True),
    Column("done_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("agent_id", String(128)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # argon2id (store/passwords.py); None: this user signs in by token or link only.
    Column("password_hash", String(255)),
)

# Only a SHA-256 of each token is kept: tokens are 256-bit random strings, so a
# slow hash adds nothing, and a stolen table does not yield usable tokens.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(12), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked", Boolean, nullable=False),
    # Set for a browser's sign-in session; None: an integration's token, until revoked.
    Column("expires_at", DateTime(timezone=True)),
)

# One-time sign-in links: a code is good once, for minutes, and only its SHA-256 is kept.
login_codes = Table(
    "login_codes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

# The engine's command journal: replaying it over the latest snapshot rebuilds the
# live center exactly, because the engine is deterministic given commands and times.
journal = Table(
    "journal",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", Float, nullable=False),
    Column("command", String(32), nullable=False),
    Column("args", JSON, nullable=False),
    # The command record's format (callboard.engine.COMMAND_FORMAT, docs/journal.md).
    # Rows from before formats were numbered are format 1; migration 0007 rewrites them.
    Column("format", Integer, nullable=False, server_default="1"),
    # The caller widget finds an ended contact's `arrive` command by its time
    # (server/routes/widget.py), which without this scans the whole journal.
    Index("ix_journal_at", "at"),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("journal_seq", BigInteger, nullable=False),
    Column("taken_at", Float, nullable=False),
    Column("state", JSON, nullable=False),
)

# Who holds the store's writer lock (store/writer_lock.py): one row, rewritten by each
# server that takes the lock, so a second server's refusal can name the first.
store_writer = Table(
    "store_writer",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("address", String(255), nullable=False),
    Column("since", DateTime(timezone=True), nullable=False),
)

# Knowledge-base articles, one row per language version. `search_text` is the
# title and body folded once at write time (callboard.store.kb.fold), so search
# can match substrings portably on SQLite and PostgreSQL, Chinese included.
kb_articles = Table(
    "kb_articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("category", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("published", Boolean, nullable=False),
    Column("search_text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(128), nullable=False),
    # Two articles with one title in one language would look the same to an agent.
    UniqueConstraint("language", "title", name="uq_kb_articles_language_title"),
    Index("ix_kb_articles_language", "language"),
)

# What callers and agents did with the knowledge base: search, view, deflected
# (answered without an agent), escalated (joined a queue anyway). Append-only.
kb_events = Table(
    "kb_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("article_id", Integer, ForeignKey("kb_articles.id", ondelete="SET NULL")),
    Column("session", String(64)),
    Column("language", String(8)),
    Column("query", String(200)),
    Index("ix_kb_events_at", "at"),
    Index("ix_kb_events_session", "session"),
)

# Chat between a widget caller and the agent holding the contact. Written before
# the API acknowledges a message, so a restart loses nothing either side saw sent.
# Readers poll with the last id they have, hence the index on (contact_id, id).
chat_messages = Table(
    "chat_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("contact_id", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("sender", String(8), nullable=False),  # caller | agent
    Column("agent_id", String(128)),
    Column("body", Text, nullable=False),
    Index("ix_chat_messages_contact_id", "contact_id", "id"),
)

# E-mail into and out of cases (store/mail.py). The Message-ID is unique: intake
# writes a message with its case in one transaction, so a message read again after
# a crash (it was not yet marked seen on the IMAP server) is found, not taken twice.
mail_messages = Table(
    "mail_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(255), nullable=False, unique=True),
    Column("mailbox", String(128), nullable=False),
    Column("direction", String(8), nullable=False),  # in | out
    Column("status", String(16), nullable=False),  # taken | rejected | queued | sent
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE")),
    Column("contact_id", String(64)),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("sender", String(320), nullable=False),
    Column("recipients", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("thread", JSON, nullable=False),  # In-Reply-To and References, oldest first
    Column("language", String(8)),
    Column("note", Text, nullable=False),  # what intake could not take as it was
    Column("agent_id", String(128)),
    Index("ix_mail_messages_case_id", "case_id", "id"),
    Index("ix_mail_messages_contact_id", "contact_id"),
)

# Attachments of a message; `data` is None for one over the size limit (noted on the case).
mail_attachments = Table(
    "mail_attachments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mail_id", Integer, ForeignKey("mail_messages.id", ondelete="CASCADE"), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(128), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary),
    Index("ix_mail_attachments_mail_id", "mail_id"),
)

# A messenger conversation's chat contacts: the newest one still in the center takes
# the next inbound message; once it has ended, the next message starts another.
channel_conversations = Table(
    "channel_conversations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(64), nullable=False),
    Column("conversation", String(255), nullable=False),
    Column("contact_id", String(64), nullable=False, unique=True),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Index("ix_channel_conversations_channel", "channel", "conversation"),
)

# Inbound messenger messages already taken, by the bridge's own message id: a bridge
# that retries after a timeout does not post the same message twice.
channel_inbound = Table(
    "channel_inbound",
    metadata,
    Column("channel", String(64), primary_key=True),
    Column("message_id", String(255), primary_key=True),
    Column("contact_id", String(64), nullable=False),
    Column("chat_message_id", Integer, nullable=False),
)

# Replies still to deliver (SMTP, messenger webhooks): written with the reply, tried
# until delivered; `key` is the idempotency key the receiver sees on every try.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(64), nullable=False),
    Column("key", String(255), nullable=False, unique=True),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_at", DateTime(timezone=True)),  # None once delivered or given up
    Column("delivered_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Index("ix_outbox_next_at", "next_at"),
)
