"""Business hours: the one calendar behind SLA timers and reports (KPI.md, Rules).

A first-response target of "4 business hours" set on Friday at 17:00 falls due
on Monday, not on Friday night; the same arithmetic drives every SLA clock.
All spans are half-open, [open, close), on the local wall clock of `timezone`;
they are compared and subtracted in UTC, so a day on which the clocks change
counts its real length. Business days (`add_days`) are days with working
hours that are not holidays.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from callboard.domain import time_of_day
from callboard.errors import BadConfig, BadInput

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A calendar with no working time at all would never reach a due time; stop
# looking after this many days and say so.
_HORIZON_DAYS = 3660


@dataclass(frozen=True)
class BusinessHours:
    timezone: str = "UTC"
    # weekday (0 = Monday) -> [(open, close)] as seconds since local midnight
    weekly: Mapping[int, Sequence[tuple[int, int]]] = field(
        default_factory=lambda: {d: [(0, 86400)] for d in range(7)}
    )
    holidays: frozenset[date] = frozenset()

    @classmethod
    def always(cls, timezone: str = "UTC") -> BusinessHours:
        """Calendar minutes: every second counts."""
        return cls(timezone=timezone)

    @classmethod
    def parse(
        cls,
        timezone: str,
        hours: Mapping[str, str],
        holidays: Sequence[str] = (),
        *,
        source: str = "business hours",
    ) -> BusinessHours:
        """Build from `{"mon": "09:00-18:00", "sat": "10:00-14:00,15:00-17:00"}`."""
        try:
            ZoneInfo(timezone)
        except (KeyError, ValueError):
            raise BadConfig(source, "timezone", f"{timezone!r} is not an IANA zone") from None
        weekly: dict[int, list[tuple[int, int]]] = {}
        for name, spec in hours.items():
            key = name.strip().lower()[:3]
            if key not in DAY_NAMES:
                raise BadConfig(source, name, "expected a weekday name such as mon or tuesday")
            weekly[DAY_NAMES.index(key)] = [_span(source, name, part) for part in spec.split(",")]
        days: set[date] = set()
        for text in holidays:
            try:
                days.add(date.fromisoformat(text))
            except ValueError:
                raise BadConfig(source, "holidays", f"{text!r} is not a date YYYY-MM-DD") from None
        return cls(timezone=timezone, weekly=weekly, holidays=frozenset(days))

    def _day_spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working spans of one local day, in UTC; none on a holiday."""
        if day in self.holidays:
            return []
        zone = ZoneInfo(self.timezone)
        return [
            (_at(day, open_s, zone), _at(day, close_s, zone))
            for open_s, close_s in sorted(self.weekly.get(day.weekday(), ()))
        ]

    def _days(self, start: datetime) -> Iterator[date]:
        day = start.astimezone(ZoneInfo(self.timezone)).date()
        for _ in range(_HORIZON_DAYS):
            yield day
            day += timedelta(days=1)

    def _spans(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working spans in time order, from the local day containing `start` onwards."""
        for day in self._days(start):
            yield from self._day_spans(day)

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Working seconds in [start, end); zero when end is not after start."""
        total = 0.0
        if end <= start:
            return total
        for span_open, span_close in self._spans(start):
            if span_open >= end:
                break
            lo, hi = max(span_open, start), min(span_close, end)
            if hi > lo:
                total += (hi - lo).total_seconds()
        return total

    def add(self, start: datetime, seconds: float) -> datetime:
        """The moment when `seconds` of working time have passed since `start`."""
        remaining = seconds
        for span_open, span_close in self._spans(start):
            lo = max(span_open, start)
            if span_close <= lo:
                continue
            available = (span_close - lo).total_seconds()
            if remaining <= available:
                return lo + timedelta(seconds=remaining)
            remaining -= available
        raise self._no_working_time(start)

    def add_days(self, start: datetime, days: int) -> datetime:
        """The same local time `days` business days later: Monday 12:02 plus three is
        Thursday 12:02 (Friday when Wednesday is a holiday).

        A start outside working time counts from the next opening. When that day's
        hours do not reach the time, the due time is the latest working moment before
        it (a short Friday's close), or the day's opening if it opens later.
        """
        begin = next((max(lo, start) for lo, hi in self._spans(start) if hi > start), None)
        if begin is None:
            raise self._no_working_time(start)
        if days <= 0:
            return begin
        zone = ZoneInfo(self.timezone)
        local = begin.astimezone(zone)
        of_day = local - datetime.combine(local.date(), time(0), zone)
        counted = 0
        for day in self._days(begin):
            spans = self._day_spans(day)
            if day == local.date() or not spans:
                continue
            counted += 1
            if counted == days:
                wanted = _at(day, 0, zone, of_day)
                reached = [min(hi, wanted) for lo, hi in spans if lo <= wanted]
                return max(reached) if reached else spans[0][0]
        raise self._no_working_time(start)

    def _no_working_time(self, start: datetime) -> BadConfig:
        return BadConfig(
            "business hours", "weekly", f"no working time within {_HORIZON_DAYS} days of {start}"
        )


def _at(day: date, seconds: int, zone: ZoneInfo, extra: timedelta = timedelta(0)) -> datetime:
    # Wall-clock arithmetic first, zone last: a span keeps its local hours on DST days;
    # then UTC, so that comparing and subtracting instants counts real seconds.
    wall = datetime.combine(day, time(0)) + timedelta(seconds=seconds) + extra
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _span(source: str, key: str, text: str) -> tuple[int, int]:
    try:
        first, second = text.split("-")
        open_s, close_s = time_of_day(first), time_of_day(second)
    except (ValueError, BadInput):
        raise BadConfig(source, key, f"{text!r} is not a span HH:MM-HH:MM") from None
    if close_s <= open_s:
        raise BadConfig(source, key, f"{text!r} closes before it opens")
    return open_s, close_s
