"""Priority rules: phrases that set a request's priority whatever the model says.

A rule fires when the folded text (text.py) holds a phrase of each of its
groups: `all = [["no heating", ...], ["baby", "elderly", ...]]` needs both.
Phrases are substrings, so a Russian or Ukrainian stem ("ребен") matches its
inflected forms and Chinese needs no word segmentation. The highest firing
rule's priority is a floor the model can only raise, never lower: a gas smell
stays urgent however the model reads the rest of the message.

The file (TOML or YAML, through the config kit) also maps categories to the
priority a confident suggestion of that category raises a request to
(`[categories]`). `DEFAULT_RULES` ships with the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from callboard.config import Section, Text, checked, load, problem, shown
from callboard.triage.text import fold

DEFAULT_RULES = Path(__file__).with_name("rules.toml")
MAX_PRIORITY = 9  # the engine's top priority class (ContactIn.priority)


def _priority(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PRIORITY:
        raise problem(f"must be a whole number from 0 to {MAX_PRIORITY}, got {shown(value)}")
    return value


Priority = Annotated[int, checked(_priority)]


class RuleSection(Section):
    name: Text
    priority: Priority
    all_of: list[Annotated[list[Text], Field(min_length=1)]] = Field(alias="all", min_length=1)


class RulesFile(Section):
    rules: list[RuleSection] = Field(default_factory=list)
    categories: dict[str, Priority] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    priority: int
    groups: tuple[tuple[str, ...], ...]  # folded phrases; one of each group must appear

    def fires(self, folded: str) -> bool:
        return all(any(phrase in folded for phrase in group) for group in self.groups)


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...] = ()
    categories: tuple[tuple[str, int], ...] = ()

    def strongest(self, text: str) -> Rule | None:
        """The firing rule with the highest priority (the first of equals), or None."""
        folded = fold(text)
        best: Rule | None = None
        for rule in self.rules:
            if (best is None or rule.priority > best.priority) and rule.fires(folded):
                best = rule
        return best

    def for_category(self, category: str | None) -> int:
        """The priority a confident suggestion of `category` raises a request to (0: none)."""
        return dict(self.categories).get(category or "", 0)


def load_rules(path: Path = DEFAULT_RULES) -> Rules:
    """The rules in a file; its problems are BadConfig with the dotted key."""
    found = load(path, RulesFile, "priority rules file")
    return Rules(
        tuple(
            Rule(r.name, r.priority, tuple(tuple(fold(p) for p in group) for group in r.all_of))
            for r in found.rules
        ),
        tuple(found.categories.items()),
    )
