"""Reading count files: both layouts, grids with missing days, and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from callboard.errors import BadInput, BadRecord
from callboard.forecast import read_counts


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "counts.csv"
    path.write_text(text)
    return path


def test_bank_calls_layout_reads_as_one_queue_with_missing_days_absent(
    bank_calls_file: Path,
) -> None:
    series = read_counts(bank_calls_file)["all"]
    assert series.counts.shape == (83, 169)
    assert series.start_minute == 7 * 60 and series.interval == 5
    assert np.datetime64("2003-04-04") not in series.days  # a missing Friday stays missing
    assert series.counts.sum() > 0


def test_queue_column_splits_and_interval_option_sums(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "timestamp,queue,count\n"
        "2024-01-01T08:00,a,1\n2024-01-01T08:15,a,2\n2024-01-01T08:30,a,4\n"
        "2024-01-01T08:00,b,7\n",
    )
    series = read_counts(path, interval=30)
    assert sorted(series) == ["a", "b"]
    assert series["a"].counts.tolist() == [[3.0, 4.0]]
    assert series["a"].interval_starts() == ["08:00", "08:30"]


def test_negative_count_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "timestamp,count\n2024-01-01T08:00,3\n2024-01-01T08:15,-2\n")
    with pytest.raises(BadRecord) as error:
        read_counts(path)
    assert (error.value.line, error.value.field) == (3, "count")
    assert str(path) in str(error.value) and "negative value -2" in str(error.value)


def test_duplicate_timestamp_points_at_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "timestamp,count\n2024-01-01T08:00,3\n2024-01-01T08:00,4\n")
    with pytest.raises(BadRecord, match="first on line 2") as error:
        read_counts(path)
    assert (error.value.line, error.value.field) == (3, "timestamp")


def test_timestamp_off_the_grid_is_an_overlap(tmp_path: Path) -> None:
    rows = "".join(f"2024-01-01T08:{m:02d},1\n" for m in (0, 15, 30, 45)) + "2024-01-01T09:05,1\n"
    path = write(tmp_path, "timestamp,count\n" + rows)
    with pytest.raises(BadRecord, match="overlaps the 15-minute intervals") as error:
        read_counts(path)
    assert error.value.line == 6


def test_interval_finer_than_the_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "timestamp,count\n2024-01-01T08:00,3\n2024-01-01T08:30,4\n")
    with pytest.raises(BadInput, match="multiple of 30 minutes"):
        read_counts(path, interval=15)


def test_unknown_header_lists_what_was_expected(tmp_path: Path) -> None:
    path = write(tmp_path, "when,n\n2024-01-01T08:00,3\n")
    with pytest.raises(BadInput, match="no timestamp column"):
        read_counts(path)
