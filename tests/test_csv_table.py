"""The one CSV reader: line by line, so one bad line costs one row, with file and line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from callboard.csv_table import CsvRow, open_csv, read_table
from callboard.errors import BadInput, BadRecord


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "table.csv"
    path.write_bytes(data)
    return path


def test_an_exported_file_keeps_every_good_row_around_a_bad_one(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfId,Name\n1,ana\n\n2,J\xfcrgen\n3\n4, ben \n")
    table = open_csv(path)
    assert table.header == ["id", "name"]  # the byte-order mark is gone, names lower case
    rows = list(table.rows())
    assert [r for r in rows if isinstance(r, CsvRow)] == [
        CsvRow(2, {"id": "1", "name": "ana"}),
        CsvRow(6, {"id": "4", "name": "ben"}),
    ]
    bad = {r.line: r.reason for r in rows if isinstance(r, BadRecord)}
    assert "not UTF-8 at column 4" in bad[4] and "has 1 fields, expected 2" in bad[5]


def test_a_hand_edited_table_may_leave_out_trailing_cells(tmp_path: Path) -> None:
    path = write(tmp_path, b"date,kind,note\n2024-01-01,holiday\n,,\n2024-01-02,event,x,\n")
    header, rows = read_table(path, "calendar", ["date", "kind"])
    assert header == ["date", "kind", "note"]
    assert list(rows) == [
        (2, {"date": "2024-01-01", "kind": "holiday", "note": ""}),
        (4, {"date": "2024-01-02", "kind": "event", "note": "x"}),
    ]


def test_a_cell_past_the_header_stops_a_hand_edited_table(tmp_path: Path) -> None:
    path = write(tmp_path, b"name,skills\nana,billing,tech\n")
    with pytest.raises(BadRecord, match="has 3 fields, expected 2") as caught:
        read_table(path, "agents", ["name"])
    assert (caught.value.file, caught.value.line) == (str(path), 2)


def test_missing_columns_and_unreadable_files_are_refused_whole(tmp_path: Path) -> None:
    path = write(tmp_path, b"when,calls\n")
    with pytest.raises(BadInput, match="needs the columns timestamp, count; missing timestamp"):
        read_table(path, "volume", ["timestamp", "count"])
    with pytest.raises(BadInput, match="cannot read the file"):
        open_csv(tmp_path / "nowhere.csv")
    with pytest.raises(BadInput, match="starts with a line that is not UTF-8"):
        read_table(write(tmp_path, b"n\xe4me\n"), "people", ["name"])
