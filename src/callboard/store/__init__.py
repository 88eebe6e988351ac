"""Persistence: one SQLAlchemy Core schema on SQLite (the embedded default) or PostgreSQL.

`open_store(url)` connects and brings the schema up to date through Alembic, so
a fresh workspace and an old one end at the same revision. Each table has one
owner here (`EventLog`, `Journal`, `CaseStore`, `UserStore`, `KnowledgeBase`,
`ChatStore`, `ImportLog`); nothing outside `store` writes SQL or names a table.
"""

from callboard.store.cases import CaseFilter, CaseNotFound, CaseStore, Escalation, SlaPolicies
from callboard.store.chat import ChatStore, Sender
from callboard.store.connection import open_store
from callboard.store.conversations import Conversations
from callboard.store.event_log import AuditRow, EventLog
from callboard.store.import_log import ImportLog
from callboard.store.journal import Journal, JournalEntry, Snapshot
from callboard.store.kb import (
    LANGUAGES,
    LIMITS,
    MAX_QUERY,
    MAX_SESSION,
    Article,
    ArticleNotFound,
    Draft,
    DuplicateArticle,
    InvalidArticle,
    KnowledgeBase,
    draft_from,
)
from callboard.store.kb_file import ArticleFile, ArticleImport, import_articles, read_articles
from callboard.store.mail import Attachment, Mail, MailRow, MailStore
from callboard.store.outbox import Delivery, Outbox
from callboard.store.record_imports import ImportDestination, import_into
from callboard.store.users import LOGIN_CODE_S, SESSION_S, Principal, Role, UserStore
from callboard.store.writer_lock import Holder, StoreLocked, WriterLock, writer_lock

__all__ = [
    "LANGUAGES",
    "LIMITS",
    "LOGIN_CODE_S",
    "MAX_QUERY",
    "MAX_SESSION",
    "SESSION_S",
    "Article",
    "ArticleFile",
    "ArticleImport",
    "ArticleNotFound",
    "Attachment",
    "AuditRow",
    "CaseFilter",
    "CaseNotFound",
    "CaseStore",
    "ChatStore",
    "Conversations",
    "Delivery",
    "Draft",
    "DuplicateArticle",
    "Escalation",
    "EventLog",
    "Holder",
    "ImportDestination",
    "ImportLog",
    "InvalidArticle",
    "Journal",
    "JournalEntry",
    "KnowledgeBase",
    "Mail",
    "MailRow",
    "MailStore",
    "Outbox",
    "Principal",
    "Role",
    "Sender",
    "SlaPolicies",
    "Snapshot",
    "StoreLocked",
    "UserStore",
    "WriterLock",
    "draft_from",
    "import_articles",
    "import_into",
    "open_store",
    "read_articles",
    "writer_lock",
]
