"""Columnar, per-kind store of open postings: numpy columns plus their TF-IDF rows.

Postings are appended to slots; removal only clears the ``alive`` flag until a compaction, so a
single add, update or removal never rebuilds the whole store.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import sparse

from services.matcher.text import TermRows

COLUMNS: dict[str, np.dtype[Any]] = {
    name: np.dtype(kind)
    for name, kind in {
        "field": "int16",
        "grades": "uint8",
        "start": "datetime64[D]",
        "end": "datetime64[D]",
        "days": "int32",
        "window": "int32",
        "amount": "int32",
        "x": "float64",
        "y": "float64",
        "z": "float64",
        "region": "int16",
        "max_km": "float64",
        "reach": "float64",
        "mobile": "bool",
        "booked": "bool",
        "at_school": "bool",
        "placement": "bool",
        "text_norm": "float32",
        "alive": "bool",
    }.items()
}


class Partition:
    """The open postings of one side (needs or offers) and one kind."""

    def __init__(self, width: int) -> None:
        self.ids: list[str] = []
        self.slot_of: dict[str, int] = {}
        self.size = 0
        self._columns = {name: np.zeros(16, dtype=dtype) for name, dtype in COLUMNS.items()}
        self._texts_replaced(sparse.csr_matrix((0, width), dtype=np.float32))

    def column(self, name: str) -> np.ndarray:
        """The live view of one column over the used slots."""
        return self._columns[name][: self.size]

    def extend(
        self,
        posting_ids: Sequence[str],
        values: Mapping[str, np.ndarray],
        text_rows: sparse.csr_matrix,
    ) -> None:
        """Append postings (their ids must not be present): their column values (one array
        per column, a row per posting) and one term row each."""
        count = len(posting_ids)
        while self.size + count > len(self._columns["alive"]):
            for name, array in self._columns.items():
                self._columns[name] = np.concatenate([array, np.zeros_like(array)])
        slots = slice(self.size, self.size + count)
        for name, column in values.items():
            self._columns[name][slots] = column
        self._columns["alive"][slots] = True
        self.ids.extend(posting_ids)
        self.slot_of.update(zip(posting_ids, range(self.size, self.size + count), strict=True))
        self._append_texts(text_rows)
        self.size += count

    def remove(self, posting_id: str) -> None:
        """Forget a posting; its slot is reclaimed by the next compaction."""
        slot = self.slot_of.pop(posting_id)
        self._columns["alive"][slot] = False
        if self.size - len(self.slot_of) > max(1024, len(self.slot_of)):
            self._compact()

    def set_text_norms(self, norms: np.ndarray) -> None:
        """Install the text norms of every used slot after the IDF weights were refitted."""
        self._columns["text_norm"][: self.size] = norms

    def alive_slots(self) -> np.ndarray:
        """Slots of the open postings."""
        return np.flatnonzero(self.column("alive"))

    def columns(self, slots: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Every column at ``slots``; views over all used slots when ``None``."""
        if slots is None:
            return {name: array[: self.size] for name, array in self._columns.items()}
        return {name: array[slots] for name, array in self._columns.items()}

    def text_rows(self, slots: np.ndarray | slice) -> sparse.csr_matrix:
        """Term rows at ``slots``."""
        slots = np.arange(self.size)[slots] if isinstance(slots, slice) else slots
        return sparse.csr_matrix(self.term_rows(slots), shape=(len(slots), self._width))

    def term_rows(self, slots: np.ndarray) -> TermRows:
        """Term rows at ``slots`` as arrays, without a matrix."""
        entries, indptr = self._entries(slots)
        return TermRows(self._data[entries], self._indices[entries], indptr)

    def _entries(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the terms of the postings at ``slots`` are stored, and the row pointer of those
        rows (plain numpy gathers: cheaper than scipy's row indexing)."""
        starts = self._indptr[slots].astype(np.intp)
        lengths = self._indptr[slots + 1] - starts
        indptr = np.zeros(len(slots) + 1, dtype=np.int32)
        np.cumsum(lengths, out=indptr[1:])
        entries = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return entries, indptr

    def _texts_replaced(self, matrix: sparse.csr_matrix) -> None:
        self._width = matrix.shape[1]
        self._data = matrix.data.astype(np.float32)
        self._indices = matrix.indices.astype(np.int32)
        self._indptr = np.zeros(max(17, matrix.shape[0] + 1), dtype=np.int32)
        self._indptr[: matrix.shape[0] + 1] = matrix.indptr
        self._nnz = matrix.nnz

    def _append_texts(self, rows: sparse.csr_matrix) -> None:
        end = self._nnz + rows.nnz
        if end > len(self._data):
            grown = max(2 * len(self._data), end, 1024)
            self._data = np.resize(self._data, grown)
            self._indices = np.resize(self._indices, grown)
        if self.size + rows.shape[0] + 1 > len(self._indptr):
            self._indptr = np.resize(self._indptr, 2 * (self.size + rows.shape[0] + 1))
        self._data[self._nnz : end] = rows.data
        self._indices[self._nnz : end] = rows.indices
        self._indptr[self.size + 1 : self.size + rows.shape[0] + 1] = self._nnz + rows.indptr[1:]
        self._nnz = end

    def _compact(self) -> None:
        keep = self.alive_slots()
        self._texts_replaced(self.text_rows(keep))
        self._columns = {
            name: array[: self.size][keep].copy() for name, array in self._columns.items()
        }
        self.ids = [self.ids[slot] for slot in keep]
        self.slot_of = {posting_id: slot for slot, posting_id in enumerate(self.ids)}
        self.size = len(self.ids)
