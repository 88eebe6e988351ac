"""`callboard triage train` as a library call: examples in, a stored model and its figures out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from callboard.errors import BadInput
from callboard.triage.history import read_history
from callboard.triage.labelled import Example, read_labelled
from callboard.triage.model import DEFAULT_THRESHOLD, TriageModel
from callboard.triage.suggest import MODEL_FILE


@dataclass(frozen=True)
class Trained:
    path: Path
    labels: int
    from_file: int
    from_cases: int
    from_corrections: int
    held_out_accuracy: float | None  # each example predicted by a model that never saw it

    def as_dict(self) -> dict[str, object]:
        return {
            "model": str(self.path), "labels": self.labels, "from_file": self.from_file,
            "from_cases": self.from_cases, "from_corrections": self.from_corrections,
            "held_out_accuracy": self.held_out_accuracy,
        }  # fmt: skip


def train(
    workspace_root: Path,
    store: Engine | None,
    labelled: Path | None = None,
    *,
    text_column: str = "text",
    label_column: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Trained:
    """Learn from a labelled file and the store's history (cases and agents' corrections;
    none when `store` is None), and write the workspace's model."""
    examples: list[Example] = []
    if labelled is not None:
        examples = read_labelled(labelled, text_column, label_column)
    from_file = len(examples)
    cases = corrections = 0
    if store is not None:
        history = read_history(store)
        examples += history.examples
        cases, corrections = history.cases, history.corrections
    if not examples:
        raise BadInput(
            "nothing to learn from: no --labelled file and no case with a category or "
            "correction in the workspace"
        )
    fitted = TriageModel.fit(examples, threshold=threshold)
    path = workspace_root / MODEL_FILE
    fitted.model.save(path)
    return Trained(
        path, len(fitted.model.labels), from_file, cases, corrections, fitted.held_out_accuracy
    )
