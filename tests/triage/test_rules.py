"""Priority rules: the default file in four languages, and a bad file's errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from callboard.errors import BadConfig
from callboard.triage import Triage, TriageModel, load_rules

GAS = [
    "There is a strong GAS SMELL in the hallway",
    "Чувствую запах газа в подъезде",
    "У квартирі сильний запах газу",
    "厨房里有很重的煤气味",
]
COLD_WITH_A_BABY = [
    "No heating since Monday and we have a newborn baby",
    "Нет отопления, дома пожилая мама",
    "Немає опалення, а в нас немовля",
    "家里没有暖气，还有一位老人",
]


@pytest.mark.parametrize("text", GAS)
def test_a_gas_smell_is_priority_9_in_every_language(text: str) -> None:
    suggestion = Triage(load_rules()).suggest(text)
    assert (suggestion.priority, suggestion.rule) == (9, "gas smell")


@pytest.mark.parametrize("text", COLD_WITH_A_BABY)
def test_no_heating_with_a_baby_or_elderly_person_is_priority_5(text: str) -> None:
    assert Triage(load_rules()).suggest(text).priority == 5


def test_no_heating_alone_fires_no_rule_and_keeps_the_priority_it_came_with() -> None:
    suggestion = Triage(load_rules()).suggest("No heating since Monday", priority=2)
    assert (suggestion.priority, suggestion.rule, suggestion.category) == (2, None, None)


def test_the_model_raises_priority_below_the_rules_but_never_lowers_them(
    hotline_model: TriageModel, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rules]]\nname = "gas"\npriority = 9\nall = [["gas smell"]]\n'
        "[categories]\nwater = 4\ngas = 1\n"
    )
    triage = Triage(load_rules(rules), hotline_model)
    burst = triage.suggest("A pipe burst and water is everywhere in the basement")
    assert (burst.category, burst.priority, burst.rule) == ("water", 4, None)
    gas = triage.suggest("gas smell in the kitchen")
    assert (gas.category, gas.priority, gas.rule) == ("gas", 9, "gas")


def test_a_bad_rules_file_names_the_key(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rules]]\nname = "gas"\npriority = 12\nall = [["gas"]]\n')
    with pytest.raises(BadConfig, match=r"rules\[0\]\.priority: .*0 to 9, got 12"):
        load_rules(rules)
    rules.write_text('[[rules]]\nname = "gas"\npriority = 9\nany = [["gas"]]\n')
    with pytest.raises(BadConfig, match="unknown key"):
        load_rules(rules)
