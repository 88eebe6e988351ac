"""The import pipeline shared by every format: parse, reject bad rows, write the rest.

An importer is any callable `parse(path, *, tz, options) -> ParseResult` put in
`IMPORTERS` with `register_importer`; the built-in ones use the same registry.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from callboard.domain import AgentStateSpan, ContactRecord
from callboard.errors import BadInput, BadRecord
from callboard.records.agent_states import spans_to_table
from callboard.records.dataset import RecordDataset
from callboard.records.schema import records_to_table

FIRST_REASONS = 10


@dataclass(frozen=True, slots=True)
class Rejection:
    file: str
    line: int
    field: str | None
    reason: str

    @classmethod
    def from_error(cls, error: BadRecord) -> Rejection:
        return cls(error.file, error.line, error.field, error.reason)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f" field {self.field!r}" if self.field else "")
        return f"{where}: {self.reason}"


@dataclass
class ParseResult:
    """What one file yielded. `counters` holds format-specific tallies (orphans, unknown events)."""

    rows_read: int = 0
    records: list[ContactRecord] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    repaired: list[Rejection] = field(default_factory=list)
    counters: Counter[str] = field(default_factory=Counter)
    agent_spans: list[AgentStateSpan] = field(default_factory=list)

    def reject(self, file: str, line: int, field_name: str | None, reason: str) -> None:
        self.rejections.append(Rejection(file, line, field_name, reason))


class Importer(Protocol):
    def __call__(self, path: Path, *, tz: str, options: Mapping[str, str]) -> ParseResult: ...


IMPORTERS: dict[str, Importer] = {}


def register_importer(name: str) -> Callable[[Importer], Importer]:
    def decorate(parse: Importer) -> Importer:
        IMPORTERS[name] = parse
        return parse

    return decorate


@dataclass
class ImportReport:
    file: str
    format: str
    rows_read: int = 0
    written: int = 0
    duplicates: int = 0
    rejected: int = 0
    repaired: int = 0
    first_reasons: list[str] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # set when the whole file was unusable
    agent_spans: int = 0  # agent-state spans written (logged in, paused)
    sha256: str = ""
    tz: str = "UTC"
    rejections: list[Rejection] = field(default_factory=list)
    repairs: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "format": self.format,
            "rows_read": self.rows_read,
            "written": self.written,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "repaired": self.repaired,
            "first_reasons": self.first_reasons,
            "counters": self.counters,
            "agent_spans": self.agent_spans,
            "error": self.error,
        }


def import_files(
    dataset: RecordDataset,
    fmt: str,
    paths: Iterable[Path],
    *,
    tz: str = "UTC",
    options: Mapping[str, str] | None = None,
    on_file: Callable[[ImportReport], None] | None = None,
    agent_states: RecordDataset | None = None,
) -> list[ImportReport]:
    """Import each file on its own, so one unusable file does not stop the others."""
    try:
        parse = IMPORTERS[fmt]
    except KeyError:
        known = ", ".join(sorted(IMPORTERS))
        raise BadInput(f"unknown import format {fmt!r}; choose one of: {known}") from None
    reports = []
    for path in paths:
        report = import_file(
            dataset, fmt, parse, Path(path), tz=tz, options=options or {},
            agent_states=agent_states,
        )  # fmt: skip
        reports.append(report)
        if on_file is not None:
            on_file(report)
    return reports


def import_file(
    dataset: RecordDataset,
    fmt: str,
    parse: Importer,
    path: Path,
    *,
    tz: str,
    options: Mapping[str, str],
    agent_states: RecordDataset | None = None,
) -> ImportReport:
    report = ImportReport(file=str(path), format=fmt, tz=tz)
    try:
        report.sha256 = _sha256(path)
        result = parse(path, tz=tz, options=options)
    except (BadInput, OSError) as exc:
        report.error = str(exc)
        return report
    report.rows_read = result.rows_read
    report.rejected = len(result.rejections)
    report.repaired = len(result.repaired)
    report.rejections = result.rejections
    report.repairs = result.repaired
    report.first_reasons = [str(r) for r in result.rejections[:FIRST_REASONS]]
    report.counters = dict(result.counters)
    if result.records:
        written = dataset.write(records_to_table(result.records, tz))
        report.written = written.written
        report.duplicates = written.duplicates
    if result.agent_spans and agent_states is not None:
        report.agent_spans = agent_states.write(spans_to_table(result.agent_spans, tz)).written
    return report


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
