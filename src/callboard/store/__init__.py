"""Persistence: one SQLAlchemy Core schema on SQLite (the embedded default) or PostgreSQL.

`open_store(url)` connects and brings the schema up to date through Alembic, so
a fresh workspace and an old one end at the same revision.
"""

from callboard.store.connection import open_store
from callboard.store.event_log import EventLog
from callboard.store.import_log import ImportLog

__all__ = ["EventLog", "ImportLog", "open_store"]
