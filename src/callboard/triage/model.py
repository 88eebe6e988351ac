"""The learned part of triage: a linear model over TF-IDF features (features.py).

LinearSVC (one-vs-rest hinge loss) was chosen over logistic regression by
validation inside BANKING77's training part: as accurate and five times faster
to fit (docs/triage.md). A hinge model has scores, not probabilities, so the
confidence is a softmax of the scores divided by a temperature fitted on
out-of-fold scores (temperature scaling): a confidence of 0.6 then means about
six in ten such suggestions are right, which is what a threshold needs. The
same out-of-fold predictions give the held-out accuracy that training reports,
so every example is held out once and nothing is fitted twice for it.

A model file is a NumPy `.npz` of arrays and one JSON header, read with
`allow_pickle=False`: loading a model never runs code from the file.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from callboard.errors import BadInput
from callboard.triage.features import Block, Featurizer
from callboard.triage.labelled import Example
from callboard.triage.text import fold

FORMAT = "callboard.triage/1"
C = 1.0  # LinearSVC's regularisation, chosen with the features (docs/triage.md)
FOLDS = 3  # out-of-fold scores for the temperature and the held-out accuracy
# Below this confidence no category is suggested: a suggestion more likely wrong than
# right is worse than none, since an agent tends to keep what is filled in.
DEFAULT_THRESHOLD = 0.5
_TEMPERATURES = np.geomspace(0.01, 10.0, 80)


@dataclass(frozen=True, slots=True)
class Prediction:
    category: str | None  # None below the threshold: no suggestion
    confidence: float
    best: str  # the top category even below the threshold, for the agent to see


@dataclass(frozen=True)
class Fitted:
    model: TriageModel
    held_out_accuracy: float | None  # out-of-fold; None when a label has too few examples
    examples: int


class TriageModel:
    def __init__(
        self,
        featurizer: Featurizer,
        weights: NDArray[np.float32],  # (features, labels)
        bias: NDArray[np.float32],
        labels: Sequence[str],
        temperature: float = 1.0,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.featurizer = featurizer
        self.weights = weights
        self.bias = bias
        self.labels = tuple(labels)
        self.temperature = temperature
        self.threshold = threshold

    @classmethod
    def fit(
        cls,
        examples: Sequence[Example],
        *,
        calibrate: bool = True,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> Fitted:
        """Learn from `examples`. With `calibrate`, out-of-fold scores fit the temperature
        and give the held-out accuracy (FOLDS more fits); this needs two examples of
        every label."""
        labels = sorted({e.label for e in examples})
        if len(labels) < 2:
            raise BadInput(f"triage needs at least two categories to learn; got {labels or 'none'}")
        texts = [fold(e.text) for e in examples]
        target = np.asarray([e.label for e in examples])
        model = _fit(texts, target, labels, threshold)
        smallest = min(Counter(e.label for e in examples).values())
        if not calibrate or smallest < 2:
            return Fitted(model, None, len(examples))
        scores, accuracy = _out_of_fold(texts, target, labels, min(FOLDS, smallest))
        model.temperature = _temperature(scores, np.searchsorted(labels, target))
        return Fitted(model, accuracy, len(examples))

    def scores(self, text: str) -> NDArray[np.float32]:
        columns, values = self.featurizer.vector(fold(text))
        return self.bias + values.astype(np.float32) @ self.weights[columns]

    def classify(self, text: str) -> Prediction:
        scores = self.scores(text)
        best = int(np.argmax(scores))
        confidence = float(_softmax(scores[None, :] / self.temperature)[0, best])
        label = self.labels[best]
        return Prediction(label if confidence >= self.threshold else None, confidence, label)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The top category of each text, threshold or not (for evaluation)."""
        matrix = self.featurizer.matrix([fold(t) for t in texts])
        scores = matrix @ self.weights + self.bias
        return [self.labels[i] for i in np.argmax(scores, axis=1)]

    def save(self, path: Path) -> None:
        """Write atomically: a server loading the model never reads half a file."""
        header = {
            "format": FORMAT, "labels": self.labels, "temperature": self.temperature,
            "threshold": self.threshold,
            "blocks": [{"analyzer": b.analyzer, "ngrams": b.ngrams, "terms": b.terms}
                       for b in self.featurizer.blocks],
        }  # fmt: skip
        arrays: dict[str, Any] = {f"idf{i}": b.idf for i, b in enumerate(self.featurizer.blocks)}
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "wb") as handle:
            np.savez(
                handle, header=np.frombuffer(json.dumps(header).encode(), np.uint8),
                weights=self.weights, bias=self.bias, **arrays,
            )  # fmt: skip
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> TriageModel:
        if path.exists() and not zipfile.is_zipfile(path):
            raise BadInput(f"{path}: not a triage model (no .npz archive); train one again")
        try:
            with np.load(path, allow_pickle=False) as found:
                header = json.loads(found["header"].tobytes())
                if header.get("format") != FORMAT:
                    raise BadInput(f"{path}: not a {FORMAT} model file; train one again")
                blocks = [
                    Block(b["analyzer"], tuple(b["ngrams"]), tuple(b["terms"]), found[f"idf{i}"])
                    for i, b in enumerate(header["blocks"])
                ]
                return cls(
                    Featurizer(blocks), found["weights"], found["bias"], header["labels"],
                    header["temperature"], header["threshold"],
                )  # fmt: skip
        except FileNotFoundError:
            raise BadInput(f"{path}: no triage model; run `callboard triage train` first") from None
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise BadInput(f"{path}: not a readable triage model ({exc})") from None


def _fit(
    texts: Sequence[str], target: NDArray[Any], labels: Sequence[str], threshold: float
) -> TriageModel:
    featurizer, matrix = Featurizer.fit(texts)
    svc = LinearSVC(C=C).fit(matrix, target)
    if list(svc.classes_) != list(labels):
        raise AssertionError("LinearSVC orders classes as sorted labels")
    weights, bias = svc.coef_, svc.intercept_
    if len(labels) == 2:  # sklearn keeps one score for two classes: the second's
        weights, bias = np.vstack([-weights, weights]), np.concatenate([-bias, bias])
    return TriageModel(
        featurizer, np.ascontiguousarray(weights.T, np.float32), bias.astype(np.float32),
        labels, threshold=threshold,
    )  # fmt: skip


def _out_of_fold(
    texts: Sequence[str], target: NDArray[Any], labels: Sequence[str], folds: int
) -> tuple[NDArray[np.float64], float]:
    """Each example's scores from a model that never saw it, and their accuracy."""
    scores = np.zeros((len(texts), len(labels)))
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train, held in split.split(np.zeros(len(texts)), target):
        # Every label has at least `folds` examples, so every fold's training part has them all.
        part = _fit([texts[i] for i in train], target[train], labels, DEFAULT_THRESHOLD)
        scores[held] = _scores(part, [texts[i] for i in held])
    truth = np.searchsorted(labels, target)
    return scores, float(np.mean(np.argmax(scores, axis=1) == truth))


def _scores(model: TriageModel, folded: Sequence[str]) -> NDArray[np.float64]:
    return np.asarray(model.featurizer.matrix(folded) @ model.weights + model.bias)


def _temperature(scores: NDArray[np.float64], truth: NDArray[np.intp]) -> float:
    """The temperature whose softmax gives the true labels the highest likelihood."""
    rows = np.arange(len(truth))

    def loss(t: float) -> float:
        return float(-np.mean(np.log(_softmax(scores / t)[rows, truth] + 1e-12)))

    return float(min(_TEMPERATURES, key=loss))


def _softmax(scores: NDArray[Any]) -> NDArray[np.float64]:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))
