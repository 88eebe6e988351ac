from __future__ import annotations

import re
from pathlib import Path

import pytest

from callboard.cases import OnBreach, SlaPolicies, SlaTarget, load_policies, sla_policies
from callboard.errors import BadConfig

GOOD = """
[calendar]
timezone = "Europe/Kyiv"
hours = { mon = "09:00-18:00", tue = "09:00-18:00" }

[default]
first_response = "8bh"
resolution = "3bd"
on_breach = { priority = 7, notify = "duty@example.org", resolution = { assign_to = "lead" } }

[category.gas-leak]
first_response = "10m"
resolution = "3d"
business_hours = false

[queue.billing]
first_response = 30
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sla.toml"
    path.write_text(text)
    return path


def test_policies_load_by_category_queue_and_default(tmp_path: Path) -> None:
    policies = load_policies(_write(tmp_path, GOOD))
    gas = policies.by_category["gas-leak"]
    assert gas.first_response == SlaTarget("10m", seconds=600)
    assert gas.resolution == SlaTarget("3d", days=3)  # three calendar days, not 72 working hours
    billing = policies.by_queue["billing"]
    assert billing.first_response == SlaTarget("30", seconds=1800)  # a bare number is minutes
    assert billing.resolution is None
    default = policies.default
    assert default is not None
    assert default.first_response == SlaTarget("8bh", seconds=8 * 3600, business=True)
    assert default.resolution == SlaTarget("3bd", days=3, business=True)
    assert 6 not in default.hours.weekly and default.hours.timezone == "Europe/Kyiv"
    assert policies.timezone == "Europe/Kyiv"
    assert default.breach("first_response") == OnBreach(priority=7, notify="duty@example.org")
    assert default.breach("resolution") == OnBreach(7, "lead", "duty@example.org")
    assert billing.breach("resolution") == OnBreach()


def test_the_center_zone_is_the_calendar_default_and_the_zone_times_are_shown_in(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "[default]\nfirst_response = '1h'\n")
    assert load_policies(path).timezone == "UTC"
    centered = load_policies(path, zone="Europe/Kyiv")
    assert centered.timezone == "Europe/Kyiv"
    assert centered.default is not None and centered.default.hours.timezone == "Europe/Kyiv"
    # A calendar in another zone counts its hours there; times are still shown in the center's.
    berlin = load_policies(_write(tmp_path, GOOD), zone="Europe/Berlin")
    assert berlin.timezone == "Europe/Berlin" and berlin.by_queue["billing"].hours.timezone == (
        "Europe/Kyiv"
    )
    assert sla_policies(None, "Asia/Shanghai") == SlaPolicies(timezone="Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[default]\nfirst_response = 'soon'\n", "default.first_response"),
        ("[default]\nfirst_respons = '1h'\n", "default.first_respons"),
        ("[defaults]\n", "defaults"),
        ("[category.x]\nbusiness_hours = 'yes'\n", "category.x.business_hours"),
        ("[category.x]\nbusiness_hours = true\n", "category.x.business_hours"),
        ("[default]\nresolution = '1.5bd'\n", "default.resolution"),
        ("[default]\nresolution = '1bd2h'\n", "default.resolution"),
        ("[default]\non_breach = { priority = 12 }\n", "default.on_breach.priority"),
        ("[default]\non_breach = { notify = 'duty' }\n", "default.on_breach.notify"),
        (
            "[default]\non_breach = { resolution = { assign = 'x' } }\n",
            "default.on_breach.resolution.assign",
        ),
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
    default = load_policies(_write(tmp_path, text)).default
    assert default is not None
    assert {d.isoformat() for d in default.hours.holidays} == {"2026-12-25", "2026-12-26"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[category.x]\nbusiness_hours = true\n", 'first_response = "8bh"'),
        ("[default]\nresolution = '3 days'\n", "3bd (business days)"),
        ("[default]\nresolution = '1bd2h'\n", "mixes business and calendar time"),
    ],
)
def test_problems_say_how_to_write_business_time(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(BadConfig, match=re.escape(problem)):
        load_policies(_write(tmp_path, text))


ROOT = Path(__file__).resolve().parents[2]


def test_the_example_and_the_documented_file_load(tmp_path: Path) -> None:
    example = load_policies(ROOT / "examples" / "sla" / "hotline.toml")
    gas = example.by_category["gas-leak"]
    assert gas.breach("resolution") == OnBreach(9, "team-lead", "duty-engineer@example.org")
    assert example.by_queue["billing"].resolution == SlaTarget("7d", days=7)
    documented = re.search(r"```toml\n(.*?)```", (ROOT / "docs" / "sla.md").read_text(), re.S)
    assert documented is not None
    policies = load_policies(_write(tmp_path, documented.group(1)))
    assert policies.default is not None and policies.default.resolution == SlaTarget(
        "3bd", days=3, business=True
    )
