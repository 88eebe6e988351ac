"""Repeat contacts and first-contact resolution: the flags that look across a caller's contacts.

Every other KPI looks at one contact at a time; these two compare a contact with
the same caller's neighbours. So the neighbours are found over *all* records,
before a report's period and queues are applied: a call on the first day of a
report still counts as a repeat of one the evening before, and a repeat in
another queue is still a repeat. Only offered contacts from a known caller take
part, ordered by their contact time (the queue entry, or the service start of a
contact that never queued); two contacts at the same instant are ordered by
contact id, so the later one of the pair is the repeat.

`$repeat_window` (seconds, a report option) is bound as a query parameter.
"""

from __future__ import annotations

DEFAULT_REPEAT_WINDOW = 604_800.0  # 7 days, in seconds

_CONTACT_TIME = "CASE WHEN queued THEN queued_at ELSE coalesce(answered_at, queued_at) END"
_TAKES_PART = "caller IS NOT NULL AND outcome IN ('answered', 'abandoned', 'exited')"
_ORDER = f"PARTITION BY ({_TAKES_PART}), caller ORDER BY epoch_us({_CONTACT_TIME}), contact_id"

# `records` with, per contact, the seconds since the caller's previous offered
# contact and until their next one (null when there is none).
RECORDS_WITH_NEIGHBOURS = (
    "(SELECT *, "
    f"(epoch_us({_CONTACT_TIME}) - lag(epoch_us({_CONTACT_TIME})) OVER neighbours) / 1e6 "
    "AS since_previous_s, "
    f"(lead(epoch_us({_CONTACT_TIME})) OVER neighbours - epoch_us({_CONTACT_TIME})) / 1e6 "
    "AS until_next_s "
    f"FROM records WINDOW neighbours AS ({_ORDER}))"
)

REPEAT_FLAGS: dict[str, str] = {
    "is_known": _TAKES_PART,
    "is_repeat": f"{_TAKES_PART} AND coalesce(since_previous_s <= $repeat_window, false)",
    "is_followed": "caller IS NOT NULL AND outcome = 'answered' "
    "AND coalesce(until_next_s <= $repeat_window, false)",
}

REPEAT_MEASURES: dict[str, str] = {
    "known_offered": "count(*) FILTER (WHERE is_known)",
    "repeat_offered": "count(*) FILTER (WHERE is_repeat)",
    "known_answered": "count(*) FILTER (WHERE is_known AND is_answered)",
    "answered_followed": "count(*) FILTER (WHERE is_followed)",
}
