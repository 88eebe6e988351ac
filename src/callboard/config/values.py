"""The value types config models are declared with, each with the message a person reads.

Each is an `Annotated` type whose validator does the whole check itself, so
`count: Whole` refuses `true` and `"3"` as well as `-1`, and a duration goes
through `domain.durations`, the one parser of "90s", "15m" and "1h30m".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import PlainValidator, ValidationError, ValidatorFunctionWrapHandler, WrapValidator

from callboard.config.problems import did_you_mean, one_of, problem, relocated, shown
from callboard.domain import seconds, time_of_day
from callboard.errors import BadInput

_T = TypeVar("_T")
_NAME = re.compile(r"^[A-Za-z0-9_.:-]+$")
DURATION_FORMS = "a number with s, m, h or d, such as 90s, 15m, 1h30m or 7d"


def checked(check: Callable[[Any], _T]) -> Any:
    """`Annotated[T, checked(f)]`: `f` alone decides what the value becomes."""
    return PlainValidator(check)


def choice(value: Any, options: Collection[str]) -> str:
    if not isinstance(value, str) or value not in options:
        raise problem(
            f"must be one of {one_of(options)}, got {shown(value)}" + did_you_mean(value, options)
        )
    return value


def among(options: Collection[str]) -> Any:
    """`Annotated[str, among(POLICIES)]`: one of a set known only at run time."""
    return checked(lambda value: choice(value, options))


def number(value: Any, *, low: float = 0.0, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise problem(f"must be a number, got {shown(value)}")
    result = float(value)
    if not math.isfinite(result) or result < low or (positive and result <= 0.0):
        bound = "> 0" if positive else f">= {low:g}"
        raise problem(f"must be a finite number {bound}, got {value!r}")
    return result


def whole(value: Any, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise problem(f"must be a whole number >= {low}, got {shown(value)}")
    return value


def probability(value: Any) -> float:
    result = number(value)
    if result > 1.0:
        raise problem(f"must be a probability between 0 and 1, got {value!r}")
    return result


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise problem(f"must be a non-empty string, got {shown(value)}")
    return value


def name(value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise problem(f"{value!r}: expected a name of letters, digits, _ . : -")
    return value


def duration(value: Any, *, bare_unit: str = "s", positive: bool = False) -> float:
    """Seconds in a duration; a bare number is in `bare_unit`."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise problem(f"must be a duration ({DURATION_FORMS}), got {shown(value)}")
    try:
        result = seconds(value, bare_unit=bare_unit)
    except BadInput as exc:
        if str(exc).endswith("negative"):
            raise problem(f"must not be negative, got {value!r}") from None
        bare = "seconds" if bare_unit == "s" else "minutes"
        expected = f"{DURATION_FORMS} (a bare number is {bare})"
        raise problem(f"must be a duration, got {value!r}; expected {expected}") from None
    if positive and result <= 0.0:
        raise problem(f"must be longer than zero, got {value!r}")
    return result


def clock(value: Any, *, allow_24: bool = False) -> float:
    """Seconds after local midnight of `HH:MM`; `24:00` only where a span may end the day."""
    try:
        return float(time_of_day(value, allow_24=allow_24))
    except BadInput:
        latest = "24:00" if allow_24 else "23:59"
        raise problem(
            f"is not a time of day HH:MM between 00:00 and {latest}: {shown(value)}"
        ) from None


def time_zone(value: Any) -> str:
    zone = text(value)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise problem(
            f"unknown time zone {zone!r}; use an IANA name such as Europe/Berlin"
        ) from None
    return zone


def _one_or_many(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    if not isinstance(value, dict):
        return handler(value)
    try:
        return handler([value])
    except ValidationError as exc:
        raise relocated(exc, skip=1) from None


OneOrMany = WrapValidator(_one_or_many)
"""`Annotated[list[Table], OneOrMany]`: a list of tables, or one table written alone."""

Number = Annotated[float, checked(number)]
PositiveNumber = Annotated[float, checked(lambda v: number(v, positive=True))]
Whole = Annotated[int, checked(whole)]
Count = Annotated[int, checked(lambda v: whole(v, low=1))]
Probability = Annotated[float, checked(probability)]
Text = Annotated[str, checked(text)]
Name = Annotated[str, checked(name)]
Duration = Annotated[float, checked(duration)]
PositiveDuration = Annotated[float, checked(lambda v: duration(v, positive=True))]
MinutesDuration = Annotated[float, checked(lambda v: duration(v, bare_unit="m"))]
Clock = Annotated[float, checked(clock)]
EndClock = Annotated[float, checked(lambda v: clock(v, allow_24=True))]
TimeZone = Annotated[str, checked(time_zone)]
