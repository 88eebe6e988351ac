"""How a figure reads in a table: rates in %, waits as m:ss, counts whole, headers in words.

One module for every command's tables, so `kpi`, `staff`, `fit` and
`simulate` print the same KPI the same way. `--format json` and csv keep the
dictionary's names and raw units (ratios 0–1, seconds); only tables use these.
"""

from __future__ import annotations

import math
from datetime import date, datetime

# Header words for the dictionary's names (docs/kpi.md); a name missing here
# reads with its underscores as spaces. The unit decides how a cell reads.
WORDS: dict[str, str] = {
    "offered": "offered",
    "answered": "answered",
    "abandoned": "abandoned",
    "abandoned_short": "short abandons",
    "exited": "exited",
    "blocked": "blocked",
    "ivr_abandoned": "IVR abandons",
    "queued": "queued",
    "callbacks": "callbacks",
    "handled": "handled",
    "sl": "service level",
    "sl_answered": "SL of answered",
    "sl_offered": "SL of offered",
    "sl_late_abandons": "SL with late abandons",
    "sl_met": "SL met",
    "asa": "avg speed of answer",
    "asa_median": "median answer wait",
    "asa_p90": "90th pct answer wait",
    "avg_wait": "avg wait",
    "avg_abandon_time": "avg time to abandon",
    "avg_abandon_time_long": "avg time to abandon (long)",
    "abandon_rate": "abandon rate",
    "abandon_rate_excl_short": "abandon rate excl. short",
    "answer_rate": "answer rate",
    "longest_wait": "longest wait",
    "aht": "avg handle time",
    "talk_time": "avg talk time",
    "overflow_share": "overflow share",
    "callback_success_rate": "callback success",
    "occupancy": "occupancy",
    "utilization": "utilization",
    "shrinkage": "shrinkage",
}

# Units of the figures that queueing models return (`staff`, `simulate`), named as
# the dictionary names them; figures of `kpi` carry their unit from the registry.
UNITS: dict[str, str] = {
    "sl": "ratio", "sl_answered": "ratio", "sl_offered": "ratio", "abandon_rate": "ratio",
    "occupancy": "ratio", "answer_rate": "ratio", "asa": "seconds", "avg_wait": "seconds",
    "aht": "seconds", "longest_wait": "seconds",
}  # fmt: skip


def header(name: str) -> str:
    return WORDS.get(name, name.replace("_", " "))


def percent(value: float | None, digits: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{100 * value:.{digits}f}%"


def clock(seconds: float | None) -> str:
    """A wait as m:ss (h:mm:ss from an hour), rounded to the second."""
    if seconds is None or not math.isfinite(seconds):
        return "—"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def number(value: float | None) -> str:
    """Counts whole; other figures to a tenth, or three places below 1."""
    if value is None or not math.isfinite(value):
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) >= 1 else f"{value:.3f}"


def figure(value: object, unit: str | None) -> str:
    """One cell: a ratio in %, seconds as m:ss, a time as ISO, anything else as written."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if unit == "ratio":
        return percent(value)
    if unit == "seconds":
        return clock(value)
    return number(value)


def finite(value: float) -> float | None:
    """JSON has no NaN or infinity: such a figure is null."""
    return value if math.isfinite(value) else None
