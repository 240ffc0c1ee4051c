"""Text similarity of postings: TF-IDF over character n-grams and the vocabulary's terms.

The n-grams are scikit-learn's ``char_wb`` ones (3 to 5 characters inside each word padded with
a space, accents stripped, lower case) of the text with its words stemmed, hashed with numpy
over all texts of a batch at once, so a posting's term row never depends on the corpus and is
computed once; only the IDF weights are fitted (scikit-learn) on the open postings, which is
cheap to refresh. Rows are kept as sublinear term frequencies; IDF and L2 norm are applied
when comparing.

Each concept of ``shared.vocabulary`` a text names is one more feature of its row
(``CONCEPT_WEIGHT``): *PV* in a need meets *zonnepanelen* in an offer although they share no
character.
"""

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer, strip_accents_unicode

from shared.vocabulary import stemmed, terms_in

N_FEATURES = 2**19
NGRAM_SIZES = (3, 4, 5)
_FEATURE_BITS = 19
_SPACE = ord(" ")
_CHUNK = 8192  # texts hashed together: bounds the memory of one batch's n-gram keys
_ABSENT = np.iinfo(np.int32).max
# A named concept's term frequency: in a cosine it weighs about as much as half a dozen shared
# words (a ten-letter word has 24 n-grams of weight 1; 12 squared is 144), since a term written
# differently on both sides is the surest sign two texts speak of the same thing. Tuned on
# tests/matcher/test_matcher_teacher_texts.py.
CONCEPT_WEIGHT = 12.0


class TermRows(NamedTuple):
    """Term rows as the arrays of a CSR matrix, without the matrix (building one checks every
    entry again)."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray


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
        # Before the first fit every n-gram weighs the same.
        self._idf = np.ones(N_FEATURES, dtype=np.float32)
        # Dense maps over every hashed n-gram, blank between uses: to the queries' columns, and
        # to a single query's weights.
        self._columns = np.full(N_FEATURES, _ABSENT, dtype=np.int32)
        self._weights = np.zeros(N_FEATURES, dtype=np.float32)

    def terms(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Sublinear term frequencies (1 + log count) of the n-grams of ``texts``, one row each,
        plus ``CONCEPT_WEIGHT`` for each concept of the vocabulary the text names."""
        chunks = [ngram_counts(texts[at : at + _CHUNK]) for at in range(0, len(texts), _CHUNK)]
        counts = sparse.vstack(chunks, format="csr") if len(chunks) != 1 else chunks[0]
        counts.data = 1 + np.log(counts.data)
        named = concept_counts(texts)
        if not named.nnz:
            return counts
        rows: sparse.csr_matrix = (counts + named).tocsr()
        rows.sort_indices()
        return rows.astype(np.float32, copy=False)

    def refit(self, terms: sparse.csr_matrix) -> None:
        """Fit the IDF weights on the term rows of the open postings."""
        if terms.shape[0]:
            self._idf = TfidfTransformer().fit(terms).idf_.astype(np.float32)

    def norms(self, terms: TermRows | sparse.csr_matrix) -> np.ndarray:
        """The L2 norm of each row once weighted by IDF."""
        count = len(terms.indptr) - 1
        weighted = terms.data * self._idf[terms.indices]
        rows = np.repeat(np.arange(count), np.diff(terms.indptr))
        return np.sqrt(np.bincount(rows, weights=weighted * weighted, minlength=count))

    def weigh(self, terms: sparse.csr_matrix) -> sparse.csr_matrix:
        """TF-IDF rows, L2-normalised: ``TfidfTransformer(sublinear_tf=True)`` on the counts."""
        return sparse.csr_matrix((self._weighed(terms), terms.indices, terms.indptr), terms.shape)

    def queries(self, terms: TermRows | sparse.csr_matrix) -> Queries:
        """Term rows made ready to meet many rows at once (``pair_similarity``)."""
        count = len(terms.indptr) - 1
        weighted = self._weighed(terms) * self._idf[terms.indices]
        ngrams, at = np.unique(terms.indices, return_inverse=True)
        matrix = np.zeros((len(ngrams) + 1, count), dtype=np.float32)
        matrix[at, np.repeat(np.arange(count), np.diff(terms.indptr))] = weighted
        return Queries(ngrams, matrix)

    def _weighed(self, terms: TermRows | sparse.csr_matrix) -> np.ndarray:
        """The entries of ``weigh``'s rows (plain arrays: a matrix checks every entry again)."""
        rows = np.repeat(np.arange(len(terms.indptr) - 1), np.diff(terms.indptr))
        norms = np.maximum(self.norms(terms), 1e-12)[rows]
        weighed: np.ndarray = terms.data * self._idf[terms.indices] / norms
        return weighed

    def pair_similarity(
        self,
        queries: Queries,
        rows: TermRows | sparse.csr_matrix,
        norms: np.ndarray,
        pairs: tuple[np.ndarray, np.ndarray],
    ) -> np.ndarray:
        """Cosine similarity of query ``pairs[0][i]`` with row ``pairs[1][i]`` of the term
        ``rows`` (``norms``: theirs) for many pairs at once: for a single query, its weights
        spread over a dense map of every n-gram, looked up at each row's entries and summed per
        row; for several, the rows' n-grams renumbered as the queries' and one sparse product
        of the rows with the queries' dense matrix (building the matrices was about a quarter
        of one need's text similarity)."""
        if queries.matrix.shape[1] == 1:
            self._weights[queries.ngrams] = queries.matrix[:-1, 0]
            weighed = self._weights[rows.indices] * rows.data
            self._weights[queries.ngrams] = 0.0
            dots = _row_sums(weighed, rows.indptr)[pairs[1]]
        else:
            self._columns[queries.ngrams] = np.arange(len(queries.ngrams), dtype=np.int32)
            # N-grams no query has meet the matrix's last row, which is zero.
            columns = np.minimum(self._columns[rows.indices], len(queries.ngrams))
            self._columns[queries.ngrams] = _ABSENT
            renumbered = sparse.csr_matrix(
                (rows.data, columns, rows.indptr),
                shape=(len(rows.indptr) - 1, len(queries.ngrams) + 1),
            )
            dots = (renumbered @ queries.matrix)[pairs[1], pairs[0]]
        cosine: np.ndarray = np.clip(dots / np.maximum(norms[pairs[1]], 1e-12), 0.0, 1.0)
        return cosine


def _row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """The sum of each CSR row's ``values`` (0 for an empty row)."""
    sums = np.zeros(len(indptr) - 1, dtype=np.float64)
    filled = np.flatnonzero(np.diff(indptr))
    if len(filled):
        sums[filled] = np.add.reduceat(values, indptr[filled], dtype=np.float64)
    return sums


def ngram_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """How often each hashed n-gram occurs in each of ``texts`` (float32, sorted columns).

    Char-wb n-grams (``char_wb`` of scikit-learn's vectorisers) of the text with its words
    stemmed (``shared.vocabulary.stemmed``: *omvormers* and *omvormer* are one word): the words
    of a text, each padded with a space, and every run of 3, 4 and 5 characters inside one
    padded word. All texts go into one array of code points with two spaces between words (and
    texts): a run lies inside one word exactly when no character but its first and last is a
    space."""
    normal = stemmed([strip_accents_unicode(text.lower()) for text in texts])
    padded = [" " + "  ".join(text.split()) + " " for text in normal]
    codes = np.frombuffer("  ".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    text_at = np.repeat(np.arange(len(texts), dtype=np.uint64), [len(text) + 2 for text in padded])
    spaces = np.concatenate([[0], np.cumsum(codes == _SPACE)])
    keys = []
    rolling = np.zeros(len(codes), dtype=np.uint64)
    for width in range(1, NGRAM_SIZES[-1] + 1):
        # The polynomial hash of the run of ``width`` characters starting at each position.
        rolling = rolling[: len(codes) - width + 1] * np.uint64(1_000_003) + codes[width - 1 :]
        if width < NGRAM_SIZES[0]:
            continue
        first = np.arange(len(rolling))
        inside = spaces[first + width - 1] - spaces[first + 1] == 0
        keys.append(
            (text_at[first[inside]] << np.uint64(_FEATURE_BITS)) | _feature(rolling[inside], width)
        )
    unique, counts = np.unique(
        np.concatenate(keys) if keys else np.zeros(0, np.uint64), return_counts=True
    )
    rows = (unique >> np.uint64(_FEATURE_BITS)).astype(np.int64)
    indptr = np.searchsorted(rows, np.arange(len(texts) + 1)).astype(np.int32)
    columns = (unique & np.uint64(N_FEATURES - 1)).astype(np.int32)
    return sparse.csr_matrix(
        (counts.astype(np.float32), columns, indptr), shape=(len(texts), N_FEATURES)
    )


def concept_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """``CONCEPT_WEIGHT`` in the feature column of each concept each of ``texts`` names, in
    canonical form (sorted columns, each once): added to the n-grams' rows, a matrix of another
    form takes scipy's general sum, which spans every feature column of each row (6 ms a row)."""
    named = [[concept_feature(label) for label in terms_in(text)] for text in texts]
    indptr = np.concatenate([[0], np.cumsum([len(features) for features in named])])
    columns = np.array([feature for features in named for feature in features], dtype=np.int32)
    data = np.full(len(columns), CONCEPT_WEIGHT, dtype=np.float32)
    counts = sparse.csr_matrix((data, columns, indptr), shape=(len(texts), N_FEATURES))
    counts.sum_duplicates()
    return counts


def concept_feature(label: str) -> int:
    """The feature column of a concept (a stable hash, as the n-grams')."""
    return zlib.crc32(f"concept {label}".encode()) & (N_FEATURES - 1)


def _feature(hashes: np.ndarray, width: int) -> np.ndarray:
    """Hashed n-grams of one width to feature numbers: a 64-bit mix (splitmix64's finaliser)
    whose top bits are kept."""
    mixed = hashes + np.uint64(width * 0x9E3779B97F4A7C15 % 2**64)
    mixed = (mixed ^ (mixed >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    mixed = (mixed ^ (mixed >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return (mixed ^ (mixed >> np.uint64(31))) >> np.uint64(64 - _FEATURE_BITS)


def posting_text(title: str, description: str, keywords: Sequence[str]) -> str:
    """The text a posting is compared on."""
    return " ".join([title, description, *keywords])
