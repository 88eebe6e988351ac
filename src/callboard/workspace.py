"""Where Callboard keeps its data: one folder with the SQLite store and the Parquet records.

The folder defaults to `./callboard-data`; `--data DIR` or `CALLBOARD_DATA`
overrides it, and `CALLBOARD_DB_URL` points the store at PostgreSQL instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from callboard.records import RecordDataset

DEFAULT_DIR = "callboard-data"


@dataclass(frozen=True)
class Workspace:
    root: Path
    db_url_override: str | None = None

    @classmethod
    def locate(cls, data: Path | None = None) -> Workspace:
        root = data or Path(os.environ.get("CALLBOARD_DATA", DEFAULT_DIR))
        return cls(Path(root), os.environ.get("CALLBOARD_DB_URL") or None)

    @property
    def records_dir(self) -> Path:
        return self.root / "records"

    @property
    def db_url(self) -> str:
        if self.db_url_override:
            return self.db_url_override
        return f"sqlite:///{(self.root / 'callboard.db').resolve()}"

    # The records and the store are imported where they are opened, so a command
    # that never opens them (every `--help`, `staff`) does not load PyArrow or SQLAlchemy.
    def records(self) -> RecordDataset:
        from callboard.records import RecordDataset

        return RecordDataset(self.records_dir)

    def agent_states(self) -> RecordDataset:
        """Agent login and pause spans, from sources that log them (Asterisk queue_log)."""
        from callboard.records import AGENT_STATE_SCHEMA, RecordDataset

        return RecordDataset(
            self.root / "agent_states", AGENT_STATE_SCHEMA, key="span_id", order="start_at"
        )

    def store(self) -> Engine:
        """The store, migrated; a new workspace gets its folder first, for the SQLite file."""
        from callboard.store import open_store

        return open_store(self.ensure().db_url)

    def ensure(self) -> Workspace:
        self.records_dir.mkdir(parents=True, exist_ok=True)
        return self
