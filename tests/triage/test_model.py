"""The model: fast featurizing equal to sklearn's, four languages, thresholds, model files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from callboard.errors import BadInput
from callboard.triage import Example, TriageModel, evaluate, fold, read_labelled
from tests.triage.conftest import TRAINING

LANGUAGES = ("en", "ru", "uk", "zh")  # the held-out file's blocks of ten, in this order


def test_the_fast_featurizer_computes_what_sklearn_does(hotline_model: TriageModel) -> None:
    texts = [fold(e.text) for e in read_labelled(TRAINING)]
    featurizer = hotline_model.featurizer
    ours = featurizer.matrix(texts).toarray()
    start = 0
    for block in featurizer.blocks:
        reference = TfidfVectorizer(
            analyzer=block.analyzer, ngram_range=block.ngrams, sublinear_tf=True,
            lowercase=False, vocabulary=list(block.terms),
        )  # fmt: skip
        reference.idf_ = block.idf
        width = len(block.terms)
        expected = reference.transform(texts).toarray()
        assert np.allclose(ours[:, start : start + width], expected)
        start += width
    assert start == featurizer.width


def test_char_ngrams_carry_every_language_of_the_held_out_set(
    hotline_model: TriageModel, held_out: list[Example]
) -> None:
    # Measured: 39 of 40 (one Chinese "tap water smells bad" read as gas); per language
    # en, ru, uk 10/10, zh 9/10.
    figures = evaluate(hotline_model, held_out)
    assert figures["accuracy"] == pytest.approx(0.975, abs=0.051)
    for number, language in enumerate(LANGUAGES):
        block = held_out[number * 10 : (number + 1) * 10]
        assert evaluate(hotline_model, block)["accuracy"] >= 0.8, language


def test_below_the_threshold_the_category_is_left_empty_but_the_best_guess_is_shown(
    hotline_model: TriageModel,
) -> None:
    vague = hotline_model.classify("hello, I have a question")
    assert vague.category is None and vague.confidence < hotline_model.threshold
    assert vague.best in hotline_model.labels
    clear = hotline_model.classify("There is no water in the bathroom tap")
    assert clear.category == "water" and clear.confidence >= hotline_model.threshold


def test_a_saved_model_loads_to_the_same_answers(
    hotline_model: TriageModel, held_out: list[Example], tmp_path: Path
) -> None:
    path = tmp_path / "model.npz"
    hotline_model.save(path)
    loaded = TriageModel.load(path)
    texts = [e.text for e in held_out]
    assert loaded.predict(texts) == hotline_model.predict(texts)
    assert [loaded.classify(t) for t in texts] == [hotline_model.classify(t) for t in texts]


def test_a_file_that_is_not_a_model_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no triage model; run `callboard triage train`"):
        TriageModel.load(tmp_path / "missing.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(BadInput, match=r"not a triage model \(no \.npz archive\); train one again"):
        TriageModel.load(tmp_path / "junk.npz")
    np.savez(tmp_path / "other.npz", weights=np.zeros(3))
    with pytest.raises(BadInput, match="not a readable triage model"):
        TriageModel.load(tmp_path / "other.npz")


def test_training_needs_two_categories_and_reports_no_held_out_figure_for_singletons() -> None:
    with pytest.raises(BadInput, match="at least two categories"):
        TriageModel.fit([Example("a", "x"), Example("b", "x")])
    fitted = TriageModel.fit([Example("gas smell", "gas"), Example("no water", "water")])
    assert fitted.held_out_accuracy is None
    assert fitted.model.predict(["the gas smell again"]) == ["gas"]
