"""How well a model sorts labelled requests: accuracy, macro F1 and each label's figures.

Macro F1 weighs the 77th category as much as the first, so a model that
drops rare categories shows it even when accuracy looks fine. `answered` is
the share a model suggests a category for at its threshold, with the
accuracy of those suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from callboard.errors import BadInput
from callboard.triage.labelled import Example
from callboard.triage.model import TriageModel


def evaluate(model: TriageModel, examples: Sequence[Example]) -> dict[str, Any]:
    predicted = model.predict([e.text for e in examples])
    truth = [e.label for e in examples]
    confident = [model.classify(e.text).category is not None for e in examples]
    return {**_figures(truth, predicted), **_answered(truth, predicted, confident, model.threshold)}


def cross_validate(examples: Sequence[Example], folds: int = 5, seed: int = 0) -> dict[str, Any]:
    """`folds`-fold stratified cross-validation of an uncalibrated fit (the temperature
    does not move the top category): pooled figures over every held-out example, and
    each fold's accuracy."""
    target = np.asarray([e.label for e in examples])
    smallest = min(np.unique(target, return_counts=True)[1])
    if smallest < folds:
        raise BadInput(f"{folds}-fold cross-validation needs {folds} examples of every label")
    predicted = np.empty(len(examples), dtype=object)
    accuracies = []
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, held in split.split(np.zeros(len(examples)), target):
        model = TriageModel.fit([examples[i] for i in train], calibrate=False).model
        predicted[held] = model.predict([examples[i].text for i in held])
        accuracies.append(float(np.mean(predicted[held] == target[held])))
    return {**_figures(list(target), list(predicted)), "folds": accuracies}


def _figures(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    labels = sorted(set(truth))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    per_label = {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    hits = sum(t == p for t, p in zip(truth, predicted, strict=True))
    return {
        "accuracy": hits / len(truth), "macro_f1": float(np.mean(f1)), "examples": len(truth),
        "per_label": per_label,
    }  # fmt: skip


def _answered(
    truth: Sequence[str], predicted: Sequence[str], confident: Sequence[bool], threshold: float
) -> dict[str, Any]:
    kept = [t == p for t, p, c in zip(truth, predicted, confident, strict=True) if c]
    return {
        "threshold": threshold,
        "answered": len(kept) / len(truth),
        "answered_accuracy": sum(kept) / len(kept) if kept else None,
    }
