"""Hours of operation: whether a queue is open at a POSIX time, and when that changes.

Only called when a queue's hours timer fires, never per contact, so building
datetimes here costs nothing on the hot path. Local days follow the queue's
zone, daylight-saving changes included.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from callboard.engine.spec import OpenHours

# Far enough ahead to find the next change of any weekly schedule.
_DAYS_AHEAD = 8


def open_state(
    now: float, hours: tuple[OpenHours, ...], timezone: str
) -> tuple[bool, float | None]:
    """(open at `now`, POSIX time of the next opening or closing, None if never)."""
    if not hours:
        return True, None
    zone = ZoneInfo(timezone)
    today = datetime.fromtimestamp(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    spans: list[tuple[float, float]] = []
    for offset in range(-1, _DAYS_AHEAD):
        day = (today + timedelta(days=offset)).replace(tzinfo=None)
        for entry in hours:
            if day.weekday() in entry.days:
                start = (day + timedelta(seconds=entry.open_s)).replace(tzinfo=zone).timestamp()
                end = (day + timedelta(seconds=entry.close_s)).replace(tzinfo=zone).timestamp()
                spans.append((start, end))
    is_open = any(start <= now < end for start, end in spans)
    changes: list[float]
    if is_open:
        changes = [end for start, end in spans if end > now and not _covered(end, spans)]
    else:
        changes = [start for start, end in spans if start > now]
    return is_open, (min(changes) if changes else None)


def _covered(moment: float, spans: list[tuple[float, float]]) -> bool:
    """Whether another span keeps the queue open right at `moment` (overlapping hours)."""
    return any(start <= moment < end for start, end in spans)
