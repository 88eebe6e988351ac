"""The trigger parser: precedence, durations, three-valued logic and clear errors."""

from __future__ import annotations

import re

import pytest

from callboard.errors import BadInput
from callboard.surge.expression import parse_trigger
from callboard.surge.names import METRICS


def value(text: str, **figures: float | None) -> bool | float | None:
    return parse_trigger(text).condition.evaluate(figures)


def test_the_issue_examples_parse_with_their_hold() -> None:
    trigger = parse_trigger("waiting > 10 and oldest_wait > 60s for 2m", METRICS)
    assert trigger.hold_s == 120.0
    assert trigger.names == {"waiting", "oldest_wait"}
    assert trigger.holds({"waiting": 11, "oldest_wait": 61})
    assert not trigger.holds({"waiting": 11, "oldest_wait": 60})
    assert parse_trigger("sl_30m < 0.6", METRICS).hold_s == 0.0
    surge = parse_trigger("arrivals_10m > 1.5 * forecast_10m", METRICS)
    assert surge.holds({"arrivals_10m": 31, "forecast_10m": 20})
    assert not surge.holds({"arrivals_10m": 30, "forecast_10m": 20})


def test_and_binds_tighter_than_or_and_not_tighter_than_and() -> None:
    assert value("a > 0 or b > 0 and c > 0", a=1, b=0, c=0) is True
    assert value("(a > 0 or b > 0) and c > 0", a=1, b=0, c=0) is False
    assert value("not a > 0 and b > 0", a=0, b=1) is True
    assert value("not (a > 0 and b > 0)", a=1, b=1) is False


def test_arithmetic_precedence_and_unary_minus() -> None:
    assert value("a + b * c == 7", a=1, b=2, c=3) is True
    assert value("(a + b) * c == 9", a=1, b=2, c=3) is True
    assert value("a - b - c == -4", a=1, b=2, c=3) is True
    assert value("a / b / c == 1", a=6, b=2, c=3) is True
    assert value("-a < 0", a=2) is True


def test_durations_are_seconds_through_the_system_parser() -> None:
    assert value("x == 1h30m", x=5400) is True
    assert value("x == 90s", x=90) is True
    assert value("x == 2.5m", x=150) is True
    assert parse_trigger("x > 1 for 1h").hold_s == 3600.0
    assert parse_trigger("x > 1 for 45").hold_s == 45.0


def test_unknown_values_never_hold_and_never_count_as_clear() -> None:
    assert value("sl_30m < 0.6", sl_30m=None) is None
    assert value("not sl_30m < 0.6", sl_30m=None) is None
    assert value("sl_30m < 0.6 or waiting > 5", sl_30m=None, waiting=6) is True
    assert value("sl_30m < 0.6 and waiting > 5", sl_30m=None, waiting=1) is False
    assert value("a / b > 1", a=1, b=0) is None
    assert not parse_trigger("missing > 1").holds({})


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("waiting >", "ends too early"),
        ("waiting > 10 and", "ends too early"),
        ("(waiting > 10", "missing `)`"),
        ("waiting > 10)", "unexpected ')'"),
        ("waiting", "must be a condition"),
        ("waiting and oldest_wait > 1", "`and` needs a condition"),
        ("waiting > 1 + (oldest_wait > 2)", "`+` needs a number"),
        ("waiting > 10 for", "`for <duration>`"),
        ("waiting > 10 for 2m for 3m", "`for <duration>`"),
        ("waiting > 10 for soon", "expected a number with s, m, h or d"),
        ("oldest_wait > 5x", "expected a number with s, m, h or d"),
        ("waiting > 10 ; rm", "cannot read"),
        ("__import__('os')", "cannot read"),
        ("waiting > 10 and > 3", "expected a number, a metric"),
    ],
)
def test_bad_expressions_are_refused_with_the_problem(text: str, problem: str) -> None:
    with pytest.raises(BadInput, match=re.escape(problem)):
        parse_trigger(text, METRICS)


def test_unknown_metric_is_named() -> None:
    with pytest.raises(BadInput, match="unknown metric 'wating'"):
        parse_trigger("wating > 10", METRICS)
