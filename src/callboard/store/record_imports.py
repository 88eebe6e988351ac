"""Importing call records into a workspace, with the account of what happened kept.

The records go to the workspace's Parquet folder (and agent-state spans to
theirs); each file's report, with every rejected and repaired line, goes to the
store's `imports` tables, so a question about an import months later has an
answer there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine

from callboard.records import ImportReport, RecordDataset, import_files
from callboard.store.import_log import ImportLog


class ImportDestination(Protocol):
    """Where imported records go and the import is logged: a `callboard.workspace.Workspace`,
    which sits above the store and so is named here only by what it offers."""

    def records(self) -> RecordDataset: ...

    def agent_states(self) -> RecordDataset: ...

    def store(self) -> Engine: ...


def import_into(
    workspace: ImportDestination,
    fmt: str,
    files: Sequence[Path],
    *,
    tz: str = "UTC",
    mapping: Path | None = None,
    on_file: Callable[[ImportReport], None] | None = None,
) -> list[ImportReport]:
    """One report per file, logged. `mapping` is the column-mapping TOML of the csv format.

    An unknown format or an unusable mapping raises (`BadInput`, `BadConfig`);
    a file that cannot be read only fails its own report.
    """
    options = {"mapping": str(mapping)} if mapping else {}
    reports = import_files(
        workspace.records(), fmt, files, tz=tz, options=options, on_file=on_file,
        agent_states=workspace.agent_states(),
    )  # fmt: skip
    log = ImportLog(workspace.store())
    for report in reports:
        log.record(report)
    return reports
