"""Finding incidents: runs of bad intervals per queue, merged, plus surge-plan spans.

The interval figures come from the KPI engine (`compute_kpis` by queue and
interval), so an incident's SL is the `sl` the dictionary defines and the
`kpi` command prints, never a second formula. An interval is bad when it had
at least `min_offered` offered contacts and missed the SL target or passed the
abandonment threshold. Runs of one queue at most `merge_gap_min` apart merge
first; a merged run then counts if it lasts `min_duration_min`. A span in
which a surge plan had a tier in force is an incident whatever its length,
and merges with the runs it overlaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from callboard.errors import BadInput
from callboard.incidents.incident import Incident
from callboard.incidents.settings import DetectionSettings
from callboard.kpi import Source, compute_kpis


@dataclass(frozen=True, slots=True)
class SurgeSpan:
    """A tier in force on `queue` from `start` to `end` (naive local times)."""

    queue: str
    start: datetime
    end: datetime


@dataclass(slots=True)
class _Run:
    start: datetime
    end: datetime
    trigger: set[str]


def interval_rows(
    source: Source,
    settings: DetectionSettings,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    queues: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """KPI rows by queue and interval; a stretch with no records is an error that says so."""
    report = compute_kpis(
        source, by=("queue", "interval"), interval=f"{settings.interval_min}m", start=start,
        end=end, queues=queues, sl_threshold=settings.sl_threshold_s,
        short_abandon=settings.short_abandon_s,
    )  # fmt: skip
    rows = [_with_within(row) for row in report.rows if row["offered"]]
    if not rows:
        raise BadInput(f"no offered contacts {_stretch(start, end, queues)}; nothing to analyse")
    return rows


def _with_within(row: dict[str, Any]) -> dict[str, Any]:
    """The count behind `sl`: the dictionary shows A(wait ≤ T) only as sl_answered × A."""
    share = row["sl_answered"]
    row["answered_within"] = 0 if share is None else round(share * row["answered"])
    return row


def find_incidents(
    source: Source,
    settings: DetectionSettings | None = None,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    queues: Sequence[str] | None = None,
    surges: Sequence[SurgeSpan] = (),
) -> list[Incident]:
    """Every incident in the stretch, by start then queue."""
    settings = settings or DetectionSettings()
    rows = interval_rows(source, settings, start=start, end=end, queues=queues)
    return incidents_from_rows(rows, settings, surges)


def incidents_from_rows(
    rows: Sequence[dict[str, Any]], settings: DetectionSettings, surges: Sequence[SurgeSpan] = ()
) -> list[Incident]:
    width = timedelta(minutes=settings.interval_min)
    by_queue: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_queue.setdefault(str(row["queue"]), []).append(row)
    found: list[Incident] = []
    for queue, mine in by_queue.items():
        mine.sort(key=lambda r: r["interval"])
        runs = _bad_runs(mine, settings, width)
        runs += [_Run(s.start, s.end, {"surge"}) for s in surges if s.queue == queue]
        for run in _merged(runs, timedelta(minutes=settings.merge_gap_min)):
            long_enough = run.end - run.start >= timedelta(minutes=settings.min_duration_min)
            if long_enough or "surge" in run.trigger:
                found.append(_incident(queue, run, mine, settings))
    found.sort(key=lambda i: (i.start, i.queue))
    return found


def _bad_runs(
    rows: list[dict[str, Any]], settings: DetectionSettings, width: timedelta
) -> list[_Run]:
    runs: list[_Run] = []
    for row in rows:
        why = _why_bad(row, settings)
        if not why:
            continue
        begin: datetime = row["interval"]
        if runs and runs[-1].end == begin:
            runs[-1].end = begin + width
            runs[-1].trigger |= why
        else:
            runs.append(_Run(begin, begin + width, why))
    return runs


def _why_bad(row: dict[str, Any], settings: DetectionSettings) -> set[str]:
    if row["offered"] < settings.min_offered:
        return set()
    why = set()
    if row["sl"] is not None and row["sl"] < settings.sl_target:
        why.add("sl")
    if row["abandon_rate"] is not None and row["abandon_rate"] > settings.abandon_max:
        why.add("abandonment")
    return why


def _merged(runs: list[_Run], gap: timedelta) -> list[_Run]:
    merged: list[_Run] = []
    for run in sorted(runs, key=lambda r: r.start):
        if merged and run.start - merged[-1].end <= gap:
            merged[-1].end = max(merged[-1].end, run.end)
            merged[-1].trigger |= run.trigger
        else:
            merged.append(_Run(run.start, run.end, set(run.trigger)))
    return merged


def _incident(
    queue: str, run: _Run, rows: list[dict[str, Any]], settings: DetectionSettings
) -> Incident:
    inside = [r for r in rows if run.start <= r["interval"] < run.end]
    totals = {
        name: int(sum(r[name] for r in inside))
        for name in ("offered", "answered", "abandoned", "abandoned_short", "answered_within")
    }
    eligible = totals["offered"] - totals["abandoned_short"]
    return Incident(
        queue=queue, start=run.start, end=run.end, offered=totals["offered"],
        answered=totals["answered"], abandoned=totals["abandoned"],
        answered_within=totals["answered_within"], eligible=eligible,
        sl=totals["answered_within"] / eligible if eligible else None,
        abandon_rate=totals["abandoned"] / totals["offered"] if totals["offered"] else None,
        lost=max(settings.sl_target * eligible - totals["answered_within"], 0.0),
        trigger=tuple(sorted(run.trigger)),
    )  # fmt: skip


def _stretch(start: datetime | None, end: datetime | None, queues: Sequence[str] | None) -> str:
    span = f"from {start or 'the first record'} to {end or 'the last record'}"
    return span + (f" in queue(s) {', '.join(queues)}" if queues else "")
