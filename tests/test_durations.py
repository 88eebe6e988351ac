from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callboard.domain.durations import seconds
from callboard.errors import BadInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90s", 90), ("15m", 900), ("1h30m", 5400), ("7d", 604800), ("1.5h", 5400), (" 2 m ", 120),
     ("20", 20), (2.5, 2.5), ("10min", 600)],
)  # fmt: skip
def test_readable_durations(text: str | float, expected: float) -> None:
    assert seconds(text) == expected


def test_a_bare_number_takes_the_given_unit() -> None:
    assert seconds("30", bare_unit="m") == 1800


@pytest.mark.parametrize("text", ["abc", "5x", "m", "1h junk", "-5s", "", "h1"])
def test_unreadable_durations_say_what_is_expected(text: str) -> None:
    with pytest.raises(BadInput, match="15m"):
        seconds(text, what="trigger duration")


@given(h=st.integers(0, 1000), m=st.integers(0, 59), s=st.integers(0, 59))
def test_compound_parts_add_up(h: int, m: int, s: int) -> None:
    assert seconds(f"{h}h{m}m{s}s") == h * 3600 + m * 60 + s
