from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from callboard.domain import Event, EventType
from callboard.records import RecordDataset, import_files
from callboard.store import EventLog, ImportLog
from tests.records.anonymous_bank_rows import HEADER, row


def test_event_log_round_trips_in_append_order(store: Engine) -> None:
    log = EventLog(store)
    batch = [
        Event(EventType.CONTACT_ARRIVED, 1000.5, contact_id="c1", queue="heating",
              data={"priority": 2}),
        Event(EventType.AGENT_STATE_CHANGED, 1001.0, agent_id="a1",
              data={"state": "ready", "reason": None}),
        Event(EventType.CONTACT_ANSWERED, 1002.25, contact_id="c1", agent_id="a1", queue="heating"),
    ]  # fmt: skip
    assert log.append(batch) == 3
    assert log.append([]) == 0
    read = list(log.read())
    assert [event for _, event in read] == batch
    seqs = [seq for seq, _ in read]
    assert seqs == sorted(seqs)
    assert [e for _, e in log.read(after=seqs[0])] == batch[1:]


def test_import_log_keeps_every_rejected_and_repaired_line(store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "calls.txt"
    lines = [HEADER, row(call_id="1"), row(call_id="2")[:30], row(call_id="3").replace("\t", "  ")]
    path.write_text("\n".join(lines) + "\n")
    (report,) = import_files(RecordDataset(tmp_path / "r"), "anonymous-bank", [path])
    log = ImportLog(store)
    import_id = log.record(report)
    assert log.count() == 1
    (stored,) = log.imports_of(report.sha256)
    assert stored["written"] == 2 and stored["rejected"] == 1 and stored["repaired"] == 1
    issues = log.issues(import_id)
    assert [(i.kind, i.line) for i in issues] == [("rejected", 3), ("repaired", 4)]
    assert "expected 17" in issues[0].reason
