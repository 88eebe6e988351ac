"""The tables, as SQLAlchemy Core metadata. Migrations under `migrations/` create them;
`tests/store/test_migrations.py` fails if the two drift apart."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
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
)
