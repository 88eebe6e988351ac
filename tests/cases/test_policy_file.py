from __future__ import annotations

from pathlib import Path

import pytest

from callboard.cases.policy_file import load_policies
from callboard.errors import BadConfig

GOOD = """
[calendar]
timezone = "Europe/Kyiv"
hours = { mon = "09:00-18:00", tue = "09:00-18:00" }

[default]
first_response = "4h"
resolution = "3d"

[category.gas-leak]
first_response = "10m"
resolution = "1h"
business_hours = false

[queue.billing]
first_response = 30
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sla.toml"
    path.write_text(text)
    return path


def test_policies_load_by_category_queue_and_default(tmp_path: Path) -> None:
    by_category, by_queue, default = load_policies(_write(tmp_path, GOOD))
    gas = by_category["gas-leak"]
    assert (gas.first_response_s, gas.resolution_s) == (600, 3600)
    assert gas.hours.weekly[6] == [(0, 86400)]  # calendar time: Sunday counts
    assert by_queue["billing"].first_response_s == 1800  # a bare number is minutes
    assert by_queue["billing"].resolution_s is None
    assert default is not None and default.resolution_s == 3 * 86400
    assert 6 not in default.hours.weekly and default.hours.timezone == "Europe/Kyiv"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[default]\nfirst_response = 'soon'\n", "default.first_response"),
        ("[default]\nfirst_respons = '1h'\n", "default.first_respons"),
        ("[defaults]\n", "defaults"),
        ("[category.x]\nbusiness_hours = 'yes'\n", "category.x.business_hours"),
        ("[calendar]\nhours = { monday = '9-5' }\n", "calendar.hours.monday"),
        ("[calendar]\nhours = { mon = '09:00-17:00' }\nholidays = ['xmas']\n", "calendar.holidays"),
        ("not toml at all [", "(file)"),
    ],
)
def test_bad_policy_files_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(BadConfig) as caught:
        load_policies(_write(tmp_path, text))
    assert caught.value.key == key
    assert caught.value.file.endswith("sla.toml")


def test_holidays_may_be_toml_dates_or_text(tmp_path: Path) -> None:
    text = GOOD.replace("hours = {", 'holidays = [2026-12-25, "2026-12-26"]\nhours = {')
    _, _, default = load_policies(_write(tmp_path, text))
    assert default is not None
    assert {d.isoformat() for d in default.hours.holidays} == {"2026-12-25", "2026-12-26"}
