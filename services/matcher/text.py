"""Text similarity of postings: TF-IDF over character n-grams (scikit-learn).

N-grams are hashed, so a posting's count row never depends on the corpus and is computed once;
only the IDF weights are fitted on the open postings, which is cheap to refresh.
"""

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

N_FEATURES = 2**20


class TextModel:
    """Count rows for posting texts, and their cosine similarity under the fitted IDF weights."""

    def __init__(self) -> None:
        # char_wb n-grams let Dutch compounds meet: elektromechanica / elektromechanische.
        self._hasher = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            strip_accents="unicode",
            alternate_sign=False,
            norm=None,
            n_features=N_FEATURES,
            dtype=np.float32,
        )
        self._weighting: TfidfTransformer | None = None

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """N-gram count rows of ``texts``."""
        return sparse.csr_matrix(self._hasher.transform(texts))

    def refit(self, counts: sparse.csr_matrix) -> None:
        """Fit the IDF weights on the count rows of the open postings."""
        self._weighting = (
            TfidfTransformer(sublinear_tf=True).fit(counts) if counts.shape[0] else None
        )

    def weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """Sublinear TF times IDF, L2-normalised (plain TF before the first fit)."""
        if self._weighting is None:
            return TfidfTransformer(sublinear_tf=True, use_idf=False).fit_transform(counts)
        return self._weighting.transform(counts)

    def similarity(self, query: sparse.csr_matrix, rows: sparse.csr_matrix) -> np.ndarray:
        """Cosine similarity of one query count row with each of ``rows``, in [0, 1]."""
        if rows.shape[0] == 0:
            return np.zeros(0)
        return np.clip((self.weigh(rows) @ self.weigh(query).T).toarray().ravel(), 0.0, 1.0)


def posting_text(title: str, description: str, keywords: Sequence[str]) -> str:
    """The text a posting is compared on."""
    return " ".join([title, description, *keywords])
