"""The generic CSV importer: the mapping file, its validation, and bad rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from callboard.domain import ContactRecord, Outcome
from callboard.errors import BadConfig, BadInput
from callboard.records import RecordDataset, import_files
from callboard.records.csv_mapped import load_mapping, parse_csv_mapped

SAMPLES = Path(__file__).parent / "samples"
CALLS = SAMPLES / "acd_calls.csv"
MAPPING = SAMPLES / "acd_mapping.toml"
HEADER = CALLS.read_text().splitlines()[0]
MINIMAL = """
[columns]
contact_id = "id"
queue = "q"
queued_at = "t"
outcome = "o"

[outcomes]
A = "answered"
"""


def _parse(path: Path = CALLS, mapping: Path = MAPPING, tz: str = "UTC") -> list[ContactRecord]:
    return parse_csv_mapped(path, tz=tz, options={"mapping": str(mapping)}).records


def _by_id(records: list[ContactRecord]) -> dict[str, ContactRecord]:
    return {r.contact_id: r for r in records}


def test_columns_times_and_outcomes_follow_the_mapping() -> None:
    calls = _by_id(_parse())
    c1 = calls["acme-acd:c1"]
    assert (c1.source, c1.queue, c1.outcome) == ("acme-acd", "support", Outcome.ANSWERED)
    assert (c1.agent, c1.caller, c1.call_id) == ("Anna", "5550001", "c1")
    # 08:00:10 on the Berlin clock in June (UTC+2), although --tz was UTC.
    assert c1.queued_at == datetime(2024, 6, 3, 6, 0, 10, tzinfo=UTC)
    assert c1.arrived_at == datetime(2024, 6, 3, 6, 0, 0, tzinfo=UTC)
    # Durations not in the CSV come from the times.
    assert (c1.ivr_s, c1.wait_s, c1.talk_s) == (10, 30, 300)
    assert c1.queued


def test_outcome_values_match_any_case_and_carry_exit_reasons() -> None:
    calls = _by_id(_parse())
    got = {k.split(":")[1]: (r.outcome, r.exit_reason, r.wait_s) for k, r in calls.items()}
    assert got["c2"] == (Outcome.ABANDONED, None, 60)  # "hangup" matched HANGUP
    assert got["c3"] == (Outcome.EXITED, "timeout", 300)
    assert got["c4"][0] is Outcome.ANSWERED  # "ok" matched OK
    assert got["c5"] == (Outcome.BLOCKED, "queue_full", None)
    assert not calls["acme-acd:c5"].queued


def test_a_mapped_duration_wins_over_the_times_and_reads_clock_form() -> None:
    c4 = _by_id(_parse())["acme-acd:c4"]
    assert c4.talk_s == 90  # "1:30", although the times say 58 s
    assert c4.wait_s == 0 and not c4.queued


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("[columns\n", "(file)", "not valid TOML"),
        ("colour = 'red'\n" + MINIMAL, "colour", "unknown key"),
        (MINIMAL.replace('queue = "q"', 'queue = "q"\nwait = "w"'), "columns.wait",
         "not a contact field"),
        (MINIMAL.replace('queue = "q"\n', ""), "columns.queue", "required"),
        (MINIMAL.replace('queue = "q"', 'queue = ""'), "columns.queue", "non-empty string"),
        ('time_format = "dd.mm.yyyy"\n' + MINIMAL, "time_format", "strptime"),
        ('timezone = "Mars/Olympus"\n' + MINIMAL, "timezone", "unknown time zone"),
        ('delimiter = ";;"\n' + MINIMAL, "delimiter", "one character"),
        (MINIMAL + '\n[time_formats]\nended_at = "epoch"\n', "time_formats.ended_at",
         "not a mapped time field"),
        (MINIMAL.replace('"answered"', '"served"'), "outcomes.A", "not an outcome"),
        (MINIMAL + 'a = "abandoned"\n', "outcomes.a", "given twice"),
        (MINIMAL.replace('A = "answered"', 'A = { outcome = "exited", why = "x" }'),
         "outcomes.A", "unknown keys"),
        (MINIMAL.replace('A = "answered"', ""), "outcomes", "missing"),
        ("columns = 3\n", "columns", "must be a table"),
    ],
)  # fmt: skip
def test_a_bad_mapping_names_its_file_and_key(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    path = _mapping(tmp_path, text)
    with pytest.raises(BadConfig) as caught:
        load_mapping(path)
    assert caught.value.file == str(path)
    assert caught.value.key == key
    assert problem in caught.value.problem


def test_a_missing_mapping_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(BadConfig, match="cannot read the mapping"):
        _parse(mapping=tmp_path / "nowhere.toml")


def test_the_csv_format_needs_a_mapping() -> None:
    with pytest.raises(BadInput, match="--mapping FILE"):
        parse_csv_mapped(CALLS, tz="UTC", options={})


def test_a_file_without_the_mapped_columns_is_refused_whole(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no column"):
        _parse(path=SAMPLES / "freeswitch_members.csv")
    (report,) = import_files(
        RecordDataset(tmp_path / "r"), "csv", [SAMPLES / "queue_log.txt"],
        options={"mapping": str(MAPPING)},
    )  # fmt: skip
    assert report.error and "not a CSV described by" in report.error


def test_epoch_time_formats_per_field(tmp_path: Path) -> None:
    mapping = _mapping(
        tmp_path,
        MINIMAL.replace('outcome = "o"', 'outcome = "o"\nanswered_at = "ans"')
        + '\n[time_formats]\nqueued_at = "epoch"\nanswered_at = "epoch_ms"\n',
    )
    data = tmp_path / "calls.csv"
    data.write_text("id,q,t,ans,o\n7,main,1717400000,1717400012500,A\n")
    (record,) = _parse(path=data, mapping=mapping)
    assert record.queued_at == datetime.fromtimestamp(1717400000, UTC)
    assert record.wait_s == 12.5


def test_bad_rows_are_rejected_with_line_column_and_reason(tmp_path: Path) -> None:
    good = CALLS.read_text().splitlines()[1].replace("c1", "b1")
    rows = [
        HEADER.encode(),
        good.encode(),
        good.replace("b1", "b2").replace(";OK;", ";LOST;").encode(),  # 3: unmapped outcome
        good.replace("b1", "b3").replace("03.06.2024 08:00:10", "3 June").encode(),  # 4: bad time
        good.replace("b1", "b4").replace("08:05:40", "08:00:20").encode(),  # 5: ends before answer
        good.replace("b1", "b5").encode() + b"-5",  # 6: negative talk
        good.replace("b1", "b6")[:40].encode(),  # 7: truncated
        good.replace("b1", "b7").replace("Anna", "J\xfcrgen").encode("latin-1"),  # 8: not UTF-8
        good.replace("b1", "").encode(),  # 9: no contact id
    ]
    path = tmp_path / "calls.csv"
    path.write_bytes(b"\n".join(rows) + b"\n")
    result = parse_csv_mapped(path, tz="UTC", options={"mapping": str(MAPPING)})
    assert result.rows_read == 8
    assert [r.contact_id for r in result.records] == ["acme-acd:b1"]
    reasons = {r.line: r for r in result.rejections}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert reasons[3].field == "Result" and "'LOST' is not in [outcomes]" in reasons[3].reason
    assert reasons[4].field == "QueueStart" and "time format" in reasons[4].reason
    assert reasons[5].field == "Ended" and "backwards" in reasons[5].reason
    assert reasons[6].field == "Talk" and "not a duration" in reasons[6].reason
    assert "expected 10" in reasons[7].reason
    assert "UTF-8" in reasons[8].reason
    assert reasons[9].field == "CallID" and "required" in reasons[9].reason


def test_reimporting_changes_nothing(tmp_path: Path) -> None:
    dataset = RecordDataset(tmp_path / "records")
    options = {"mapping": str(MAPPING)}
    (first,) = import_files(dataset, "csv", [CALLS], tz="Europe/Berlin", options=options)
    files = dataset.files()
    (second,) = import_files(dataset, "csv", [CALLS], tz="Europe/Berlin", options=options)
    assert first.written == 5 and first.rejected == 0
    assert second.written == 0 and second.duplicates == 5
    assert dataset.files() == files
