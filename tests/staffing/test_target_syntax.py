"""The one target syntax both staffing commands read."""

from __future__ import annotations

import pytest

from callboard.errors import BadInput
from callboard.staffing import ServiceLevelTarget, parse_service_level, parse_share


@pytest.mark.parametrize("text", ["80/20", "80%/20s", "0.8/20", "80/20s", " 80 % / 20 "])
def test_every_spelling_of_80_in_20_reads_the_same(text: str) -> None:
    assert parse_service_level(text) == ServiceLevelTarget(0.8, 20.0)


def test_the_wait_takes_units() -> None:
    assert parse_service_level("90/1m") == ServiceLevelTarget(0.9, 60.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("80", "--sl '80' is not SHARE/WAIT: write e.g. 80/20"),
        ("eighty/20", "--sl 'eighty/20': share 'eighty' is not a percentage"),
        ("100/20", "--sl '100/20': share '100' is out of range"),
        ("80/0", "--sl '80/0': wait '0' is not a duration"),
        ("80/soon", "--sl '80/soon': wait 'soon'"),
    ],
)
def test_a_bad_target_names_the_option_and_the_fix(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        parse_service_level(text)


def test_the_option_name_is_the_one_the_user_typed() -> None:
    with pytest.raises(BadInput, match="--target '80'"):
        parse_service_level("80", "--target")


@pytest.mark.parametrize(("text", "share"), [("5%", 0.05), ("5", 0.05), ("0.05", 0.05)])
def test_a_share_is_a_percentage_or_a_fraction(text: str, share: float) -> None:
    assert parse_share(text, "--max-abandon") == pytest.approx(share)


def test_zero_and_whole_shares_only_where_allowed() -> None:
    assert parse_share("0%", "--shrinkage", allow_zero=True) == 0.0
    assert parse_share("100%", "--max-occupancy", allow_whole=True) == 1.0
    with pytest.raises(BadInput, match="above 0%"):
        parse_share("0%", "--max-abandon")
    with pytest.raises(BadInput, match="below 100%"):
        parse_share("100%", "--shrinkage", allow_zero=True)
