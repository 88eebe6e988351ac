"""The mod_callcenter member-record importer: outcomes, cancel reasons and bad rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from callboard.domain import ContactRecord, Outcome
from callboard.errors import BadInput
from callboard.records import RecordDataset, import_files
from callboard.records.freeswitch_callcenter import parse_freeswitch_callcenter

SAMPLES = Path(__file__).parent / "samples"
SAMPLE = SAMPLES / "freeswitch_members.csv"
HEADER = SAMPLE.read_text().splitlines()[0]


def _members(path: Path) -> dict[str, ContactRecord]:
    result = parse_freeswitch_callcenter(path, tz="UTC", options={})
    return {r.contact_id.split(":")[1]: r for r in result.records}


def test_an_answered_member_has_wait_talk_and_agent() -> None:
    m1 = _members(SAMPLE)["m1"]
    assert m1.outcome is Outcome.ANSWERED
    assert m1.contact_id == "fs:m1:1717400010" and m1.call_id == "a1"
    assert (m1.queue, m1.agent, m1.caller) == ("support@default", "1000@default", "5550001")
    assert m1.arrived_at == datetime.fromtimestamp(1717400000, UTC)
    assert m1.queued_at == datetime.fromtimestamp(1717400010, UTC)
    assert (m1.ivr_s, m1.wait_s, m1.talk_s) == (10, 30, 300)
    assert m1.queued


def test_an_answer_without_waiting_is_not_queued() -> None:
    m9 = _members(SAMPLE)["m9"]
    assert m9.outcome is Outcome.ANSWERED and m9.wait_s == 0 and not m9.queued


def test_cancel_reasons_split_abandons_from_system_exits() -> None:
    members = _members(SAMPLE)
    got = {k: (members[k].outcome, members[k].exit_reason, members[k].wait_s) for k in members}
    assert got["m2"] == (Outcome.ABANDONED, None, 60)  # BREAK_OUT: the caller hung up
    assert got["m3"] == (Outcome.EXITED, "timeout", 300)
    assert got["m4"] == (Outcome.EXITED, "leave_empty", 30)
    assert got["m5"] == (Outcome.EXITED, "exit_key", 20)  # BREAK_OUT with cc_exit_key
    assert members["m5"].attributes == {"cancel_reason": "BREAK_OUT", "exit_key": "5"}
    assert all(members[k].agent is None for k in ("m2", "m3", "m4", "m5"))


def test_agent_legs_and_rows_outside_queues_are_counted_not_imported() -> None:
    result = parse_freeswitch_callcenter(SAMPLE, tz="UTC", options={})
    assert result.rows_read == 9 and len(result.records) == 6 and result.rejections == []
    assert result.counters == {"agent_legs": 1, "not_queued": 1, "unfinished_contacts": 1}


def test_bad_rows_are_rejected_with_line_field_and_reason(tmp_path: Path) -> None:
    good = "b1,member,q,g1,1,1717400000,1717400000,1717400010,1717400100,,answered,,1000,"
    rows = [
        HEADER.encode(),
        good.encode(),
        good.replace("g1", "g2")[:30].encode(),  # 3: truncated
        good.replace("g1", "g3").replace(",1,", ",\xe9,").encode("latin-1"),  # 4: not UTF-8
        good.replace("g1", "g4").replace("1717400010", "1717399990").encode(),  # 5: backwards
        b"b6,member,q,g6,1,,1717400000,,,1717400010,cancel,NONE,,",  # 6: no reason
        good.replace("g1", "g7").replace("answered", "maybe").encode(),  # 7: unknown cause
        good.replace("g1", "g8").replace("1717400010", "").encode(),  # 8: answered, no time
        good.replace("g1", "g9").replace("1717400100", "soon").encode(),  # 9: bad epoch
        good.replace("g1", "g10").encode() + b",extra",  # 10: one field too many
    ]
    path = tmp_path / "members.csv"
    path.write_bytes(b"\r\n".join(rows) + b"\r\n")
    result = parse_freeswitch_callcenter(path, tz="UTC", options={})
    assert result.rows_read == 9
    assert [r.contact_id for r in result.records] == ["fs:g1:1717400000"]
    reasons = {r.line: r for r in result.rejections}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "expected 14" in reasons[3].reason and "expected 14" in reasons[10].reason
    assert "UTF-8" in reasons[4].reason
    assert reasons[5].field == "cc_queue_answered_epoch" and "backwards" in reasons[5].reason
    assert reasons[6].field == "cc_cancel_reason" and "'NONE'" in reasons[6].reason
    assert reasons[7].field == "cc_cause"
    assert reasons[8].field == "cc_queue_answered_epoch" and "empty" in reasons[8].reason
    assert reasons[9].field == "cc_queue_terminated_epoch"


def test_a_file_that_is_not_member_records_is_refused_whole(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no column cc_queue"):
        parse_freeswitch_callcenter(SAMPLES / "queue_log.txt", tz="UTC", options={})
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(BadInput, match="is empty"):
        parse_freeswitch_callcenter(empty, tz="UTC", options={})
    garbage = tmp_path / "garbage.csv"
    garbage.write_text(HEADER + "\n" + "x," * 13 + "x\n")
    with pytest.raises(BadInput, match="no row could be read"):
        parse_freeswitch_callcenter(garbage, tz="UTC", options={})


def test_reimporting_changes_nothing(tmp_path: Path) -> None:
    dataset = RecordDataset(tmp_path / "records")
    (first,) = import_files(dataset, "freeswitch-callcenter", [SAMPLE], tz="America/New_York")
    files = dataset.files()
    (second,) = import_files(dataset, "freeswitch-callcenter", [SAMPLE], tz="America/New_York")
    assert first.written == 6 and first.counters["agent_legs"] == 1
    assert second.written == 0 and second.duplicates == 6
    assert dataset.files() == files
