"""The dimensions a KPI report can be broken down by, as SQL over `records`.

Time keys come from `local_time`, the queue-entry time on the center's wall
clock, so each contact lands in the interval where it entered the queue and no
time zone is converted per row.
"""

from __future__ import annotations

from collections.abc import Sequence

from callboard.errors import BadInput

GROUP_KEYS: dict[str, str] = {
    "interval": "start of the interval [start, start + width) on the center's wall clock",
    "hour": "hour of day 0-23 on the center's wall clock",
    "day": "local date of queue entry (the `day` column)",
    "dow": "ISO day of week, 1 = Monday ... 7 = Sunday",
    "queue": "queue (skill) the contact entered",
    "agent": "agent who answered; empty for contacts no agent answered",
    "priority": "priority of the contact",
    "channel": "channel: call, chat, email, callback",
    "region": "caller's region (an importer's mapped column, or the live contact's region)",
    "category": "contact type: the record's `category` attribute (mapped column or live attribute)",
}


def check_keys(by: Sequence[str]) -> tuple[str, ...]:
    """The requested keys in order, each once; an unknown key is a clear error."""
    keys: list[str] = []
    for key in by:
        if key not in GROUP_KEYS:
            raise BadInput(f"cannot group by {key!r}; choose from {', '.join(GROUP_KEYS)}")
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def key_sql(key: str, interval_minutes: int) -> str:
    """The SQL expression of one group key."""
    if key == "interval":
        # Buckets counted from 1970-01-01 00:00 on the wall clock; a width that
        # divides a day therefore starts every day at midnight.
        return (
            f"time_bucket(INTERVAL {interval_minutes} MINUTE, local_time, "
            "TIMESTAMP '1970-01-01 00:00:00')"
        )
    if key == "hour":
        return "hour(local_time)"
    if key == "dow":
        return "isodow(local_time)"
    if key == "category":
        return "json_extract_string(attributes, '$.category')"
    return key
