"""Shift-rules files: the example loads, and each kind of mistake names file, key and problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from callboard.errors import BadConfig
from callboard.schedule import parse_shift_rules, read_shift_rules

EXAMPLE = Path(__file__).parents[2] / "examples" / "planning" / "shifts.toml"
DAY = {"name": "day", "earliest_start": "07:00", "length": "4h"}


def test_the_example_rules_load() -> None:
    rules = read_shift_rules(EXAMPLE)
    full, evening = rules.templates
    assert (full.earliest_start, full.latest_start, full.length) == (420, 780, 510)
    assert full.paid_minutes == 480 and full.breaks[0].latest == 330
    assert evening.latest_start == 1050 and rules.days_off_per_week == 2
    assert rules.sites[0].seats == 400 and rules.interval == 30


def test_defaults_fill_in_what_a_template_leaves_out() -> None:
    bare = {"earliest_start": "08:00", "length": 90, "break": [{"length": "15m"}]}
    (template,) = parse_shift_rules({"template": [bare]}).templates
    assert (template.name, template.latest_start, template.every) == ("shift1", 480, None)
    assert (template.breaks[0].earliest, template.breaks[0].latest) == (0, 90)


@pytest.mark.parametrize(
    ("data", "key", "problem"),
    [
        ({}, "template", "add at least one [[template]]"),
        ({"template": [DAY | {"lenght": "4h"}]}, "template[0].lenght", "did you mean 'length'"),
        ({"template": [DAY | {"length": "4 hours"}]}, "template[0].length", "30m"),
        ({"template": [DAY | {"length": "90s"}]}, "template[0].length", "whole number of minutes"),
        ({"template": [DAY | {"earliest_start": "7am"}]}, "template[0].earliest_start", "HH:MM"),
        ({"template": [DAY | {"latest_start": "06:00"}]}, "template[0].latest_start",
         "before earliest_start"),
        ({"template": [DAY | {"earliest_start": "22:00"}]}, "template[0].length", "midnight"),
        ({"template": [DAY | {"cost": "cheap"}]}, "template[0].cost", "must be a number"),
        ({"template": [DAY], "days_off": {"per_week": 7}}, "days_off.per_week", "0 to 6"),
        ({"template": [DAY], "penalty": {"under": "high"}}, "penalty.under", "must be a number"),
        ({"template": [DAY], "site": [{"queues": "billing"}]}, "site[0].queues", "must be a list"),
        ({"template": [DAY | {"break": [{"length": "1h", "paid": "no"}]}]},
         "template[0].break[0].paid", "true or false"),
    ],
)  # fmt: skip
def test_bad_rules_name_the_key(data: dict[str, Any], key: str, problem: str) -> None:
    with pytest.raises(BadConfig) as caught:
        parse_shift_rules(data, "shifts.toml")
    assert (caught.value.file, caught.value.key) == ("shifts.toml", key)
    assert problem in caught.value.problem


def test_a_file_that_is_not_toml_or_cannot_be_read(tmp_path: Path) -> None:
    broken = tmp_path / "shifts.toml"
    broken.write_text("[[template]\n")
    with pytest.raises(BadConfig, match="not valid TOML"):
        read_shift_rules(broken)
    with pytest.raises(BadConfig, match="cannot read the shift rules"):
        read_shift_rules(tmp_path / "missing.toml")
