"""Text similarity of postings: TF-IDF over character n-grams (scikit-learn).

N-grams are hashed, so a posting's term row never depends on the corpus and is computed once;
only the IDF weights are fitted on the open postings, which is cheap to refresh. Rows are kept
as sublinear term frequencies; IDF and L2 norm are applied when comparing.
"""

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from services.matcher.index import Terms

N_FEATURES = 2**19


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
        self._lookup = np.zeros(N_FEATURES, dtype=np.float32)
        self._columns = np.full(N_FEATURES, -1, dtype=np.int32)

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

    def similarity(self, query: Terms, rows: Terms, norms: np.ndarray) -> np.ndarray:
        """Cosine similarity of one query's terms with those of each of ``len(norms)`` rows."""
        _, query_ngrams, query_tf = query
        weighted = query_tf * self._idf[query_ngrams]
        weighted /= max(float(np.sqrt(weighted @ weighted)), 1e-12)
        # The query, IDF-weighted once more, as a dense lookup: one gather per stored term.
        self._lookup[query_ngrams] = weighted * self._idf[query_ngrams]
        owners, ngrams, tf = rows
        dots = np.bincount(owners, weights=tf * self._lookup[ngrams], minlength=len(norms))
        self._lookup[query_ngrams] = 0.0
        cosine: np.ndarray = np.clip(dots / np.maximum(norms, 1e-12), 0.0, 1.0)
        return cosine

    def pair_similarity(
        self,
        queries: sparse.csr_matrix,
        rows: Terms,
        norms: np.ndarray,
        pairs: tuple[np.ndarray, np.ndarray],
    ) -> np.ndarray:
        """Cosine similarity of query ``pairs[0][i]`` with row ``pairs[1][i]`` (``norms``: those
        of the ``len(norms)`` rows) for many pairs at once: the queries, reduced to their own
        n-grams, form a small dense matrix that one sparse product meets with every row."""
        weighted = self.weigh(queries)
        weighted.data *= self._idf[weighted.indices]
        ngrams, columns = np.unique(weighted.indices, return_inverse=True)
        dense = np.zeros((len(ngrams), queries.shape[0]), dtype=np.float32)
        dense[columns, np.repeat(np.arange(queries.shape[0]), np.diff(weighted.indptr))] = (
            weighted.data
        )
        # The rows' terms outside the queries' n-grams contribute nothing: drop them.
        self._columns[ngrams] = np.arange(len(ngrams), dtype=np.int32)
        owners, row_ngrams, tf = rows
        column = self._columns[row_ngrams]
        self._columns[ngrams] = -1
        shared = column >= 0
        indptr = np.r_[0, np.cumsum(np.bincount(owners[shared], minlength=len(norms)))]
        matrix = sparse.csr_matrix(
            (tf[shared], column[shared], indptr), shape=(len(norms), len(ngrams))
        )
        dots = (matrix @ dense)[pairs[1], pairs[0]]
        cosine: np.ndarray = np.clip(dots / np.maximum(norms[pairs[1]], 1e-12), 0.0, 1.0)
        return cosine


def posting_text(title: str, description: str, keywords: Sequence[str]) -> str:
    """The text a posting is compared on."""
    return " ".join([title, description, *keywords])
