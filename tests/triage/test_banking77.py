"""BANKING77: five-fold cross-validation over its 10,003 real requests, pinned.

Measured with `cross_validate(examples, 5)` (seed 0): accuracy 0.9015, macro F1
0.8997; folds 0.900, 0.898, 0.918, 0.897, 0.895. The anchors on the published
test split (which ../shared does not hold): TF-IDF plus a linear model about
0.91, frozen BERT features 0.872, fine-tuned BERT 0.937. bench/triage adds a
held-out split, timings and a plain TF-IDF + logistic regression peer.
"""

from __future__ import annotations

import pytest

from callboard.triage import Example, cross_validate


def test_five_fold_accuracy_on_banking77_is_as_measured(banking77: list[Example]) -> None:
    assert len(banking77) == 10_003
    figures = cross_validate(banking77, 5)
    assert figures["accuracy"] == pytest.approx(0.9015, abs=0.01)
    assert figures["macro_f1"] == pytest.approx(0.8997, abs=0.01)
    assert len(figures["per_label"]) == 77
    assert min(figures["folds"]) > 0.87
