"""Checks of option values the library would take too loosely, before a command runs.

A bare number is a valid duration for the library (seconds, or minutes for an
interval), but on the command line `--interval 30` is more often meant as
minutes than as seconds: options that need a unit refuse one without.
"""

from __future__ import annotations

import re

from callboard.errors import BadInput

_BARE_NUMBER = re.compile(r"\s*\d+(\.\d+)?\s*")


def with_unit(text: str, option: str) -> str:
    """`text` unchanged if it names its unit (30m, 30min, 1800s, 1h30m)."""
    if _BARE_NUMBER.fullmatch(text):
        raise BadInput(
            f"{option} {text!r} has no unit: write e.g. {text.strip()}m, {text.strip()}min "
            f"or {text.strip()}s"
        )
    return text


def zone(text: str, option: str = "--tz") -> str:
    """`text` unchanged if it is an IANA time zone name."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, e.g. 'Europe'
        raise BadInput(
            f"{option} {text!r} is not a time zone: use an IANA name such as "
            "Europe/Kyiv, America/New_York or UTC"
        ) from None
    return text
