"""Text similarity of postings: TF-IDF over character n-grams (scikit-learn).

N-grams are hashed, so a posting's term row never depends on the corpus and is computed once;
only the IDF weights are fitted on the open postings, which is cheap to refresh. Rows are kept
as sublinear term frequencies; IDF and L2 norm are applied when comparing.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

N_FEATURES = 2**19
_ABSENT = np.iinfo(np.int32).max


@dataclass(frozen=True, slots=True)
class Queries:
    """Query rows reduced to their own n-grams (sorted): a dense matrix with one column per
    query of its IDF-weighted, normalised weights times IDF once more, and a last row of zeros
    for every n-gram the queries lack."""

    ngrams: np.ndarray
    matrix: np.ndarray


class TextModel:
    """Term rows for posting texts, and their cosine similarity under the fitted IDF weights."""

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
        # Before the first fit every n-gram weighs the same.
        self._idf = np.ones(N_FEATURES, dtype=np.float32)
        # A dense map over every hashed n-gram, blank between uses.
        self._columns = np.full(N_FEATURES, _ABSENT, dtype=np.int32)

    def terms(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Sublinear term frequencies (1 + log count) of the n-grams of ``texts``, one row each."""
        counts = sparse.csr_matrix(self._hasher.transform(texts))
        counts.data = 1 + np.log(counts.data)
        return counts

    def refit(self, terms: sparse.csr_matrix) -> None:
        """Fit the IDF weights on the term rows of the open postings."""
        if terms.shape[0]:
            self._idf = TfidfTransformer().fit(terms).idf_.astype(np.float32)

    def norms(self, terms: sparse.csr_matrix) -> np.ndarray:
        """The L2 norm of each row once weighted by IDF."""
        weighted = terms.data * self._idf[terms.indices]
        rows = np.repeat(np.arange(terms.shape[0]), np.diff(terms.indptr))
        return np.sqrt(np.bincount(rows, weights=weighted * weighted, minlength=terms.shape[0]))

    def weigh(self, terms: sparse.csr_matrix) -> sparse.csr_matrix:
        """TF-IDF rows, L2-normalised: ``TfidfTransformer(sublinear_tf=True)`` on the counts."""
        rows = np.repeat(np.arange(terms.shape[0]), np.diff(terms.indptr))
        norms = np.maximum(self.norms(terms), 1e-12)[rows]
        data = terms.data * self._idf[terms.indices] / norms
        return sparse.csr_matrix((data, terms.indices, terms.indptr), shape=terms.shape)

    def queries(self, terms: sparse.csr_matrix) -> Queries:
        """Term rows made ready to meet many rows at once (``pair_similarity``)."""
        weighted = self.weigh(terms)
        weighted.data *= self._idf[weighted.indices]
        ngrams, at = np.unique(weighted.indices, return_inverse=True)
        matrix = np.zeros((len(ngrams) + 1, terms.shape[0]), dtype=np.float32)
        matrix[at, np.repeat(np.arange(terms.shape[0]), np.diff(weighted.indptr))] = weighted.data
        return Queries(ngrams, matrix)

    def pair_similarity(
        self,
        queries: Queries,
        rows: sparse.csr_matrix,
        norms: np.ndarray,
        pairs: tuple[np.ndarray, np.ndarray],
    ) -> np.ndarray:
        """Cosine similarity of query ``pairs[0][i]`` with row ``pairs[1][i]`` of the term
        ``rows`` (``norms``: theirs) for many pairs at once: one sparse product of the rows,
        their n-grams renumbered as the queries', with the queries' dense matrix."""
        self._columns[queries.ngrams] = np.arange(len(queries.ngrams), dtype=np.int32)
        # N-grams no query has meet the matrix's last row, which is zero.
        columns = np.minimum(self._columns[rows.indices], len(queries.ngrams))
        self._columns[queries.ngrams] = _ABSENT
        renumbered = sparse.csr_matrix(
            (rows.data, columns, rows.indptr), shape=(rows.shape[0], len(queries.ngrams) + 1)
        )
        dots = (renumbered @ queries.matrix)[pairs[1], pairs[0]]
        cosine: np.ndarray = np.clip(dots / np.maximum(norms[pairs[1]], 1e-12), 0.0, 1.0)
        return cosine


def posting_text(title: str, description: str, keywords: Sequence[str]) -> str:
    """The text a posting is compared on."""
    return " ".join([title, description, *keywords])
