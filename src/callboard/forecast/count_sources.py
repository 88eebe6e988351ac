"""Where interval counts come from: a counts file or the workspace's contact records."""

from __future__ import annotations

from pathlib import Path

from callboard.errors import BadInput
from callboard.forecast.counts_file import read_counts
from callboard.forecast.records_counts import counts_from_records
from callboard.forecast.series import DailyCounts
from callboard.records import RecordDataset

RECORDS_DEFAULT_INTERVAL = 30


def load_counts(
    *, counts: Path | None, records: RecordDataset | None, interval: int | None
) -> dict[str, DailyCounts]:
    """Per-queue counts from exactly one source; records default to 30-minute intervals."""
    if counts is not None and records is None:
        return read_counts(counts, interval)
    if records is not None and counts is None:
        return counts_from_records(records, interval or RECORDS_DEFAULT_INTERVAL)
    raise BadInput("give either --counts FILE or --records, not both and not neither")
