"""A request's suggested category, confidence and priority: the rules and the model together.

Priority is the highest of what the request came with, the strongest firing
rule (rules.py) and the priority of a confidently suggested category: the
rules set a floor the model may raise but never lower, and the model never
takes a priority away that a caller, a PBX or a rule gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from callboard.triage.model import TriageModel
from callboard.triage.rules import DEFAULT_RULES, Rules, load_rules

# Where a workspace keeps its model (`callboard triage train` writes it).
MODEL_FILE = Path("triage") / "model.npz"
# The contact attributes a suggestion travels in (the journal keeps them with `arrive`).
SUGGESTED = "triage_"  # the prefix of every attribute a suggestion writes
CATEGORY, CONFIDENCE, PRIORITY, RULE = (
    "triage_category", "triage_confidence", "triage_priority", "triage_rule",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Suggestion:
    category: str | None  # None: below the model's threshold, or no model
    confidence: float | None  # None: no model
    best: str | None  # the model's top category, even below the threshold
    priority: int
    rule: str | None  # the priority rule that fired

    def as_dict(self) -> dict[str, object]:
        return {
            "category": self.category, "confidence": self.confidence, "best": self.best,
            "priority": self.priority, "rule": self.rule,
        }  # fmt: skip

    def attributes(self) -> dict[str, str]:
        """The suggestion as contact attributes (strings; empty ones left out)."""
        found = {
            CATEGORY: self.category, PRIORITY: str(self.priority), RULE: self.rule,
            CONFIDENCE: None if self.confidence is None else f"{self.confidence:.3f}",
        }  # fmt: skip
        return {k: v for k, v in found.items() if v is not None}


class Triage:
    def __init__(self, rules: Rules, model: TriageModel | None = None) -> None:
        self.rules = rules
        self.model = model

    @classmethod
    def open(cls, workspace_root: Path | None, rules: Path = DEFAULT_RULES) -> Triage:
        """The workspace's model if one was trained, with the rules in `rules`; rules alone
        without a workspace."""
        path = None if workspace_root is None else workspace_root / MODEL_FILE
        model = TriageModel.load(path) if path is not None and path.exists() else None
        return cls(load_rules(rules), model)

    def suggest(self, text: str, priority: int = 0) -> Suggestion:
        rule = self.rules.strongest(text)
        prediction = self.model.classify(text) if self.model and text.strip() else None
        category = None if prediction is None else prediction.category
        return Suggestion(
            category,
            None if prediction is None else prediction.confidence,
            None if prediction is None else prediction.best,
            max(priority, rule.priority if rule else 0, self.rules.for_category(category)),
            None if rule is None else rule.name,
        )
