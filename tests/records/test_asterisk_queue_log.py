"""The Asterisk queue_log importer on the example lines of shared/formats and on bad input."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callboard.domain import ContactRecord, Outcome
from callboard.errors import BadInput
from callboard.records import RecordDataset, import_files
from callboard.records.asterisk_queue_log import BACKWARDS_TOLERANCE_S, parse_asterisk_queue_log

SAMPLES = Path(__file__).parent / "samples"
SAMPLE = SAMPLES / "queue_log.txt"
TRANSFERRED = "1717397990.11"


def _parse(path: Path, tz: str = "UTC") -> list[ContactRecord]:
    return parse_asterisk_queue_log(path, tz=tz, options={}).records


def _by_call(records: list[ContactRecord]) -> dict[str, list[ContactRecord]]:
    calls: dict[str, list[ContactRecord]] = {}
    for record in records:
        calls.setdefault(record.call_id, []).append(record)
    return calls


def test_the_formats_doc_example_is_one_answered_contact() -> None:
    (call,) = _by_call(_parse(SAMPLE))["1717397243.239826"]
    assert call.outcome is Outcome.ANSWERED
    assert call.queue == "1501" and call.agent == "PJSIP/7009" and call.caller == "9031396745"
    assert call.queued_at == datetime.fromtimestamp(1717397259, UTC)
    assert call.answered_at == datetime.fromtimestamp(1717397271, UTC)
    assert call.ended_at == datetime.fromtimestamp(1717397570, UTC)
    # holdtime and calltime are seconds; CONNECT's ringtime is seconds too.
    assert (call.wait_s, call.talk_s, call.ring_s) == (12, 299, 11)
    assert call.queued


def test_a_transfer_into_another_queue_is_a_second_contact_of_the_same_call() -> None:
    first, second = _by_call(_parse(SAMPLE))[TRANSFERRED]
    assert (first.queue, second.queue) == ("sales", "support")
    assert first.contact_id != second.contact_id
    assert first.outcome is second.outcome is Outcome.ANSWERED
    assert first.attributes["end_event"] == "BLINDTRANSFER"
    assert (first.wait_s, first.talk_s, first.agent) == (20, 80, "PJSIP/7002")
    assert (second.wait_s, second.talk_s, second.agent) == (10, 300, "PJSIP/7009")


def test_ring_times_in_milliseconds_add_up_per_contact() -> None:
    calls = _by_call(_parse(SAMPLE))
    (timeout,) = calls["1717400100.7"]
    assert timeout.ring_s == pytest.approx(22.5)  # 10000 ms + 12500 ms
    assert timeout.attributes["ring_attempts"] == "2"
    first, _ = calls[TRANSFERRED]
    assert first.ring_s == pytest.approx(20)  # 15000 ms unanswered + 5 s to the answer


def test_each_way_out_of_the_queue_has_its_outcome() -> None:
    outcomes = {
        call: [(r.outcome, r.exit_reason, r.wait_s) for r in records]
        for call, records in _by_call(_parse(SAMPLE)).items()
    }
    assert outcomes["1717399950.5"] == [(Outcome.ABANDONED, None, 50)]
    assert outcomes["1717400100.7"] == [(Outcome.EXITED, "timeout", 300)]
    assert outcomes["1717400500.8"] == [(Outcome.EXITED, "exit_key", 30)]
    assert outcomes["1717400600.9"] == [(Outcome.EXITED, "leave_empty", 5)]
    assert outcomes["1717400700.10"] == [(Outcome.EXITED, "withdraw", 60)]
    assert outcomes["1717400800.11"] == [(Outcome.BLOCKED, "queue_full", None)]
    assert outcomes["1717400810.12"] == [(Outcome.BLOCKED, "join_empty", None)]


def test_orphans_unknown_and_agent_events_are_counted_not_rejected() -> None:
    result = parse_asterisk_queue_log(SAMPLE, tz="UTC", options={})
    assert result.rows_read == 33
    assert result.rejections == []
    assert len(result.records) == 10
    assert result.counters == {
        "orphan_events": 2,  # a RINGNOANSWER and a COMPLETECALLER with no ENTERQUEUE
        "unfinished_contacts": 1,  # the last ENTERQUEUE, cut off by the end of the file
        "unknown_events": 1,
        "unknown_event:DID": 1,
        "agent_events": 4,
        "system_events": 1,
    }


def _database_form(tz: str, *, single_data_column: bool) -> str:
    """The sample file as a queue_log table export, rows shuffled as a table has no order."""
    zone = ZoneInfo(tz)
    rows = []
    for line in SAMPLE.read_text().splitlines():
        epoch, *keys, event = line.split("|")[:5]
        data = line.split("|")[5:]
        local = datetime.fromtimestamp(int(epoch), zone).strftime("%Y-%m-%d %H:%M:%S.%f")
        padded = [*data, "", "", "", ""]
        cells = ["|".join(data)] if single_data_column else [*padded[:4], "|".join(data[4:])]
        rows.append(",".join([local, *keys, event, *(f'"{c}"' for c in cells)]))
    random.Random(2).shuffle(rows)
    columns = "data" if single_data_column else "data1,data2,data3,data4,data5"
    return "\n".join([f"time,callid,queuename,agent,event,{columns}", *rows]) + "\n"


@pytest.mark.parametrize("single_data_column", [False, True])
def test_the_database_form_gives_the_same_contacts(
    tmp_path: Path, single_data_column: bool
) -> None:
    path = tmp_path / "queue_log.csv"
    path.write_text(_database_form("Europe/Berlin", single_data_column=single_data_column))
    from_table = parse_asterisk_queue_log(path, tz="Europe/Berlin", options={})
    assert from_table.rejections == []
    assert sorted(from_table.records, key=lambda r: r.contact_id) == sorted(
        _parse(SAMPLE), key=lambda r: r.contact_id
    )


def test_a_table_export_without_the_queue_log_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "queue_log.csv"
    path.write_text("time,callid,event,agent\n2024-06-03 08:00:00,1.1,ENTERQUEUE,NONE\n")
    with pytest.raises(BadInput, match="no column queuename"):
        parse_asterisk_queue_log(path, tz="UTC", options={})


def test_a_bad_table_time_is_rejected_with_its_column(tmp_path: Path) -> None:
    path = tmp_path / "queue_log.csv"
    path.write_text(
        "time,callid,queuename,agent,event,data\n"
        "2024-06-03 08:00:00,1.1,q,NONE,ENTERQUEUE,|555|1\n"
        "2024-06-03 08:00:30,1.1,q,NONE,ABANDON,1|1|30\n"
        "yesterday,2.2,q,NONE,ENTERQUEUE,|556|1\n"
    )
    result = parse_asterisk_queue_log(path, tz="UTC", options={})
    assert [r.call_id for r in result.records] == ["1.1"]
    ((line, field),) = [(r.line, r.field) for r in result.rejections]
    assert (line, field) == (4, "time")


def test_bad_lines_are_rejected_with_line_and_reason_and_the_rest_kept(tmp_path: Path) -> None:
    lines = [
        b"1717500000|A|support|NONE|ENTERQUEUE||555|1",  # 1: A is fine
        b"1717500010|A|support|Bob|CONNECT|10|x.1|2",
        b"1717500100|A|support|Bob|COMPLETECALLER|10|90|1",
        b"1717500200|B|support|NONE|ENTERQUEUE||556|1",  # 4: B's ABANDON is cut short
        b"1717500230|B|support|NONE|ABANDON|3",
        b"1717500300|C|support|NONE|ENTERQUEUE||557|1",  # 6: C's holdtime is not a number
        b"1717500310|C|support|Bob|CONNECT|ten|x.2|2",
        b"1717500320|C|support|Bob|COMPLETECALLER|10|10|1",
        b"just some text",  # 9: wrong field count
        b"1717500400|D|support|NONE|ENTERQUEUE||\xff\xfe|1",  # 10: not UTF-8
        b"1717500430|D|support|NONE|ABANDON|1|1|30",
        b"1717500440|E|support|NONE|MYCUSTOMEVENT|x",  # 12: unknown: counted only
        b"1717500500|F|support|NONE|ENTERQUEUE||558|1",  # 13: F's clock steps back 100 s
        b"1717500400|F|support|Bob|CONNECT|0|x.3|1",
        b"1717500600|F|support|Bob|COMPLETECALLER|0|5|1",
        b"1717500700|G|support|NONE|ENTERQUEUE||559|1",  # 16: one second back is tolerated
        b"1717500699|G|support|Bob|CONNECT|0|x.4|1",
        b"1717500800|G|support|Bob|COMPLETEAGENT|0|101|1",
        b"1717500900|H|support|NONE|ENTERQUEUE||560|1",  # 19: abandoned after it was answered
        b"1717500905|H|support|Bob|CONNECT|5|x.5|1",
        b"1717500990|H|support|NONE|ABANDON|1|1|90",
        b"notanepoch|I|support|NONE|ENTERQUEUE||561|1",  # 22: bad time
        b"1717501000|I|support|NONE|ABANDON|1|1|30",
        b"1717501100|J|sup",  # 24: truncated mid-queue: J's callid is still whole
        b"1717501000|J|support|NONE|ENTERQUEUE||562|1",
        b"1717501030|J|support|NONE|ABANDON|1|1|30",
    ]
    path = tmp_path / "queue_log"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = parse_asterisk_queue_log(path, tz="UTC", options={})
    assert result.rows_read == len(lines)
    assert sorted(r.call_id for r in result.records) == ["A", "G"]
    reasons = {r.line: r for r in result.rejections}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 19, 20, 21, 22, 23, 24, 25, 26]
    assert "ABANDON needs 3 data fields" in reasons[5].reason
    assert "line 5 of the call was rejected" in reasons[4].reason
    assert reasons[7].field == "data1" and "'ten'" in reasons[7].reason
    assert "expected at least 5" in reasons[9].reason
    assert "UTF-8" in reasons[10].reason
    assert all("times go backwards" in reasons[n].reason for n in (13, 14, 15))
    assert "100 s before ENTERQUEUE at line 13" in reasons[14].reason
    assert "after CONNECT" in reasons[21].reason and "rejected at line 21" in reasons[19].reason
    assert reasons[22].field == "time"
    assert "expected at least 5" in reasons[24].reason and "line 24" in reasons[25].reason
    assert all(r.file == str(path) for r in result.rejections)
    # D lost its ENTERQUEUE to bad bytes, so its ABANDON has nothing to close.
    assert result.counters["orphan_events"] == 1
    assert result.counters["unknown_event:MYCUSTOMEVENT"] == 1
    (g,) = [r for r in result.records if r.call_id == "G"]
    assert g.talk_s == 101


def test_a_file_that_is_not_a_queue_log_is_refused_whole(
    tmp_path: Path, january_file: Path
) -> None:
    path = tmp_path / "calls.txt"
    with open(january_file, "rb") as handle:
        path.write_bytes(b"".join(handle.readline() for _ in range(5)))
    with pytest.raises(BadInput, match="not an Asterisk queue_log"):
        parse_asterisk_queue_log(path, tz="UTC", options={})
    (report,) = import_files(RecordDataset(tmp_path / "r"), "asterisk-queue-log", [path])
    assert report.error and "queue_log" in report.error and report.written == 0


def test_reimporting_changes_nothing(tmp_path: Path) -> None:
    dataset = RecordDataset(tmp_path / "records")
    (first,) = import_files(dataset, "asterisk-queue-log", [SAMPLE], tz="Europe/Berlin")
    files = dataset.files()
    (second,) = import_files(dataset, "asterisk-queue-log", [SAMPLE], tz="Europe/Berlin")
    assert first.written == 10 and first.counters["orphan_events"] == 2
    assert second.written == 0 and second.duplicates == 10
    assert dataset.files() == files


def test_a_call_split_by_log_rotation_keeps_both_contacts(tmp_path: Path) -> None:
    lines = SAMPLE.read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if "|support|NONE|ENTERQUEUE" in line)
    before, after = tmp_path / "queue_log.1", tmp_path / "queue_log"
    before.write_text("\n".join(lines[:cut]) + "\n")
    after.write_text("\n".join(lines[cut:]) + "\n")
    dataset = RecordDataset(tmp_path / "records")
    reports = import_files(dataset, "asterisk-queue-log", [before, after])
    assert [r.written for r in reports] == [2, 8]  # the transfer's halves sit in both files


EVENTS = ["ENTERQUEUE", "CONNECT", "COMPLETECALLER", "ABANDON", "EXITWITHKEY", "RINGNOANSWER",
          "ATTENDEDTRANSFER", "FULL", "PAUSE", "DID", ""]  # fmt: skip
FIELD = st.sampled_from(["", "0", "12", "-3", "x", "1.5", "NONE"])
LINE = st.tuples(
    st.integers(1_717_400_000, 1_717_400_020).map(str) | FIELD,
    st.sampled_from(["A", "B", "NONE", ""]),
    st.sampled_from(["q", "NONE"]),
    st.sampled_from(["Bob", "NONE"]),
    st.sampled_from(EVENTS),
    st.lists(FIELD, max_size=6),
).map(lambda t: "|".join([*t[:5], *t[5]]))


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE | st.sampled_from(["", "garbage", "1|2"]), min_size=1, max_size=12))
def test_any_mix_of_lines_is_either_imported_or_refused_whole(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "queue_log"
    path.write_text("\n".join(lines) + "\n")
    try:
        result = parse_asterisk_queue_log(path, tz="UTC", options={})
    except BadInput:
        return
    assert len({r.line for r in result.rejections}) <= result.rows_read
    for record in result.records:
        assert record.ended_at is not None and record.ended_at >= record.queued_at - timedelta(
            seconds=BACKWARDS_TOLERANCE_S
        )
        assert all(v is None or v >= 0 for v in (record.wait_s, record.talk_s, record.ring_s))
