"""Request text as TF-IDF features: word 1-2-grams beside character 2-5-grams.

Word n-grams carry an English request's intent ("top up", "card arrive"); the
character n-grams, taken inside each whitespace-separated token, catch
misspellings and inflections, and carry Russian and Ukrainian (an ending is a
different word to a word model) and Chinese, which is written without spaces
and which a word tokenizer would see as one long token per clause.

scikit-learn's `TfidfVectorizer` learns the vocabularies and weights; a
request is then featurized here by dictionary lookups (`Featurizer.vector`),
the same arithmetic without sklearn's per-call overhead, which costs more than
a millisecond for one short text. tests/triage/test_features.py holds the two
to each other.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

# (analyzer, n-gram range): chosen by validation inside BANKING77's training part
# (docs/triage.md, "How the settings were chosen").
BLOCKS: tuple[tuple[str, tuple[int, int]], ...] = (("word", (1, 2)), ("char_wb", (2, 5)))
MIN_DF = 2  # a term seen once is noise: half the vocabulary, no accuracy


def _vectorizer(analyzer: str, ngrams: tuple[int, int], min_df: int) -> TfidfVectorizer:
    # Texts arrive folded (text.fold), so sklearn's own lower-casing is off.
    return TfidfVectorizer(
        analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, lowercase=False, min_df=min_df
    )


@dataclass(frozen=True)
class Block:
    """One vectorizer's learned part: its terms (column order) and their idf weights."""

    analyzer: str
    ngrams: tuple[int, int]
    terms: tuple[str, ...]
    idf: NDArray[np.float64]


class Featurizer:
    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = tuple(blocks)
        self._analyzers: list[Callable[[str], list[str]]] = []
        # Per block: each term's (column, idf), one dictionary lookup per term.
        self._terms: list[dict[str, tuple[int, float]]] = []
        offset = 0
        for block in self.blocks:
            self._analyzers.append(_vectorizer(block.analyzer, block.ngrams, 1).build_analyzer())
            self._terms.append(
                {
                    t: (offset + i, float(w))
                    for i, (t, w) in enumerate(zip(block.terms, block.idf, strict=True))
                }
            )
            offset += len(block.terms)
        self.width = offset

    @classmethod
    def fit(
        cls, texts: Sequence[str], min_df: int = MIN_DF
    ) -> tuple[Featurizer, sparse.csr_matrix]:
        """The featurizer learned from folded `texts`, and their feature matrix."""
        blocks, matrices = [], []
        for analyzer, ngrams in BLOCKS:
            # A tiny training set may have no term seen twice; then every term counts.
            vectorizer = _vectorizer(analyzer, ngrams, min_df if len(texts) >= 50 else 1)
            matrices.append(vectorizer.fit_transform(texts))
            terms = vectorizer.get_feature_names_out()
            blocks.append(Block(analyzer, ngrams, tuple(str(t) for t in terms), vectorizer.idf_))
        return cls(blocks), sparse.hstack(matrices, format="csr")

    def vector(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """The folded text's non-zero features as (columns, values): each block's sublinear
        tf times idf, normalised to unit length within the block, as sklearn does."""
        columns: list[int] = []
        values: list[float] = []
        for analyze, known in zip(self._analyzers, self._terms, strict=True):
            start = len(values)
            for term, count in Counter(analyze(text)).items():
                found = known.get(term)
                if found is not None:
                    columns.append(found[0])
                    values.append((1.0 + math.log(count)) * found[1])
            norm = math.sqrt(sum(v * v for v in values[start:]))
            if norm > 0.0:
                values[start:] = [v / norm for v in values[start:]]
        return np.asarray(columns, dtype=np.intp), np.asarray(values)

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows = [self.vector(t) for t in texts]
        indptr = np.cumsum([0, *(len(c) for c, _ in rows)])
        columns = np.concatenate([c for c, _ in rows]) if rows else np.empty(0, np.intp)
        values = np.concatenate([v for _, v in rows]) if rows else np.empty(0)
        return sparse.csr_matrix((values, columns, indptr), shape=(len(texts), self.width))
