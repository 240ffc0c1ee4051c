"""The open postings of both sides, indexed per kind; one posting scored against the other side."""

from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.index import Partition, single
from services.matcher.scoring import Columns, Scored, need_columns, offer_columns, score_pairs
from services.matcher.settings import MatcherSettings
from services.matcher.text import N_FEATURES, TextModel
from shared.taxonomy import kinds, offer_kind_factors


@dataclass(frozen=True, slots=True)
class Candidates:
    """Counter-postings passing the hard rules, with scores (rounded so ranks are stable)."""

    ids: list[str]
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

    def put_need(self, need: NeedProfile) -> None:
        """Add or replace an open need."""
        self.drop_need(need.need_id)
        self.needs[need.need_id] = need
        self._need_parts[need.kind].add(
            need.need_id, need_columns(need), self._text.counts([need.text])
        )
        self.changed_since_fit += 1

    def put_offer(self, offer: OfferProfile) -> None:
        """Add or replace an open offer."""
        self.drop_offer(offer.offer_id)
        self.offers[offer.offer_id] = offer
        self._offer_parts[offer.kind].add(
            offer.offer_id, offer_columns(offer), self._text.counts([offer.text])
        )
        self.changed_since_fit += 1

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

    def set_quantity(self, need_id: str, quantity: int) -> None:
        """A need partly served by an accepted match asks for less."""
        need = self.needs[need_id]
        self.needs[need_id] = replace(need, quantity=quantity)
        self._need_parts[need.kind].set_amount(need_id, quantity)

    def set_capacity(self, offer_id: str, capacity_left: int) -> None:
        """An offer's capacity after an accepted match."""
        offer = self.offers[offer_id]
        self.offers[offer_id] = replace(offer, capacity_left=capacity_left)
        self._offer_parts[offer.kind].set_amount(offer_id, capacity_left)

    def refresh_text_model(self) -> None:
        """Refit the IDF weights on the open postings."""
        parts = [*self._need_parts.values(), *self._offer_parts.values()]
        self._text.refit(
            sparse.vstack([part.text_rows(part.alive_slots()) for part in parts], format="csr")
        )
        self.changed_since_fit = 0

    def score_need(self, need: NeedProfile) -> Candidates:
        """Every open offer that may be suggested for ``need``, scored."""
        one, query = single(need_columns(need)), self._text.counts([need.text])
        factors = offer_kind_factors(need.kind)
        return _merge(
            [
                self._score(one, query, True, self._offer_parts[kind], factor)
                for kind, factor in factors.items()
            ]
        )

    def score_offer(self, offer: OfferProfile) -> Candidates:
        """Every open need ``offer`` may be suggested for, scored."""
        one, query = single(offer_columns(offer)), self._text.counts([offer.text])
        factors = {kind: offer_kind_factors(kind).get(offer.kind) for kind in kinds()}
        return _merge(
            [
                self._score(one, query, False, self._need_parts[kind], factor)
                for kind, factor in factors.items()
                if factor is not None
            ]
        )

    def _score(
        self,
        one: Columns,
        query: sparse.csr_matrix,
        one_is_need: bool,
        part: Partition,
        factor: float,
    ) -> Candidates:
        slots = part.alive_slots()

        def text(positions: np.ndarray) -> np.ndarray:
            return self._text.similarity(query, part.text_rows(slots[positions]))

        scored = score_pairs(one, part.take(slots), one_is_need, text, factor, self._settings)
        return Candidates([part.ids[slot] for slot in slots[scored.positions]], scored)


def _merge(parts: list[Candidates]) -> Candidates:
    scored = [part.scored for part in parts]

    def joined(arrays: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(arrays)

    return Candidates(
        [posting_id for part in parts for posting_id in part.ids],
        Scored(
            joined([s.positions for s in scored]),
            np.round(joined([s.score for s in scored]), 4),
            joined([s.distance_km for s in scored]),
            joined([s.overlap_days for s in scored]),
            {name: joined([s.components[name] for s in scored]) for name in scored[0].components},
        ),
    )
