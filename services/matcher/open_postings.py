"""The open postings of both sides, indexed per kind; a few postings of one side scored against
the other side."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.in_time import free_working_days
from services.matcher.index import Partition
from services.matcher.scoring import (
    Columns,
    Scored,
    need_columns,
    offer_columns,
    score_pairs,
    within_reach,
)
from services.matcher.settings import MatcherSettings
from services.matcher.text import N_FEATURES, Queries, TextModel
from shared.taxonomy import kinds, offer_kind_factors


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    """(need, offer) pairs passing the hard rules, with scores (rounded so ranks are stable)."""

    need_ids: list[str]
    offer_ids: list[str]
    scored: Scored


class OpenPostings:
    """Open needs and offers: profiles by id plus per-kind columnar partitions for scoring."""

    def __init__(self, settings: MatcherSettings) -> None:
        self._settings = settings
        self._text = TextModel()
        self.needs: dict[str, NeedProfile] = {}
        self.offers: dict[str, OfferProfile] = {}
        self._need_parts = {kind: Partition(N_FEATURES) for kind in kinds()}
        self._offer_parts = {kind: Partition(N_FEATURES) for kind in kinds()}
        self.changed_since_fit = 0

    def put_needs(self, needs: Sequence[NeedProfile]) -> None:
        """Add or replace open needs (texts are vectorised in one go; of one id, the last)."""
        needs = list({need.need_id: need for need in needs}.values())
        for need in needs:
            self.drop_need(need.need_id)
            self.needs[need.need_id] = need
        if needs:
            ids = [need.need_id for need in needs]
            self._put(self._need_parts, needs, ids, need_columns(needs))

    def put_offers(self, offers: Sequence[OfferProfile]) -> None:
        """Add or replace open offers (texts are vectorised in one go; of one id, the last)."""
        offers = list({offer.offer_id: offer for offer in offers}.values())
        for offer in offers:
            self.drop_offer(offer.offer_id)
            self.offers[offer.offer_id] = offer
        if offers:
            ids = [offer.offer_id for offer in offers]
            self._put(self._offer_parts, offers, ids, offer_columns(offers))

    def _put(
        self,
        parts: dict[str, Partition],
        postings: Sequence[NeedProfile | OfferProfile],
        ids: list[str],
        columns: Columns,
    ) -> None:
        """Append postings (one or more) to their kinds' partitions, one ``extend`` per kind."""
        terms = self._text.terms([posting.text for posting in postings])
        norms = self._text.norms(terms)
        by_kind: dict[str, list[int]] = {}
        for row, posting in enumerate(postings):
            by_kind.setdefault(posting.kind, []).append(row)
        columns = columns | {"text_norm": norms}
        for kind, rows in by_kind.items():
            values = {name: column[rows] for name, column in columns.items()}
            rows_of_kind = terms if len(by_kind) == 1 else terms[rows]  # scipy's indexing is dear
            parts[kind].extend([ids[row] for row in rows], values, rows_of_kind)
        self.changed_since_fit += len(postings)

    def drop_need(self, need_id: str) -> None:
        """Forget a need if it is open."""
        need = self.needs.pop(need_id, None)
        if need is not None:
            self._need_parts[need.kind].remove(need_id)

    def drop_offer(self, offer_id: str) -> None:
        """Forget an offer if it is open."""
        offer = self.offers.pop(offer_id, None)
        if offer is not None:
            self._offer_parts[offer.kind].remove(offer_id)

    def held(self) -> int:
        """How many open postings are held, needs and offers."""
        return len(self.needs) + len(self.offers)

    def refresh_text_model(self) -> None:
        """Refit the IDF weights on the open postings."""
        parts = [*self._need_parts.values(), *self._offer_parts.values()]
        self._text.refit(
            sparse.vstack([part.text_rows(part.alive_slots()) for part in parts], format="csr")
        )
        for part in parts:
            part.set_text_norms(self._text.norms(part.text_rows(slice(None))))
        self.changed_since_fit = 0

    def score_need(self, need_id: str, keep_best: int) -> ScoredPairs:
        """The open offers that may be suggested for an open need, scored; at least the
        ``keep_best`` best of them, and every one that could outscore those."""
        return self.score_needs([need_id], keep_best)

    def score_needs(self, need_ids: Sequence[str], keep_best: int) -> ScoredPairs:
        """``score_need`` for several open needs of one kind at once (a full re-match)."""
        kind = self.needs[need_ids[0]].kind
        part = self._need_parts[kind]
        slots = np.array([part.slot_of[need_id] for need_id in need_ids])
        return _merge(
            [
                self._score(
                    part,
                    slots,
                    self._offer_parts[other],
                    self._near(part, slots, other),
                    factor,
                    keep_best,
                )
                for other, factor in offer_kind_factors(kind).items()
            ]
        )

    def _near(self, need_part: Partition, need_slots: np.ndarray, kind: str) -> np.ndarray | None:
        """The slots of the offers of ``kind`` within reach of several needs (``None``, all of
        them, for one need: the cheap rules narrow a single need's pairs faster)."""
        if len(need_slots) == 1:
            return None
        return within_reach(need_part.columns(need_slots), self._offer_parts[kind].columns())

    def score_offers(self, offer_ids: Sequence[str]) -> ScoredPairs:
        """Every open need several open offers of one kind may be suggested for, scored (above
        the minimum)."""
        kind = self.offers[offer_ids[0]].kind
        part = self._offer_parts[kind]
        slots = np.array([part.slot_of[offer_id] for offer_id in offer_ids])
        factors = {other: offer_kind_factors(other).get(kind) for other in kinds()}
        return _merge(
            [
                self._score(self._need_parts[other], None, part, slots, factor, None)
                for other, factor in factors.items()
                if factor is not None
            ]
        )

    def _score(
        self,
        need_part: Partition,
        need_slots: np.ndarray | None,
        offer_part: Partition,
        offer_slots: np.ndarray | None,
        factor: float,
        keep_best: int | None,
    ) -> ScoredPairs:
        """Score the needs at ``need_slots`` (all when ``None``) against the offers at
        ``offer_slots`` (all when ``None``); one side is a few postings, the other a partition,
        and the few are the text queries."""
        needs, offers = need_part.columns(need_slots), offer_part.columns(offer_slots)
        need_at = np.arange(need_part.size) if need_slots is None else need_slots
        offer_at = np.arange(offer_part.size) if offer_slots is None else offer_slots
        text: Callable[[np.ndarray, np.ndarray], np.ndarray]
        if need_slots is None:  # a few offers against many needs
            queries = self._text.queries(offer_part.term_rows(offer_at))
            of_needs = self._text_with(queries, need_part, need_at, needs["text_norm"])

            def text(need_rows: np.ndarray, offer_rows: np.ndarray) -> np.ndarray:
                return of_needs(offer_rows, need_rows)

        else:
            queries = self._text.queries(need_part.term_rows(need_at))
            text = self._text_with(queries, offer_part, offer_at, offers["text_norm"])

        def free_days(offer_rows: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
            rows, of_pair = np.unique(offer_rows, return_inverse=True)
            held = [self.offers[offer_part.ids[slot]] for slot in offer_at[rows]]
            booked = [(offer.in_use, offer.capacity) for offer in held]
            return free_working_days(booked, of_pair, first, last)

        scored = score_pairs(needs, offers, text, factor, self._settings, keep_best, free_days)
        return ScoredPairs(
            [need_part.ids[slot] for slot in need_at[scored.need_rows]],
            [offer_part.ids[slot] for slot in offer_at[scored.offer_rows]],
            scored,
        )

    def _text_with(
        self, queries: Queries, part: Partition, slots: np.ndarray, norms: np.ndarray
    ) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        """The text similarity of (query, row) pairs, the rows being ``part`` at ``slots``
        (``norms``: theirs); only the rows some pair uses are gathered."""

        def similarity(query_rows: np.ndarray, rows: np.ndarray) -> np.ndarray:
            used, position = np.unique(rows, return_inverse=True)
            return self._text.pair_similarity(
                queries, part.term_rows(slots[used]), norms[used], (query_rows, position)
            )

        return similarity


def _merge(parts: list[ScoredPairs]) -> ScoredPairs:
    scored = [part.scored for part in parts]

    def joined(arrays: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(arrays)

    return ScoredPairs(
        [need_id for part in parts for need_id in part.need_ids],
        [offer_id for part in parts for offer_id in part.offer_ids],
        Scored(
            joined([s.need_rows for s in scored]),
            joined([s.offer_rows for s in scored]),
            joined([s.score for s in scored]),
            joined([s.distance_km for s in scored]),
            joined([s.overlap_days for s in scored]),
            {name: joined([s.components[name] for s in scored]) for name in scored[0].components},
        ),
    )
