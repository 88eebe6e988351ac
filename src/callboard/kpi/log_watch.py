"""A live PBX log followed into the records, with the last minutes' figures after each read.

The figures come from the records just written, through the same KPI engine
as any report, so the numbers a watcher sees are the ones `callboard kpi`
prints for the same minutes later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from callboard.domain import seconds
from callboard.errors import BadInput
from callboard.kpi.query import compute_kpis
from callboard.records import QueueLogFollower, RecordDataset, Rejection

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class WatchRead:
    """One read: contacts written in all and by this read, calls still open, the lines
    rejected, and the figures of the WINDOW before `at`."""

    at: datetime
    written: int
    new: int
    in_progress: int
    rejections: list[Rejection]
    offered: int
    sl: float | None
    abandon_rate: float | None


class QueueLogWatch:
    def __init__(self, follower: QueueLogFollower, pause_s: float) -> None:
        self.follower = follower
        self.pause_s = pause_s

    def read(self) -> WatchRead:
        report = self.follower.poll()
        now = datetime.now(UTC)
        (total,) = compute_kpis(self.follower.dataset, start=now - WINDOW, end=now).rows
        return WatchRead(
            at=now, written=self.follower.written, new=report.written,
            in_progress=self.follower.calls_in_progress, rejections=report.rejections,
            offered=total["offered"], sl=total["sl"], abandon_rate=total["abandon_rate"],
        )  # fmt: skip


def watch_queue_log(
    file: Path, records: Callable[[], RecordDataset], *, tz: str = "UTC", every: str = "5s"
) -> QueueLogWatch:
    """A watch on an Asterisk queue_log read every `every` ("5s", "1m"). `records` opens the
    dataset only once the options are good, so a mistyped command creates nothing."""
    pause = seconds(every, what="--every")
    if not file.exists():
        raise BadInput(f"{file} does not exist")
    return QueueLogWatch(QueueLogFollower(file, records(), tz=tz), pause)
