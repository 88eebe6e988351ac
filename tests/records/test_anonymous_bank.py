"""The January 1999 file against the reference figures in shared/data/README.md."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds
import pytest

from callboard.errors import BadInput
from callboard.records import ImportReport, RecordDataset, import_files
from callboard.records.anonymous_bank import parse_anonymous_bank
from tests.records.anonymous_bank_rows import HEADER, row

GOOD = row()


def _table(dataset: RecordDataset):  # type: ignore[no-untyped-def]
    return ds.dataset(dataset.files(), format="parquet").to_table()


def test_january_counts_match_the_reference(
    january_import: tuple[RecordDataset, ImportReport],
) -> None:
    dataset, report = january_import
    assert report.rows_read == 31_599
    assert report.written == 31_599
    assert report.rejected == 0
    table = _table(dataset)
    outcomes = dict(zip(*pc.value_counts(table.column("outcome")).flatten(), strict=True))
    outcomes = {k.as_py(): v.as_py() for k, v in outcomes.items()}
    assert outcomes["phantom"] == 240
    assert outcomes["answered"] == 27_060
    assert outcomes["abandoned"] == 3_101
    assert outcomes["ivr_abandoned"] == 1_198
    assert outcomes["answered"] + outcomes["abandoned"] == 30_161
    real = table.filter(pc.not_equal(table.column("outcome"), "phantom"))
    assert pc.sum(real.column("queued")).as_py() == 16_686


def test_repairs_keep_real_quirks_and_say_so(
    january_import: tuple[RecordDataset, ImportReport],
) -> None:
    # 33 calls whose VRU clock runs backwards and 42 AGENT calls with no service
    # stage are real rows: kept, and each one listed as repaired.
    _, report = january_import
    assert report.repaired == 75


def test_reimport_changes_nothing(tmp_path: Path, january_file: Path) -> None:
    dataset = RecordDataset(tmp_path / "records")
    (first,) = import_files(dataset, "anonymous-bank", [january_file], tz="Asia/Jerusalem")
    files = dataset.files()
    (second,) = import_files(dataset, "anonymous-bank", [january_file], tz="Asia/Jerusalem")
    assert first.written == 31_599
    assert second.written == 0 and second.duplicates == 31_599
    assert dataset.files() == files


def _write(tmp_path: Path, body: bytes) -> Path:
    path = tmp_path / "calls.txt"
    path.write_bytes(body)
    return path


def test_bad_rows_are_rejected_with_file_line_and_field(tmp_path: Path) -> None:
    lines = [
        HEADER,
        GOOD,
        GOOD.replace("33118", "1")[:40],  # truncated
        GOOD.replace("33118", "2").replace("\t", " "),  # spaces instead of tabs: repaired
        GOOD.replace("33118", "3").replace("6:55:43\t6:56:37", "6:55:43\t6:50:00"),  # backwards
        GOOD.replace("33118", "4").replace("AGENT", "MAYBE"),
        GOOD.replace("33118", "5").replace("990101", "991399"),
    ]
    body = (
        "\r\n".join(lines).encode()
        + b"\r\nAA0101\t6\t\xff\xfe\t0\r\n"
        + GOOD.replace("33118", "7").encode()
    )
    path = _write(tmp_path, body)
    result = parse_anonymous_bank(path, tz="UTC", options={})
    assert result.rows_read == 8
    assert sorted(r.call_id.split(":")[1] for r in result.records) == ["2", "33118", "7"]
    reasons = {r.line: (r.field, r.reason) for r in result.rejections}
    assert set(reasons) == {3, 5, 6, 7, 8}
    assert "expected 17" in reasons[3][1]
    assert reasons[5][0] == "ser_exit" and "backwards" in reasons[5][1]
    assert reasons[6][0] == "outcome"
    assert reasons[7][0] == "date"
    assert "UTF-8" in reasons[8][1]
    assert [r.line for r in result.repaired] == [4]
    assert all(r.file == str(path) for r in result.rejections)


def test_a_stage_past_midnight_is_not_backwards(tmp_path: Path) -> None:
    row = GOOD.replace("6:55:43\t6:56:37\t54", "23:59:50\t0:00:40\t50").replace(
        "6:55:20\t6:55:26\t6\t6:55:26\t6:55:43\t17", "23:59:20\t23:59:26\t6\t23:59:26\t23:59:50\t24"
    )
    result = parse_anonymous_bank(
        _write(tmp_path, f"{HEADER}\n{row}\n".encode()), tz="UTC", options={}
    )
    (record,) = result.records
    assert record.ended_at is not None and record.answered_at is not None
    assert (record.ended_at - record.answered_at).total_seconds() == 50
    assert record.ended_at.day == 2


def test_a_file_of_another_format_is_refused_whole(tmp_path: Path) -> None:
    path = _write(tmp_path, b"1717397259|1717397243.239826|1501|NONE|ENTERQUEUE||9031396745|1\n")
    with pytest.raises(BadInput, match="not an anonymous-bank file"):
        parse_anonymous_bank(path, tz="UTC", options={})
    (report,) = import_files(RecordDataset(tmp_path / "r"), "anonymous-bank", [path])
    assert report.error and report.written == 0
