"""Parse the short duration strings the CLI and files use: `5m`, `30m`, `1h`, `7d`.

Kept apart so that intervals (minutes) and horizons (days) are read one way everywhere.
"""

from __future__ import annotations

from callboard.domain import seconds, time_of_day
from callboard.errors import BadInput


def minutes(text: str, *, what: str = "duration") -> int:
    """Whole minutes in `text` (`30m`, `8h30m`, `7d`); a bare number is minutes."""
    value = seconds(text, what=what, bare_unit="m")
    if value <= 0 or value % 60:
        raise BadInput(f"{what} {text!r}: must be a positive whole number of minutes")
    return int(value // 60)


def horizon_days(text: str) -> int:
    """A horizon in whole days; `36h` is rounded up to 2 days."""
    value = minutes(text, what="horizon")
    return -(-value // 1440)


def clock(text: str, *, what: str = "time") -> int:
    """Minutes after midnight of a wall-clock `HH:MM`; `24:00` is the end of the day."""
    return time_of_day(text, what=what) // 60
