"""The `--days` option: which local days to fit or score on.

For example `1999-01-01..1999-01-15,1999-01-20`.
"""

from __future__ import annotations

from datetime import date, timedelta

from callboard.errors import BadInput


def parse_days(text: str | None) -> list[date]:
    """Comma-separated dates and inclusive `FIRST..LAST` ranges; empty: every day."""
    if not text:
        return []
    days: set[date] = set()
    for part in (p.strip() for p in text.split(",")):
        first, _, last = part.partition("..")
        start, end = _day(first, text), _day(last or first, text)
        if end < start:
            raise BadInput(f"--days {text!r}: range {part!r} ends before it starts")
        days.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    return sorted(days)


def _day(value: str, text: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(
            f"--days {text!r}: {value!r} is not a date; write YYYY-MM-DD or FIRST..LAST, "
            "comma-separated"
        ) from None
