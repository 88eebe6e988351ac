"""The one text syntax for staffing targets, shared by `callboard staff` and `callboard plan`.

A service level is `SHARE/WAIT`: `80/20`, `80%/20s`, `0.8/20` and `80/1m` all
mean 80% answered within 20 (or 60) seconds. A share is `5%`, `5` (read as
percent, since above 1) or `0.05`. Both commands once read these their own
way, so `0.8/20` meant 80% to one and 0.8% to the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from callboard.domain import seconds
from callboard.errors import BadInput

SERVICE_LEVEL_HELP = (
    "Service level SHARE/WAIT: 80/20, 80%/20s or 0.8/20 (80% answered within 20 s); "
    "the wait takes units (1m)."
)


@dataclass(frozen=True)
class ServiceLevelTarget:
    """The share of callers (0–1) to answer within `threshold` seconds."""

    level: float
    threshold: float


def parse_service_level(text: str, option: str = "--sl") -> ServiceLevelTarget:
    """`80/20`, `80%/20s`, `0.8/20` or `80/1m`; `option` names the flag in errors."""
    share, _, wait = text.partition("/")
    if not wait:
        raise BadInput(f"{option} {text!r} is not SHARE/WAIT: write e.g. 80/20")
    try:
        return ServiceLevelTarget(parse_share(share, "share"), parse_seconds(wait, "wait"))
    except BadInput as exc:
        raise BadInput(f"{option} {text!r}: {exc}") from None


def parse_share(
    text: str, option: str, *, allow_zero: bool = False, allow_whole: bool = False
) -> float:
    """`5%`, `5` (read as percent) or `0.05` as 0.05; 100% only with `allow_whole`."""
    cleaned = text.strip().rstrip("%")
    try:
        value = float(cleaned)
    except ValueError:
        raise BadInput(f"{option} {text!r} is not a percentage: write e.g. 5%") from None
    if text.strip().endswith("%") or value > 1:
        value /= 100
    below_top = value <= 1 if allow_whole else value < 1
    if not (value >= 0 and below_top) or (value == 0 and not allow_zero):
        top = "up to 100%" if allow_whole else "below 100%"
        bottom = "from 0%" if allow_zero else "above 0%"
        raise BadInput(f"{option} {text!r} is out of range: give a share {bottom} and {top}")
    return value


def parse_seconds(text: str, option: str) -> float:
    """`20`, `20s`, `15m` or `1h` in seconds; zero is refused."""
    value = seconds(text, what=option)
    if value <= 0:
        raise BadInput(f"{option} {text!r} is not a duration: write e.g. 20s, 15m or 1h")
    return value
