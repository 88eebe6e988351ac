"""Duration strings as people write them in files and options: `90s`, `10m`, `4h`, `1h30m`, `3d`.

One parser for the whole system, so `for 2m` in a surge plan and `--interval 15m`
on the command line can never disagree about what a unit means.
"""

from __future__ import annotations

import re

from callboard.errors import BadInput

_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(sec|min|s|m|h|d)")


def seconds(text: str | float | int, *, what: str = "duration", bare_unit: str = "s") -> float:
    """Seconds in `text`; a bare number is read in `bare_unit`. Negative values are refused."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        value = float(text) * _UNIT_SECONDS[bare_unit]
    else:
        cleaned = str(text).strip().lower()
        try:
            value = float(cleaned) * _UNIT_SECONDS[bare_unit]
        except ValueError:
            value = _compound(cleaned, what, str(text))
    if value < 0:
        raise BadInput(f"{what} {text!r}: must not be negative")
    return value


def _compound(cleaned: str, what: str, original: str) -> float:
    position, total = 0, 0.0
    for match in _PART.finditer(cleaned):
        if cleaned[position : match.start()].strip():
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    else:
        if position and not cleaned[position:].strip():
            return total
    raise BadInput(
        f"{what} {original!r}: expected a number with s, m, h or d, such as 90s, 15m, 1h30m or 7d"
    )


def interval_minutes(text: str | int) -> int:
    """An interval width in whole minutes that divides a day, so every day has the same grid
    starting at local midnight. A bare number is minutes."""
    value = seconds(text, what="interval", bare_unit="m")
    minutes = int(value // 60)
    if value <= 0 or value % 60 or 1440 % minutes:
        raise BadInput(
            f"interval {text!r} does not divide a day into equal parts; use e.g. 15m, 30m or 60m"
        )
    return minutes


_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def time_of_day(text: str, *, what: str = "time", allow_24: bool = True) -> int:
    """Seconds after local midnight of a wall-clock `HH:MM`; `24:00` is the end of the day."""
    match = _CLOCK.match(text) if isinstance(text, str) else None
    limit = 86400 if allow_24 else 86399
    if match:
        value = int(match.group(1)) * 3600 + int(match.group(2)) * 60
        if int(match.group(2)) < 60 and value <= limit:
            return value
    latest = "24:00" if allow_24 else "23:59"
    raise BadInput(f"{what} {text!r}: expected a clock time HH:MM between 00:00 and {latest}")
