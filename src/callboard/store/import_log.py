"""The audit trail of imports: one row per file plus each rejected or repaired line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select

from callboard.records import ImportReport
from callboard.store.schema import import_issues, imports


@dataclass(frozen=True)
class ImportIssue:
    kind: str
    line: int
    field: str | None
    reason: str


class ImportLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, report: ImportReport, *, at: datetime | None = None) -> int:
        """Store the report and every issue in one transaction; returns the import id."""
        with self.engine.begin() as conn:
            import_id = conn.execute(
                insert(imports).returning(imports.c.id),
                {
                    "file": report.file,
                    "sha256": report.sha256,
                    "format": report.format,
                    "tz": report.tz,
                    "imported_at": at or datetime.now(UTC),
                    "rows_read": report.rows_read,
                    "written": report.written,
                    "duplicates": report.duplicates,
                    "rejected": report.rejected,
                    "repaired": report.repaired,
                    "error": report.error,
                    "counters": report.counters,
                },
            ).scalar_one()
            rows = [
                {"import_id": import_id, "kind": kind, "line": r.line, "field": r.field,
                 "reason": r.reason}
                for kind, issues in (("rejected", report.rejections), ("repaired", report.repairs))
                for r in issues
            ]  # fmt: skip
            if rows:
                conn.execute(insert(import_issues), rows)
        return int(import_id)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(imports)).scalar_one())

    def imports_of(self, sha256: str) -> list[dict[str, object]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(imports).where(imports.c.sha256 == sha256).order_by(imports.c.id)
            ).mappings()
            return [dict(row) for row in rows]

    def issues(self, import_id: int) -> list[ImportIssue]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(import_issues.c.kind, import_issues.c.line, import_issues.c.field,
                       import_issues.c.reason)
                .where(import_issues.c.import_id == import_id)
                .order_by(import_issues.c.id)
            )  # fmt: skip
            return [ImportIssue(*row) for row in rows]
