"""Following a live queue_log: each call is written once, when it has ended."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from callboard.cli.app import app
from callboard.records import RecordDataset
from callboard.records.follow import QueueLogFollower

FIRST = """\
1717397259|c1|support|NONE|ENTERQUEUE||9031396745|1
1717397271|c1|support|PJSIP/7009|CONNECT|12|c1.1|11
1717397300|c2|support|NONE|ENTERQUEUE||9031396746|1
1717397570|c1|support|PJSIP/7009|COMPLETEAGENT|12|299|1
1717397600|NONE|support|PJSIP/7009|PAUSE|lunch
"""
REST = """\
1717397650|c2|support|NONE|ABANDON|1|1|350
"""


def test_calls_are_written_when_they_end_and_never_twice(tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_text(FIRST + REST[:20])  # the last line is still being written
    follower = QueueLogFollower(log, RecordDataset(tmp_path / "records"))
    first = follower.poll()
    assert first.written == 1  # c1 ended; c2 is still waiting
    assert {line.split("|")[1] for line in follower.carried} == {"c2"}
    with log.open("a") as handle:
        handle.write(REST[20:])
    second = follower.poll()
    assert second.written == 1 and follower.written == 2
    assert follower.carried == []
    assert follower.poll().written == 0


def test_a_rotated_log_is_read_from_the_top(tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_text(FIRST + REST)
    follower = QueueLogFollower(log, RecordDataset(tmp_path / "records"))
    assert follower.poll().written == 2
    log.write_text(FIRST.replace("c1", "c9")[:120] + "\n")  # smaller: a new file
    follower.poll()
    assert follower.offset == len((FIRST.replace("c1", "c9")[:120] + "\n").encode())


def test_watch_once_imports_and_reports(tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_text(FIRST + REST)
    args = ["--data", str(tmp_path), "watch", "asterisk-queue-log", str(log), "--once"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "contacts written 2" in result.output
    missing = CliRunner().invoke(
        app, ["--data", str(tmp_path), "watch", "asterisk-queue-log", str(tmp_path / "nope")]
    )
    assert missing.exit_code == 2
