"""Following a live Asterisk queue_log: import each call once it has finished.

For sites where the PBX routes calls itself. The file is read from a byte
offset; lines of calls that are still open are carried to the next round and
parsed again with the lines that follow, so a contact is written only when its
ending event has arrived. Re-writing is harmless (contacts are deduplicated by
id), which makes the carry-over simple. Agent events are not followed here: a
login span still open would be written before its end is known.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from callboard.records.asterisk_queue_log import NO_CALL, parse_asterisk_queue_log
from callboard.records.dataset import RecordDataset
from callboard.records.importer import ImportReport
from callboard.records.schema import records_to_table


@dataclass
class QueueLogFollower:
    path: Path
    dataset: RecordDataset
    tz: str = "UTC"
    offset: int = 0
    carried: list[str] = field(default_factory=list)  # lines of calls still in progress
    written: int = 0

    @property
    def calls_in_progress(self) -> int:
        """Calls begun but not ended: the distinct call ids of the carried lines."""
        return len({line.split("|")[1] for line in self.carried})

    def poll(self) -> ImportReport:
        """Read what was appended since the last poll and write the calls that ended."""
        report = ImportReport(file=str(self.path), format="asterisk-queue-log", tz=self.tz)
        with open(self.path, "rb") as handle:
            if handle.seek(0, 2) < self.offset:
                self.offset = 0  # the log was rotated: start the new file from the top
            handle.seek(self.offset)
            chunk = handle.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]  # a line still being written waits
        self.offset += len(complete)
        lines = self.carried + complete.decode("utf-8", errors="replace").splitlines()
        if not lines:
            return report
        with tempfile.TemporaryDirectory() as folder:
            batch = Path(folder) / self.path.name
            batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
            result = parse_asterisk_queue_log(batch, tz=self.tz, options={})
        finished = {record.call_id for record in result.records}
        self.carried = [line for line in lines if _open_call(line, finished)]
        report.rows_read = len(lines)
        if result.records:
            stored = self.dataset.write(records_to_table(result.records, self.tz))
            report.written, report.duplicates = stored.written, stored.duplicates
            self.written += stored.written
        report.rejections = result.rejections
        report.rejected = len(result.rejections)
        return report


def _open_call(line: str, finished: set[str]) -> bool:
    """Whether a line belongs to a call that has not produced its contact yet."""
    fields = line.split("|")
    if len(fields) < 5:
        return False
    callid = fields[1]
    return callid not in NO_CALL and callid not in finished
